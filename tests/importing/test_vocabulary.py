"""One vocabulary: the import reads the labels the pages show, in German and English, and the export writes them."""

import pytest
from django.utils import translation

from importing import tabular
from importing.tabular import CHOICES, ORGANISATIONS, CellError, parse_choice, read_table
from importing.tabular_export import export_sheets, template_notes
from importing.tabular_plan import KnownEntries, make_plan
from register.models import Category, LegalForm, Membership, Organisation

from .test_tabular_support import csv_bytes, english, make_user  # noqa: F401


def categories_of(rows):
    data = csv_bytes([["Name", "Kategorie"], *[[f"Organisation {i}", word] for i, word in enumerate(rows)]])
    plan = make_plan(read_table(ORGANISATIONS, "o.csv", data), KnownEntries(None))
    return plan, [row.instance.category for row in plan.rows]


def test_the_uis_own_category_names_are_imported_in_both_languages(db):
    plan, categories = categories_of(
        [
            "Behörde und Verwaltung",  # the German label the pages show
            "Sonstige",
            "Bildung und Wissenschaft",
            "Kammern, Wirtschaft und Gewerkschaften",
            "Public authority",  # the English label
            "  welfare   ORGANISATION ",  # case and spacing do not matter
            "other",  # the stored value
            "Behörde",  # what earlier templates wrote
        ]
    )
    assert plan.problems == []
    assert categories == [
        Category.AUTHORITY,
        Category.OTHER,
        Category.EDUCATION,
        Category.ECONOMY,
        Category.AUTHORITY,
        Category.WELFARE,
        Category.OTHER,
        Category.AUTHORITY,
    ]


@pytest.mark.parametrize("key", sorted(CHOICES))
@pytest.mark.parametrize("language", ["de", "en"])
def test_every_label_of_every_language_reads_back_as_its_value(key, language):
    for value, label in CHOICES[key].choices:
        with translation.override(language):
            text = str(label)
        assert parse_choice(text, key) == value, text
        assert parse_choice(text.upper(), key) == value, text
        if value:
            assert parse_choice(value, key) == value


def test_an_unknown_word_is_named_with_what_the_column_accepts():
    with translation.override("de"), pytest.raises(CellError) as error:
        parse_choice("Sportverein", "category")
    message = str(error.value)
    assert message.startswith("„Sportverein“ ist keiner der Werte: “Behörde und Verwaltung”, “Wohlfahrtsverband”")
    assert "“Sonstige”" in message and "“Public authority”" in message and "“Other”" in message
    # A label the same in both languages is listed once.
    assert message.count("“Forum”") <= 1 and message.count("“Praxis”") == 1


def test_an_unknown_role_lists_the_roles_and_the_labels_of_both_languages_are_read():
    with pytest.raises(CellError, match="“Obfrau” is not one of: “member”, “deputy”, “chair”"):
        parse_choice("Obfrau", "role")
    assert parse_choice("Stellvertretung", "role") == parse_choice("deputy", "role") == Membership.Role.DEPUTY


def test_export_writes_the_models_german_labels_and_reads_them_back(db):
    office = make_user("office", office=True)
    Organisation.objects.create(name="Kreisverwaltung", slug="kv", category=Category.AUTHORITY)
    Organisation.objects.create(
        name="Verein X", slug="vx", category=Category.OTHER, legal_form=LegalForm.NONPROFIT_COMPANY
    )
    with translation.override("en"):  # an English workspace exports the same file
        sheet = next(sheet for sheet in export_sheets(office) if sheet.kind == ORGANISATIONS)
    rows = {row[0]: row for row in sheet.rows}
    category, legal_form = sheet.headers.index("Kategorie"), sheet.headers.index("Rechtsform")
    assert rows["Kreisverwaltung"][category] == "Behörde und Verwaltung"
    assert (rows["Verein X"][category], rows["Verein X"][legal_form]) == ("Sonstige", "gemeinnützige GmbH (gGmbH)")
    data = csv_bytes([sheet.headers, *[[str(cell or "") for cell in row] for row in sheet.rows]])
    plan = make_plan(read_table(ORGANISATIONS, "export.csv", data), KnownEntries(None))
    assert plan.problems == []
    assert {row.action for row in plan.rows} == {"unchanged"}


def test_the_templates_notes_list_the_models_labels():
    with translation.override("de"):
        notes = {row[0]: row[2] for row in template_notes(ORGANISATIONS).rows}
    assert "Behörde und Verwaltung, Wohlfahrtsverband" in notes["Kategorie"]
    assert "Sonstige" in notes["Kategorie"]
    assert tabular.choice_lookup("category")["sonstige"] == Category.OTHER
