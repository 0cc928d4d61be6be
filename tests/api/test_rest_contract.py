"""The JSON API's contract beyond the happy path: errors, limits, language, tokens and rate limits."""

import datetime
import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken, hash_key
from register.models import Network, Organisation

from .conftest import SITE, make_user

API = "/api/v1/"


def client(key=None, **headers):
    api = APIClient(**headers)
    if key:
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_the_root_answers_json_with_links_to_its_parts(db):
    response = client().get(API)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    links = response.json()
    assert set(links) == {
        "networks", "organisations", "actor-groups", "memberships", "events", "municipalities",
        "schema", "docs", "oparl",
    }  # fmt: skip
    assert links["oparl"] == SITE + "/oparl/v1.1/system"
    for name, url in links.items():
        path = url.removeprefix("http://testserver").removeprefix(SITE)
        assert client(HTTP_HOST="127.0.0.1:8000").get(path).status_code == 200, name


@pytest.mark.parametrize(
    "path",
    [
        "/api/",
        "/api/v1/nothing/",
        "/api/v1/networks/abc/",
        "/api/v1/networks/-1/",
        "/api/v2/networks/",
        "/api",
        "/api/v1/organisations/%C3%98z%0Al/",  # a line break in the path (found by schemathesis)
    ],
)
def test_every_unknown_path_below_api_answers_json_not_the_html_page(db, path):
    for method in ("get", "post", "delete"):
        response = getattr(client(), method)(path)
        assert response.status_code == 404, (method, path)
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]


def test_a_known_path_without_its_slash_is_redirected(db):
    response = client().get("/api/v1/networks?limit=5")
    assert response.status_code == 301 and response["Location"] == "/api/v1/networks/?limit=5"


def test_errors_come_in_the_language_the_client_asks_for(db):
    german = client(HTTP_ACCEPT_LANGUAGE="de").get("/api/v1/nothing/").json()["detail"]
    english = client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/nothing/").json()["detail"]
    assert german.startswith("Diesen Pfad") and english.startswith("There is no such path")
    assert client().get("/api/v1/nothing/").json()["detail"] == german  # German when nothing is asked for
    limit = client(HTTP_ACCEPT_LANGUAGE="en").get(API + "networks/", {"limit": "abc"})
    assert limit.json() == {"limit": ["The parameter limit needs a whole number of at least 1."]}
    assert limit["Content-Language"] == "en" and "Accept-Language" in limit["Vary"]
    oparl = client(HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="127.0.0.1:8000")
    assert oparl.get("/oparl/v1.1/person/1").json()["message"] == "There is no such object."
    user, key = make_user("office")
    refused = client(key, HTTP_ACCEPT_LANGUAGE="en").post(API + "networks/", {"name": 0}, format="json")
    assert refused.json()["name"] == ["Give text (a string)."]


@pytest.mark.parametrize("value", ["0", "-5", "abc", "", "1.5"])
def test_a_bad_limit_is_answered_the_same_way_by_rest_and_oparl(db, value, settings):
    settings.SITE_URL = SITE
    rest = client().get(API + "networks/", {"limit": value})
    oparl = client(HTTP_HOST="127.0.0.1:8000").get("/oparl/v1.1/bodies", {"limit": value})
    assert rest.status_code == oparl.status_code == 400
    assert rest.json()["limit"] == [oparl.json()["message"]]


