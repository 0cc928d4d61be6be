"""A broken page gives a clear error naming the line, and writes nothing."""

import pytest
from django.utils import translation

from importing.curated import SEED_PATH
from importing.demo import import_with_curated
from importing.page import PageError
from register.models import ChangeRecord, Network, Organisation

SEED = SEED_PATH.read_text(encoding="utf-8")


def import_text(text, encoding="utf-8"):
    with translation.override("en"):
        return import_with_curated(text.encode(encoding), "kaputt.txt")


def assert_nothing_written():
    assert Network.objects.count() == 0
    assert Organisation.objects.count() == 0
    assert ChangeRecord.objects.count() == 0


def without_line(number):
    lines = SEED.splitlines()
    del lines[number - 1]
    return "\n".join(lines)


def test_missing_heading_is_reported_at_the_second_list(db):
    # Without "Fachbeirat Flucht und Integration" its members would fall to MiGe.
    with pytest.raises(PageError) as error:
        import_text(without_line(65))
    assert error.value.line == 66
    assert "heading" in error.value.message
    assert_nothing_written()


def test_list_before_any_network(db):
    text = "Netzwerkarbeit\nEinleitung.\nMitglieder des Arbeitskreises:\n- Agentur für Arbeit\n"
    with pytest.raises(PageError) as error:
        import_text(text)
    assert error.value.line == 3
    assert "before the first network heading" in error.value.message
    assert_nothing_written()


def test_page_without_network_heading(db):
    with pytest.raises(PageError, match="No network heading"):
        import_text("Netzwerkarbeit\nNur eine Einleitung ohne Netzwerke.\n")
    assert_nothing_written()


def test_empty_file(db):
    with pytest.raises(PageError, match="empty"):
        import_text("  \n\n")
    assert_nothing_written()


def test_file_that_is_not_utf8_names_the_first_bad_line(db):
    with pytest.raises(PageError) as error:
        import_text(SEED, encoding="cp1252")
    assert error.value.line == 2  # "Büro" is the first non-ASCII word
    assert "UTF-8" in error.value.message
    assert_nothing_written()


def test_list_item_without_introduction(db):
    text = "Netzwerkarbeit\nEinleitung.\nArbeitskreis Test\nBeschreibung des Arbeitskreises.\nText.\n- Verein\n"
    with pytest.raises(PageError) as error:
        import_text(text.replace("Text.\n", "Eine Liste folgt jetzt.\n"))
    assert error.value.line == 5
    assert_nothing_written()


def test_unknown_municipality_in_a_funded_list(db):
    with pytest.raises(PageError) as error:
        import_text(SEED.replace("- Groß-Zimmern", "- Gross Zimmern"))
    assert error.value.line == 86
    assert "Gross Zimmern" in error.value.message
    assert_nothing_written()


def test_list_that_says_nothing_about_its_content(db):
    with pytest.raises(PageError) as error:
        import_text(SEED.replace("Mitglieder des Fachbeirates:", "Dabei sind:"))
    assert error.value.line == 67
    assert_nothing_written()


def test_error_in_the_last_network_writes_nothing_of_the_first(db):
    with pytest.raises(PageError):
        import_text(SEED + "\nMitglieder des Beirats:\n")
    assert_nothing_written()


def test_errors_speak_the_language_of_the_user(db):
    with translation.override("de"), pytest.raises(PageError) as error:
        import_with_curated(b"", "leer.txt")
    assert error.value.message == "Die Datei ist leer."
