"""What a list of the machine interfaces costs: no query or work per row that the page could do once.

(The number of queries as the data grows is pinned in test_oparl.py and test_rest.py.)
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from rest_framework.request import Request

from api.rest import serializers
from register.models import Body, Network
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


def test_nested_lists_are_read_from_the_prefetched_lists_or_else_from_the_relation(db):
    network = build_register(1)[0]
    answer = serializers.NetworkSerializer(network).data  # loaded without the list's prefetching
    assert [host["body"] for host in answer["hosts"]] == list(network.hosts.values_list("body", flat=True))
    setattr(network, serializers.prefetched("hosts"), [])
    assert serializers.NetworkSerializer(network).data["hosts"] == []


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
