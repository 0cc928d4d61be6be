"""Reading Excel and CSV tables and planning them against the register: every problem by row and column."""

import datetime

import pytest

from importing.tabular import MEMBERSHIPS, ORGANISATIONS, PEOPLE, FileProblem, read_table
from importing.tabular_plan import KnownEntries, make_plan
from register.models import ActorGroup, Category, LegalForm, Membership, Municipality, Organisation, Person

from .test_tabular_support import ORG_HEADERS, caritas, coordinator, csv_bytes, english, networks, xlsx  # noqa: F401

# Literal dates below: the clock is pinned to tests.conftest.FIXED_DAY (time-machine) for every test here.
pytestmark = pytest.mark.usefixtures("fixed_day")


def problems_of(table_or_plan):
    return [(p.row, p.column, p.message) for p in table_or_plan.problems]


def plan_of(kind, name, data, user_networks=None):
    return make_plan(read_table(kind, name, data), KnownEntries(user_networks))


# --- Files ---------------------------------------------------------------------------------------


def test_csv_semicolon_utf8_with_bom_is_detected():
    table = read_table(ORGANISATIONS, "a.csv", csv_bytes([["Name", "Ort"], ["Straßenkinder e.V.", "Dieburg"]]))
    assert (table.encoding, table.delimiter) == ("UTF-8 with BOM", ";")
    assert table.rows == [(2, {"name": "Straßenkinder e.V.", "locality": "Dieburg"})]


def test_csv_comma_windows_1252_is_detected():
    data = csv_bytes([["Name", "Ort"], ["Bürgerhilfe Groß-Umstadt", "Groß-Umstadt"]], ",", "cp1252")
    table = read_table(ORGANISATIONS, "a.csv", data)
    assert (table.encoding, table.delimiter) == ("Windows-1252", ",")
    assert table.rows[0][1]["name"] == "Bürgerhilfe Groß-Umstadt"


def test_csv_utf8_without_bom_and_english_headers():
    data = csv_bytes([["Name", "Parent organisation", "Category"], ["Unit", "", "Health"]], ",", "utf-8")
    table = read_table(ORGANISATIONS, "a.csv", data)
    assert table.encoding == "UTF-8"
    assert set(table.rows[0][1]) == {"name", "parent", "category"}


def test_undecodable_csv_names_the_line():
    data = b"Name;Ort\nA;B\nC\x81;D\n"
    with pytest.raises(FileProblem, match="Line 3 cannot be read as UTF-8 or Windows-1252"):
        read_table(ORGANISATIONS, "a.csv", data)


def test_utf8_converted_twice_is_refused():
    data = "Name;Ort\nA;B\nMüller-Stiftung;Dieburg\n".encode().decode("cp1252").encode()
    with pytest.raises(FileProblem, match="Line 3 contains “Ã¼”, which is “ü” converted twice"):
        read_table(ORGANISATIONS, "a.csv", data)


def test_utf16_csv_is_refused_with_advice():
    with pytest.raises(FileProblem, match="UTF-16"):
        read_table(ORGANISATIONS, "a.csv", "Name;Ort\nA;B\n".encode("utf-16"))


@pytest.mark.parametrize("data", [b"", b"  \r\n", b"\xef\xbb\xbf"])
def test_empty_file(data):
    with pytest.raises(FileProblem):
        read_table(ORGANISATIONS, "a.csv", data)


def test_headings_without_rows():
    with pytest.raises(FileProblem, match="no rows below them"):
        read_table(ORGANISATIONS, "a.xlsx", xlsx([ORG_HEADERS, [None] * 7]))


def test_unknown_doubled_and_missing_columns_are_named():
    data = xlsx([["Nom", "Kategorie", "Category", "Farbe"], ["x", "y", "z", "w"]])
    with pytest.raises(FileProblem) as raised:
        read_table(ORGANISATIONS, "a.xlsx", data)
    message = raised.value.message
    assert "A (“Nom”)" in message and "D (“Farbe”)" in message
    assert "C (“Category”)" in message  # the same column twice
    assert "Required columns are missing: “Name”" in message


def test_memberships_need_a_member_column():
    with pytest.raises(FileProblem, match="Akteursgruppe"):
        read_table(MEMBERSHIPS, "a.csv", csv_bytes([["Netzwerk", "Rolle"], ["MiLa", "Mitglied"]]))


def test_formulas_are_reported_by_row_and_column():
    table = read_table(ORGANISATIONS, "a.xlsx", xlsx([["Name", "Ort"], ["A", "=B3"], ['=UPPER("b")', "Dieburg"]]))
    assert problems_of(table) == [
        (2, "B", "The cell holds a formula (=B3). Replace it by its value."),
        (3, "A", 'The cell holds a formula (=UPPER("b")). Replace it by its value.'),
    ]


