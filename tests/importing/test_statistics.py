"""Population figures from the tables of the Hessisches Statistisches Landesamt (issue 22)."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from importing import population
from importing.models import StatisticsImport
from importing.statistics import normalise_key, read_figures
from meetings.models import OutgoingMail
from register.models import MunicipalityStatistic
from register.permissions import OFFICE_GROUP
from tests.register.kab_builders import make_council, make_kab

# Literal dates below: the clock is pinned to tests.conftest.FIXED_DAY (time-machine) for every test here.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_day")]

# The layout of the office's table: title, a blank line, a two-row header with grouped columns, a row of
# column numbers, the district's total, its municipalities, another county, footnotes.
HEADER = [
    ["Die Bevölkerung der hessischen Gemeinden am 31. Dezember 2024"],
    ["Fortschreibungsergebnisse auf Basis des Zensus 2022"],
    [],
    ["Gemeinde-schlüssel", "Verwaltungsbezirk / Gemeinde", "Bevölkerung", None, None, "darunter Nichtdeutsche", None],
    [None, None, "insgesamt", "männlich", "weiblich", "insgesamt", "Anteil in %"],
    ["1", "2", "3", "4", "5", "6", "7"],
]
FOOTER = [[], ["1) Einwohnerinnen und Einwohner mit Hauptwohnsitz."], ["Quelle: Hessisches Statistisches Landesamt"]]


def table(rows):
    return HEADER + rows + FOOTER


ROWS = [
    ["432", "Darmstadt-Dieburg, Landkreis", "300 123", "148 000", "152 123", "45 000", "15,0"],
    ["432001", "Alsbach-Hähnlein", "9 376", "4 600", "4 776", "990", "10,6"],
    ["432002", "Babenhausen", "17 100", "8 500", "8 600", "1 015", "5,9"],
    ["432004", "Dieburg", "15.890", "7.900", "7.990", "1.380", "8,7"],
    ["411000", "Darmstadt, Wissenschaftsstadt", "160 000", "80 000", "80 000", "40 000", "25,0"],
    ["433001", "Bensheim, Stadt", "41 000", "20 000", "21 000", "6 000", "14,6"],
]


def csv_bytes(rows, encoding="cp1252"):
    lines = [";".join("" if cell is None else str(cell) for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Gemeinden"
    for row in rows:
        sheet.append(
            [int(cell) if isinstance(cell, str) and cell.isdigit() and len(cell) >= 6 else cell for cell in row]
        )
    sheet.merge_cells("C4:E4")
    sheet.merge_cells("F4:G4")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_keys_as_the_tables_write_them():
    assert normalise_key("432001") == "06432001"
    assert normalise_key("6432001") == "06432001"
    assert normalise_key("06 432 001") == "06432001"
    assert normalise_key("064320001001") == "06432001"
    assert normalise_key("432") is None


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_office_table_is_read_for_the_county(fmt):
    data = csv_bytes(table(ROWS)) if fmt == "csv" else xlsx_bytes(table(ROWS))
    figures = read_figures(f"bevoelkerung.{fmt}", data)
    assert figures.date == datetime.date(2024, 12, 31)
    assert [(row.name, row.population, row.foreign_residents) for row in figures.rows] == [
        ("Alsbach-Hähnlein", 9376, 990),
        ("Babenhausen", 17100, 1015),
        ("Dieburg", 15890, 1380),
    ]
    assert figures.problems == []
    assert figures.skipped == 3 + len(FOOTER)  # the district, two other areas, the blank line and footnotes
    assert "Bickenbach" in figures.notes[0]
    assert "insgesamt" in figures.columns["population"] and "nichtdeutsche" in figures.columns["foreign_residents"]


def test_row_problems_name_their_row_and_nothing_is_written(client, office):
    rows = [
        ["432001", "Alsbach-Hähnlein", ".", "", "", "990", ""],
        ["432002", "Babenhausen", "900", "", "", "1 015", ""],
        ["432004", "Dieburg", "15 890", "", "", "1 380", ""],
        ["432004", "Dieburg", "15 890", "", "", "1 380", ""],
        ["432099", "Gibt es nicht", "100", "", "", "10", ""],
    ]
    upload = population.check(office, "fehler.csv", csv_bytes(table(rows)))
    assert upload.status == StatisticsImport.Status.INVALID
    assert [row for row, _message in upload.problems] == [7, 8, 10, 11]
    messages = " ".join(message for _row, message in upload.problems)
    assert "keine Zahl" in messages and "mehr als die Bevölkerung" in messages
    assert "(zuerst in Zeile 9)" in messages and "06432099" in messages
    client.force_login(office)
    page = client.get(upload.get_absolute_url()).content.decode()
    assert "Zeile 7" in page and reverse("importing:statistics_apply", args=[upload.pk]) not in page
    client.post(reverse("importing:statistics_apply", args=[upload.pk]))
    assert not MunicipalityStatistic.objects.exists()


def test_a_file_without_the_columns_is_refused_as_a_whole(office):
    rows = [
        ["Gemeindeschlüssel", "Gemeinde", "Fläche km²"],
        ["432001", "Alsbach-Hähnlein", "18"],
        ["432002", "Babenhausen", "66"],
    ]
    upload = population.check(office, "flaeche.csv", csv_bytes(rows))
    assert upload.status == StatisticsImport.Status.INVALID
    assert upload.problems[0][0] is None


@pytest.fixture
def office(django_user_model):
    user = django_user_model.objects.create_user("office", "buero@example.org", "a-long-test-password-42")
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    return user


def test_upload_preview_apply_and_alert_through_the_pages(client, office, django_user_model, mailoutbox):
    kab = make_kab()
    make_council(kab, "Dieburg")
    MunicipalityStatistic.objects.create(
        municipality=make_council(kab, "Alsbach-Hähnlein").organisation.municipality,
        date=datetime.date(2023, 12, 31),
        population=9300,
        foreign_residents=1050,
        source="HSL 2023",
    )
    coordinator = django_user_model.objects.create_user("nobody", "n@example.org", "a-long-test-password-42")
    client.force_login(coordinator)
    assert client.get(reverse("importing:statistics")).status_code == 403
    client.force_login(office)
    upload = SimpleUploadedFile("bevoelkerung-2024.xlsx", xlsx_bytes(table(ROWS)))
    response = client.post(reverse("importing:statistics"), {"file": upload})
    checked = StatisticsImport.objects.get()
    assert response.url == checked.get_absolute_url()
    assert checked.status == StatisticsImport.Status.READY and checked.date == datetime.date(2024, 12, 31)
    assert "Hessisches Statistisches Landesamt" in checked.source
    preview = client.get(checked.get_absolute_url()).content.decode()
    assert "Babenhausen" in preview and "1015" in preview
    assert not MunicipalityStatistic.objects.filter(date=datetime.date(2024, 12, 31)).exists()

    client.post(reverse("importing:statistics_apply", args=[checked.pk]))
    assert MunicipalityStatistic.objects.filter(date=datetime.date(2024, 12, 31)).count() == 3
    checked.refresh_from_db()
    assert checked.status == StatisticsImport.Status.APPLIED and checked.alert_sent
    [alert] = OutgoingMail.objects.filter(recipient="buero@example.org")
    assert "Babenhausen" in alert.body and "Dieburg" in alert.body  # newly above, one without a council
    assert "Alsbach-Hähnlein" in alert.body  # 1,050 -> 990: now below the line
    page = client.get(reverse("workspace:thresholds")).content.decode()
    assert "Babenhausen" in page

    # The same figures again change nothing: no second alert.
    again = population.check(office, "bevoelkerung-2024.csv", csv_bytes(table(ROWS)))
    assert {row["action"] for row in again.plan} == {"same"}
    assert population.apply(again, office) is None
    assert OutgoingMail.objects.filter(recipient="buero@example.org").count() == 1
