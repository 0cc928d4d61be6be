"""The search on a phone (390 px) in German and English: found by places, everyday words and other
languages, each result saying why; no axe violations, nothing wider than the screen."""

import pytest

from tests.browser import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(live_server, demo, browser):
    contexts = []

    def open_page(locale):
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale=locale, is_mobile=True)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def fits(page):
    overflow = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    violations = axe_violations(page)
    assert not overflow, f"{page.url}: wider than the screen"
    assert not violations, describe(violations)


def test_a_resident_searches_a_town_in_german(live_server, phone):
    page = phone("de-DE")
    page.goto(f"{live_server.url}/suche/")
    page.get_by_label("Suchbegriff", exact=True).fill("Gross-Zimmern")
    page.get_by_role("button", name="Suchen", exact=True).click()
    page.wait_for_url("**/suche/?q=Gross-Zimmern*")
    first = page.locator(".results .result-list > li").first.inner_text()
    assert first.startswith("Gemeinwesenarbeit im LaDaDi")
    assert "Gefunden über: Ort „Groß“; Ort „Zimmern“" in first
    fits(page)

    page.get_by_label("Suchbegriff", exact=True).fill("Sprachkurs Pizza")
    page.keyboard.press("Enter")
    page.wait_for_url("**/suche/?q=Sprachkurs+Pizza*")
    assert "Nirgends gefunden und daher weggelassen: pizza" in page.locator(".results").inner_text()
    assert page.get_by_role("link", name="Volkshochschule Landkreis Darmstadt-Dieburg").is_visible()
    fits(page)


def test_a_newcomer_searches_in_english(live_server, phone):
    page = phone("en-GB")
    page.goto(f"{live_server.url}/en/suche/")
    page.get_by_label("Search for", exact=True).fill("disability")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/en/suche/?q=disability*")
    page.wait_for_load_state()
    first = page.locator(".results .result-list > li").first.inner_text()
    assert first.startswith("Inclusion Forum in the County (LaDaDi)")  # its English name
    assert "Found by: contact “disabilities”" in first  # its English contact, before the German name
    fits(page)

    page.get_by_label("Search for", exact=True).fill("refugee")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/suche/?q=refugee*")
    listed = page.locator(".results").inner_text()
    assert "Advisory Board on Refuge and Integration" in listed
    assert "Bundesamt für Migration und Flüchtlinge" in listed
    fits(page)
