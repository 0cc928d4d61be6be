"""An English browser at 390 px: English at the entry, German after choosing Deutsch, also at the entry."""

import pytest

from tests.browser import axe_violations, describe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_phone(live_server, demo, browser):
    phone = {"width": 390, "height": 844}
    context = browser.new_context(viewport=phone, locale="en-GB", is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_an_english_browser_chooses_german_and_keeps_it(live_server, english_phone):
    page = english_phone
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/en/"
    assert page.locator("html").get_attribute("lang") == "en"
    switch = page.get_by_role("navigation", name="Language")
    assert switch.locator("[aria-current=true]").inner_text() == "English"
    violations = axe_violations(page)
    assert not violations, describe(violations)

    page.goto(f"{live_server.url}/en/netzwerke/mige/?ansicht=alle")
    deutsch = switch.get_by_role("button", name="Deutsch")
    assert deutsch.get_attribute("lang") == "de"
    deutsch.click()
    page.wait_for_url(f"{live_server.url}/netzwerke/mige/?ansicht=alle")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.get_by_role("navigation", name="Sprache").locator("[aria-current=true]").inner_text() == "Deutsch"
    screenshot(page, "language-choice-network-de-390", full_page=False)
    violations = axe_violations(page)
    assert not violations, describe(violations)

    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/"
    assert page.locator("html").get_attribute("lang") == "de"
