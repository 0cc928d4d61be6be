"""The portal in headless Chromium: axe-core on every page type, keyboard use, no foreign requests, no JavaScript."""

import datetime as dt

import pytest
from django.utils import timezone

from register.models import Event, Location, Network, Organisation
from tests.browser import axe_violations, describe, foreign_requests, record_requests

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def site(live_server, demo):
    """The seed with a coming public event; returns the paths of one page of every public type."""
    network = Network.objects.get(name="Inklusionsforum im LaDaDi")
    network.easy_language = "Beim Inklusions-Forum treffen sich Menschen.\nAlle können kommen."
    network.save()
    location = Location.objects.create(
        name="Kreisverwaltung Darmstadt-Dieburg", locality="Darmstadt-Kranichstein", step_free=True, hearing_loop=False
    )
    start = timezone.now() + dt.timedelta(days=40)
    event = Event.objects.create(
        title="Inklusionsforum 2027",
        slug="inklusionsforum-2027",
        network=network,
        location=location,
        start=start,
        end=start + dt.timedelta(hours=2, minutes=30),
        contact_function="Behindertenbeauftragter",
    )
    return {
        "home": "/",
        "directory": "/netzwerke/",
        "filtered directory": "/netzwerke/?kind=working_group&sort=-name&body=gibtsnicht",
        "network": "/netzwerke/mige/",
        "forum": network.get_absolute_url(),
        "organisation": Organisation.objects.get(name="Der PARITÄTISCHE").get_absolute_url(),
        "search": "/suche/?q=caritas",
        "filters": "/suche/?q=&kind=gibtsnicht&category=welfare",
        "event": event.get_absolute_url(),
        "privacy": "/datenschutz/",
        "not found": "/gibt-es-nicht/",
    }


@pytest.mark.parametrize("width", ["page", "phone_page"])
def test_no_axe_violations_on_any_page_in_either_language(request, live_server, site, width):
    page = request.getfixturevalue(width)
    problems = []
    for name, path in site.items():
        for prefix in ["", "/en"]:
            response = page.goto(f"{live_server.url}{prefix}{path}")
            assert response.status == (404 if name == "not found" else 200), path
            violations = axe_violations(page)
            if violations:
                problems.append(f"{prefix}{path} ({name}):\n{describe(violations)}")
    assert not problems, "\n".join(problems)


def test_every_request_goes_to_localhost(live_server, site, page):
    seen = record_requests(page)
    for path in site.values():
        for prefix in ["", "/en"]:
            page.goto(f"{live_server.url}{prefix}{path}")
    assert any(url.endswith("/static/css/site.css") for url in seen)
    assert foreign_requests(seen) == []


FOCUS_STATE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        key: el.dataset.kb || null,
        tag: el.tagName, id: el.id, name: el.getAttribute('name'), text: (el.textContent || '').trim(),
        visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < window.innerHeight,
        outlined: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none',
    };
}"""


def test_keyboard_reaches_and_shows_everything_on_a_network_page(live_server, site, page):
    page.goto(f"{live_server.url}{site['network']}")
    page.keyboard.press("Tab")
    state = page.evaluate(FOCUS_STATE)
    assert state["text"] == "Zum Inhalt springen" and state["visible"] and state["outlined"]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto(f"{live_server.url}{site['network']}")
    targets = page.evaluate(
        """() => Array.from(document.querySelectorAll('a[href], input:not([type=hidden]), button, select'))
            .map((el, index) => {
                el.dataset.kb = String(index);
                return el.tagName + ' ' + (el.textContent || el.name).trim();
            })"""
    )
    reached, invisible = set(), []
    for _press in range(len(targets) + 5):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["key"] is None:
            continue
        reached.add(int(state["key"]))
        if not (state["visible"] and state["outlined"]):
            invisible.append(state)
    missing = [target for index, target in enumerate(targets) if index not in reached]
    assert not missing, f"not reachable by keyboard: {missing}"
    assert not invisible, f"focused without a visible focus: {invisible}"
    names = {target.split(" ", 1)[1] for target in targets}
    assert {"Zum Inhalt springen", "q", "Suchen", "English"} <= names


def test_search_language_switch_and_print_work_without_javascript(live_server, site, browser):
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.get_by_label("Netzwerke, Organisationen und Themen durchsuchen").fill("paritaetisch")
    page.keyboard.press("Enter")
    page.wait_for_url("**/suche/?q=paritaetisch")
    assert page.get_by_role("link", name="Der PARITÄTISCHE - Selbsthilfebüro Darmstadt").is_visible()
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/en/suche/?q=paritaetisch")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Search the directory"
    page.locator("#search-filters > summary").click()  # folded until opened: the results come first
    page.get_by_label("Kind of network").select_option("council")
    page.get_by_role("button", name="Apply filters").click()
    assert "kind=council" in page.url
    page.goto(f"{live_server.url}{site['network']}")
    page.emulate_media(media="print")
    assert not page.locator(".header-search").is_visible()
    assert not page.get_by_role("button", name="English").is_visible()
    assert page.get_by_role("heading", level=1).is_visible()
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_paginated_directory_has_no_axe_violations_and_pages_by_keyboard(live_server, site, browser, width):
    from register.models import Body, NetworkHost

    body = Body.objects.get(short_name="LaDaDi")
    networks = Network.objects.bulk_create(
        Network(name=f"Runder Tisch {number:03d}", slug=f"runder-tisch-{number:03d}", position=100 + number)
        for number in range(60)
    )
    NetworkHost.objects.bulk_create(NetworkHost(network=network, body=body) for network in networks)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="de-DE", is_mobile=width < 500)
    page = context.new_page()
    problems = []
    for path in ["/", "/netzwerke/", "/netzwerke/?page=2", "/en/netzwerke/?page=3&sort=-name"]:
        page.goto(f"{live_server.url}{path}")
        violations = axe_violations(page)
        if violations:
            problems.append(f"{path}:\n{describe(violations)}")
        overflow = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        if overflow:
            problems.append(f"{path}: wider than the screen")
    assert not problems, "\n".join(problems)
    page.goto(f"{live_server.url}/netzwerke/")
    page.get_by_role("navigation", name="Seiten des Verzeichnisses").get_by_role("link", name="Nächste Seite").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/netzwerke/?page=2")
    assert page.locator('.pagination [aria-current="page"]').inner_text().endswith("2")
    if width < 500:
        page.locator("#directory-filters > summary").click()  # folded on a phone: the networks come first
    page.get_by_label("Art des Netzwerks").select_option("other")
    page.get_by_role("button", name="Netzwerke anzeigen").click()
    assert "kind=other" in page.url
    assert page.get_by_role("status").inner_text().startswith("60 Netzwerke entsprechen den Filtern")
    context.close()
