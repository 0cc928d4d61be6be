"""Public answers come from the cache for anonymous visitors, and never outlive the data they show."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from register import freshness
from register.models import Network, Topic
from vernetzt.page_cache import PageCacheMiddleware

# Committed writes are what renews the token, so these tests run outside a test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def network():
    return Network.objects.create(name="Netzwerk Zuwanderung", short_name="NZ", slug="nz")


def test_second_anonymous_request_runs_no_query(client, network, django_assert_num_queries):
    first = client.get("/netzwerke/nz/")
    with django_assert_num_queries(0):
        second = client.get("/netzwerke/nz/")
    assert second.status_code == 200 and second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["X-Frame-Options"] == "DENY"


def test_a_committed_change_is_shown_at_once(client, network):
    assert b"Netzwerk Zuwanderung" in client.get("/netzwerke/nz/").content
    network.name = "Netzwerk Einwanderung"
    network.save()
    content = client.get("/netzwerke/nz/").content
    assert b"Netzwerk Einwanderung" in content and b"Netzwerk Zuwanderung" not in content


def test_a_many_to_many_change_renews_the_token(network):
    topic = Topic.objects.create(name="Arbeit", slug="arbeit")
    before = freshness.data_version()
    network.topics.add(topic)
    assert freshness.data_version() != before


def test_migrate_renews_the_token_so_an_update_serves_no_page_of_the_old_code(client, network):
    client.get("/netzwerke/nz/")
    before = freshness.data_version()
    call_command("migrate", verbosity=0)
    assert freshness.data_version() != before


def test_changes_to_data_no_public_page_shows_keep_the_token(network):
    before = freshness.data_version()
    get_user_model().objects.create_user("staff", password="x")
    assert freshness.data_version() == before


def test_the_token_is_renewed_on_commit_not_before_and_not_after_a_rollback(network):
    before = freshness.data_version()
    with transaction.atomic():
        network.save()
        assert freshness.uncommitted_changes()
        assert freshness.data_version() == before
    after = freshness.data_version()
    assert after != before
    with transaction.atomic():
        network.save()
        transaction.set_rollback(True)
    assert freshness.data_version() == after and not freshness.uncommitted_changes()


def test_a_connection_with_uncommitted_changes_neither_reads_nor_fills_the_cache(client, network):
    client.get("/netzwerke/nz/")
    with transaction.atomic():
        Network.objects.filter(pk=network.pk).update(name="Unsichtbar")
        network.save(update_fields=["short_name"])  # the signal marks the transaction as changed
        assert b"Unsichtbar" in client.get("/netzwerke/nz/").content
        transaction.set_rollback(True)
    assert b"Unsichtbar" not in client.get("/netzwerke/nz/").content


def test_signed_in_staff_always_get_a_fresh_page(client, network, django_assert_num_queries):
    client.force_login(get_user_model().objects.create_user("staff", password="x"))
    client.get("/netzwerke/nz/")
    Network.objects.filter(pk=network.pk).update(name="Geändert ohne Signal")
    assert "Geändert ohne Signal" in client.get("/netzwerke/nz/").content.decode()


def test_each_language_has_its_own_entry(client, network):
    german = client.get("/netzwerke/nz/")
    english = client.get("/en/netzwerke/nz/")
    assert german["Content-Language"] == "de" and english["Content-Language"] == "en"
    assert client.get("/en/netzwerke/nz/").content == english.content != german.content


def test_api_clients_with_a_token_are_not_served_from_the_cache(client, network):
    path = reverse("api:rest:network-list")
    client.get(path)
    Network.objects.filter(pk=network.pk).update(name="Frisch")
    assert "Frisch" not in client.get(path).content.decode()
    # The token is checked (and refused) by the view: the answer did not come from the cache.
    assert client.get(path, HTTP_AUTHORIZATION="Token abc").status_code == 401


@pytest.mark.parametrize(("namespaces", "stored"), [(["portal"], True), (["workspace"], False), ([], False)])
def test_only_views_of_the_public_namespaces_are_cached(namespaces, stored):
    """The same answer, fit for the cache in every other way: only the namespace decides."""

    def view(request):
        return HttpResponse("Liste der Zugänge")

    def request_for_the_view():
        request = RequestFactory().get("/arbeitsbereich/zugaenge/")
        request.resolver_match = type("Match", (), {"namespaces": namespaces})()
        return request

    middleware = PageCacheMiddleware(view)
    first = request_for_the_view()
    assert middleware.process_view(first, view, (), {}) is None
    middleware(first)
    assert (middleware.process_view(request_for_the_view(), view, (), {}) is not None) is stored


@pytest.mark.parametrize(
    ("status", "cookie", "cache_control", "stored"),
    [
        (200, None, None, True),
        (200, "csrftoken", None, False),  # a page with a form carries a personal token
        (404, None, None, False),
        (200, None, "private", False),
        (200, None, "no-store, max-age=0", False),
    ],
)
def test_only_answers_that_are_the_same_for_everybody_are_stored(status, cookie, cache_control, stored):
    def view(request):
        response = HttpResponse("Hallo", status=status)
        if cookie:
            response.set_cookie(cookie, "secret")
        if cache_control:
            response["Cache-Control"] = cache_control
        return response

    middleware = PageCacheMiddleware(lambda request: view(request))
    request = RequestFactory().get("/netzwerke/nz/")
    request.resolver_match = type("Match", (), {"namespaces": ["portal"]})()
    assert middleware.process_view(request, view, (), {}) is None
    middleware(request)
    again = RequestFactory().get("/netzwerke/nz/")
    again.resolver_match = request.resolver_match
    hit = middleware.process_view(again, view, (), {})
    assert (hit is not None) is stored
    if stored:
        assert hit.content == b"Hallo" and not hit.cookies


def _cache_keys():
    from django.core.cache import cache

    return list(cache._cache.keys())


def test_rows_of_apps_no_public_page_shows_are_deleted_without_loading_them():
    Session.objects.create(session_key="k" * 32, session_data="", expire_date=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        Session.objects.all().delete()
    statements = [query["sql"].split()[0] for query in queries.captured_queries]
    assert "SELECT" not in statements and statements.count("DELETE") == 1  # no receiver asks for each row


# Finding 8: pages with a personal token are never cached; Vary is honoured.


@pytest.fixture
def registration():
    import datetime as dt

    from meetings.models import Registration
    from register.models import Event

    start = timezone.now() + dt.timedelta(days=10)
    event = Event.objects.create(title="Inklusionsforum", slug="forum", start=start, end=start + dt.timedelta(hours=2))
    return Registration.objects.create(
        event=event,
        name="Amira Haddad",
        email="amira@example.org",
        status="confirmed",
        confirmed_at=timezone.now(),
        need_wheelchair_space=True,
        consent_at=timezone.now(),
    )


def test_a_registration_status_page_is_never_cached(client, registration, django_assert_max_num_queries):
    path = reverse("meetings:registration", args=[registration.cancel_token])
    first = client.get(path)
    assert "Amira Haddad" in first.content.decode()
    assert "no-store" in first["Cache-Control"] and "private" in first["Cache-Control"]
    second = client.get(path)
    assert "no-store" in second["Cache-Control"]
    assert not [value for value in _page_cache_values() if b"Amira Haddad" in value[2]]


def test_a_private_feed_key_in_the_address_is_never_cached(client, network):
    path = reverse("meetings:network_feed", args=[network.slug]) + "?key=abc"
    response = client.get(path)
    assert "no-store" in response["Cache-Control"]
    assert _page_cache_values() == []


def test_the_api_answers_json_only_and_the_cache_keeps_apart_what_accept_decides(client, network):
    """The API has one representation (no browsable HTML renderer with its forms). A client that takes
    only HTML is refused (406) – also after a JSON answer for the same address was cached."""
    path = reverse("api:rest:network-list")
    json_answer = client.get(path, HTTP_ACCEPT="application/json")
    assert json_answer.status_code == 200 and "Accept" in json_answer["Vary"]
    assert client.get(path, HTTP_ACCEPT="text/html").status_code == 406
    browser = client.get(path, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert browser.status_code == 200 and browser["Content-Type"].startswith("application/json")
    assert b"<form" not in browser.content and browser.json() == json_answer.json()


def test_an_answer_that_varies_on_the_cookie_is_only_reused_for_the_same_cookie():
    def view(request):
        response = HttpResponse(f"Hallo {request.COOKIES.get('name', 'Gast')}")
        response["Vary"] = "Cookie"
        return response

    middleware = PageCacheMiddleware(view)
    match = type("Match", (), {"namespaces": ["portal"]})()

    def answer(cookie):
        request = RequestFactory().get("/netzwerke/", HTTP_COOKIE=cookie)
        request.resolver_match = match
        return middleware.process_view(request, view, (), {}) or middleware(request)

    assert answer("name=Ada").content == b"Hallo Ada"
    assert answer("name=Bo").content == b"Hallo Bo"
    assert answer("name=Ada").content == b"Hallo Ada"


def _page_cache_values():
    import pickle

    from django.core.cache import caches

    stored = [pickle.loads(value) for value in caches["pages"]._cache.values()]  # noqa: S301 – our own test cache
    return [value for value in stored if isinstance(value, tuple)]
