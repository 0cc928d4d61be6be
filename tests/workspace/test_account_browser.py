"""The account and session flows in Chromium, as the office and a coordinator meet them, at 390 and
1280 px: the second factor cannot be bypassed, a password reset by mail, the idle-timeout warning,
and a form sent after the session ended that is completed after signing in again. No page breaks
under the Content-Security-Policy."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from register.models import Network, Organisation
from register.permissions import OFFICE_GROUP
from tests.browser import (
    axe_violations,
    describe,
    foreign_requests,
    record_policy_violations,
    record_requests,
    screenshot,
)

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def office_user(django_user_model):
    user = django_user_model.objects.create_user(
        "buero", "buero@example.org", PASSWORD, is_staff=True, is_superuser=True, first_name="Bea"
    )
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    return user


@pytest.fixture
def coordinator_user(django_user_model):
    from register.models import Assignment

    user = django_user_model.objects.create_user("koordination", "koordination@example.org", PASSWORD)
    network = Network.objects.create(name="Arbeitskreis Migration", slug="mila")
    Assignment.objects.create(user=user, network=network, role=Assignment.Role.COORDINATOR)
    return user


def current_code(user):
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    device.last_t = -1
    device.save()
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def check(page, name):
    screenshot(page, f"accounts-{name}")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px"


def sign_in(page, url, username):
    page.goto(url + "/arbeitsbereich/anmelden/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_second_factor_cannot_be_bypassed(page, live_server, office_user, size):
    page.set_viewport_size(WIDTHS[size])
    refused = record_policy_violations(page)
    TOTPDevice.objects.create(user=office_user, name="app", confirmed=True)
    # The admin site's login is the workspace's, with the code step.
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    assert "/arbeitsbereich/anmelden/" in page.url
    page.get_by_label("Benutzername").fill("buero")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_selector("h1:has-text('Einmalcode')")
    check(page, f"code-{size}")
    # Half signed in: the two-factor page (where it could be switched off) is out of reach.
    page.goto(live_server.url + "/arbeitsbereich/zwei-faktor/")
    assert "/arbeitsbereich/anmelden/" in page.url
    assert TOTPDevice.objects.filter(user=office_user).exists()

    sign_in(page, live_server.url, "buero")
    page.get_by_label("Einmalcode").fill(current_code(office_user))
    page.get_by_role("button", name="Bestätigen").click()
    page.goto(live_server.url + "/arbeitsbereich/zwei-faktor/")
    check(page, f"two-factor-{size}")
    # Switching off asks for password and code again.
    page.get_by_role("button", name="Zwei-Faktor-Anmeldung ausschalten").click()
    page.wait_for_selector(".error-summary")
    assert TOTPDevice.objects.filter(user=office_user).exists()
    check(page, f"two-factor-refused-{size}")
    page.goto(live_server.url + "/admin/")
    page.wait_for_selector("#site-name")
    assert refused == [], refused


def test_password_reset_by_mail_on_a_phone(phone_page, live_server, coordinator_user):
    page = phone_page
    page.set_viewport_size(WIDTHS["phone"])
    requests = record_requests(page)
    refused = record_policy_violations(page)
    page.goto(live_server.url + "/arbeitsbereich/anmelden/")
    page.get_by_role("link", name="Passwort vergessen?").click()
    page.get_by_label("E-Mail-Adresse").wait_for()  # the page that asks, not the one being left
    check(page, "reset-ask")
    page.get_by_label("E-Mail-Adresse").fill("koordination@example.org")
    page.get_by_role("button", name="Link senden").click()
    page.wait_for_selector("text=ein Link zum Wählen eines neuen Passworts unterwegs")
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + urlsplit(link).path)
    page.wait_for_selector("h1:has-text('Neues Passwort wählen')")
    assert "set-password" in page.url  # the key from the mail has left the address
    check(page, "reset-choose")
    new = "ein-neues-sicheres-Passwort-2026"
    page.locator("#id_new_password1").fill(new)
    page.locator("#id_new_password2").fill(new)
    page.get_by_role("button", name="Passwort speichern").click()
    page.wait_for_selector("text=Ihr Passwort ist gespeichert")
    page.get_by_label("Benutzername").fill("koordination")
    page.get_by_label("Passwort").fill(new)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_selector("h1:has-text('Zu erledigen')")
    assert foreign_requests(requests) == [] and refused == []


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_idle_warning_offers_to_stay_signed_in(browser, live_server, coordinator_user, settings, size):
    settings.SESSION_IDLE_MINUTES = 1
    settings.SESSION_WARNING_SECONDS = 57  # the warning comes three seconds after the page loads
    context = browser.new_context(viewport=WIDTHS[size], locale="de-DE")
    page = context.new_page()
    refused = record_policy_violations(page)
    sign_in(page, live_server.url, "koordination")
    page.wait_for_selector("h1:has-text('Zu erledigen')")
    dialog = page.locator("#session-warning")
    dialog.wait_for(state="visible", timeout=15000)
    assert page.evaluate("document.activeElement.textContent.trim()") == "Angemeldet bleiben"
    assert re.search(r"in \d:\d\d Minuten", dialog.inner_text())
    check(page, f"idle-warning-{size}")
    page.keyboard.press("Enter")  # "Stay signed in" has the focus
    dialog.wait_for(state="hidden")
    status = page.evaluate("fetch('/arbeitsbereich/sitzung/').then(r => r.json())")
    assert status["remaining"] > 57
    assert refused == []
    context.close()


def test_the_warning_turns_into_signed_out_when_the_time_is_over(
    browser, live_server, coordinator_user, settings, time_machine
):
    time_machine.move_to(timezone.now(), tick=True)
    settings.SESSION_IDLE_MINUTES = 1
    settings.SESSION_WARNING_SECONDS = 58
    context = browser.new_context(viewport=WIDTHS["desktop"], locale="de-DE")
    page = context.new_page()
    page.clock.install()
    sign_in(page, live_server.url, "koordination")
    page.locator("#session-warning").wait_for(state="visible", timeout=15000)
    # Nobody answers: a minute later, for the server and for the page.
    time_machine.shift(dt.timedelta(seconds=70))
    page.clock.fast_forward("01:10")
    page.wait_for_selector("#session-ended-title", state="visible")
    assert page.locator("[data-session-state='warning']").is_hidden()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Zurück zur Seite"
    check(page, "idle-ended")
    context.close()


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_form_sent_after_the_session_ended_is_completed_after_signing_in(
    browser, live_server, office_user, time_machine, size
):
    time_machine.move_to(timezone.now(), tick=True)
    context = browser.new_context(viewport=WIDTHS[size], locale="de-DE")
    page = context.new_page()
    refused = record_policy_violations(page)
    sign_in(page, live_server.url, "buero")
    page.goto(live_server.url + "/arbeitsbereich/organisationen/neu/")
    page.locator("#id_name").fill("Interkulturelles Zentrum Dieburg")
    page.locator("#id_description").fill("Beratung, Sprachcafé und Hausaufgabenhilfe – lange getippt.")
    # The coffee break lasts longer than the session.
    time_machine.shift(dt.timedelta(minutes=45))
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_selector("text=Ihre Eingaben von vorhin wurden aufbewahrt")
    assert not Organisation.objects.exists()
    check(page, f"expired-login-{size}")
    page.get_by_label("Benutzername").fill("buero")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_selector("h1:has-text('Abschließen, was Sie begonnen haben')")
    check(page, f"resume-{size}")
    page.get_by_role("button", name="Aufbewahrte Eingaben senden").click()
    page.wait_for_selector("h1:has-text('Interkulturelles Zentrum Dieburg')")
    created = Organisation.objects.get()
    assert created.description == "Beratung, Sprachcafé und Hausaufgabenhilfe – lange getippt."
    assert refused == []
    context.close()


def test_pages_of_every_kind_run_under_the_policy(page, live_server, office_user, demo):
    """The public site, the map with its script, the staff pages, the admin and the API descriptions:
    nothing is refused by the Content-Security-Policy."""
    refused = record_policy_violations(page)
    for path in ["/", "/netzwerke/mila/", "/suche/?q=Caritas", "/en/", "/gibt-es-nicht/", "/api/v1/docs/"]:
        page.goto(live_server.url + path)
    page.goto(live_server.url + "/analyse/")
    page.wait_for_function("window.vernetztMap && window.vernetztMap.nodes().length > 0")
    sign_in(page, live_server.url, "buero")
    for path in ["/arbeitsbereich/", "/arbeitsbereich/zwei-faktor/", "/termine/", "/admin/", "/api/v1/networks/"]:
        page.goto(live_server.url + path)
    assert refused == [], refused