def test_error_values_are_reported():
    table = read_table(ORGANISATIONS, "a.xlsx", xlsx([["Name", "Ort"], ["A", "#DIV/0!"]]))
    assert problems_of(table) == [(2, "B", "The cell holds the error value #DIV/0!. Replace it by a value.")]


def test_a_workbook_with_broken_sheet_xml_is_reported():
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(xlsx([["Name"], ["A"]])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(item, data)
    with pytest.raises(FileProblem, match="cannot be read as an Excel workbook"):
        read_table(ORGANISATIONS, "a.xlsx", output.getvalue())


def test_duplicate_rows_are_reported():
    table = read_table(ORGANISATIONS, "a.csv", csv_bytes([["Name", "Ort"], ["A", "X"], ["B", "Y"], ["a ", "x"]]))
    assert problems_of(table) == [(4, "", "This row repeats row 2. Remove one of them.")]


def test_values_without_heading_are_reported():
    table = read_table(ORGANISATIONS, "a.xlsx", xlsx([["Name", None, "Ort"], ["A", "lost", "X"]]))
    assert problems_of(table) == [(2, "B", "This cell has a value but its column has no heading.")]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.xls", b"\xd0\xcf\x11\xe0rest", "old Excel format"),
        ("a.csv", b"PK\x03\x04rest", "Rename it to .xlsx"),
        ("a.xlsx", b"PK\x03\x04 not really a workbook", "cannot be read as an Excel workbook"),
        ("a.pdf", b"%PDF-1.4", "Only .xlsx and .csv"),
        ("a.csv", b"Name;Ort\x00\x00", "not a text file"),
    ],
)
def test_wrong_kinds_of_file(name, data, message):
    with pytest.raises(FileProblem, match=message):
        read_table(ORGANISATIONS, name, data)


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr("importing.tabular.MAX_ROWS", 3)
    with pytest.raises(FileProblem, match="more than 3 rows"):
        read_table(ORGANISATIONS, "a.csv", csv_bytes([["Name"]] + [[f"O{i}"] for i in range(5)]))


# --- Organisations -------------------------------------------------------------------------------


def test_organisations_with_units_and_german_choice_words(db):
    data = xlsx(
        [
            ORG_HEADERS,
            ["Diakonie Darmstadt-Dieburg", None, "Wohlfahrtsverband", "e.V.", "Dieburg", "www.diakonie-dadi.de", None],
            ["Migrationsberatung", "Diakonie Darmstadt-Dieburg", None, None, None, None, "mbe@example.org"],
            ["Team Süd", "Diakonie Darmstadt-Dieburg - Migrationsberatung", "Gesundheit", None, None, None, None],
        ]
    )
    plan = plan_of(ORGANISATIONS, "o.xlsx", data)
    assert plan.problems == []
    assert [row.label for row in plan.rows] == [
        "Diakonie Darmstadt-Dieburg",
        "Diakonie Darmstadt-Dieburg - Migrationsberatung",
        "Diakonie Darmstadt-Dieburg - Migrationsberatung - Team Süd",
    ]
    top, unit, team = (row.instance for row in plan.rows)
    assert (top.category, top.legal_form, top.municipality.name) == (
        Category.WELFARE,
        LegalForm.REGISTERED_ASSOCIATION,
        "Dieburg",
    )
    assert top.website == "https://www.diakonie-dadi.de"
    assert unit.parent is top and unit.category == Category.WELFARE  # inherited
    assert team.parent is unit and team.category == Category.HEALTH


def test_existing_organisations_are_matched_by_name_and_alias(caritas):  # noqa: F811
    data = csv_bytes([["Name", "Telefon"], ["Caritas Darmstadt", "06151 999"], ["Caritasverband Darmstadt e.V.", ""]])
    plan = plan_of(ORGANISATIONS, "o.csv", data)
    # Both rows name the same organisation: one by alias, one by name.
    assert problems_of(plan) == [(3, "", "This row names the same entry as row 2. Merge the two rows.")]
    first = plan.rows[0]
    assert (first.action, first.label, first.matched_by) == ("update", caritas.name, "alias “Caritas Darmstadt”")
    assert first.changes == ["public phone"]


def test_unchanged_organisation(caritas):  # noqa: F811
    plan = plan_of(ORGANISATIONS, "o.csv", csv_bytes([["Name"], ["caritasverband darmstadt e.v."]]))
    assert [(row.action, row.matched_by) for row in plan.rows] == [("unchanged", "same name")]


