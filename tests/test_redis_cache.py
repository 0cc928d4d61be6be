"""With VERNETZT_REDIS_URL both caches live on a Redis server that several application servers share.

The tests start Debian's ``redis-server`` on a free port for the session (no file written, a temporary
directory), or use the server ``VERNETZT_TEST_REDIS_URL`` names (its database and the next are emptied).
Without a server they are skipped with the reason, except under CI (``CI=true``), where they fail.
"""

import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from meetings import ratelimit
from register import freshness
from register.models import Network
from tests.workspace.test_deploy_and_auth import PRODUCTION, deploy_check
from vernetzt.page_cache import forget_pages
from vernetzt.settings import redis_caches

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_SERVER = "/usr/bin/redis-server"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url):
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    if os.environ.get("VERNETZT_TEST_REDIS_URL"):
        yield os.environ["VERNETZT_TEST_REDIS_URL"]
        return
    server = shutil.which("redis-server") or (REDIS_SERVER if os.access(REDIS_SERVER, os.X_OK) else None)
    if server is None:
        reason = "redis-server is not installed (Debian: apt-get install redis-server)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI runs the Redis tests: {reason}", pytrace=False)
        pytest.skip(reason)
    port = _free_port()
    directory = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(100):  # the server starts within a few milliseconds; give up after ten seconds
            if _answers(url) or process.poll() is not None:
                break
            time.sleep(0.1)
        assert _answers(url), f"redis-server did not start on port {port}"
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def shared_cache(redis_url):
    """Both caches on the Redis server, empty before and after the test."""
    with override_settings(CACHES=redis_caches(redis_url)):
        for alias in caches:
            caches[alias].clear()
        yield redis_url
        for alias in caches:
            caches[alias].clear()


def _stored_pages(redis_url):
    """How many pages (not versions of tags) the pages cache holds on the server."""
    server = redis.Redis.from_url(redis_caches(redis_url)["pages"]["LOCATION"])
    return sum(1 for key in server.scan_iter() if b":tag:" not in key)


@pytest.fixture
def network():
    return Network.objects.create(name="Netzwerk Zuwanderung", short_name="NZ", slug="nz")