def test_a_large_limit_gives_the_largest_page_in_both(db, settings):
    settings.SITE_URL = SITE
    assert client().get(API + "municipalities/", {"limit": "100000"}).status_code == 200
    page = client(HTTP_HOST="127.0.0.1:8000").get("/oparl/v1.1/bodies", {"limit": "100000"}).json()
    assert page["pagination"]["elementsPerPage"] == 100


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", 0), ("name", ["x"]), ("name", ""), ("name", "   "), ("name", "Zeile\neins"), ("since_year", "2010"),
     ("since_year", 1800), ("open_to_public", "yes"), ("open_to_public", 1), ("term_years", 0)],
)  # fmt: skip
def test_fields_take_only_what_the_description_allows(db, field, value):
    user, key = make_user("office")
    data = {"name": "Netzwerk Sprache", field: value}
    response = client(key).post(API + "networks/", data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Network.objects.filter(name__in=["0", "Netzwerk Sprache"]).exists()


def test_deeply_nested_json_is_a_malformed_request_not_a_server_error(db):
    user, key = make_user("office")
    body = "[" * 100_000 + "]" * 100_000
    response = client(key).generic("POST", API + "networks/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"]
    other = client(key).generic("POST", API + "networks/", "name=x", content_type="application/x-www-form-urlencoded")
    assert other.status_code == 415


def test_the_description_declares_anonymous_reading_and_every_answer(db):
    description = client().get(API + "schema/", {"format": "json"}).json()
    for path, operations in description["paths"].items():
        for method, operation in operations.items():
            if method == "get":
                assert {} in operation["security"], path
                assert {"401", "429"} <= set(operation["responses"]), path
            else:
                assert {} not in operation["security"], (method, path)
                assert {"401", "403", "409", "429"} <= set(operation["responses"]), (method, path)
    network = description["components"]["schemas"]["NetworkRequest"]["properties"]
    assert network["name"]["minLength"] == 1 and "pattern" in network["name"]
    assert (network["since_year"]["minimum"], network["since_year"]["maximum"]) == (1900, 2100)


# --- Tokens -----------------------------------------------------------------------------------------


def test_tokens_are_stored_hashed_and_only_their_beginning_is_kept(db):
    user = User.objects.create_user("integration")
    token, key = ApiToken.issue(user, scope=ApiToken.Scope.WRITE, days=30)
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert key not in json.dumps(stored, default=str)
    assert stored["key_hash"] == hash_key(key) and key.startswith(stored["prefix"])
    assert ApiToken.active(key) == token


def test_a_read_token_cannot_write_and_an_expired_or_revoked_one_is_refused(db):
    user, read_key = make_user("office", scope=ApiToken.Scope.READ)
    refused = client(read_key).post(API + "organisations/", {"name": "Neu"}, format="json")
    assert refused.status_code == 403 and "write" in refused.json()["detail"]
    assert client(read_key).get(API + "networks/").status_code == 200
    write_key = ApiToken.issue(user, scope=ApiToken.Scope.WRITE)[1]
    assert client(write_key).post(API + "organisations/", {"name": "Neu"}, format="json").status_code == 201
    ApiToken.objects.filter(key_hash=hash_key(write_key)).update(expires_at=timezone.now())
    expired = client(write_key).get(API + "networks/")
    assert expired.status_code == 401 and expired["WWW-Authenticate"] == "Token"
    ApiToken.objects.get(key_hash=hash_key(read_key)).revoke()
    assert client(read_key).get(API + "networks/").status_code == 401
    assert client("not-a-key").get(API + "networks/").status_code == 401


def test_a_token_is_made_by_a_command_and_works_at_once(db):
    user = User.objects.create_user("integration")
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "integration", "--scope", "write", "--days", "7", stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.active(key)
    assert token.user == user and token.scope == "write"
    assert 6 <= (token.expires_at - timezone.now()).days <= 7
    assert "shown only now" in err.getvalue()
    assert client(key).get(API + "networks/").status_code == 200
    with pytest.raises(Exception, match="between 1 and 365"):
        call_command("create_api_token", "integration", "--days", "1000")


def test_the_office_makes_and_revokes_tokens_in_the_admin(db, admin_client):
    user = User.objects.create_user("integration")
    response = admin_client.post(
        "/admin/api/apitoken/add/", {"user": user.pk, "name": "Website", "scope": "read", "days": 30}, follow=True
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    shown = [str(message) for message in response.context["messages"]]
    key = next(text.split(" ")[3] for text in shown if token.prefix in text)
    assert ApiToken.active(key) == token
    admin_client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert ApiToken.active(key) is None


# --- Rate limits ------------------------------------------------------------------------------------


def test_too_many_requests_are_answered_with_429_and_retry_after(db, settings, time_machine):
    # 45 seconds into a minute (the clock stands still): the window of "3/minute" ends in 15 seconds.
    time_machine.move_to(datetime.datetime(2026, 12, 1, 10, 0, 45, tzinfo=datetime.UTC), tick=False)
    rates = {"anon": "3/minute", "user": "5/minute", "write": "2/minute"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        anonymous = [client().get(API + "networks/", {"limit": n}).status_code for n in range(1, 5)]
        assert anonymous == [200, 200, 200, 429]
        limited = client().get(API + "networks/")
        assert limited.json()["detail"] and limited["Retry-After"] == "15"
        user, key = make_user("office")
        writes = [
            client(key).post(API + "organisations/", {"name": f"Verein {n}"}, format="json").status_code
            for n in range(3)
        ]
        assert writes == [201, 201, 429]
        assert client(key).get(API + "networks/").status_code == 200  # reading goes on
    assert Organisation.objects.filter(name__startswith="Verein ").count() == 2


def test_the_requests_are_counted_per_window_and_each_counts_once(db, settings, time_machine):
    """A client's count starts again when the window of its rate ends, and every request counts, as
    many as are sent (the count is one increment in the cache, not a list read and written back)."""
    time_machine.move_to(datetime.datetime(2026, 12, 1, 10, 0, 59, tzinfo=datetime.UTC), tick=False)
    rates = {"anon": "50/minute", "user": "1000/minute", "write": "10/minute"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        # Another address each time (the list ignores "offset"): the page cache answers none of them.
        statuses = [client().get(API + "networks/", {"limit": 1, "offset": n}).status_code for n in range(51)]
        assert statuses.count(200) == 50 and statuses[-1] == 429
        time_machine.move_to(datetime.datetime(2026, 12, 1, 10, 1, 0, tzinfo=datetime.UTC), tick=False)
        assert client().get(API + "networks/", {"limit": 1, "offset": 51}).status_code == 200  # a new minute
