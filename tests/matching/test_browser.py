"""The review queue in a browser: accessible, nothing from other hosts, a decision by keyboard."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from matching.services import refresh_suggestions
from register.models import Organisation
from tests.browser import axe_violations, describe, foreign_requests, record_requests


@pytest.mark.browser
def test_reviewing_a_pair_in_the_browser(page, live_server, transactional_db):
    Organisation.objects.create(name="Caritas Verband Darmstadt e.V.", slug="caritas-verband")
    Organisation.objects.create(name="Caritasverband Darmstadt e.V.", slug="caritasverband")
    refresh_suggestions()
    user = User.objects.create_user("buero-browser", password="ein-langes-passwort-3")
    user.groups.add(Group.objects.get_or_create(name="office")[0])
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    requests = record_requests(page)

    page.goto(f"{live_server.url}/arbeitsbereich/dubletten/")
    assert page.locator("h1").inner_text() == "Doppelte Einträge"
    violations = axe_violations(page)
    assert not violations, describe(violations)

    page.get_by_role("link", name="Prüfen").first.click()
    assert page.locator("h1").inner_text() == "Ein Paar prüfen"
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.get_by_label("Verschiedene Organisationen: nicht wieder vorschlagen").check()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/arbeitsbereich/dubletten/")
    assert "nicht wieder vorgeschlagen" in page.locator(".messages").inner_text()
    assert foreign_requests(requests) == []
