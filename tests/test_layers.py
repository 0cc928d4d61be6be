"""The layers of docs/layers.md hold: imports point down only (import-linter's contract in pyproject.toml).

The contract is checked on the code, and shown to catch a forbidden import: the same contract, read
from pyproject.toml, runs on a small tree of packages with the apps' names built in a temporary
directory, where one module imports what its layer must not.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(directory):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=directory, capture_output=True, text=True, timeout=120, check=False
    )


def config():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def test_the_code_keeps_its_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_every_app_is_in_a_layer():
    """A new app must be placed in a layer; otherwise nothing would check its imports."""
    from django.apps import apps

    layered = {
        module.strip().split(".")[0]
        for contract in config()["contracts"]
        for layer in contract["layers"]
        for module in layer.split("|")
    }
    ours = {app.name for app in apps.get_app_configs() if (ROOT / app.name).is_dir()}
    assert {"register", "analysis", "inquiries", "portal"} <= ours
    assert ours - layered == set()


def fake_tree(directory, importer, imported):
    """Empty packages named like the project's, and ``<importer>.module`` that imports ``imported``."""
    settings = config()
    for name in settings["root_packages"]:
        package = directory / name
        package.mkdir()
        (package / "__init__.py").write_text("")
    (directory / "vernetzt" / "urls.py").write_text("")
    (directory / importer / "module.py").write_text(f"import {imported}\n")
    contracts = "\n".join(
        f'[[tool.importlinter.contracts]]\nid = "{contract["id"]}"\nname = "{contract["name"]}"\n'
        f'type = "{contract["type"]}"\nlayers = {contract["layers"]!r}\n'
        for contract in settings["contracts"]
    )
    roots = ", ".join(f'"{name}"' for name in settings["root_packages"])
    (directory / "pyproject.toml").write_text(f"[tool.importlinter]\nroot_packages = [{roots}]\n\n{contracts}")


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("register", "portal"),  # the domain knows no face
        ("register", "meetings"),  # nor a service
        ("analysis", "needs"),  # a shared service does not use a service above it
        ("meetings", "matching"),  # shared services are independent of each other
        ("importing", "needs"),  # so are the services
        ("needs", "workspace"),  # a service never imports a face
        ("portal", "workspace"),  # the faces are independent of each other
        ("workspace", "vernetzt.urls"),  # nothing imports the project's URLs
    ],
)
def test_a_forbidden_import_breaks_the_contract(tmp_path, importer, imported):
    fake_tree(tmp_path, importer, imported)
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{importer}.module -> {imported}" in result.stdout


@pytest.mark.parametrize(
    ("importer", "imported"),
    [("importing", "matching"), ("needs", "meetings"), ("needs", "analysis"), ("workspace", "register")],
)
def test_an_import_that_points_down_keeps_the_contract(tmp_path, importer, imported):
    fake_tree(tmp_path, importer, imported)
    result = lint_imports(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_register_names_no_page():
    """The domain knows no screen: no module of the register reverses a URL or renders a page; the public
    pages of its objects are wired in the settings (ABSOLUTE_URL_OVERRIDES)."""
    import ast

    from django.urls import reverse

    from register.models import Event, LegislativeTerm, Network, Organisation

    for path in (ROOT / "register").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            assert not any(name.startswith(("django.urls", "django.shortcuts")) for name in names), path
    assert Network(slug="mila").get_absolute_url() == reverse("portal:network", args=["mila"])
    assert Organisation(slug="caritas").get_absolute_url() == reverse("portal:organisation", args=["caritas"])
    assert Event(slug="forum").get_absolute_url() == reverse("portal:event", args=["forum"])
    term = LegislativeTerm(pk=3, network=Network(pk=1, slug="kab"))
    assert term.get_absolute_url() == reverse("portal:term", args=["kab", 3])
    assert LegislativeTerm(pk=3).get_absolute_url() == ""


def test_service_pages_use_only_the_frames_of_the_faces():
    """Services keep their own pages (docs/layers.md): they extend the faces' frames, nothing else of a face."""
    import re

    frames = {"base.html", "workspace/base.html"}
    faces = {"portal", "workspace", "api"}
    used = re.compile(r"""{%\s*(?:extends|include)\s+["']([^"']+)["']""")
    services = ["register", "analysis", "matching", "meetings", "importing", "needs", "inquiries"]
    seen, outside = set(), []
    for path in (path for app in services for path in (ROOT / app / "templates").rglob("*.html")):
        for name in used.findall(path.read_text(encoding="utf-8")):
            seen.add(name)
            if name not in frames and name.split("/")[0] in faces:
                outside.append((str(path.relative_to(ROOT)), name))
    assert outside == []
    assert frames <= seen  # the check reads the templates it should
