"""Logins: the second factor cannot be bypassed or switched off with the password alone; recovery
codes; the office resets a lost second factor; invitations and password links go through the outbox;
every step that checks a secret is throttled per login and per address."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetings.models import OutgoingMail
from register.history import history_of
from register.permissions import OFFICE_GROUP
from workspace import accounts

from .conftest import PASSWORD, make_user


def code_for(device):
    device.refresh_from_db()
    device.last_t = -1  # each code works once; the tests need several in the same 30 seconds
    device.throttling_failure_count = 0
    device.save()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


@pytest.fixture
def admin_user(django_user_model):
    """An office administrator who may also use the admin site, with an authenticator app."""
    user = make_user(django_user_model, "verwaltung", is_staff=True, is_superuser=True)
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def sign_in(client, user, code=True):
    response = client.post(reverse("workspace:login"), {"username": user.get_username(), "password": PASSWORD})
    if code:
        device = accounts.authenticator(user)
        response = client.post(reverse("workspace:login_code"), {"token": code_for(device)})
    return response


# Finding 1: the second factor cannot be bypassed.


def test_admin_login_without_code_cannot_switch_the_second_factor_off(client, admin_user):
    """The reported attack: sign in at /admin/login/, then POST action=remove to the two-factor page."""
    client.post("/admin/login/", {"username": "verwaltung", "password": PASSWORD, "next": "/admin/"})
    client.post(reverse("workspace:two_factor"), {"action": "remove"})
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()
    response = client.get(reverse("workspace:people"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("workspace:login"))


def test_a_session_without_the_code_is_signed_out_even_on_the_two_factor_page(client, admin_user):
    client.force_login(admin_user)  # a session from any other login form
    response = client.post(reverse("workspace:two_factor"), {"action": "remove", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(reverse("workspace:login"))
    assert "_auth_user_id" not in client.session
    assert TOTPDevice.objects.filter(user=admin_user).exists()


def test_the_admin_site_signs_in_through_the_workspace_and_asks_for_the_code(client, admin_user):
    response = client.get("/admin/login/?next=/admin/register/organisation/")
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:login") + "?next=/admin/register/organisation/"
    assert client.get("/admin/").status_code == 302
    response = client.post(
        reverse("workspace:login"),
        {"username": "verwaltung", "password": PASSWORD, "next": "/admin/register/organisation/"},
    )
    assert response["Location"] == reverse("workspace:login_code")
    assert client.get("/admin/").status_code == 302  # the password alone is not enough
    response = client.post(reverse("workspace:login_code"), {"token": code_for(accounts.authenticator(admin_user))})
    assert response["Location"] == "/admin/register/organisation/"
    assert client.get("/admin/").status_code == 200


def test_a_login_without_admin_rights_gets_403_at_the_admin_not_a_redirect_loop(client, member):
    client.force_login(member)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403 and len(response.redirect_chain) == 1


def test_switching_off_asks_for_password_and_code_again(client, admin_user):
    sign_in(client, admin_user)
    device = accounts.authenticator(admin_user)
    page = reverse("workspace:two_factor")
    assert client.post(page, {"action": "remove"}).status_code == 400
    assert client.post(page, {"action": "remove", "password": PASSWORD}).status_code == 400
    wrong = client.post(page, {"action": "remove", "password": "falsch", "token": code_for(device)})
    assert wrong.status_code == 400 and "password" in wrong.context["form"].errors
    assert TOTPDevice.objects.filter(user=admin_user).exists()
    response = client.post(page, {"action": "remove", "password": PASSWORD, "token": code_for(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=admin_user).exists()
    assert not StaticDevice.objects.filter(user=admin_user).exists()
    record = history_of(admin_user).get()
    assert record.changes == {"two_factor": ["on", "off"]} and record.user == admin_user


# Recovery codes (issue 20).


def test_setting_up_the_app_shows_ten_recovery_codes_that_each_work_once(client, coordinator):
    client.force_login(coordinator)
    client.get(reverse("workspace:two_factor"))
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    response = client.post(reverse("workspace:two_factor"), {"token": code_for(device)})
    codes = response.context["codes"]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", code) for code in codes)
    assert codes[0] in response.content.decode()
    client.post(reverse("workspace:logout"))

    sign_in(client, coordinator, code=False)
    response = client.post(reverse("workspace:login_code"), {"token": codes[0].upper()})
    assert response.status_code == 302 and client.get(reverse("workspace:home")).status_code == 200
    assert accounts.recovery_codes_left(coordinator) == 9
    client.post(reverse("workspace:logout"))
    sign_in(client, coordinator, code=False)
    again = client.post(reverse("workspace:login_code"), {"token": codes[0]})
    assert again.status_code == 200 and again.context["form"].errors


def test_new_recovery_codes_replace_the_old_ones(client, admin_user):
    old = accounts.new_recovery_codes(admin_user)
    sign_in(client, admin_user)
    response = client.post(
        reverse("workspace:two_factor"),
        {"action": "codes", "password": PASSWORD, "token": code_for(accounts.authenticator(admin_user))},
    )
    new = response.context["codes"]
    assert set(new).isdisjoint(old) and accounts.recovery_codes_left(admin_user) == 10
    assert accounts.verify_second_factor(admin_user, old[1]) is None
    accounts.recovery_device(admin_user).throttle_reset()  # a wrong code slows the next try down
    assert accounts.verify_second_factor(admin_user, new[1]) is not None


# The office resets a lost second factor (issue 20).


def test_the_office_resets_a_second_factor_with_its_own_password_and_the_history_records_it(
    client, office, coordinator
):
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    accounts.new_recovery_codes(coordinator)
    client.force_login(office)
    page = client.get(reverse("workspace:user_edit", args=[coordinator.pk]))
    assert page.status_code == 200 and page.context["two_factor"]
    url = reverse("workspace:user_reset_two_factor", args=[coordinator.pk])
    refused = client.post(url, {"password": "falsch"})
    assert refused.status_code == 400 and TOTPDevice.objects.filter(user=coordinator).exists()
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticDevice.objects.filter(user=coordinator).exists()
    record = history_of(coordinator).get()
    assert record.user == office and record.changes == {"two_factor": ["on", "reset"]}
    shown = client.get(reverse("workspace:user_edit", args=[coordinator.pk])).content.decode()
    assert "Zurückgesetzt vom Büro" in shown or "vom Büro zurückgesetzt" in shown


def test_only_the_office_resets_second_factors(client, coordinator, member):
    TOTPDevice.objects.create(user=member, name="app", confirmed=True)
    client.force_login(coordinator)
    response = client.post(reverse("workspace:user_reset_two_factor", args=[member.pk]), {"password": PASSWORD})
    assert response.status_code == 403 and TOTPDevice.objects.filter(user=member).exists()


# Finding 4: guessing is throttled on every login, per login and per address.


def test_the_right_password_is_refused_after_too_many_wrong_ones(client, member, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("workspace:login"), {"username": "member", "password": "falsch"})
    response = client.post(reverse("workspace:login"), {"username": "member", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_guessing_across_logins_from_one_address_is_throttled(client, member, office, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("workspace:login"), {"username": f"guess{attempt}", "password": "falsch"})
    response = client.post(reverse("workspace:login"), {"username": "office", "password": PASSWORD})
    assert response.status_code == 429


def test_a_login_is_throttled_from_every_address(client, member, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("workspace:login"), {"username": "member", "password": "falsch"}, REMOTE_ADDR=f"10.0.0.{attempt}"
        )
    response = client.post(reverse("workspace:login"), {"username": "member", "password": PASSWORD})
    assert response.status_code == 429


def test_wrong_one_time_codes_are_throttled_like_wrong_passwords(client, admin_user, settings):
    device = accounts.authenticator(admin_user)
    sign_in(client, admin_user, code=False)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        right = code_for(device)
        client.post(reverse("workspace:login_code"), {"token": "000000" if right != "000000" else "111111"})
    response = client.post(reverse("workspace:login_code"), {"token": code_for(device)})
    assert response.status_code == 429
    assert client.get(reverse("workspace:home")).status_code == 302


def test_a_successful_sign_in_starts_the_count_again(client, member, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(reverse("workspace:login"), {"username": "member", "password": "falsch"})
    assert client.post(reverse("workspace:login"), {"username": "member", "password": PASSWORD}).status_code == 302
    client.post(reverse("workspace:logout"))
    client.post(reverse("workspace:login"), {"username": "member", "password": "falsch"})
    assert client.post(reverse("workspace:login"), {"username": "member", "password": PASSWORD}).status_code == 302


# Invitations and password links (issue 20), through the outbox.


def test_the_office_invites_a_new_login_which_chooses_its_own_password(
    client, office, django_user_model, django_capture_on_commit_callbacks
):
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workspace:user_create"),
            {"username": "neu", "first_name": "Nora", "last_name": "Neu", "email": "nora@example.org"},
        )
    user = django_user_model.objects.get(username="neu")
    assert response.status_code == 302 and not user.has_usable_password()
    queued = OutgoingMail.objects.get(recipient="nora@example.org")
    assert queued.status == OutgoingMail.Status.SENT and mail.outbox[-1].to == ["nora@example.org"]
    assert "Guten Tag Nora Neu" in queued.body and "neu" in queued.body
    client.post(reverse("workspace:logout"))

    link = re.search(r"https?://\S+", queued.body).group(0)
    path = urlsplit(link).path
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    assert "set-password" in form_page.redirect_chain[-1][0]  # the token left the address
    new = "ein-neues-langes-Passwort-7"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert client.post(reverse("workspace:login"), {"username": "neu", "password": new}).status_code == 302
    client.post(reverse("workspace:logout"))
    assert not client.get(path, follow=True).context["validlink"]  # the link works once


def test_the_invitation_can_be_sent_again(client, office, member):
    member.set_unusable_password()
    member.save()
    client.force_login(office)
    client.post(reverse("workspace:user_invite", args=[member.pk]))
    assert OutgoingMail.objects.filter(recipient="member@example.org").count() == 1


def test_password_reset_by_mail_answers_the_same_for_unknown_addresses(client, member):
    known = client.post(reverse("workspace:password_reset"), {"email": "MEMBER@example.org"}, follow=True)
    unknown = client.post(reverse("workspace:password_reset"), {"email": "niemand@example.org"}, follow=True)
    assert [str(m) for m in known.context["messages"]] == [str(m) for m in unknown.context["messages"]]
    assert list(OutgoingMail.objects.values_list("recipient", flat=True)) == ["member@example.org"]
    body = OutgoingMail.objects.get().body
    path = urlsplit(re.search(r"https?://\S+", body).group(0)).path
    form_page = client.get(path, follow=True)
    new = "noch-ein-langes-Passwort-8"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    member.refresh_from_db()
    assert member.check_password(new)


def test_password_change_needs_the_old_password(client, member):
    client.force_login(member)
    new = "geaendertes-Passwort-99"
    wrong = client.post(
        reverse("workspace:password_change"),
        {"old_password": "falsch", "new_password1": new, "new_password2": new},
    )
    assert wrong.status_code == 200 and "old_password" in wrong.context["form"].errors
    right = client.post(
        reverse("workspace:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert right.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new)
    assert client.get(reverse("workspace:home")).status_code == 200  # still signed in
