"""Export of what each role may see, to Excel and CSV, and the downloadable templates."""

import datetime
import io

import openpyxl
from django.urls import reverse
from django.utils import timezone

from importing.tabular import MEMBERSHIPS, ORGANISATIONS, PEOPLE, read_table
from importing.tabular_plan import KnownEntries, make_plan
from register.models import ActorGroup, Membership, Organisation, Person

from .test_tabular_support import caritas, coordinator, english, networks, office  # noqa: F401


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(response.content))


def rows(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def register_with_people(networks, caritas):  # noqa: F811
    unit = Organisation.objects.create(name="Migrationsdienst", slug="md", parent=caritas)
    group = ActorGroup.objects.create(name="Religionsgemeinschaften", slug="rg")
    group.organisations.add(caritas)
    public = Person.objects.create(
        given_name="Ada",
        family_name="Alt",
        email="ada@example.org",
        consent_to_publish=True,
        consent_recorded_at=timezone.now(),
        organisation=unit,
    )
    private = Person.objects.create(given_name="Bo", family_name="Geheim", email="bo@example.org")
    Membership.objects.create(network=networks["mila"], organisation=unit, voting_right=True)
    Membership.objects.create(
        network=networks["mila"], person=private, role=Membership.Role.DEPUTY, start_date=datetime.date(2024, 1, 1)
    )
    Membership.objects.create(network=networks["mila"], person=public, role=Membership.Role.CHAIR)
    Membership.objects.create(network=networks["kab"], actor_group=group)
    Organisation.objects.create(name='=HYPERLINK("http://evil")', slug="evil")
    return unit


def test_office_exports_everything_formatted(client, office, networks, caritas):  # noqa: F811
    register_with_people(networks, caritas)
    client.force_login(office)
    book = workbook(client.get(reverse("importing:export_xlsx")))
    assert book.sheetnames == ["Netzwerke", "Organisationen", "Akteursgruppen", "Personen", "Mitgliedschaften"]
    for sheet in book.worksheets:
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet.column_dimensions["A"].width > 5
    organisations = rows(book["Organisationen"])
    assert organisations[0][:3] == ["Name", "Übergeordnete Organisation", "Kurzname"]
    assert organisations[3][:2] == ["Migrationsdienst", "Caritasverband Darmstadt e.V."]
    # A name that looks like a formula stays text.
    evil = book["Organisationen"]["A2"]
    assert evil.value == '=HYPERLINK("http://evil")' and evil.data_type == "s"
    people = rows(book["Personen"])
    assert {row[1] for row in people[1:]} == {"Ada", "Bo"}
    memberships = rows(book["Mitgliedschaften"])
    assert [row[:5] for row in memberships[1:]] == [
        [
            "Arbeitskreis Migration im Landkreis",
            "Caritasverband Darmstadt e.V. - Migrationsdienst",
            None,
            None,
            "Mitglied",
        ],
        ["Arbeitskreis Migration im Landkreis", None, None, "Bo Geheim", "Stellvertretung"],
        ["Arbeitskreis Migration im Landkreis", None, None, "Ada Alt", "Vorsitz"],
        ["Kreisausländerbeirat", None, "Religionsgemeinschaften", None, "Mitglied"],
    ]
    assert memberships[1][5] == "ja" and memberships[2][7] == datetime.datetime(2024, 1, 1)
    assert book["Mitgliedschaften"]["H3"].number_format == "DD.MM.YYYY"
    networks_sheet = rows(book["Netzwerke"])
    assert networks_sheet[1][0] == "Arbeitskreis Migration im Landkreis" and networks_sheet[1][-1] == 3


def test_coordinators_export_their_networks_without_people(client, coordinator, networks, caritas):  # noqa: F811
    register_with_people(networks, caritas)
    client.force_login(coordinator)
    book = workbook(client.get(reverse("importing:export_xlsx")))
    assert book.sheetnames == ["Netzwerke", "Organisationen", "Akteursgruppen", "Mitgliedschaften"]
    assert [row[0] for row in rows(book["Netzwerke"])[1:]] == ["Arbeitskreis Migration im Landkreis"]
    memberships = rows(book["Mitgliedschaften"])[1:]
    assert {row[0] for row in memberships} == {"Arbeitskreis Migration im Landkreis"}
    people = [row[3] for row in memberships if row[3]]
    assert people == ["(not public)", "Ada Alt"]
    assert "Geheim" not in client.get(reverse("importing:export_csv", args=["memberships"])).content.decode("utf-8-sig")
    assert [row[0] for row in rows(book["Organisationen"])[1:]] == ["Migrationsdienst"]
    assert rows(book["Akteursgruppen"]) == [["Name", "Beschreibung", "Organisationen"]]
    assert client.get(reverse("importing:export_csv", args=["people"])).status_code == 404


def test_csv_export_is_semicolon_separated_utf8_with_bom(client, office, networks, caritas):  # noqa: F811
    register_with_people(networks, caritas)
    client.force_login(office)
    response = client.get(reverse("importing:export_csv", args=["organisations"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "vernetzt-organisationen-" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Name;Übergeordnete Organisation;Kurzname;Kategorie")
    assert lines[1].startswith('"\'=HYPERLINK(""http')  # not run as a formula
    assert client.get(reverse("importing:export_csv", args=["nothing"])).status_code == 404


def test_an_export_imports_again_unchanged(client, office, networks, caritas):  # noqa: F811
    register_with_people(networks, caritas)
    Organisation.objects.filter(slug="evil").delete()
    client.force_login(office)
    for kind in (ORGANISATIONS, PEOPLE, MEMBERSHIPS):
        data = client.get(reverse("importing:export_csv", args=[kind])).content
        plan = make_plan(read_table(kind, f"{kind}.csv", data), KnownEntries())
        assert plan.problems == [], kind
        assert {row.action for row in plan.rows} == {"unchanged"}, kind
    book = client.get(reverse("importing:export_xlsx")).content
    for kind in (ORGANISATIONS, PEOPLE, MEMBERSHIPS):  # each from its own sheet of the workbook
        plan = make_plan(read_table(kind, "export.xlsx", book), KnownEntries())
        assert not plan.problems and {row.action for row in plan.rows} == {"unchanged"}, kind


def test_templates_in_both_formats(client, office):  # noqa: F811
    client.force_login(office)
    book = workbook(client.get(reverse("importing:tabular_template", args=["people", "xlsx"])))
    assert book.sheetnames == ["Personen", "Notes"]
    headers = rows(book["Personen"])[0]
    assert headers[:3] == ["Titel", "Vorname", "Nachname"] and "Einwilligung Veröffentlichung" in headers
    notes = {row[0]: row[2] for row in rows(book["Notes"])[1:]}
    assert "Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)" in notes["Rechtsgrundlage"]
    response = client.get(reverse("importing:tabular_template", args=["memberships", "csv"]))
    assert response.content.decode("utf-8-sig") == (
        "Netzwerk;Organisation;Akteursgruppe;Person;Rolle;Stimmrecht;Im Auftrag von;Beginn;Ende\r\n"
    )
    assert client.get(reverse("importing:tabular_template", args=["nothing", "csv"])).status_code == 404


def test_export_needs_a_fixed_number_of_queries(client, office, networks, caritas, django_assert_max_num_queries):  # noqa: F811
    register_with_people(networks, caritas)
    for number in range(20):
        org = Organisation.objects.create(name=f"Verein {number}", slug=f"v{number}")
        Membership.objects.create(network=networks["kab"], organisation=org)
    client.force_login(office)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("importing:export_xlsx"))
    assert len(rows(workbook(response)["Mitgliedschaften"])) == 25
