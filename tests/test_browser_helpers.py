"""The accessibility check of the browser tests finds what is wrong, also with only the violations worked out;
screenshots are taken when a folder is named for them."""

from . import browser
from .browser import axe_violations, describe

BROKEN = """<!doctype html><html lang="de"><head><title>Test</title></head><body><main><h1>Seite</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="bild">
<a href="/weiter" id="leer"></a><p style="color:#777;background:#888" id="blass">Kaum lesbar</p>
</main></body></html>"""


def test_axe_reports_each_violation_with_its_elements(page):
    page.set_content(BROKEN)
    found = {violation["id"]: violation for violation in axe_violations(page)}
    assert {"image-alt", "link-name", "color-contrast"} <= set(found), describe(found.values())
    assert [node["target"] for node in found["image-alt"]["nodes"]] == [["#bild"]]
    assert "#leer" in describe(found.values())


def test_a_page_without_faults_has_no_violations(page):
    page.set_content(BROKEN.replace('id="bild"', 'id="bild" alt="Logo"').replace("></a>", ">Weiter</a>")
                     .replace("color:#777;background:#888", "color:#000;background:#fff"))  # fmt: skip
    assert axe_violations(page) == []


def test_screenshots_only_into_the_folder_named_for_them(page, tmp_path, monkeypatch):
    page.set_content("<h1>Seite</h1>")
    monkeypatch.setattr(browser, "SCREENS", None)
    browser.screenshot(page, "ohne")
    monkeypatch.setattr(browser, "SCREENS", str(tmp_path / "bilder"))
    browser.screenshot(page, "mit")
    assert [path.name for path in tmp_path.rglob("*.png")] == ["mit.png"]
    assert (tmp_path / "bilder" / "mit.png").read_bytes().startswith(b"\x89PNG")
