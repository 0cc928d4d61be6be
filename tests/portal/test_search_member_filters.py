"""The search's filters on organisations (category, municipality) let through the networks with an active
seat of such an organisation: one that, or one above which, has the category and lies in the municipality
(its own or that of the nearest organisation above it), holding the seat itself or through a person on its
behalf, not archived; with a municipality alone also the networks of programmes funding it. The search reads
it from the index of the networks' members (``SearchFacet``); each test compares with the register."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal import indexing
from portal.models import SearchDocument, SearchFacet
from portal.search import Filters, Index
from register import deferred
from register.models import (
    Body,
    FocusArea,
    Membership,
    Municipality,
    Network,
    Organisation,
    Person,
    Programme,
    ProgrammeSite,
)

pytestmark = pytest.mark.django_db


def days(number):
    return timezone.localdate() + dt.timedelta(days=number)


def in_force(organisation):
    """The municipality of an organisation or of the nearest one above it."""
    while organisation is not None:
        if organisation.municipality_id:
            return organisation.municipality_id
        organisation = organisation.parent
    return None


def expected(filters):
    """The networks the filters let through, read from the register."""
    found = set()
    for seat in Membership.objects.active().select_related("organisation", "on_behalf_of", "network"):
        holder = seat.organisation or seat.on_behalf_of
        if holder is None or holder.archived_at:
            continue
        node = holder
        while node is not None:
            if filters.category in ("", node.category) and (
                filters.municipality is None or in_force(node) == filters.municipality.pk
            ):
                found.add(seat.network.name)
            node = node.parent
    if filters.municipality and not filters.category:
        sites = ProgrammeSite.objects.filter(municipality=filters.municipality, programme__network__isnull=False)
        found |= set(sites.values_list("programme__network__name", flat=True))
    return found


def found(filters):
    results = Index().search("", filters)
    networks = {entry.name for entry in results.networks}
    assert results.total["network"] == len(networks)
    areas = {entry.item.network.name for entry in results.focus_areas}
    assert results.total["focus_area"] == len(results.focus_areas)
    assert areas == {name for name in networks if FocusArea.objects.filter(network__name=name).exists()}
    return networks


def every_filter():
    places = [None, *Municipality.objects.order_by("pk")]
    return [
        Filters(category=category, municipality=place)
        for category in ["", "welfare", "health"]
        for place in places
        if category or place
    ]


def assert_as_the_register_says():
    for filters in every_filter():
        assert found(filters) == expected(filters), filters


@pytest.fixture
def register():
    """Organisations of two categories in two municipalities, units that take their municipality from above
    and one with its own, a person on an organisation's behalf, seats that ended or begin later, an archived
    member, and a programme funding a municipality."""
    county = Body.objects.create(name="Kreis", slug="kreis")
    north, south = (
        Municipality.objects.create(name=name, slug=name.lower(), ags=f"0000000{number}", county=county)
        for number, name in enumerate(["Nordheim", "Suedheim"])
    )
    networks = {key: Network.objects.create(name=f"Netz {key}", slug=key) for key in "abcdefg"}
    for key in "abc":
        FocusArea.objects.create(network=networks[key], name=f"Schwerpunkt {key}")
    organisations = {}
    for key, parent, category, place in [
        ("top", None, "welfare", north),
        ("unit", "top", "health", None),  # in Nordheim through the organisation above it
        ("away", "top", "association", south),  # a unit in another municipality
        ("plain", None, "association", None),
        ("represented", None, "health", south),
        ("archived", None, "welfare", south),
        ("ended", None, "welfare", south),
    ]:
        organisations[key] = Organisation.objects.create(
            name=f"Verein {key}",
            slug=f"verein-{key}",
            parent=organisations.get(parent),
            category=category,
            municipality=place,
        )
    person = Person.objects.create(given_name="Erika", family_name="Beispiel")
    seat = Membership.objects.create
    seat(network=networks["a"], organisation=organisations["unit"])
    seat(network=networks["b"], organisation=organisations["away"], start_date=days(-30))
    seat(network=networks["c"], person=person, on_behalf_of=organisations["represented"])
    seat(network=networks["d"], organisation=organisations["archived"])
    seat(network=networks["e"], organisation=organisations["ended"], end_date=days(-1))
    seat(network=networks["e"], organisation=organisations["plain"], start_date=days(3))
    seat(network=networks["f"], organisation=organisations["plain"])
    funder = Organisation.objects.create(name="Ministerium", slug="ministerium", category="authority")
    programme = Programme.objects.create(name="Gemeinwesenarbeit", funder=funder, network=networks["g"])
    ProgrammeSite.objects.create(programme=programme, municipality=south)
    organisations["archived"].archived_at = timezone.now()
    organisations["archived"].save()
    return networks, organisations, (north, south)


def test_the_filters_let_through_the_networks_with_such_members(register):
    networks, organisations, (north, south) = register
    # A unit's seat counts with the unit's category and that of the organisations above it, in the
    # municipality in force at each of them.
    assert found(Filters(category="welfare")) == {"Netz a", "Netz b"}
    assert found(Filters(municipality=north)) == {"Netz a", "Netz b"}
    assert found(Filters(category="health", municipality=north)) == {"Netz a"}
    # In Suedheim: the unit of its own, the represented one, the funded network; not the archived member
    # or the seat that ended.
    assert found(Filters(municipality=south)) == {"Netz b", "Netz c", "Netz g"}
    assert found(Filters(category="association", municipality=south)) == {"Netz b"}
    assert found(Filters(category="welfare", municipality=south)) == set()
    assert_as_the_register_says()


def test_the_filters_follow_every_change_of_seats_and_organisations(register):
    networks, organisations, (north, south) = register
    unit, top, plain = organisations["unit"], organisations["top"], organisations["plain"]
    seat = Membership.objects.get(organisation=unit)
    changes = [
        lambda: setattr(seat, "end_date", days(-1)) or seat.save(),  # a seat ends
        lambda: setattr(seat, "end_date", None) or seat.save(),
        lambda: setattr(seat, "network", networks["d"]) or seat.save(),  # moves to another network
        lambda: setattr(seat, "organisation", plain) or seat.save(),  # is held by another organisation
        lambda: setattr(seat, "organisation", unit) or seat.save(),
        lambda: setattr(top, "category", "health") or top.save(),  # the organisation above changes
        lambda: setattr(top, "municipality", south) or top.save(),
        lambda: setattr(unit, "parent", plain) or unit.save(),  # the unit moves
        lambda: setattr(plain, "archived_at", timezone.now()) or plain.save(),
        lambda: setattr(unit, "archived_at", timezone.now()) or unit.save(),
        lambda: setattr(unit, "archived_at", None) or unit.save(),
        lambda: Membership.objects.filter(organisation=organisations["away"]).get().delete(),
        lambda: Membership.objects.create(network=networks["d"], organisation=organisations["represented"]),
        lambda: Membership.create_in_bulk(  # as an import writes them: without model signals
            [Membership(network=networks["e"], organisation=organisations["top"])]
        ),
        lambda: setattr(networks["b"], "name", "Netz b2") or networks["b"].save(),  # its entry is written anew
        lambda: networks["c"].delete(),
    ]
    for change in changes:
        change()
        assert_as_the_register_says()


def test_a_seat_counts_from_its_first_to_its_last_day_without_any_rewrite(register, time_machine):
    networks, organisations, (north, south) = register
    assert "Netz e" not in found(Filters(category="association"))
    time_machine.move_to(timezone.now() + dt.timedelta(days=3))
    assert "Netz e" in found(Filters(category="association"))  # began today
    assert_as_the_register_says()


def rows():
    return sorted(
        SearchFacet.objects.filter(kind=SearchDocument.Kind.NETWORK).values_list(
            "document__object_id", "facet", "start_date", "end_date"
        )
    )


def test_an_import_and_the_migration_leave_the_members_as_a_rebuild_would(register):
    networks, organisations, (north, south) = register
    with deferred.gathered():
        Membership.create_in_bulk([Membership(network=networks["f"], organisation=organisations["unit"])])
        organisations["away"].parent = organisations["plain"]
        organisations["away"].save()
        organisations["plain"].municipality = north
        organisations["plain"].save()
    written = rows()
    assert len(written) > 10
    indexing.rebuild()
    assert rows() == written
    SearchFacet.objects.filter(kind=SearchDocument.Kind.NETWORK).delete()
    importlib.import_module("portal.migrations.0007_search_facet_members").fill(apps, None)
    assert rows() == written
    assert_as_the_register_says()


def test_the_filters_cost_the_same_queries_however_many_networks_pass(register):
    networks, organisations, (north, south) = register

    def queries():
        with CaptureQueriesContext(connection) as captured:
            Index().search("", Filters(category="welfare"))
        return len(captured)

    few = queries()
    for number in range(30):
        network = Network.objects.create(name=f"Weiteres Netz {number}", slug=f"weiteres-{number}")
        FocusArea.objects.create(network=network, name=f"Schwerpunkt {number}")
        Membership.objects.create(network=network, organisation=organisations["top"])
    assert queries() == few
    assert len(found(Filters(category="welfare"))) == 32
