"""Registering for the Inklusionsforum by keyboard only; axe-core on the form and its error states."""

import datetime

import pytest
from django.test import Client

from meetings.models import OutgoingMail
from register.models import Event
from tests.browser import axe_violations, describe, foreign_requests, record_requests

from .conftest import make_user


def tab_to_text(page, text, limit=60):
    """Press Tab until the focused element shows the text; fails if the keyboard cannot reach it."""
    for _press in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.innerText") == text:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"“{text}” cannot be reached with the Tab key")


def tab_to(page, element_id, limit=40):
    """Press Tab until the element has focus; fails if the keyboard cannot reach it."""
    for _press in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


@pytest.mark.browser
def test_keyboard_registration_with_sign_language_shows_in_organiser_list(transactional_db, demo, live_server, page):
    forum = Event.objects.get(title="Inklusionsforum 2026")
    # The seed's date may have passed; move the forum a year ahead so that registration is open.
    while forum.start < datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7):
        forum.start += datetime.timedelta(days=364)
        forum.end += datetime.timedelta(days=364)
    forum.capacity = 20
    forum.save()
    requests = record_requests(page)

    page.goto(f"{live_server.url}/termine/veranstaltungen/{forum.slug}/anmelden/")
    assert page.locator("html").get_attribute("lang") == "de"
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # First attempt: name only – the errors are announced and tied to their fields.
    tab_to(page, "id_name")
    page.keyboard.type("Rosa Beispiel")
    tab_to(page, "id_email")
    page.keyboard.type("rosa-at-example")
    tab_to(page, "id_need_sign_language")
    page.keyboard.press("Space")
    tab_to(page, "id_consent")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit", "the honeypot is skipped by the keyboard"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".error-summary").is_visible()
    assert page.locator("#id_email").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_email").get_attribute("aria-describedby") == "id_email_helptext id_email_error"
    assert page.locator("#id_consent").get_attribute("aria-describedby") == "id_consent_error"
    assert page.locator("#id_need_sign_language").is_checked(), "what was entered is kept"
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # Second attempt: correct the address, give consent, send with the keyboard.
    tab_to(page, "id_email")
    page.keyboard.press("Control+A")
    page.keyboard.type("rosa@example.org")
    tab_to(page, "id_consent")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    with page.expect_navigation(url="**/anmelden/gesendet/"):
        page.keyboard.press("Enter")
    assert "Bitte sehen Sie in Ihr E-Mail-Postfach" in page.locator("main").inner_text()
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # Nothing counts until the address is confirmed: the link in the mail, then the button.
    request = OutgoingMail.objects.get(recipient="rosa@example.org")
    link = next(line.strip() for line in request.body.splitlines() if "/termine/anmeldung/" in line)
    page.goto(live_server.url + link[link.index("/termine/") :])
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in page.locator("main").inner_text()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    tab_to_text(page, "Meine Anmeldung bestätigen")
    with page.expect_navigation(url="**/termine/anmeldung/**"):
        page.keyboard.press("Enter")
    assert "Sie sind angemeldet" in page.locator("main").inner_text()
    assert "Gebärdensprachdolmetschung" in page.locator("main").inner_text()
    assert foreign_requests(requests) == []

    # The organiser's participant list shows the need, named and summed up.
    client = Client()
    client.force_login(make_user("office"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/termine/veranstaltungen/{forum.slug}/teilnehmende/")
    row = page.locator("table.participants tr", has_text="Rosa Beispiel")
    assert "Gebärdensprachdolmetschung" in row.inner_text()
    needs = page.locator("table.needs tr", has_text="Gebärdensprachdolmetschung")
    assert needs.locator("td").nth(1).inner_text() == "1"
