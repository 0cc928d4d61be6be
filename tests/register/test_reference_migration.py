"""Migrations are history: what they load is written into them, not read from files that may change later."""

import ast
import builtins
import importlib
import io
import pathlib
from pathlib import Path

import pytest
from django.apps import apps

from register.models import Body, Municipality

ROOT = Path(__file__).resolve().parent.parent.parent
REFERENCE = importlib.import_module("register.migrations.0002_reference_data")


def refuse(*args, **kwargs):
    raise AssertionError(f"a migration read a file: {args[:1]}")


@pytest.mark.django_db
def test_the_reference_data_migration_loads_its_own_rows_without_reading_a_file(monkeypatch):
    Municipality.objects.all().delete()
    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(io, "open", refuse)
    monkeypatch.setattr(pathlib.Path, "open", refuse)
    monkeypatch.setattr(pathlib.Path, "read_text", refuse)
    REFERENCE.load(apps, None)
    monkeypatch.undo()
    county = Body.objects.get(ags="06432")
    loaded = list(Municipality.objects.filter(county=county).order_by("ags").values_list("ags", "name", "kind"))
    assert loaded == list(REFERENCE.MUNICIPALITIES) and len(loaded) == 23
    assert Municipality.objects.get(ags="06432015").slug == "muenster-hessen"


def test_no_migration_reads_a_file():
    """No migration opens a file or builds a path to one: their data is written into them."""
    for path in ROOT.glob("*/migrations/*.py"):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        modules |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not {module.split(".")[0] for module in modules} & {"csv", "pathlib", "io"}, path
        calls = {
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
        }
        assert not calls & {"open", "read_text", "read_bytes", "Path", "DictReader"}, path
        assert "__file__" not in source, path
