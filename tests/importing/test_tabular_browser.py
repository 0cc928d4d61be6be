"""The import pages in Chromium: upload by keyboard, problems and preview checked with axe-core."""

import pytest
from django.test import Client

from importing.models import TabularImport
from register.models import Organisation
from tests.browser import axe_violations, describe, foreign_requests, record_requests, screenshot

from .test_tabular_support import csv_bytes, make_user


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, describe(violations)


@pytest.mark.browser
def test_upload_preview_and_apply_in_the_browser(transactional_db, live_server, page, tmp_path):
    sign_in(page, live_server, make_user("office", office=True))
    requests = record_requests(page)
    page.goto(f"{live_server.url}/arbeitsbereich/import/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert_accessible(page)

    # Nothing chosen: the error summary links to the fields.
    with page.expect_navigation():
        page.get_by_role("button", name="Hochladen und prüfen").click()
    assert page.locator(".error-summary a[href='#id_file']").is_visible()
    assert_accessible(page)

    broken = tmp_path / "fehler.csv"
    broken.write_bytes(csv_bytes([["Name", "Kategorie"], ["Verein A", "Sportverein"]]))
    page.get_by_role("radio", name="Organisationen").check()
    page.set_input_files("#id_file", str(broken))
    with page.expect_navigation():
        page.get_by_role("button", name="Hochladen und prüfen").click()
    assert "1 Fehler – es wurde nichts gespeichert" in page.locator("main").inner_text()
    assert page.locator("table caption", has_text="Fehler nach Zeile und Spalte").is_visible()
    assert_accessible(page)

    good = tmp_path / "gut.csv"
    good.write_bytes(csv_bytes([["Name", "Kategorie"], ["Bürgerverein Groß-Zimmern", "Verein"]], ",", "cp1252"))
    page.goto(f"{live_server.url}/arbeitsbereich/import/")
    page.get_by_role("radio", name="Organisationen").check()
    page.set_input_files("#id_file", str(good))
    with page.expect_navigation():
        page.get_by_role("button", name="Hochladen und prüfen").click()
    main = page.locator("main").inner_text()
    assert "Windows-1252" in main and "Komma (,)" in main
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Import übernehmen").click()
    assert "Der Import wurde übernommen." in page.locator("main").inner_text()
    assert_accessible(page)
    assert Organisation.objects.get().name == "Bürgerverein Groß-Zimmern"
    assert TabularImport.objects.filter(status=TabularImport.Status.APPLIED).count() == 1
    assert foreign_requests(requests) == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_picking_the_row_of_headings_in_the_browser(transactional_db, live_server, page, tmp_path, width):
    """A workbook with a title above the headings: the preview offers its first rows, the suggested row is
    chosen, and one button checks again – by keyboard, at phone and desktop width, without axe violations."""
    import openpyxl

    page.set_viewport_size({"width": width, "height": 844})
    sign_in(page, live_server, make_user("office", office=True))
    workbook = openpyxl.Workbook()
    for row in [["Mitgliederliste Stand Mai"], [], ["Name", "Kategorie"], ["Bürgerverein Dieburg", "Verein"]]:
        workbook.active.append(row)
    path = tmp_path / "liste.xlsx"
    workbook.save(path)
    page.goto(f"{live_server.url}/arbeitsbereich/import/")
    page.get_by_role("radio", name="Organisationen").check()
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Hochladen und prüfen").click()
    assert page.get_by_role("heading", name="In welcher Zeile stehen die Spaltenüberschriften?").is_visible()
    assert page.get_by_role("radio", name="Zeile 3").is_checked()
    assert_accessible(page)
    screenshot(page, f"import-header-row-{width}")
    page.get_by_role("radio", name="Zeile 3").focus()
    with page.expect_navigation():
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    main = page.locator("main").inner_text()
    assert "Überschriften in" in main and "Zeile 3" in main
    assert page.get_by_role("button", name="Import übernehmen").is_visible()
    assert_accessible(page)
    screenshot(page, f"import-header-row-{width}-ready")
