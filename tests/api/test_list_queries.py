"""What a list of the machine interfaces costs: no query or work per row that the page could do once.

(The number of queries as the data grows is pinned in test_oparl.py and test_rest.py.)
"""

import datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.fields import DateTimeField
from rest_framework.request import Request
from rest_framework.serializers import Serializer

from api.oparl import scope
from api.rest import serializers
from api.rest.views import ActorGroupViewSet, MunicipalityViewSet, NetworkViewSet, OrganisationViewSet
from register.models import ActorGroup, Body, Event, Location, Municipality, Network, Organisation, Person
from vernetzt.cache import DiskCache

from .conftest import build_register
from .test_rest import API, token_client

OPARL = "/oparl/v1.1/"


def queries_of(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("kind", ["organizations", "memberships", "meetings", "agenda-items", "files"])
@pytest.mark.parametrize("which", ["home", "city"])
def test_the_lists_of_a_body_do_not_work_out_the_body_of_each_row(client, db, kind, which):
    """The rows come from the networks of the body, so their body is known: no subquery over the
    hosts for every row (the hosts are read once, for the networks of the body)."""
    build_register(4)
    body = Body.home_pk() if which == "home" else Body.objects.get(slug="darmstadt").pk
    table = {"organizations": "network", "agenda-items": "agendaitem"}.get(kind, kind.rstrip("s"))
    page = [sql for sql in queries_of(client, f"{OPARL}body/{body}/{kind}") if sql.startswith("SELECT")]
    rows = [sql for sql in page if sql.startswith(f'SELECT "register_{table}"."id", "register_{table}"."created"')]
    assert rows, page
    assert all('"body_id" FROM "register_networkhost"' not in sql for sql in rows), rows


def test_a_list_of_the_home_body_does_not_look_the_body_up(client, db):
    build_register(2)
    home = Body.home_pk()
    assert not [sql for sql in queries_of(client, f"{OPARL}body/{home}/persons") if '"register_body"' in sql]
    other = Body.objects.get(slug="darmstadt").pk
    assert [sql for sql in queries_of(client, f"{OPARL}body/{other}/persons") if '"register_body"' in sql]
    assert client.get(f"{OPARL}body/{10**15}/persons").status_code == 404


def test_an_answer_of_the_json_api_takes_the_fields_built_once_for_its_class(db):
    build_register(2)
    client = token_client()
    first = client.get(API + "networks/").json()["results"]
    shared = serializers.NetworkSerializer._answer_fields
    assert client.get(API + "networks/").json()["results"] == first
    assert serializers.NetworkSerializer._answer_fields is shared
    network = Network.objects.first()
    assert serializers.NetworkSerializer(network).fields is shared
    # A serializer that validates builds its own fields, with what the request allows.
    writing = serializers.NetworkSerializer(network, data={"name": "Neu"}, partial=True)
    assert writing.fields is not shared
    request = Request(RequestFactory().post("/"))
    membership = serializers.MembershipSerializer(data={}, context={"request": request})
    assert membership.fields["person"].queryset.query.where  # only whom the user may see
    reading = serializers.MembershipSerializer(network.memberships.first(), context={"request": request})
    assert reading.fields is serializers.MembershipSerializer._answer_fields
    assert not reading.fields["person"].queryset.query.where  # the answer's fields took nothing of the request


def test_an_answer_reads_the_columns_directly_and_says_what_drf_would(db):
    """The answer path reads the model's own columns (and the keys of its references) without DRF's
    generic reading; every row of every list must come out as DRF's own ``to_representation`` writes it."""
    network = build_register(2)[0]
    organisation = Organisation.objects.filter(parent__isnull=False).first()
    organisation.languages = "de,ar"
    organisation.save()
    cases = [
        (serializers.NetworkSerializer, Network.objects.all()),
        (serializers.OrganisationSerializer, Organisation.objects.all()),
        (serializers.MembershipSerializer, network.memberships.all()),
        (serializers.EventSerializer, Event.objects.all()),
    ]
    for serializer_class, rows in cases:
        assert rows, serializer_class
        plan = serializer_class.answer_plan()
        assert any(column for _name, _field, column, _key in plan), serializer_class  # some read directly
        for row in rows:
            answer = serializer_class(row)
            assert answer.fields is serializer_class._answer_fields
            fast = serializers.FieldsBuiltOnce.to_representation(answer, row)
            assert fast == Serializer.to_representation(answer, row), (serializer_class, row.pk)
    plan = serializers.MembershipSerializer.answer_plan()
    keys = {name for name, _field, column, is_key in plan if is_key and column}
    assert {"network", "organisation", "person", "deputy_of"} <= keys


def test_a_serializer_read_only_inside_an_answer_takes_the_fields_built_once_too(db):
    """An event's place and a network's topics, focus areas and hosts are written row by row as the
    serializer of their own objects writes them, with the fields built once for their class."""
    network = build_register(2)[0]
    place = serializers.EventSerializer.answer_fields()["location"]
    assert place.fields is serializers.LocationSerializer.answer_fields()
    for address_public in (True, False):
        location = Location.objects.create(
            name="Kreishaus", street_address="Jägertorstraße 207", locality="Darmstadt", address_public=address_public
        )
        written = place.to_representation(location)
        assert written == serializers.LocationSerializer(location).data
        assert (written["street_address"] == "Jägertorstraße 207") is address_public  # its own rule holds too
    nested = serializers.NetworkSerializer.answer_fields()
    for name, serializer_class in [
        ("topics", serializers.TopicSerializer),
        ("focus_areas", serializers.FocusAreaSerializer),
        ("hosts", serializers.HostSerializer),
    ]:
        assert nested[name].child.fields is serializer_class.answer_fields(), name
    answer = serializers.NetworkSerializer(network).data
    assert answer["topics"] == [serializers.TopicSerializer(topic).data for topic in network.topics.all()]
    # A serializer of its own inside one that validates data still builds its own fields.
    writing = serializers.EventSerializer(data={})
    assert writing.fields["location"].fields is serializers.LocationSerializer.answer_fields()  # read-only
    assert serializers.LocationSerializer(data={}).fields is not serializers.LocationSerializer.answer_fields()


def test_the_oparl_lists_build_their_querysets_once_but_read_the_rows_anew(client, db):
    """The annotated querysets and the prefetches are built once per process; the rows are not kept."""
    build_register(1)
    home = Body.home_pk()
    first = scope.annotated(Person, home)
    shown = {person.pk for person in first}
    assert scope.annotated(Person, home).query is not first.query  # a copy for each use, never the one built
    assert scope._built(Person, home, None) is scope._built(Person, home, None)
    newcomer = Person.objects.create(
        given_name="Neu", family_name="Hinzu", consent_to_publish=True, consent_recorded_at=timezone.now()
    )
    assert {person.pk for person in scope.annotated(Person, home)} == shown | {newcomer.pk}

    def listed():
        return {item["id"].rsplit("/", 1)[-1] for item in client.get(f"{OPARL}body/{home}/persons").json()["data"]}

    assert str(newcomer.pk) in listed()
    newcomer.consent_to_publish = False
    newcomer.save()
    assert str(newcomer.pk) not in listed()


def test_the_list_of_memberships_names_its_members_without_a_query_for_any(db):
    """The members are read with only the columns their names need, and none is read again for them."""
    client = token_client()
    build_register(1)
    with CaptureQueriesContext(connection) as one_network:
        assert client.get(API + "memberships/?limit=100").status_code == 200
    build_register(10)
    with CaptureQueriesContext(connection) as eleven_networks:
        results = client.get(API + "memberships/?limit=100").json()["results"]
    assert len(eleven_networks.captured_queries) == len(one_network.captured_queries)
    names = {item["member_name"] for item in results}
    assert len([name for name in names if name.startswith("Erika Muster")]) == 11  # the persons who consented
    assert len([name for name in names if name.startswith("Beratung")]) == 11
    assert len([name for name in names if name.startswith("Beauftragte")]) == 11


def test_nested_lists_are_read_from_the_loaded_lists_or_else_from_the_relation(db):
    network = build_register(1)[0]
    answer = serializers.NetworkSerializer(network).data  # loaded without the list's nested rows
    assert [host["body"] for host in answer["hosts"]] == list(network.hosts.values_list("body", flat=True))
    setattr(network, serializers.nested("hosts"), serializers.AnswerRows())
    assert serializers.NetworkSerializer(network).data["hosts"] == []


@pytest.mark.parametrize("viewset", [NetworkViewSet, OrganisationViewSet, ActorGroupViewSet, MunicipalityViewSet])
def test_the_nested_lists_loaded_as_values_are_written_as_read_through_the_relations(demo, viewset):
    """Every nested list of every answer of the demo, loaded as plain values (``load_nested``), written
    as the serializer writes it from the related records, in the same order."""
    ActorGroup.objects.order_by("pk").first().organisations.add(*Organisation.objects.order_by("-name")[:3])
    for municipality in Municipality.objects.order_by("pk")[:2]:
        for year, population in ((2023, 9000), (2024, 9100)):
            municipality.statistics.create(
                date=datetime.date(year, 12, 31), population=population, foreign_residents=900, source="Statistik"
            )
    serializer = viewset.serializer_class
    loaded = serializers.load_nested(serializer, list(viewset.queryset), viewset.nested)
    lists = (serializers.NestedList, serializers.NestedKeys)
    assert loaded and set(viewset.nested) == {
        name for name, field in serializer.answer_fields().items() if isinstance(field, lists)
    }
    nonempty = set()
    for instance in loaded:
        answer = serializer(instance).data
        for name in viewset.nested:
            delattr(instance, serializers.nested(name))
        read = serializer(instance).data
        assert answer == read
        nonempty |= {name for name in viewset.nested if answer[name]}
    assert nonempty == set(viewset.nested)  # the demo has rows in each of them


def test_the_disk_cache_keeps_its_connections_open_between_requests(tmp_path):
    cache = DiskCache(str(tmp_path), {"SHARDS": 2})
    cache.set("a", 1)
    shards = cache._cache._shards
    before = [shard._local.con for shard in shards if getattr(shard._local, "con", None)]
    assert before
    cache.close()  # what Django does at the end of every request
    assert [shard._local.con for shard in shards if getattr(shard._local, "con", None)] == before
    assert cache.get("a") == 1


def test_the_settings_name_the_disk_cache_that_stays_open(settings):
    from vernetzt import settings as production

    assert all(cache["BACKEND"] == "vernetzt.cache.DiskCache" for cache in production.CACHES.values()) or (
        production.REDIS_URL
    )
    assert caches["default"] is not None


def test_a_request_runs_in_the_site_time_zone_activated_once(db, monkeypatch):
    """Every timestamp an answer writes finds the site's time zone activated for the request: with none
    activated, each looked the default up anew by way of a caught exception. The times are the same."""
    build_register(3)
    client = token_client()
    activated = []
    write = DateTimeField.to_representation

    def writing(field, value):
        activated.append(getattr(timezone._active, "value", None))  # Django keeps the activated zone there
        return write(field, value)

    monkeypatch.setattr(DateTimeField, "to_representation", writing)
    rows = client.get(API + "organisations/").json()["results"]
    assert len(activated) == 2 * len(rows) > 6
    assert set(activated) == {timezone.get_default_timezone()}
    assert getattr(timezone._active, "value", None) is None  # nothing is left activated after the request
    offset = timezone.localtime(Organisation.objects.get(pk=rows[0]["id"]).modified).strftime("%z")
    assert rows[0]["modified"].endswith(f"{offset[:3]}:{offset[3:]}")
