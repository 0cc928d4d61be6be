"""Sessions end after idling and at an absolute limit; a form sent after the end is completed after
signing in again; links signed with an earlier secret key keep working through SECRET_KEY_FALLBACKS."""

import datetime as dt

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from register.models import Organisation
from workspace import selfservice, sessions
from workspace.models import SelfServiceLink

from .conftest import PASSWORD


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


def later(clock, **delta):
    clock.shift(dt.timedelta(**delta))


def test_a_session_ends_after_idling(client, office, clock, settings):
    client.force_login(office)
    assert client.get(reverse("workspace:home")).status_code == 200
    later(clock, minutes=settings.SESSION_IDLE_MINUTES - 1)
    assert client.get(reverse("workspace:home")).status_code == 200  # activity starts the time again
    later(clock, minutes=settings.SESSION_IDLE_MINUTES - 1)
    assert client.get(reverse("workspace:home")).status_code == 200
    later(clock, minutes=settings.SESSION_IDLE_MINUTES + 1)
    response = client.get(reverse("workspace:home"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("workspace:login"))
    assert "_auth_user_id" not in client.session
    assert any("ohne Aktivität" in str(message) for message in response.context["messages"])


def test_a_session_ends_at_the_absolute_limit_however_active(client, office, clock, settings):
    client.force_login(office)
    for _step in range(settings.SESSION_ABSOLUTE_HOURS * 4):
        later(clock, minutes=15)
        client.get(reverse("workspace:home"))
    assert client.get(reverse("workspace:home")).status_code == 302


def test_asking_how_long_is_left_is_no_activity_but_stay_signed_in_is(client, office, clock, settings):
    client.force_login(office)
    client.get(reverse("workspace:home"))
    later(clock, minutes=settings.SESSION_IDLE_MINUTES - 1)
    status = client.get(reverse("workspace:session")).json()
    assert status == {"remaining": 60, "extendable": True}
    assert client.get(reverse("workspace:session")).json()["remaining"] == 60
    extended = client.post(reverse("workspace:session")).json()
    assert extended["remaining"] == settings.SESSION_IDLE_MINUTES * 60
    later(clock, minutes=settings.SESSION_IDLE_MINUTES - 1)
    assert client.get(reverse("workspace:home")).status_code == 200


def test_the_warning_is_on_every_staff_page(client, office):
    client.force_login(office)
    for name in ["workspace:home", "workspace:people", "meetings:list", "importing:tabular"]:
        content = client.get(reverse(name)).content.decode()
        assert 'id="session-warning"' in content and "workspace/session.js" in content, name


def test_a_form_sent_after_the_session_ended_is_completed_after_signing_in(client, office, clock, settings):
    client.force_login(office)
    client.get(reverse("workspace:organisation_create"))
    later(clock, minutes=settings.SESSION_IDLE_MINUTES + 5)
    typed = {"name": "Interkulturelles Zentrum Dieburg", "category": "association", "description": "Lang getippt."}
    response = client.post(reverse("workspace:organisation_create"), typed)
    assert response.status_code == 302 and response["Location"].startswith(reverse("workspace:login"))
    assert not Organisation.objects.exists()
    login_page = client.get(response["Location"])
    assert login_page.context["expired"]

    signed_in = client.post(reverse("workspace:login"), {"username": "office", "password": PASSWORD})
    assert signed_in["Location"] == reverse("workspace:resume")
    resume = client.get(reverse("workspace:resume"))
    content = resume.content.decode()
    assert "Lang getippt." in content and 'action="/arbeitsbereich/organisationen/neu/"' in content
    kept = dict(resume.context["kept"]["fields"])
    done = client.post(resume.context["kept"]["path"], kept)
    assert done.status_code == 302
    created = Organisation.objects.get()
    assert created.name == typed["name"] and created.description == "Lang getippt."
    assert sessions.KEPT_FORM not in client.session


def test_a_kept_form_goes_only_to_the_login_that_sent_it(client, office, coordinator, clock, settings):
    client.force_login(office)
    client.get(reverse("workspace:home"))
    later(clock, minutes=settings.SESSION_IDLE_MINUTES + 5)
    client.post(reverse("workspace:organisation_create"), {"name": "Vertraulich", "category": "other"})
    response = client.post(reverse("workspace:login"), {"username": "coordinator", "password": PASSWORD})
    assert response["Location"] == reverse("workspace:home")
    assert sessions.KEPT_FORM not in client.session
    assert client.get(reverse("workspace:resume"))["Location"] == reverse("workspace:home")


def test_a_kept_form_never_holds_passwords(client, member, clock, settings):
    client.force_login(member)
    client.get(reverse("workspace:home"))
    later(clock, minutes=settings.SESSION_IDLE_MINUTES + 5)
    client.post(
        reverse("workspace:password_change"),
        {"old_password": PASSWORD, "new_password1": "geheim-geheim-1", "new_password2": "geheim-geheim-1"},
    )
    assert sessions.KEPT_FORM not in client.session


# Finding 12: rotating the secret key keeps signed links working through SECRET_KEY_FALLBACKS.

OLD_KEY = "old-secret-key-" + "x" * 50
NEW_KEY = "new-secret-key-" + "y" * 50


def test_links_signed_with_the_earlier_key_work_with_it_as_fallback(client, caritas, member):
    with override_settings(SECRET_KEY=OLD_KEY):
        link = SelfServiceLink.objects.create(organisation=caritas, email="info@caritas-beispiel.de")
        self_service = selfservice.token_for(link)
        reset = (urlsafe_base64_encode(force_bytes(member.pk)), default_token_generator.make_token(member))
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY]):
        assert selfservice.link_from_token(self_service) == link
        assert default_token_generator.check_token(member, reset[1])
        page = client.get(reverse("workspace:self_service", args=[self_service]))
        assert page.status_code == 200 and "Caritas" in page.content.decode()
    with override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[]):
        with pytest.raises(selfservice.LinkUnusable):
            selfservice.link_from_token(self_service)
        assert not default_token_generator.check_token(member, reset[1])


def test_fallback_keys_are_read_from_the_environment(monkeypatch):
    import importlib

    from vernetzt import settings as module

    monkeypatch.setenv("VERNETZT_SECRET_KEY", NEW_KEY)
    monkeypatch.setenv("VERNETZT_SECRET_KEY_FALLBACKS", f"{OLD_KEY}, another-old-key")
    try:
        reloaded = importlib.reload(module)
        assert reloaded.SECRET_KEY == NEW_KEY and reloaded.SECRET_KEY_FALLBACKS == [OLD_KEY, "another-old-key"]
    finally:
        monkeypatch.undo()
        importlib.reload(module)
