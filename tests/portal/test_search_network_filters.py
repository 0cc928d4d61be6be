"""The search's filters on networks (kind, topic) let through what sits in such networks today: an
organisation whose own seat, a person's on its behalf or a unit's (at any depth) is active there, and
an actor group with an active seat there. The search reads it from the index (``SearchFacet``); each
test compares with what the register itself says."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from portal import indexing
from portal.models import SearchFacet
from portal.search import LISTED, Filters, Index
from register import deferred
from register.models import ActorGroup, Membership, Network, Organisation, Person, Topic

pytestmark = pytest.mark.django_db

KINDS = ["", "working_group", "council"]


def days(number):
    return timezone.localdate() + dt.timedelta(days=number)


def expected(filters):
    """What the filters let through, read from the register: the organisations (not archived, of the
    category asked for) that hold an active seat in a network that passes, directly, through a person
    on their behalf or through a unit below them, and the actor groups that hold one (none when a
    category is asked for: groups have none)."""
    networks = Network.objects.all()
    if filters.kind:
        networks = networks.filter(classification=filters.kind)
    if filters.topic:
        networks = networks.filter(topics=filters.topic)
    seats = Membership.objects.active().filter(network__in=networks)
    organisations, groups = set(), set()
    for seat in seats.select_related("organisation", "on_behalf_of", "actor_group"):
        if seat.actor_group and not filters.category:
            groups.add(seat.actor_group.name)
        holder = seat.organisation or seat.on_behalf_of
        if holder is None or holder.archived_at:
            continue
        while holder is not None:
            if holder.archived_at is None and filters.category in ("", holder.category):
                organisations.add(holder.full_name)
            holder = holder.parent
    return organisations, groups


def found(filters, query=""):
    results = Index().search(query, filters)
    assert results.total["organisation"] == len(results.organisations) < LISTED
    assert results.total["actor_group"] == len(results.actor_groups)
    return {entry.name for entry in results.organisations}, {entry.name for entry in results.actor_groups}


def every_filter():
    topics = [None, *Topic.objects.order_by("pk")]
    return [
        Filters(kind=kind, topic=topic, category=category)
        for kind in KINDS
        for topic in topics
        for category in ["", "welfare"]
        if kind or topic
    ]


def assert_as_the_register_says():
    for filters in every_filter():
        organisations, groups = expected(filters)
        assert found(filters) == (organisations, groups), filters
        # With words: only the entries the words find ("verein" is in every organisation's name).
        assert found(filters, "verein")[0] == organisations, filters


@pytest.fixture
def register():
    """Networks of two kinds and topics; organisations with units two levels deep, a person on an
    organisation's behalf, seats that ended, seats that begin later, an archived member; actor groups."""
    health, housing = (Topic.objects.create(name=name, slug=name.lower()) for name in ["Gesundheit", "Wohnen"])
    networks = {}
    for key, kind, topics in [
        ("health_group", "working_group", [health]),
        ("housing_council", "council", [housing]),
        ("plain_group", "working_group", []),
        ("both_forum", "forum", [health, housing]),
    ]:
        networks[key] = Network.objects.create(name=f"Netz {key}", slug=key, classification=kind)
        networks[key].topics.set(topics)
    organisations = {}
    for key, parent in [
        ("top", None),
        ("unit", "top"),
        ("subunit", "unit"),
        ("other", None),
        ("represented", None),
        ("ended", None),
        ("future", None),
        ("archived_parent", None),
        ("archived", "archived_parent"),
        ("idle", None),
    ]:
        organisations[key] = Organisation.objects.create(
            name=f"Verein {key}",
            slug=f"verein-{key}",
            parent=organisations.get(parent),
            category="welfare" if key in ("unit", "represented", "idle") else "association",
        )
    person = Person.objects.create(given_name="Erika", family_name="Beispiel")
    groups = {key: ActorGroup.objects.create(name=f"Gruppe {key}", slug=f"gruppe-{key}") for key in "abc"}
    seat = Membership.objects.create
    seat(network=networks["health_group"], organisation=organisations["subunit"], start_date=days(-30))
    seat(network=networks["housing_council"], organisation=organisations["other"])
    seat(network=networks["plain_group"], person=person, on_behalf_of=organisations["represented"])
    seat(network=networks["health_group"], organisation=organisations["ended"], end_date=days(-1))
    seat(network=networks["housing_council"], organisation=organisations["future"], start_date=days(5))
    seat(network=networks["both_forum"], organisation=organisations["archived"])
    # Seats of one organisation in networks of one kind, overlapping, and with a gap around today.
    seat(network=networks["plain_group"], organisation=organisations["top"], start_date=days(-10), end_date=days(10))
    seat(network=networks["housing_council"], organisation=organisations["idle"], end_date=days(-10))
    seat(network=networks["housing_council"], organisation=organisations["idle"], start_date=days(3))
    seat(network=networks["health_group"], actor_group=groups["a"], end_date=days(3))
    seat(network=networks["housing_council"], actor_group=groups["b"], end_date=days(-2))
    seat(network=networks["both_forum"], actor_group=groups["c"], start_date=days(2))
    organisations["archived"].archived_at = timezone.now()
    organisations["archived"].save()
    return networks, organisations, groups


def test_the_filters_let_through_what_sits_in_such_networks_today(register):
    networks, organisations, groups = register
    health = Topic.objects.get(name="Gesundheit")
    # A unit's seat lets the organisations above it through; seats that ended or begin later do not count.
    assert found(Filters(topic=health)) == (
        {"Verein top", "Verein top - Verein unit", "Verein top - Verein unit - Verein subunit"},
        {"Gruppe a"},
    )
    assert found(Filters(kind="working_group"))[0] == {
        "Verein top",
        "Verein top - Verein unit",
        "Verein top - Verein unit - Verein subunit",
        "Verein represented",
    }
    assert found(Filters(kind="council")) == ({"Verein other"}, set())
    assert_as_the_register_says()


