"""The catalogues are complete, compiled and not stale: German (the default language) and every other
language of the site in full; Leichte Sprache writes the main pages and falls back to German for the rest."""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(
    path
    for path in ROOT.glob("*/locale/de/LC_MESSAGES/django.po")
    if not path.is_relative_to(ROOT / ".venv") and not path.is_relative_to(ROOT / "node_modules")
)
# Every language's catalogue of every app; Leichte Sprache (de_X-ls) is written for the main pages only.
ALL_CATALOGUES = sorted(
    path
    for path in ROOT.glob("*/locale/*/LC_MESSAGES/django.po")
    if not path.is_relative_to(ROOT / ".venv") and not path.is_relative_to(ROOT / "node_modules")
)
PARTIAL = {"de_X-ls"}
ENTRY = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$')


def entries(path):
    """(flags, fields) of each entry of a .po file."""
    result, fields, flags, key = [], {}, "", None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#,"):
            flags = line
        elif match := ENTRY.match(line):
            key = match.group(1)
            if key in ("msgctxt", "msgid") and "msgid" in fields:
                result.append((flags, fields))
                fields, flags = {}, ""
            fields[key] = match.group(2)
        elif line.startswith('"') and key:
            fields[key] += line[1:-1]
        elif not line.strip() and fields:
            result.append((flags, fields))
            fields, flags, key = {}, "", None
    return [(flags, fields) for flags, fields in result if fields.get("msgid")]


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def unescape(text):
    return re.sub(r"\\(.)", lambda match: ESCAPES.get(match.group(1), match.group(0)), text)


def test_there_are_catalogues():
    assert {path.parts[-5] for path in CATALOGUES} >= {"register"}


def catalogue_id(path):
    return f"{path.parts[-5]}-{path.parts[-3]}"


def test_every_language_of_the_site_has_its_catalogues():
    from django.conf import settings
    from django.utils.translation import to_locale

    apps = {path.parts[-5] for path in CATALOGUES}
    for code, _name in settings.LANGUAGES:
        if code == "en":  # the source language
            continue
        found = {path.parts[-5] for path in ALL_CATALOGUES if path.parts[-3] == to_locale(code)}
        assert found == apps, f"{code}: catalogues missing in {sorted(apps - found)}"


@pytest.mark.parametrize("path", [p for p in ALL_CATALOGUES if p.parts[-3] != "de"], ids=catalogue_id)
def test_each_language_holds_every_string_of_the_german_catalogue_and_is_the_offices(path):
    german = path.parents[2] / "de" / "LC_MESSAGES" / "django.po"
    keys = {(fields.get("msgctxt"), fields["msgid"]) for _flags, fields in entries(german)}
    own = {(fields.get("msgctxt"), fields["msgid"]) for _flags, fields in entries(path)}
    assert not keys - own, f"run `make messages`: missing {sorted(keys - own)[:5]}"
    assert "Language-Team: the office" in path.read_text(encoding="utf-8")[:1000]


@pytest.mark.parametrize("path", ALL_CATALOGUES, ids=catalogue_id)
def test_catalogue_is_complete_and_compiled(path):
    problems = []
    compiled = gettext.GNUTranslations(path.with_suffix(".mo").open("rb"))
    for flags, fields in entries(path):
        msgid = unescape(fields["msgid"])
        if "fuzzy" in flags:
            problems.append(f"fuzzy: {msgid}")
        translations = [value for key, value in fields.items() if key.startswith("msgstr")]
        if not any(translations) and path.parts[-3] in PARTIAL:
            continue  # shown in German
        if not all(translations):
            problems.append(f"untranslated: {msgid}")
        elif (
            "msgid_plural" not in fields
            and "msgctxt" not in fields
            and compiled.gettext(msgid) != unescape(fields["msgstr"])
        ):
            problems.append(f"not compiled (run msgfmt): {msgid}")
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(not shutil.which("xgettext"), reason="xgettext (GNU gettext) is needed to extract messages")
@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-5])
def test_catalogue_is_not_stale(path, tmp_path):
    app = path.parts[-5]
    copy = tmp_path / app
    shutil.copytree(ROOT / app, copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "de", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "vernetzt.settings"},
    )
    fresh = {fields["msgid"] for _flags, fields in entries(copy / "locale/de/LC_MESSAGES/django.po")}
    committed = {fields["msgid"] for _flags, fields in entries(path)}
    assert fresh, "makemessages found no strings at all"
    assert not fresh - committed, f"run `make messages`; new strings in {app}: {sorted(fresh - committed)}"
