"""The table import at scale: one matcher index per import, new records and their history written in bulk."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from importing.tabular import MEMBERSHIPS, ORGANISATIONS, read_table
from importing.tabular_plan import KnownEntries, make_plan, write_plan
from matching.matcher import propose_matches
from register.history import audit_context
from register.models import ChangeRecord, Membership, Organisation

from .test_tabular_support import caritas, csv_bytes, english, networks  # noqa: F401


def organisation_rows(count, start=0):
    rows = [["Name", "Übergeordnete Organisation", "Kommune"]]
    for number in range(start, start + count):
        rows.append([f"Caritas Verband Darmstadt Nummer {number}", "", "Dieburg"])
        rows.append([f"Beratungsstelle {number}", f"Caritas Verband Darmstadt Nummer {number}", ""])
    return csv_bytes(rows)


def plan_and_write(data, kind=ORGANISATIONS):
    with CaptureQueriesContext(connection) as checking:
        plan = make_plan(read_table(kind, "o.csv", data), KnownEntries())
    with CaptureQueriesContext(connection) as writing, audit_context(source="test"):
        write_plan(plan, "test")
    return plan, len(checking), len(writing)


def test_the_check_asks_one_index_and_its_queries_do_not_grow_with_the_rows(caritas):  # noqa: F811
    Organisation.objects.create(name="Caritas Verband Darmstadt Nummer 1 e.V.", slug="cv-1-ev")
    few = plan_and_write(organisation_rows(3, start=100))
    name = "Caritas Verband Darmstadt Nummer 1"
    expected = [match.organisation.full_name for match in propose_matches(name, limit=3)]
    many = plan_and_write(organisation_rows(30))
    assert few[1] == many[1]  # checking
    assert few[2] == many[2]  # writing: in bulk
    plan = many[0]
    proposals = {row.label: row.proposals for row in plan.rows}
    # The near matches of the register are proposed, as propose_matches finds them.
    assert proposals[name] == expected
    assert "Caritas Verband Darmstadt Nummer 1 e.V." in proposals[name]


def test_every_created_organisation_gets_its_history(caritas):  # noqa: F811
    plan, _checking, _writing = plan_and_write(organisation_rows(4))
    created = Organisation.objects.filter(source__startswith="test:").select_related("parent")
    assert created.count() == 8
    records = {
        record.object_id: record
        for record in ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(Organisation))
    }
    for organisation in created:
        record = records[organisation.pk]
        assert (record.action, record.source, record.object_repr) == ("create", "test", organisation.full_name)
        fresh = Organisation.objects.get(pk=organisation.pk)
        expected = {name: [None, value] for name, value in fresh.audit_values().items() if value not in (None, "")}
        assert record.changes == expected
    unit = created.get(name="Beratungsstelle 2")
    assert unit.parent.name == "Caritas Verband Darmstadt Nummer 2"
    assert unit.category == unit.parent.category
    # A later change of a bulk-created record records only what changed.
    unit.phone = "06071 1"
    unit.save()
    assert ChangeRecord.objects.filter(object_id=unit.pk, action="update").get().changes == {"phone": ["", "06071 1"]}


def test_memberships_are_written_in_bulk_with_positions_and_history(caritas, networks):  # noqa: F811
    network = networks["mila"]
    data = csv_bytes([["Netzwerk", "Organisation"], [network.name, caritas.name]])
    plan, _checking, _writing = plan_and_write(data, MEMBERSHIPS)
    membership = Membership.objects.get(network=network, organisation=caritas)
    assert membership.position == 1
    record = ChangeRecord.objects.get(object_id=membership.pk, action="create", source="test")
    assert record.changes["network_id"] == [None, str(network.pk)]
