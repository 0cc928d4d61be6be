"""The staff navigation: grouped by task, by keyboard and without JavaScript, on a phone and a desktop."""

import pytest
from django.contrib.auth.models import Group

from register.permissions import OFFICE_GROUP
from tests.browser import axe_violations, describe

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
GROUPS = ["Register", "Sitzungen", "Umfragen", "Verwaltung"]


@pytest.fixture
def office_user(django_user_model):
    user = django_user_model.objects.create_user("buero", "buero@example.org", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    return user


def signed_in(browser, live_server, size, javascript=True):
    context = browser.new_context(viewport=WIDTHS[size], locale="de-DE", java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + "/arbeitsbereich/")
    page.fill("#id_username", "buero")
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_selector("h1:has-text('Zu erledigen')")
    return context, page


@pytest.mark.parametrize("size", WIDTHS)
def test_the_menu_is_grouped_and_works_by_keyboard(browser, live_server, office_user, size):
    context, page = signed_in(browser, live_server, size)
    try:
        nav = page.get_by_role("navigation", name="Arbeitsbereich")
        summaries = nav.locator("summary")
        assert summaries.all_inner_texts() == GROUPS
        # Only the top level shows: no flat row of twenty links.
        visible_links = [link for link in nav.get_by_role("link").all() if link.is_visible()]
        assert len(visible_links) <= 4, [link.inner_text() for link in visible_links]
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

        # Keyboard: focus the group, open it with Enter, tab to its first entry, follow it.
        nav.locator("summary", has_text="Register").focus()
        page.keyboard.press("Enter")
        assert nav.locator("details", has_text="Register").get_attribute("open") is not None
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Meine Netzwerke"
        page.keyboard.press("Enter")
        page.wait_for_selector("h1:has-text('Netzwerke')")
        register = page.locator("details.staff-group", has_text="Register")
        assert "current" in register.get_attribute("class")
        assert register.locator("a[aria-current='page']").text_content() == "Meine Netzwerke"
        violations = axe_violations(page)
        assert not violations, describe(violations)

        # The public map keeps a way back into the workspace.
        page.locator("summary", has_text="Register").click()
        page.get_by_role("link", name="Netzwerkkarte (öffentliche Seite)").click()
        page.get_by_role("link", name="Zurück zum Arbeitsbereich").click()
        page.wait_for_selector("h1:has-text('Zu erledigen')")
    finally:
        context.close()


def test_the_menu_works_without_javascript(browser, live_server, office_user):
    context, page = signed_in(browser, live_server, "phone", javascript=False)
    try:
        page.locator("summary", has_text="Verwaltung").click()
        page.get_by_role("link", name="Zugänge").click()
        page.wait_for_selector("h1:has-text('Zugänge')")
        assert page.locator("details.staff-group.current summary").inner_text() == "Verwaltung"
        page.get_by_role("button", name="Abmelden (buero)").click()
        page.wait_for_selector("#id_username")
    finally:
        context.close()


def test_a_link_to_the_page_one_is_on_looks_different_from_the_others(browser, live_server, office_user):
    """In a page's own navigation (here the duplicate review's), the current entry is bold and not underlined."""
    context, page = signed_in(browser, live_server, "desktop")
    try:
        page.goto(live_server.url + "/arbeitsbereich/dubletten/mehrere-netzwerke/")
        nav = page.get_by_role("navigation", name="Dublettenprüfung")

        def style(name):
            return nav.get_by_role("link", name=name, exact=True).evaluate(
                "link => [getComputedStyle(link).fontWeight, getComputedStyle(link).textDecorationLine]"
            )

        assert style("Organisationen in mehreren Netzwerken") == ["700", "none"]
        assert style("Zusammenführungen") == ["400", "underline"]
    finally:
        context.close()