def test_every_cell_problem_of_organisations(db):
    data = xlsx(
        [
            ORG_HEADERS,
            ["A", None, "Sportverein", None, None, None, None],
            ["B", None, None, "AG", "Atlantis", "not a url", "kein@mail"],
            [None, "Unbekannt e.V.", None, None, None, None, None],
            ["C - D", None, None, None, None, None, None],
        ]
    )
    found = problems_of(plan_of(ORGANISATIONS, "o.xlsx", data))
    columns = [(row, column) for row, column, _message in found]
    assert columns == [
        (2, "C (Kategorie)"),
        (3, "D (Rechtsform)"),
        (3, "E (Kommune)"),
        (3, "F (Website)"),
        (3, "G (E-Mail)"),
        (4, "A (Name)"),
        (4, "B (Übergeordnete Organisation)"),
        (5, "A (Name)"),
    ]
    messages = {(row, column): message for row, column, message in found}
    assert messages[(2, "C (Kategorie)")].startswith("“Sportverein” is not one of: “Public authority”, “Welfare")
    assert "Accepted as well: “Behörde und Verwaltung”, “Wohlfahrtsverband”" in messages[(2, "C (Kategorie)")]
    assert messages[(3, "E (Kommune)")] == "“Atlantis” is not a municipality of the register."
    assert "There is no organisation “Unbekannt e.V.”" in messages[(4, "B (Übergeordnete Organisation)")]


def test_too_long_value(db):
    plan = plan_of(ORGANISATIONS, "o.csv", csv_bytes([["Name", "PLZ"], ["A", "64283642836428364283"]]))
    assert problems_of(plan) == [(2, "B (PLZ)", "is 20 characters long; at most 10 are allowed.")]


def test_near_matches_are_proposed_when_the_matcher_is_there(caritas, monkeypatch):  # noqa: F811
    import sys
    import types

    class Index:
        built = 0

        def __init__(self):
            Index.built += 1

        @classmethod
        def of_register(cls):
            return cls()

        def scored(self, name, limit=3):
            return [(caritas.pk, 0.9)]

    module = types.ModuleType("matching.matcher")
    module.MatchIndex = Index
    monkeypatch.setitem(sys.modules, "matching.matcher", module)
    plan = plan_of(ORGANISATIONS, "o.csv", csv_bytes([["Name"], ["Caritas Verband Darmstadt"]]))
    assert plan.rows[0].action == "create"
    assert plan.rows[0].proposals == ["Caritasverband Darmstadt e.V."]
    assert Index.built == 1


# --- People --------------------------------------------------------------------------------------


PEOPLE_HEADERS = ["Vorname", "Nachname", "Funktion", "Organisation", "E-Mail", "Rechtsgrundlage"]


def test_people_are_matched_by_email_and_need_a_consent_date(caritas):  # noqa: F811
    known = Person.objects.create(given_name="Ada", family_name="Alt", email="ada@example.org")
    data = xlsx(
        [
            PEOPLE_HEADERS + ["Einwilligung Veröffentlichung", "Einwilligung erteilt am"],
            ["Ada", "Alt", "Beratung", "Caritas Darmstadt", "ADA@example.org", None, None, None],
            ["Bo", "Neu", None, "Caritasverband Darmstadt e.V.", None, "Einwilligung", "ja", datetime.date(2025, 3, 1)],
            ["Cem", "Ohne", None, None, None, None, "ja", None],
            [None, None, None, None, None, "Vertrag", None, None],
        ]
    )
    plan = plan_of(PEOPLE, "p.xlsx", data)
    assert problems_of(plan) == [
        (
            4,
            "H (Einwilligung erteilt am)",
            "With consent, give the date on which the person gave it (e.g. 31.12.2025).",
        ),
        (5, "B (Nachname)", "Give a family name or a function."),
    ]
    update, create = plan.rows
    assert (update.instance, update.matched_by, update.changes) == (
        known,
        "same e-mail address",
        ["function", "e-mail", "organisation"],
    )
    assert create.instance.consent_to_publish is True
    assert create.instance.consent_recorded_at.date() == datetime.date(2025, 3, 1)
    assert create.instance.legal_basis == "consent"


# --- Memberships ---------------------------------------------------------------------------------


MEMBERSHIP_HEADERS = ["Netzwerk", "Organisation", "Akteursgruppe", "Person", "Rolle", "Stimmrecht", "Beginn", "Ende"]