def test_the_two_caches_use_two_databases_of_the_server_named():
    caches_ = redis_caches("redis://:secret@cache.internal:6380/4")
    assert caches_["default"]["BACKEND"] == caches_["pages"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert caches_["default"]["LOCATION"] == "redis://:secret@cache.internal:6380/4"
    assert caches_["pages"]["LOCATION"] == "redis://:secret@cache.internal:6380/5"
    assert redis_caches("redis://127.0.0.1:6379")["pages"]["LOCATION"] == "redis://127.0.0.1:6379/1"
    with pytest.raises(ImproperlyConfigured):
        redis_caches("unix:///run/redis/redis-server.sock")


def test_production_settings_with_redis_pass_the_deploy_checks(tmp_path):
    result = deploy_check(tmp_path, **PRODUCTION, VERNETZT_REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_come_from_redis_and_a_committed_change_is_shown_at_once(
    shared_cache, client, network, django_assert_num_queries
):
    first = client.get("/netzwerke/nz/")
    with django_assert_num_queries(0):
        assert client.get("/netzwerke/nz/").content == first.content
    assert _stored_pages(shared_cache) > 0
    network.name = "Netzwerk Einwanderung"
    network.save()
    content = client.get("/netzwerke/nz/").content
    assert b"Netzwerk Einwanderung" in content and b"Netzwerk Zuwanderung" not in content


def test_signed_in_staff_and_uncommitted_changes_stay_out_of_redis(shared_cache, client, network):
    with transaction.atomic():
        network.name = "Nicht bestätigt"
        network.save()
        assert b"Nicht best" in client.get("/netzwerke/nz/").content
        assert _stored_pages(shared_cache) == 0
        transaction.set_rollback(True)
    assert b"Netzwerk Zuwanderung" in client.get("/netzwerke/nz/").content


def test_forget_pages_empties_the_pages_but_keeps_the_token_and_rate_limits(shared_cache, client, network, rf):
    client.get("/netzwerke/nz/")
    token = freshness.data_version()
    request = rf.post("/", REMOTE_ADDR="192.0.2.1")
    assert [ratelimit.count_attempt(request, "test") for _ in range(3)] == [1, 2, 3]
    assert _stored_pages(shared_cache) > 0
    forget_pages()
    assert redis.Redis.from_url(redis_caches(shared_cache)["pages"]["LOCATION"]).dbsize() == 0  # versions too
    assert freshness.data_version() == token
    assert ratelimit.count_attempt(request, "test") == 4


def test_the_api_counts_a_clients_requests_in_redis_as_one_number(shared_cache, network, time_machine):
    """Every app server adds to the same count (one INCR): none reads and writes back a list of its own."""
    time_machine.move_to(datetime.datetime(2026, 12, 1, 10, 0, 30, tzinfo=datetime.UTC), tick=False)
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "3/minute"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        # Another address each time (the list ignores "offset"): the page cache answers none of them.
        statuses = [APIClient().get("/api/v1/networks/", {"offset": n}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    server = redis.Redis.from_url(shared_cache)
    counts = {key: server.get(key) for key in server.scan_iter("*throttle_anon_*")}
    assert list(counts.values()) == [b"4"], counts  # the refused request counts too


def test_the_token_is_kept_in_redis_and_renewed_on_commit(shared_cache, network):
    token = freshness.data_version()
    assert caches["default"].get(freshness.KEY) == token
    network.name = "Netzwerk Einwanderung"
    network.save()
    assert freshness.data_version() != token
    caches["default"].clear()  # a restarted server without data: a new token, no old page reachable
    assert freshness.data_version() not in (None, token)


# A second application server: another process with the production settings module and the same Redis.
OTHER_SERVER = """
import json, sys
import django
django.setup()
from django.test import RequestFactory
from django.utils import translation
from register import freshness
from vernetzt.page_cache import Lookup, forget_pages

translation.activate("de")
token = freshness.data_version()
cached = Lookup(RequestFactory().get("/netzwerke/nz/")).find()  # what this server would serve
action = sys.argv[1]
if action == "change":
    freshness.data_changed()  # what every committed change does, outside a transaction at once
elif action == "forget":
    forget_pages()
print(json.dumps({"token": token, "page": cached[2].decode() if cached else None}))
"""


def _other_server(redis_url, tmp_path, action):
    environment = {name: value for name, value in os.environ.items() if not name.startswith("VERNETZT_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="vernetzt.settings",
        VERNETZT_REDIS_URL=redis_url,
        VERNETZT_SECRET_KEY="another-server",
        VERNETZT_ALLOWED_HOSTS="testserver",  # the host name of the test client's requests
        VERNETZT_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-c", OTHER_SERVER, action],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_another_server_sharing_redis_serves_this_page_and_its_changes_reach_this_one(
    shared_cache, client, network, tmp_path, django_assert_num_queries
):
    client.get("/netzwerke/nz/")
    seen = _other_server(shared_cache, tmp_path, "change")
    assert seen["token"] != "" and "Netzwerk Zuwanderung" in seen["page"]
    # The other server's change renewed the token: this one renders again instead of its old page ...
    assert freshness.data_version() != seen["token"]
    with CaptureQueriesContext(connection) as queries:
        client.get("/netzwerke/nz/")
    assert len(queries) > 0
    # ... and stores it, under the new token, where the other server finds it; erasing there empties it here.
    with django_assert_num_queries(0):
        client.get("/netzwerke/nz/")
    seen = _other_server(shared_cache, tmp_path, "forget")
    assert seen["token"] == freshness.data_version() and "Netzwerk Zuwanderung" in seen["page"]
    assert _stored_pages(shared_cache) == 0


def test_without_an_answer_from_redis_a_request_fails_with_the_error_page(client):
    closed = f"redis://127.0.0.1:{_free_port()}/0"  # nothing listens there
    client.raise_request_exception = False
    with override_settings(CACHES=redis_caches(closed)):
        response = client.get("/netzwerke/")
    assert response.status_code == 500
    assert "text/html" in response["Content-Type"] and b"<!DOCTYPE html>" in response.content
