"""The review queue in a browser: accessible, nothing from other hosts, a decision by keyboard."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from playwright.sync_api import expect

from matching.services import refresh_suggestions
from register.models import Organisation
from tests.browser import axe_violations, describe, foreign_requests, record_requests, screenshot


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
    expect(page.locator("h1")).to_have_text("Ein Paar prüfen")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.get_by_label("Verschiedene Organisationen: nicht wieder vorschlagen").check()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/arbeitsbereich/dubletten/")
    assert "nicht wieder vorgeschlagen" in page.locator(".messages").inner_text()
    assert foreign_requests(requests) == []


def signed_in(page, live_server, username):
    user = User.objects.create_user(username, password="ein-langes-passwort-3")
    user.groups.add(Group.objects.get_or_create(name="office")[0])
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return user


@pytest.mark.browser
def test_a_similar_organisation_is_named_before_it_is_saved(page, live_server, transactional_db):
    existing = Organisation.objects.create(name="Pro Familia Darmstadt", slug="pro-familia", category="association")
    signed_in(page, live_server, "buero-eingabe")
    requests = record_requests(page)
    page.goto(f"{live_server.url}/arbeitsbereich/organisationen/neu/")
    page.get_by_label("Name:", exact=True).fill("pro familia Darmstadt e.V.")
    page.get_by_role("button", name="Speichern").click()
    assert page.locator("h2#similar-heading").inner_text() == "Ähnliche Einträge gibt es schon"
    assert "Pro Familia Darmstadt" in page.locator(".similar-list").inner_text()
    screenshot(page, "similar-organisation-1280")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    assert not Organisation.objects.filter(name="pro familia Darmstadt e.V.").exists()
    # The person confirms a separate entry and says why; the reason goes into the history.
    page.get_by_label("Keiner davon ist derselbe").check()
    page.get_by_label("Warum ist es ein eigener Eintrag?").fill("Eigener Verein mit eigener Satzung")
    page.get_by_role("button", name="Speichern").click()
    created = Organisation.objects.get(name="pro familia Darmstadt e.V.")
    assert page.url.endswith(f"/organisationen/{created.pk}/")
    assert "Eigener Verein mit eigener Satzung" in page.locator("body").inner_text()
    # The link offers the existing entry instead.
    page.goto(f"{live_server.url}/arbeitsbereich/organisationen/neu/")
    page.get_by_label("Name:", exact=True).fill("Pro Familia Darmstadt e. V.")
    page.get_by_role("button", name="Speichern").click()
    page.get_by_role("link", name="Den vorhandenen Eintrag „Pro Familia Darmstadt“ verwenden").click()
    assert page.url.endswith(f"/organisationen/{existing.pk}/")
    assert foreign_requests(requests) == []


@pytest.mark.browser
def test_merging_field_by_field_in_the_browser(page, live_server, transactional_db):
    first = Organisation.objects.create(
        name="Caritasverband Darmstadt e.V.", slug="caritasverband", phone="06151 1", email="alt@example.org"
    )
    second = Organisation.objects.create(
        name="Caritas Verband Darmstadt e.V.",
        slug="caritas-verband",
        phone="06151 2",
        website="https://caritas.example",
    )
    refresh_suggestions()
    signed_in(page, live_server, "buero-merge")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/arbeitsbereich/dubletten/")
    page.get_by_role("link", name="Prüfen").first.click()
    # The click only starts the navigation; expect() waits until the pair's page is there.
    expect(page.locator("h2#compare-heading")).to_be_visible()
    screenshot(page, "merge-pair-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "merge-pair-1280")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.get_by_label("Dieselbe Organisation: zusammenführen").check()
    page.get_by_role("group", name="Beim Zusammenführen behalten").get_by_label(first.name, exact=True).check()
    page.locator("tr.differs", has_text="06151 2").get_by_label("06151 2").check()
    page.get_by_role("button", name="Entscheidung speichern").click()
    page.wait_for_url(f"{live_server.url}/arbeitsbereich/dubletten/")
    first.refresh_from_db()
    assert first.phone == "06151 2" and first.website == "https://caritas.example" and first.email == "alt@example.org"
    assert not Organisation.objects.filter(pk=second.pk).exists()
    assert first.aliases.filter(name="Caritas Verband Darmstadt e.V.").exists()


@pytest.mark.browser
def test_a_similar_network_is_named_with_its_reasons_in_the_browser(page, live_server, transactional_db):
    from register.models import Network, Topic

    topics = [Topic.objects.create(name=name, slug=name.lower()) for name in ("Migration", "Gesundheit")]
    mige = Network.objects.create(name="Arbeitskreis Migration und Gesundheit (MiGe)", short_name="MiGe", slug="mige")
    mige.topics.set(topics)
    signed_in(page, live_server, "buero-netzwerk")
    page.goto(f"{live_server.url}/arbeitsbereich/netzwerke/neu/")
    page.get_by_label("Name:", exact=True).fill("Arbeitskreis Migration und Gesundheit im Ostkreis")
    for topic in ("Migration", "Gesundheit"):
        page.get_by_label(topic, exact=True).check()
    page.get_by_role("button", name="Speichern").click()
    listed = page.locator(".similar-list").inner_text()
    assert "Arbeitskreis Migration und Gesundheit (MiGe)" in listed and "Gesundheit, Migration" in listed
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "similar-network-390")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    assert not Network.objects.filter(name__endswith="Ostkreis").exists()
    page.get_by_label("Keiner davon ist derselbe").check()
    page.get_by_label("Warum ist es ein eigener Eintrag?").fill("Eigener Kreis für den Osten des Landkreises")
    page.get_by_role("button", name="Speichern").click()
    assert Network.objects.filter(name__endswith="Ostkreis").exists()