def test_memberships_of_each_kind(networks, caritas):  # noqa: F811
    ActorGroup.objects.create(name="Migrantenselbstorganisationen", slug="mso")
    Person.objects.create(given_name="Ada", family_name="Alt", email="ada@example.org")
    existing = Membership.objects.create(network=networks["mila"], organisation=caritas)
    data = csv_bytes(
        [
            MEMBERSHIP_HEADERS,
            ["MiLa", "Caritas Darmstadt", "", "", "Mitglied", "ja", "01.01.2024", ""],
            ["Kreisausländerbeirat", "", "Migrantenselbstorganisationen", "", "", "", "", ""],
            ["kab", "", "", "Ada Alt", "Vorsitz", "nein", "2024-05-01", "31.12.2028"],
        ]
    )
    plan = plan_of(MEMBERSHIPS, "m.csv", data)
    assert plan.problems == []
    first, second, third = plan.rows
    assert (first.action, first.instance, first.changes) == ("update", existing, ["voting right", "start"])
    assert second.action == "create" and second.instance.actor_group.name == "Migrantenselbstorganisationen"
    assert third.instance.role == Membership.Role.CHAIR and third.instance.voting_right is False
    assert third.instance.end_date == datetime.date(2028, 12, 31)
    assert third.label == "Ada Alt – Kreisausländerbeirat (Vorsitz)"


def test_membership_problems(networks, caritas, coordinator):  # noqa: F811
    data = csv_bytes(
        [
            MEMBERSHIP_HEADERS,
            ["MiLa", "Caritas Darmstadt", "Migrantenselbstorganisationen", "", "", "", "", ""],
            ["Unbekannt", "Caritas Darmstadt", "", "", "Chef", "vielleicht", "", ""],
            ["KAB", "Caritas Darmstadt", "", "", "", "", "", ""],
            ["MiLa", "Caritas Darmstadt", "", "", "", "", "2025-01-01", "2024-01-01"],
            ["MiLa", "", "", "Niemand", "", "", "", ""],
        ]
    )
    editable = {networks["mila"].pk}
    found = problems_of(plan_of(MEMBERSHIPS, "m.csv", data, user_networks=editable))
    assert [(row, column) for row, column, _message in found] == [
        (2, "C (Akteursgruppe)"),
        (3, "A (Netzwerk)"),
        (3, "E (Rolle)"),
        (3, "F (Stimmrecht)"),
        (4, "A (Netzwerk)"),
        (5, "H (Ende)"),
        (6, "D (Person)"),
    ]
    assert found[4][2] == "You may not change the memberships of “Kreisausländerbeirat”."
    assert found[3][2] == "“vielleicht” is neither “ja” nor “nein”."


def test_seats_of_a_council_with_terms_are_not_imported(networks, caritas):  # noqa: F811
    from register.models import Body, LegislativeTerm

    LegislativeTerm.objects.create(
        body_id=Body.home_pk(), network=networks["kab"], name="Wahlperiode", start_date=datetime.date(2021, 4, 1)
    )
    Person.objects.create(given_name="Ada", family_name="Alt", email="ada@example.org")
    data = csv_bytes(
        [
            MEMBERSHIP_HEADERS,
            ["kab", "", "", "Ada Alt", "Mitglied", "", "", ""],
            ["kab", "", "", "Ada Alt", "Geschäftsstelle", "", "", ""],
        ]
    )
    found = problems_of(plan_of(MEMBERSHIPS, "m.csv", data))
    assert [(row, column) for row, column, _message in found] == [(2, "E (Rolle)")]
    assert "terms of office" in found[0][2]


def test_coordinators_name_only_people_they_may_see(networks, coordinator):  # noqa: F811
    Person.objects.create(given_name="Bo", family_name="Geheim")
    in_network = Person.objects.create(given_name="Cem", family_name="Mitglied")
    Membership.objects.create(network=networks["mila"], person=in_network)
    data = csv_bytes([["Netzwerk", "Person", "Rolle"], ["MiLa", "Bo Geheim", ""], ["MiLa", "Cem Mitglied", "Vorsitz"]])
    plan = plan_of(MEMBERSHIPS, "m.csv", data, user_networks={networks["mila"].pk})
    assert problems_of(plan) == [
        (2, "B (Person)", "There is no person “Bo Geheim” in the register. Import the people first.")
    ]
    assert plan.rows[0].instance.person == in_network
    assert not plan_of(MEMBERSHIPS, "m.csv", data).problems  # the office sees everyone


def test_plan_reads_the_register_with_a_fixed_number_of_queries(networks, caritas, django_assert_max_num_queries):  # noqa: F811
    for number in range(30):
        Organisation.objects.create(name=f"Verein {number}", slug=f"verein-{number}")
    rows = [MEMBERSHIP_HEADERS] + [["MiLa", f"Verein {n}", "", "", "", "", "", ""] for n in range(30)]
    table = read_table(MEMBERSHIPS, "m.csv", csv_bytes(rows))
    with django_assert_max_num_queries(6):
        plan = make_plan(table, KnownEntries())
    assert len(plan.rows) == 30 and not plan.problems
    assert Municipality.objects.exists()
