"""The page of organisations in several networks reads the networks of each top-level organisation counted
ahead (``NetworkCount``): each test compares with what the register itself says after each kind of change."""

import datetime as dt
import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from matching import merging
from matching.models import NetworkCount
from matching.services import count_networks, in_several_networks_query
from register import deferred
from register.models import Membership, Network, Organisation

pytestmark = pytest.mark.django_db


def expected():
    """The top-level organisations with seats in more than one network (their own, their units' and their
    units' units', ended ones too), by name, read from the register."""
    networks = {}
    for seat in Membership.objects.filter(organisation__isnull=False).select_related("organisation__parent"):
        unit = seat.organisation
        top = (unit.parent.parent_id if unit.parent else None) or unit.parent_id or unit.pk
        networks.setdefault(top, set()).add(seat.network_id)
    tops = Organisation.objects.filter(parent=None, pk__in=[pk for pk, found in networks.items() if len(found) > 1])
    return list(tops.order_by("name", "pk").values_list("pk", flat=True))


def assert_as_the_register_says():
    assert list(in_several_networks_query()) == expected()
    assert in_several_networks_query().count() == len(expected())


@pytest.fixture
def register():
    networks = [Network.objects.create(name=f"Netz {number}", slug=f"netz-{number}") for number in range(4)]
    organisations = {}
    for key, parent in [
        ("Caritas", None),
        ("Migrationsdienst", "Caritas"),
        ("Beratungsstelle", "Migrationsdienst"),
        ("Frauenhaus", None),
        ("Diakonie", None),
        ("Tafel", "Diakonie"),
    ]:
        organisations[key] = Organisation.objects.create(name=key, slug=key.lower(), parent=organisations.get(parent))
    seat = Membership.objects.create
    seat(network=networks[0], organisation=organisations["Caritas"])
    seat(network=networks[1], organisation=organisations["Beratungsstelle"])
    seat(network=networks[0], organisation=organisations["Frauenhaus"])
    seat(network=networks[2], organisation=organisations["Tafel"])
    return networks, organisations


def test_the_counts_follow_every_change_of_seats_and_organisations(register):
    networks, organisations = register
    assert_as_the_register_says()
    assert list(in_several_networks_query()) == [organisations["Caritas"].pk]
    frauenhaus, tafel = organisations["Frauenhaus"], organisations["Tafel"]
    added = {}
    changes = [
        lambda: added.setdefault("seat", Membership.objects.create(network=networks[1], organisation=frauenhaus)),
        lambda: (
            setattr(added["seat"], "end_date", timezone.localdate() - dt.timedelta(days=1)) or added["seat"].save()
        ),  # an ended seat still counts, as before
        lambda: setattr(added["seat"], "network", networks[0]) or added["seat"].save(),  # the same network twice
        lambda: setattr(added["seat"], "network", networks[3]) or added["seat"].save(),
        lambda: setattr(added["seat"], "organisation", tafel) or added["seat"].save(),  # held by another
        lambda: added["seat"].delete(),
        lambda: setattr(tafel, "parent", organisations["Caritas"]) or tafel.save(),  # a unit moves with its seats
        lambda: setattr(organisations["Migrationsdienst"], "parent", None) or organisations["Migrationsdienst"].save(),
        lambda: (
            setattr(organisations["Migrationsdienst"], "name", "Aaa Migrationsdienst")
            or organisations["Migrationsdienst"].save()
        ),  # the order follows the name
        lambda: setattr(organisations["Diakonie"], "parent", frauenhaus) or organisations["Diakonie"].save(),
        lambda: Membership.create_in_bulk(  # as an import writes them: without model signals
            [
                Membership(network=networks[2], organisation=frauenhaus),
                Membership(network=networks[3], organisation=tafel),
            ]
        ),
        lambda: Membership.objects.filter(network=networks[0]).delete(),
        lambda: networks[1].delete(),
    ]
    for change in changes:
        change()
        assert_as_the_register_says()


def test_a_merge_and_its_undoing_keep_the_counts(register):
    networks, organisations = register
    Membership.objects.create(network=networks[3], organisation=organisations["Diakonie"])
    record = merging.merge(organisations["Frauenhaus"], organisations["Diakonie"])
    assert_as_the_register_says()
    assert organisations["Frauenhaus"].pk in list(in_several_networks_query())
    merging.undo(record)
    assert_as_the_register_says()


def test_an_import_the_migration_and_a_recount_give_the_same_counts(register):
    networks, organisations = register
    with deferred.gathered():
        Membership.create_in_bulk([Membership(network=networks[3], organisation=organisations["Frauenhaus"])])
        organisations["Tafel"].parent = organisations["Frauenhaus"]
        organisations["Tafel"].save()
        Membership.objects.filter(organisation=organisations["Caritas"]).delete()
    assert_as_the_register_says()
    written = sorted(NetworkCount.objects.values_list("organisation_id", "name", "networks"))
    count_networks()
    assert sorted(NetworkCount.objects.values_list("organisation_id", "name", "networks")) == written
    NetworkCount.objects.all().delete()
    importlib.import_module("matching.migrations.0005_network_count").fill(apps, None)
    assert sorted(NetworkCount.objects.values_list("organisation_id", "name", "networks")) == written


def test_the_page_shows_the_count_of_the_register(register, office_client):
    networks, organisations = register
    Membership.objects.create(network=networks[3], organisation=organisations["Tafel"])
    page = office_client.get(reverse("matching:several")).content.decode()
    assert "2 Organisationen sitzen in mehr als einem Netzwerk." in page
    assert page.index(">Caritas<") < page.index(">Diakonie<")


def test_the_command_counts_anew_what_writes_without_signals_left_out(register):
    networks, organisations = register
    # bulk_create sends no signals: the stored counts miss the Diakonie's second network.
    Membership.objects.bulk_create([Membership(network=networks[3], organisation=organisations["Diakonie"])])
    assert organisations["Diakonie"].pk not in list(in_several_networks_query())
    output = io.StringIO()
    call_command("count_networks", stdout=output)
    assert_as_the_register_says()
    assert organisations["Diakonie"].pk in list(in_several_networks_query())
    assert output.getvalue() == f"{len(expected())} organisations sit in more than one network.\n"
