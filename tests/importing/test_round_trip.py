"""Export → import without changes reports "nothing changed", for every sheet, in CSV and XLSX,
also with erased people and people who are not public (issue 23, item 2)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from importing.models import TabularImport
from importing.tabular import MEMBERSHIPS, ORGANISATIONS, PEOPLE, read_table
from importing.tabular_plan import KnownEntries, make_plan
from register.models import ActorGroup, Membership, Municipality, Organisation, Person
from workspace.gdpr import erase

from .test_tabular_support import caritas, coordinator, english, networks, office  # noqa: F401

FILE_NAMES = {ORGANISATIONS: "organisationen", PEOPLE: "personen", MEMBERSHIPS: "mitgliedschaften"}


@pytest.fixture
def register(networks, caritas):  # noqa: F811
    mila, kab = networks["mila"], networks["kab"]
    unit = Organisation.objects.create(
        name="Migrationsdienst",
        slug="md",
        parent=caritas,
        category="welfare",
        legal_form="ev",
        municipality=Municipality.objects.first(),
        website="https://caritas-beispiel.de/migration?x=1",
        email="md@caritas-beispiel.de",
        phone="+49 6151 12345",
        description='Beratung;\nmit Zeilenumbruch und "Anführungszeichen"',
    )
    Organisation.objects.create(name="-Formel Verein", slug="formel", category="association")
    group = ActorGroup.objects.create(name="Religionsgemeinschaften", slug="rg")
    group.organisations.add(caritas)
    public = Person.objects.create(
        title="Dr.",
        given_name="Ada",
        family_name="Alt",
        email="ada@example.org",
        function="Leitung",
        organisation=unit,
        consent_to_publish=True,
        consent_recorded_at=timezone.now() - datetime.timedelta(days=3),
        legal_basis="consent",
    )
    twin_a = Person.objects.create(given_name="Bo", family_name="Gleich")  # two people of one name, no e-mail
    twin_b = Person.objects.create(given_name="Bo", family_name="Gleich", organisation=unit)
    only_function = Person.objects.create(function="Integrationsbeauftragte")
    erased = Person.objects.create(given_name="Cleo", family_name="Weg", email="cleo@example.org")
    erased_too = Person.objects.create(given_name="Dan", family_name="Fort")
    Membership.objects.create(network=mila, organisation=unit, voting_right=True, start_date=datetime.date(2020, 1, 1))
    Membership.objects.create(network=mila, actor_group=group, role=Membership.Role.ADVISORY)
    Membership.objects.create(network=mila, person=public, role=Membership.Role.CHAIR, on_behalf_of=unit)
    Membership.objects.create(network=mila, person=twin_a, role=Membership.Role.DEPUTY)
    Membership.objects.create(network=mila, person=twin_b, role=Membership.Role.DEPUTY)
    Membership.objects.create(network=mila, person=only_function)
    Membership.objects.create(network=mila, person=erased, end_date=datetime.date(2024, 12, 31))
    Membership.objects.create(network=mila, person=erased_too, end_date=datetime.date(2024, 12, 31))
    Membership.objects.create(network=kab, organisation=caritas, role=Membership.Role.GUEST)
    erase(erased)
    erase(erased_too)
    return mila


def round_trip(client, user, kind, fmt, user_networks=None):
    client.force_login(user)
    if fmt == "csv":
        response = client.get(reverse("importing:export_csv", args=[kind]))
        name = f"{FILE_NAMES[kind]}.csv"
    else:
        response = client.get(reverse("importing:export_xlsx"))
        name = "vernetzt.xlsx"
    assert response.status_code == 200
    table = read_table(kind, name, response.content)
    plan = make_plan(table, KnownEntries(user_networks))
    return plan


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", [ORGANISATIONS, PEOPLE, MEMBERSHIPS])
def test_the_office_exports_and_imports_again_and_nothing_changes(client, office, register, kind, fmt):  # noqa: F811
    plan = round_trip(client, office, kind, fmt)
    assert [problem.as_dict() for problem in plan.problems] == []
    changed = [row.as_dict() for row in plan.rows if row.action != "unchanged"]
    assert changed == []
    assert plan.rows


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_coordinator_exports_and_imports_memberships_again_and_nothing_changes(
    client,
    coordinator,  # noqa: F811
    register,
    networks,  # noqa: F811
    fmt,
):
    plan = round_trip(client, coordinator, MEMBERSHIPS, fmt, user_networks={networks["mila"].pk})
    assert [problem.as_dict() for problem in plan.problems if "Kreisausländerbeirat" not in problem.message] == []
    assert [row.as_dict() for row in plan.rows if row.action != "unchanged"] == []


def test_the_exported_file_uploaded_again_says_that_nothing_would_change(client, office, register):  # noqa: F811
    client.force_login(office)
    exported = client.get(reverse("importing:export_csv", args=[MEMBERSHIPS])).content
    response = client.post(
        reverse("importing:tabular"),
        {"kind": MEMBERSHIPS, "file": SimpleUploadedFile("mitgliedschaften.csv", exported)},
        follow=True,
    )
    upload = TabularImport.objects.get()
    assert upload.status == TabularImport.Status.READY and upload.summary["create"] == upload.summary["update"] == 0
    assert "Nothing would change: all 9 rows match the register." in response.content.decode()


def test_an_id_names_exactly_one_entry(client, office, register, caritas):  # noqa: F811
    membership = Membership.objects.filter(person__erased_at__isnull=False).first()
    other = Membership.objects.get(network__slug="kab")
    rows = [
        ["Netzwerk", "Person", "Rolle", "ID"],
        [register.name, "(gelöscht)", "Mitglied", str(membership.pk)],  # an erased member, by ID: unchanged
        [register.name, "(gelöscht)", "Gast", str(membership.pk + 10_000)],
        [register.name, "Ada Alt", "Vorsitz", str(other.pk)],
        [register.name, "Ada Alt", "Vorsitz", "x1"],
    ]
    data = "\r\n".join(";".join(row) for row in rows).encode("utf-8-sig")
    plan = make_plan(read_table(MEMBERSHIPS, "m.csv", data), KnownEntries())
    messages = {(problem.row, problem.message) for problem in plan.problems}
    assert (3, f"There is no membership with the ID {membership.pk + 10_000}.") in messages
    assert (4, f"The ID {other.pk} is a membership of another network.") in messages
    assert (5, "“x1” is not the number of an entry. Keep the ID as exported.") in messages
    assert plan.rows[0].action == "unchanged" and plan.rows[0].matched_by == "ID"
    renamed = [["Name", "ID"], ["Caritas neu", str(caritas.pk)]]
    data = "\r\n".join(";".join(row) for row in renamed).encode("utf-8")
    plan = make_plan(read_table(ORGANISATIONS, "o.csv", data), KnownEntries())
    assert "The import does not rename organisations" in plan.problems[0].message
