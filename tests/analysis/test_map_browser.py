"""The network map in Chromium: the graph, its downloads, accessibility, and the table without JavaScript."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from tests.browser import axe_violations, describe, foreign_requests, record_requests


@pytest.mark.browser
def test_map_with_and_without_javascript(page, browser, live_server, transactional_db, demo):
    requests = record_requests(page)
    page.goto(f"{live_server.url}/analyse/")
    page.wait_for_function("window.vernetztMap && window.vernetztMap.nodes().length > 0")
    assert page.locator("#map-graph").is_visible()
    # The graph holds exactly what the table and the exports hold: 66 organisations (the page's 69
    # entries, 3 of them one actor twice, merged by the office's decisions), and one edge more than
    # memberships and units: the KAB network stands for its entry in the Fachbeirat.
    assert page.evaluate("window.vernetztMap.nodes().length") == 77
    assert page.evaluate("window.vernetztMap.edges().length") == 77
    assert page.locator(".map-table tbody tr").count() == 77
    violations = axe_violations(page)
    assert not violations, describe(violations)
    assert not foreign_requests(requests), foreign_requests(requests)

    # A statement, not an expression: Playwright would copy the collection emit() returns, the whole graph.
    page.evaluate("() => { window.vernetztMap.nodes('[label = \"MiLa\"]').emit('tap'); }")
    assert page.locator("#map-selection").inner_text().startswith("Arbeitskreis Migration im Landkreis (MiLa)")

    with page.expect_download() as download:
        page.get_by_role("button", name="Ansicht als SVG herunterladen").click()
    svg = Path(download.value.path()).read_text(encoding="utf-8")
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "<title>Frauen helfen Frauen e.V.</title>" in svg
    assert svg.count("<line ") == 77
    with page.expect_download() as download:
        page.get_by_role("button", name="Ansicht als PNG herunterladen").click()
    assert Path(download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    for path in ["/analyse/ueberschneidungen/", "/analyse/vergleich/?first=mila&second=mige", "/en/analyse/?on=x"]:
        page.goto(f"{live_server.url}{path}")
        violations = axe_violations(page)
        assert not violations, f"{path}: {describe(violations)}"

    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    try:
        plain = context.new_page()
        plain.goto(f"{live_server.url}/analyse/?networks=mila")
        assert not plain.locator("#map-graph").is_visible()
        assert plain.locator(".map-table tbody tr").count() == 1 + 23 + 3
        assert plain.get_by_role("link", name="GEXF für Gephi").is_visible()
    finally:
        context.close()


@pytest.mark.browser
def test_cooperation_layer_for_the_office(page, live_server, transactional_db, small):
    user = User.objects.create_user("buero-karte", password="ein-langes-passwort-7")
    user.groups.add(Group.objects.get_or_create(name="office")[0])
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/analyse/?layer=both")
    page.wait_for_function("window.vernetztMap && window.vernetztMap.nodes().length > 0")
    assert page.evaluate("window.vernetztMap.edges().length") == 4 + 2
    cooperation = "window.vernetztMap.edges('[layer = \"cooperation\"]')"
    assert page.evaluate(f"{cooperation}.length") == 2
    assert page.evaluate(f"{cooperation}[0].style('line-style')") == "dashed"
    assert page.evaluate(f"{cooperation}[0].style('line-color')") == "rgb(180,83,9)"
    page.locator(".gaps-table details summary").first.click()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    with page.expect_download() as download:
        page.get_by_role("button", name="Ansicht als SVG herunterladen").click()
    svg = Path(download.value.path()).read_text(encoding="utf-8")
    assert svg.count('stroke="#b45309"') == 2


@pytest.mark.browser
def test_bounded_pages_are_accessible(page, live_server, transactional_db, demo, monkeypatch):
    """The states a large register brings: the request to narrow, the estimated broker scores, the
    pairs of networks page by page."""
    from analysis import figures, graph, views

    monkeypatch.setattr(graph, "EXACT_BETWEENNESS_MAX_NODES", 10)
    figures.compute()  # the stored broker scores, estimated
    monkeypatch.setattr(views, "MATRIX_LIMIT", 3)
    monkeypatch.setattr(views, "PAIRS_PER_PAGE", 1)
    page.goto(f"{live_server.url}/analyse/")
    page.wait_for_function("window.vernetztMap && window.vernetztMap.nodes().length > 0")
    assert page.locator("#broker-estimate").is_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.goto(f"{live_server.url}/analyse/ueberschneidungen/?body=landkreis-darmstadt-dieburg")
    assert page.locator("table.pairs tbody tr").count() == 1
    violations = axe_violations(page)
    assert not violations, describe(violations)
    monkeypatch.setattr(graph, "NODE_LIMIT", 10)
    page.goto(f"{live_server.url}/en/analyse/?category=welfare")
    assert page.get_by_text("This selection is too large for a map").is_visible()
    assert not page.locator("#map-graph").count()
    violations = axe_violations(page)
    assert not violations, describe(violations)


@pytest.mark.browser
def test_the_body_is_found_by_typing_when_there_are_too_many_to_list(page, live_server, transactional_db, demo):
    """Beyond the bodies listed the select offers the chosen one only; typing finds the others (public
    options endpoint), by keyboard, and the chosen body's map is shown."""
    from analysis import forms

    widget = forms.ScopeFields.base_fields["body"].widget
    listed, widget.full_list = widget.full_list, 1
    try:
        requests = record_requests(page)
        page.goto(f"{live_server.url}/analyse/")
        page.wait_for_function("window.vernetztMap && window.vernetztMap.nodes().length > 0")
        page.locator(".analysis-filters summary").click()
        page.wait_for_selector(".field-body .ts-wrapper")
        violations = axe_violations(page)
        assert not violations, describe(violations)
        page.get_by_role("combobox", name="Gebietskörperschaft:", exact=True).focus()
        page.keyboard.insert_text("wissenschafts")  # one search, not one per letter
        # The first match is highlighted once the answer is in (a later answer would highlight anew).
        page.wait_for_selector(
            ".ts-wrapper:not(.loading) [role=option].active:has-text('Wissenschaftsstadt Darmstadt')"
        )
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Karte zeigen").click()
        page.wait_for_url("**body=wissenschaftsstadt-darmstadt**")
        page.wait_for_function("window.vernetztMap && window.vernetztMap.nodes().length > 0")
        assert page.locator(".map-table").get_by_text("Arbeitskreis Migration und Gesundheit (MiGe)").count()
        assert not foreign_requests(requests), foreign_requests(requests)
    finally:
        widget.full_list = listed