def test_the_days_of_seats_are_kept_as_periods_that_do_not_overlap():
    assert indexing.periods([(days(5), None), (None, days(-3)), (days(-2), days(1))]) == [
        (None, days(1)),
        (days(5), None),
    ]
    assert indexing.periods([(days(0), days(9)), (days(2), days(3)), (days(-1), None)]) == [(days(-1), None)]
    assert indexing.periods([(None, None), (days(1), days(2))]) == [(None, None)]


def test_the_filters_follow_every_change_of_seats_and_organisations(register):
    networks, organisations, groups = register
    top, unit, other = organisations["top"], organisations["unit"], organisations["other"]
    subunit_seat = Membership.objects.get(organisation=organisations["subunit"])
    changes = [
        lambda: setattr(subunit_seat, "end_date", days(-1)) or subunit_seat.save(),  # a seat ends
        lambda: setattr(subunit_seat, "end_date", None) or subunit_seat.save(),
        lambda: setattr(unit, "parent", other) or unit.save(),  # a unit moves: its seats go with it
        lambda: setattr(top, "archived_at", timezone.now()) or top.save(),
        lambda: setattr(organisations["subunit"], "archived_at", timezone.now()) or organisations["subunit"].save(),
        lambda: setattr(organisations["subunit"], "archived_at", None) or organisations["subunit"].save(),
        lambda: setattr(subunit_seat, "organisation", organisations["idle"]) or subunit_seat.save(),
        lambda: setattr(subunit_seat, "network", networks["both_forum"]) or subunit_seat.save(),
        lambda: Membership.objects.filter(organisation=other).get().delete(),
        lambda: networks["plain_group"].topics.add(Topic.objects.get(name="Wohnen")),
        lambda: setattr(networks["plain_group"], "classification", "council") or networks["plain_group"].save(),
        lambda: Membership.objects.create(network=networks["health_group"], actor_group=groups["b"]),
        lambda: Membership.create_in_bulk(  # as an import writes them: without model signals
            [
                Membership(network=networks["both_forum"], organisation=organisations["unit"]),
                Membership(network=networks["plain_group"], actor_group=groups["c"]),
            ]
        ),
    ]
    for change in changes:
        change()
        assert_as_the_register_says()


def test_a_seat_counts_from_its_first_to_its_last_day_without_any_rewrite(register, time_machine):
    networks, organisations, groups = register
    Membership.objects.create(network=networks["plain_group"], organisation=organisations["idle"], end_date=days(0))
    working_groups = Filters(kind="working_group")
    assert "Verein idle" in found(working_groups)[0]
    time_machine.move_to(timezone.now() + dt.timedelta(days=1))
    assert "Verein idle" not in found(working_groups)[0]  # ended yesterday
    assert "Gruppe c" not in found(Filters(kind="forum"))[1]
    time_machine.move_to(timezone.now() + dt.timedelta(days=1))
    assert "Gruppe c" in found(Filters(kind="forum"))[1]  # began today
    assert_as_the_register_says()


def test_an_import_leaves_the_seats_as_a_rebuild_would(register):
    networks, organisations, groups = register
    with deferred.gathered():
        Membership.create_in_bulk([Membership(network=networks["plain_group"], organisation=organisations["idle"])])
        organisations["unit"].parent = organisations["other"]
        organisations["unit"].save()
        Membership.objects.filter(organisation=organisations["other"]).get().delete()
    written = rows()
    indexing.rebuild()
    assert rows() == written
    assert_as_the_register_says()


def rows(kinds=None):
    """The facets (of the kinds of entries ``kinds``; all: None) as comparable rows."""
    facets = SearchFacet.objects.all() if kinds is None else SearchFacet.objects.filter(kind__in=kinds)
    return sorted(
        facets.values_list("kind", "document__object_id", "facet", "start_date", "end_date"),
        key=repr,
    )


def test_the_migration_writes_the_seats_a_rebuild_writes(register):
    migration = importlib.import_module("portal.migrations.0006_search_facet")
    written = rows(indexing.SEATED)
    assert len(written) > 5
    SearchFacet.objects.filter(kind__in=indexing.SEATED).delete()
    migration.fill(apps, None)
    assert rows(indexing.SEATED) == written


def test_many_entries_are_listed_a_page_at_a_time_with_their_number(register):
    networks, organisations, groups = register
    Organisation.objects.bulk_create(
        Organisation(name=f"Verein Nummer {number:03d}", slug=f"nummer-{number}", parent=organisations["unit"])
        for number in range(LISTED + 10)
    )
    indexing.catch_up()
    results = Index().search("", Filters(topic=Topic.objects.get(name="Gesundheit")))
    assert results.total["organisation"] == 3  # the new units hold no seat
    units = Organisation.objects.filter(name__startswith="Verein Nummer")
    Membership.create_in_bulk([Membership(network=networks["health_group"], organisation=unit) for unit in units])
    results = Index().search("", Filters(topic=Topic.objects.get(name="Gesundheit")))
    names = [entry.name for entry in results.organisations]
    # A–Z: the organisation, its unit, then the unit's units (the first of them, to LISTED entries).
    numbered = [f"Verein top - Verein unit - Verein Nummer {number:03d}" for number in range(LISTED - 2)]
    assert names == ["Verein top", "Verein top - Verein unit", *numbered]
    assert results.total["organisation"] == 3 + LISTED + 10
