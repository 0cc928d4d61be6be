"""The OParl 1.1 interface: walked from the System object and checked against the rules of 1.1."""

import contextlib
import datetime
from unittest import mock
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client
from django.utils import timezone, translation

from register.models import AgendaItem, Body, Category, Membership, Network, NetworkHost, Organisation, Person

from .body_importer import BodyImporter
from .conftest import SITE, build_register
from .oparl_rules import SCHEMA, Walker

OPARL = SITE + "/oparl/v1.1/"


@contextlib.contextmanager
def time_machine(moment):
    """Changes made inside happen at ``moment`` (timestamps of rows and tombstones)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def get(client, url, **extra):
    return client.get(url.removeprefix(SITE), **extra)


def all_pages(client, url):
    items = []
    while url:
        page = get(client, url).json()
        items.extend(page["data"])
        url = page["links"].get("next")
    return items


def test_the_whole_api_follows_the_rules_of_oparl_1_1(client, register_data):
    walker = Walker(client, SITE).walk()
    # Every kind of object is reached from the System object and checked.
    for oparl_type in ["Body", "Organization", "Person", "Membership", "Meeting", "AgendaItem", "File"]:
        assert walker.of_type(oparl_type), f"no {oparl_type} reached"
    assert walker.of_type("Location") and walker.of_type("LegislativeTerm")
    kinds = {obj.get("organizationType") for obj in walker.of_type("Organization")}
    assert kinds == {"Gremium", "Institution", "Sonstiges"}


def test_walking_with_paging_filters_and_omit_internal_keeps_them_in_every_link(client, register_data):
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    params = {"limit": "2", "created_since": since.replace("+", "%2B"), "omit_internal": "true"}
    walker = Walker(client, SITE, params=params).walk()
    assert walker.of_type("Organization") and walker.of_type("Person") and walker.of_type("Membership")


def test_a_walk_for_changes_meets_the_deleted_objects(client, register_data):
    since = (timezone.now() - datetime.timedelta(minutes=1)).isoformat().replace("+", "%2B")
    membership = Membership.objects.get(network=register_data[0], person__consent_to_publish=True)
    membership_url = f"{OPARL}membership/{membership.pk}"
    meeting = register_data[1].meetings.get(is_public=True)
    meeting.is_public = False
    meeting.save()
    membership.delete()
    walker = Walker(client, SITE, params={"modified_since": since, "limit": "3"}).walk()
    assert walker.deleted == {membership_url, f"{OPARL}meeting/{meeting.pk}"} | {
        f"{OPARL}agenda-item/{item.pk}" for item in meeting.agenda_items.filter(public=True)
    } | {f"{OPARL}file/{item.pk}" for item in meeting.files.filter(public=True)}
    assert Walker(client, SITE).walk().deleted == set()


def test_paging_is_stable_and_links_keep_the_filters(client, register_data):
    url = OPARL + "body/1/organizations?limit=2&modified_until=2100-01-01T00%3A00%3A00%2B01%3A00"
    first = get(client, url).json()
    assert first["pagination"] == {"elementsPerPage": 2}  # no count of the whole list (optional in OParl)
    links = first["links"]
    assert set(links) == {"first", "self", "next"}
    for link in links.values():
        query = dict(parse_qsl(urlsplit(link).query))
        assert query["modified_until"] == "2100-01-01T00:00:00+01:00"
        assert query["limit"] == "2"
    last_shown = first["data"][-1]["id"].rsplit("/", 1)[-1]  # e.g. network-12
    assert dict(parse_qsl(urlsplit(links["next"]).query))["after"] == last_shown
    ids = [obj["id"] for obj in all_pages(client, url)]
    assert len(ids) == len(set(ids)) == 7
    assert ids == [obj["id"] for obj in all_pages(client, url)]


def walk(client, url):
    """The ids of the objects of every page of a list, and the number of pages."""
    ids, pages = [], 0
    while url:
        page = get(client, url).json()
        ids.extend(obj["id"] for obj in page["data"])
        pages += 1
        if "next" in page["links"]:
            assert len(page["data"]) == page["pagination"]["elementsPerPage"]
        url = page["links"].get("next")
    return ids, pages


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("kind", ["organizations", "persons", "memberships", "meetings", "agenda-items", "files"])
def test_walking_the_pages_meets_every_object_exactly_once(client, db, kind, size):
    build_register(size)
    full, _pages = walk(client, f"{OPARL}body/1/{kind}?limit=100")
    assert full and len(full) == len(set(full))
    for limit in (1, 7, 50):
        ids, pages = walk(client, f"{OPARL}body/1/{kind}?limit={limit}")
        assert ids == full, limit
        assert pages == -(-len(full) // limit), limit


def test_objects_added_or_deleted_during_a_walk_move_no_other_object(client, register_data):
    url = f"{OPARL}body/1/organizations?limit=3"
    before = [obj["id"] for obj in all_pages(client, url)]
    first = get(client, url).json()
    network = register_data[0]
    assert first["data"][0]["id"] == f"{OPARL}organization/network-{network.pk}"
    network.events.all().delete()
    network.delete()
    added = Organisation.objects.create(name="Neu dazu", slug="neu-dazu")
    rest = [obj["id"] for obj in all_pages(client, first["links"]["next"])]
    institutions = [url for url in before[3:] if "/institution-" in url]
    actor_groups = [url for url in before[3:] if "/actor-group-" in url]
    assert rest == institutions + [f"{OPARL}organization/institution-{added.pk}"] + actor_groups


def test_the_organizations_of_a_body_are_its_networks_and_the_institutions_and_actor_groups(client, register_data):
    county, city = register_data[0].hosts.get().body, register_data[1].hosts.get().body
    county_items = all_pages(client, f"{OPARL}body/{county.pk}/organizations")
    city_items = all_pages(client, f"{OPARL}body/{city.pk}/organizations")
    assert [obj["id"] for obj in city_items] == [f"{OPARL}organization/network-{register_data[1].pk}"]
    assert {obj["organizationType"] for obj in county_items} == {"Gremium", "Institution", "Sonstiges"}
    unit = Organisation.objects.filter(parent__isnull=False).first()
    unit_object = next(obj for obj in county_items if obj["id"] == f"{OPARL}organization/institution-{unit.pk}")
    assert unit_object["subOrganizationOf"] == f"{OPARL}organization/institution-{unit.parent_id}"
    network = next(obj for obj in county_items if obj["organizationType"] == "Gremium")
    assert network["classification"] == "Arbeitskreis"
    # OParl's open vocabulary is the models' German labels, as the pages show them.
    assert {seat["role"] for seat in network["vernetzt:seat"]} == {"Mitglied", "beratendes Mitglied"}
    institution = Organisation.objects.get(pk=unit.parent_id)
    parent_url = f"{OPARL}organization/institution-{institution.pk}"
    parent_object = next(obj for obj in county_items if obj["id"] == parent_url)
    with translation.override("de"):
        assert parent_object["classification"] == str(Category(institution.category).label)


def test_only_persons_who_consented_are_published(client, register_data):
    hidden = Person.objects.get(family_name__startswith="Verborgen", memberships__network=register_data[0])
    walker = Walker(client, SITE).walk()
    names = {person["familyName"] for person in walker.of_type("Person")}
    assert names == {"Muster " + n.name.split()[-1] for n in register_data}
    assert get(client, f"{OPARL}person/{hidden.pk}").status_code == 404
    hidden_membership = hidden.memberships.get()
    assert get(client, f"{OPARL}membership/{hidden_membership.pk}").status_code == 404
    assert all(m["person"] != f"{OPARL}person/{hidden.pk}" for m in walker.of_type("Membership"))
    # Its network names the memberships of the persons who consented, never the hidden one.
    network = next(o for o in walker.of_type("Organization") if o["id"].endswith(f"network-{register_data[0].pk}"))
    shown = Membership.objects.filter(network=register_data[0], person__consent_to_publish=True)
    assert network["membership"] == [f"{OPARL}membership/{m.pk}" for m in shown]


def test_internal_meetings_and_agenda_items_stay_internal(client, register_data):
    walker = Walker(client, SITE).walk()
    assert {m["name"] for m in walker.of_type("Meeting")} == {f"Sitzung {n.name.split()[-1]}" for n in register_data}
    assert {item["name"] for item in walker.of_type("AgendaItem")} == {"Begrüßung"}


def test_omit_internal_leaves_out_every_embedded_list(client, register_data):
    persons = get(client, OPARL + "body/1/persons?omit_internal=true").json()["data"]
    assert persons and all("membership" not in person for person in persons)
    meetings = get(client, OPARL + "body/1/meetings?omit_internal=true").json()["data"]
    assert meetings and all("agendaItem" not in meeting and "auxiliaryFile" not in meeting for meeting in meetings)
    items = get(client, OPARL + "body/1/agenda-items?omit_internal=true").json()["data"]
    assert items and all("auxiliaryFile" not in item for item in items)
    bodies = get(client, OPARL + "bodies?omit_internal=true").json()["data"]
    assert bodies and all("legislativeTerm" not in body for body in bodies)
    full = get(client, OPARL + "body/1/meetings").json()["data"]
    assert full[0]["agendaItem"][0]["auxiliaryFile"]
    assert get(client, OPARL + "bodies").json()["data"][0]["legislativeTerm"]


def test_created_and_modified_filters(client, register_data):
    url = OPARL + "body/1/organizations"
    everything = len(all_pages(client, url))
    future = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    past = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    assert get(client, url, data={"modified_since": future}).json()["data"] == []
    assert get(client, url, data={"created_until": past}).json()["data"] == []
    assert len(all_pages(client, f"{url}?{urlencode({'created_since': past})}")) == everything
    network = register_data[0]
    Network.objects.filter(pk=network.pk).update(modified=timezone.now() + datetime.timedelta(days=2))
    changed = get(client, url, data={"modified_since": (timezone.now() + datetime.timedelta(days=1)).isoformat()})
    assert [obj["id"] for obj in changed.json()["data"]] == [f"{OPARL}organization/network-{network.pk}"]


def test_deleted_objects_keep_their_url_and_appear_only_with_modified_since(client, register_data):
    before = (timezone.now() - datetime.timedelta(minutes=1)).isoformat()
    network = register_data[0]
    membership = Membership.objects.get(network=network, person__consent_to_publish=True)
    membership_url = f"{OPARL}membership/{membership.pk}"
    created = get(client, membership_url).json()["created"]
    membership.delete()

    gone = get(client, membership_url)
    assert gone.status_code == 200
    data = gone.json()
    assert data["deleted"] is True and data["created"] == created
    assert set(data) == {"id", "type", "created", "modified", "deleted"}
    assert data["type"] == SCHEMA + "Membership"

    plain = [m["id"] for m in all_pages(client, OPARL + "body/1/memberships")]
    assert membership_url not in plain
    since = get(client, OPARL + "body/1/memberships", data={"modified_since": before}).json()["data"]
    assert {"id": membership_url, "deleted": True}.items() <= next(
        m for m in since if m["id"] == membership_url
    ).items()
    later = (timezone.now() + datetime.timedelta(minutes=1)).isoformat()
    assert get(client, OPARL + "body/1/memberships", data={"modified_since": later}).json()["data"] == []


def test_withdrawn_consent_depublishes_the_person_and_their_memberships(client, register_data):
    before = (timezone.now() - datetime.timedelta(minutes=1)).isoformat()
    person = Person.objects.get(consent_to_publish=True, memberships__network=register_data[0])
    membership = person.memberships.get()
    person.consent_to_publish = False
    person.save()
    assert get(client, f"{OPARL}person/{person.pk}").json()["deleted"] is True
    assert get(client, f"{OPARL}membership/{membership.pk}").json()["deleted"] is True
    listed = get(client, OPARL + "body/1/persons", data={"modified_since": before}).json()["data"]
    assert next(p for p in listed if p["id"] == f"{OPARL}person/{person.pk}")["deleted"] is True
    assert f"{OPARL}person/{person.pk}" not in [p["id"] for p in all_pages(client, OPARL + "body/1/persons")]

    person.consent_to_publish = True
    person.save()
    assert "deleted" not in get(client, f"{OPARL}person/{person.pk}").json()


def test_errors_are_oparl_error_objects_with_cors(client, register_data):
    for url, status in [
        ("/oparl/v1.1/organization/network-999999", 404),
        ("/oparl/v1.1/nothing/here", 404),
        ("/oparl/v1.1/body/1/organizations?modified_since=yesterday", 400),
        ("/oparl/v1.1/body/1/organizations?limit=0", 400),
        ("/oparl/v1.1/body/1/organizations?page=2", 400),
        ("/oparl/v1.1/body/1/organizations?after=network", 400),
        ("/oparl/v1.1/body/1/organizations?after=person-1", 400),
        ("/oparl/v1.1/body/1/organizations?after=network-99999999999999999999", 400),
        ("/oparl/v1.1/person/007", 404),
        ("/oparl/v1.0/system", 404),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert response["Access-Control-Allow-Origin"] == "*"
        error = response.json()
        assert error["type"] == "https://schema.oparl.org/1.1/Error" and error["message"], url
    response = client.post("/oparl/v1.1/system")
    assert response.status_code == 405 and response.json()["type"].endswith("/Error")


def test_a_public_file_can_be_downloaded_from_its_access_url(client, register_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting_file = register_data[0].meetings.get(is_public=True).files.get()
    access_url = get(client, f"{OPARL}file/{meeting_file.pk}").json()["accessUrl"]
    assert get(client, access_url).status_code == 404  # nothing stored yet: an error object, not a crash
    (tmp_path / "meetings").mkdir()
    (tmp_path / "meetings" / "einladung.pdf").write_bytes(b"%PDF-1.4 Einladung")
    response = get(client, access_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 Einladung"
    meeting_file.public = False
    meeting_file.save()
    assert get(client, access_url).status_code == 404


def test_another_host_name_is_redirected_to_the_canonical_url(client, register_data):
    """OParl 1.1, 2.3: one URL per object – localhost is sent to the configured 127.0.0.1:8000."""
    response = client.get("/oparl/v1.1/body/1/persons?limit=5", HTTP_HOST="localhost:8000")
    assert response.status_code == 301
    assert response["Location"] == OPARL + "body/1/persons?limit=5"
    assert response["Access-Control-Allow-Origin"] == "*"
    system = client.get("/oparl/v1.1/system").json()
    assert system["id"] == OPARL + "system" and system["body"] == OPARL + "bodies"


def test_without_a_site_url_ids_name_the_host_and_port_the_server_was_reached_on(register_data, settings):
    """No VERNETZT_SITE_URL: ids follow the request's port; another host name goes to the first allowed host."""
    settings.SITE_URL = ""
    client = Client(HTTP_HOST="127.0.0.1:8123")
    system = client.get("/oparl/v1.1/system").json()
    assert system["id"] == "http://127.0.0.1:8123/oparl/v1.1/system"
    assert system["website"] == "http://127.0.0.1:8123/"
    body = client.get("/oparl/v1.1/body/1").json()
    assert all(
        value.startswith("http://127.0.0.1:8123/")
        for key, value in body.items()
        if isinstance(value, str) and "://" in value and key not in ("website", "type")
    )
    moved = Client(HTTP_HOST="localhost:8123").get("/oparl/v1.1/system")
    assert moved.status_code == 301 and moved["Location"] == "http://127.0.0.1:8123/oparl/v1.1/system"
    Walker(client, "http://127.0.0.1:8123").walk()


def test_writing_and_preflight_answer_as_oparl_with_cors_not_as_the_csrf_page(register_data):
    client = Client(HTTP_HOST="127.0.0.1:8000", enforce_csrf_checks=True)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/oparl/v1.1/body/1", data="{}", content_type="application/json")
        assert response.status_code == 405, method
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response.json()["type"] == SCHEMA + "Error"
        assert "OPTIONS" in response["Allow"]
    preflight = client.options("/oparl/v1.1/system", HTTP_ORIGIN="https://example.org")
    assert preflight.status_code == 204 and preflight["Access-Control-Allow-Origin"] == "*"
    assert client.post("/oparl/v9/system").json()["type"] == SCHEMA + "Error"


def test_a_server_error_is_an_oparl_error_object(client, register_data, monkeypatch):
    from api.oparl import objects

    def broken(*args, **kwargs):
        raise RuntimeError("broken")

    monkeypatch.setitem(objects.SERIALIZERS, Body, broken)
    response = client.get("/oparl/v1.1/body/1")
    assert response.status_code == 500 and response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["type"] == SCHEMA + "Error"


def test_a_file_is_shown_at_its_access_url_and_saved_from_its_download_url(client, register_data, settings, tmp_path):
    """OParl 1.1, 2.7: downloadUrl answers with Content-Disposition: attachment."""
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "meetings").mkdir()
    (tmp_path / "meetings" / "einladung.pdf").write_bytes(b"%PDF-1.4 Einladung")
    meeting_file = register_data[0].meetings.get(is_public=True).files.get()
    data = get(client, f"{OPARL}file/{meeting_file.pk}").json()
    assert data["accessUrl"] != data["downloadUrl"]
    shown, saved = get(client, data["accessUrl"]), get(client, data["downloadUrl"])
    assert shown["Content-Disposition"] == 'inline; filename="einladung.pdf"'
    assert saved["Content-Disposition"] == 'attachment; filename="einladung.pdf"'
    assert saved["Access-Control-Allow-Origin"] == "*"
    assert b"".join(saved.streaming_content) == b"%PDF-1.4 Einladung"
    Walker(client, SITE).walk()  # the walk checks both URLs of every file


def test_agenda_items_are_ordered_from_0(client, register_data):
    meeting = register_data[0].meetings.get(is_public=True)
    meeting.agenda_items.update(public=True)
    AgendaItem.objects.create(meeting=meeting, number="3", position=7, name="Verschiedenes", public=True)
    data = get(client, f"{OPARL}meeting/{meeting.pk}").json()
    assert [item["order"] for item in data["agendaItem"]] == [0, 1, 2]
    assert [item["number"] for item in data["agendaItem"]] == ["1", "2", "3"]
    meeting.agenda_items.filter(number="2").update(public=False)
    data = get(client, f"{OPARL}meeting/{meeting.pk}").json()
    assert [item["order"] for item in data["agendaItem"]] == [0, 2]  # the place in the meeting stays


def test_embedded_objects_leave_out_their_back_references(client, register_data):
    meeting = register_data[0].meetings.get(is_public=True)
    data = get(client, f"{OPARL}meeting/{meeting.pk}").json()
    item = data["agendaItem"][0]
    assert "meeting" not in item and "meeting" not in item["auxiliaryFile"][0]
    assert "agendaItem" not in item["auxiliaryFile"][0]
    own = get(client, item["id"]).json()
    assert own["meeting"] == data["id"]
    assert get(client, item["auxiliaryFile"][0]["id"]).json()["meeting"] == [data["id"]]
    person = next(p for p in get(client, OPARL + "body/1/persons").json()["data"] if p.get("membership"))
    assert all("person" not in membership for membership in person["membership"])
    assert get(client, person["membership"][0]["id"]).json()["person"] == person["id"]
    body = get(client, OPARL + "body/1").json()
    assert body["legislativeTerm"] and all("body" not in term for term in body["legislativeTerm"])


def test_a_body_names_every_list_of_oparl_1_1_and_its_official_keys(client, register_data):
    county = get(client, OPARL + "body/1").json()
    for name in (
        "organization",
        "person",
        "meeting",
        "paper",
        "consultation",
        "agendaItem",
        "file",
        "membership",
        "locationList",
        "legislativeTermList",
    ):
        assert get(client, county[name]).status_code == 200, name
    assert get(client, county["consultation"]).json()["data"] == []
    assert (county["ags"], county["rgs"]) == ("06432000", "064320000000")
    city = Body.objects.get(slug="darmstadt")
    assert get(client, f"{OPARL}body/{city.pk}").json()["ags"] == "06411000"


@pytest.mark.parametrize(
    "path",
    [
        "bodies",
        "body/1/organizations",
        "body/1/persons",
        "body/1/memberships",
        "body/1/meetings",
        "body/1/agenda-items",
        "body/1/files",
        "body/{city}/organizations",
    ],
)
def test_lists_need_the_same_number_of_queries_however_much_data(client, db, django_assert_max_num_queries, path):
    """3 networks with all they hold, then 30: no page, first or deep, needs more queries."""
    build_register(3)
    path = path.format(city=Body.objects.get(slug="darmstadt").pk)
    with django_assert_max_num_queries(25) as small:
        assert client.get(OPARL + path).status_code == 200
    build_register(27)
    url = OPARL + path + "?limit=5"
    for _page in range(12):  # the first page and deeper ones, through every source of the list
        with django_assert_max_num_queries(len(small.captured_queries)):
            page = get(client, url).json()
        url = page["links"].get("next")
        if not url:
            break


def test_the_seeds_networks_and_memberships_are_all_reachable(client, demo):
    walker = Walker(client, SITE).walk()
    organizations = {obj["id"]: obj for obj in walker.of_type("Organization")}
    seats = set()
    for network in Network.objects.all():
        url = f"{OPARL}organization/network-{network.pk}"
        assert url in organizations, network.name
        seats.update(seat["vernetzt:membershipId"] for seat in organizations[url].get("vernetzt:seat", []))
        for seat in organizations[url].get("vernetzt:seat", []):
            assert seat["organization"] in organizations
    memberships = {obj["id"] for obj in walker.of_type("Membership")}
    for membership in Membership.objects.all():
        if membership.person_id:
            assert f"{OPARL}membership/{membership.pk}" in memberships or not membership.person.is_public
        else:
            assert membership.pk in seats, membership
    assert Membership.objects.count() >= 64


def test_error_messages_are_in_german_the_language_of_the_data(client, db):
    """The interfaces have no language prefix, so they answer in the default language."""
    response = client.get("/oparl/v1.1/body/1/persons?limit=none", HTTP_ACCEPT_LANGUAGE="de")
    assert response.json()["message"] == "Der Parameter limit erwartet eine ganze Zahl ab 1."
    assert client.get("/oparl/v1.1/person/1").json()["message"] == "Dieses Objekt gibt es nicht."


def test_an_object_counts_as_modified_when_what_it_shows_changes(client, register_data):
    network = register_data[0]
    network_url = f"{OPARL}organization/network-{network.pk}"
    seat = Membership.objects.get(network=network, organisation__isnull=False)
    meeting = network.meetings.get(is_public=True)
    meeting_url = f"{OPARL}meeting/{meeting.pk}"
    before = {url: get(client, url).json()["modified"] for url in (network_url, meeting_url)}
    later = timezone.now() + datetime.timedelta(seconds=2)

    with time_machine(later):
        seat.delete()
        meeting.files.get().delete()
    for url in (network_url, meeting_url):
        assert get(client, url).json()["modified"] > before[url], url
    since = {"modified_since": (later - datetime.timedelta(seconds=1)).isoformat()}
    changed = [obj["id"] for obj in get(client, OPARL + "body/1/organizations", data=since).json()["data"]]
    assert changed == [network_url]
    memberships = get(client, OPARL + "body/1/memberships", data=since).json()["data"]
    assert memberships == []  # a seat is no OParl Membership, not even when deleted


def joint_register():
    """The test register and a joint network as MiGe: hosted first by the city, then by the county, with
    county persons in it – and a city network with a county person."""
    networks = build_register(2)
    county, city = Body.objects.get(ags="06432"), Body.objects.get(slug="darmstadt")
    joint = Network.objects.create(name="Arbeitskreis Migration und Gesundheit", slug="mige", short_name="MiGe")
    NetworkHost.objects.create(network=joint, body=city, position=0)
    NetworkHost.objects.create(network=joint, body=county, position=1)
    for person in Person.objects.filter(consent_to_publish=True):
        Membership.objects.create(network=joint, person=person, role="member")
    return county, city, joint, networks


def test_a_joint_network_belongs_to_the_county_that_co_hosts_it(client, db):
    county, city, joint, _networks = joint_register()
    county_organizations = [o["id"] for o in all_pages(client, f"{OPARL}body/{county.pk}/organizations")]
    city_organizations = [o["id"] for o in all_pages(client, f"{OPARL}body/{city.pk}/organizations")]
    assert f"{OPARL}organization/network-{joint.pk}" in county_organizations
    assert f"{OPARL}organization/network-{joint.pk}" not in city_organizations
    network = get(client, f"{OPARL}organization/network-{joint.pk}").json()
    assert network["body"] == f"{OPARL}body/{county.pk}"
    assert set(network["vernetzt:host"]) == {f"{OPARL}body/{city.pk}", f"{OPARL}body/{county.pk}"}
    Walker(client, SITE).walk()


def test_the_home_body_lists_the_networks_nobody_hosts_and_not_those_of_another_body(client, db):
    """``Network.hosted``, kept by every change of a network's hosts and by its own saves, decides which
    networks the home body lists besides its own."""
    county, city, _joint, _networks = joint_register()
    assert county.pk == Body.home_pk()
    alone = Network.objects.create(name="Runder Tisch ohne Träger", slug="runder-tisch")
    read_before = Network.objects.get(pk=alone.pk)
    url = f"{OPARL}organization/network-{alone.pk}"

    def home_lists():
        return url in {o["id"] for o in all_pages(client, f"{OPARL}body/{county.pk}/organizations")}

    assert home_lists()  # nobody hosts it
    host = NetworkHost.objects.create(network=alone, body=city)
    assert not home_lists()  # the city's now
    read_before.save()  # read while it had no host: saved, it is still hosted
    assert not home_lists()
    host.delete()
    assert home_lists()


def test_every_body_imports_on_its_own_as_meine_stadt_transparent_does(client, db):
    """One body at a time, from an empty client: no body's import aborts, and every embedded membership's
    organization is found in the lists of the person's own body."""
    county, city, joint, networks = joint_register()
    imports = {}
    for body in (county, city):
        imports[body] = BodyImporter(client, SITE, f"{OPARL}body/{body.pk}").run()
    county_import = imports[county]
    memberships = {m["organization"] for m in county_import.of_type("Membership")}
    assert f"{OPARL}organization/network-{joint.pk}" in memberships
    assert not county_import.loaded_alone, county_import.loaded_alone
    assert {p["id"] for p in county_import.of_type("Person")} == {
        f"{OPARL}person/{pk}" for pk in Person.objects.filter(consent_to_publish=True).values_list("pk", flat=True)
    }
    city_network = next(n for n in networks if n.hosts.get().body == city)
    city_import = imports[city]
    assert f"{OPARL}organization/network-{city_network.pk}" in {o["id"] for o in city_import.of_type("Organization")}
    assert city_import.of_type("Meeting") and city_import.of_type("AgendaItem")


def test_the_seed_imports_body_by_body(client, demo):
    for body in Body.objects.all():
        BodyImporter(client, SITE, f"{OPARL}body/{body.pk}").run()


def test_a_seat_is_an_object_with_id_and_type_and_its_url_answers(client, register_data):
    network = get(client, f"{OPARL}organization/network-{register_data[0].pk}").json()
    seats = network["vernetzt:seat"]
    assert seats and all(seat["type"] == "vernetzt:Seat" and seat["id"].startswith(OPARL + "seat/") for seat in seats)
    own = get(client, seats[0]["id"]).json()
    assert own["vernetzt:network"] == network["id"] and own["organization"] == seats[0]["organization"]
    Membership.objects.get(pk=seats[0]["vernetzt:membershipId"]).delete()
    gone = get(client, seats[0]["id"]).json()
    assert gone["deleted"] is True and gone["type"] == "vernetzt:Seat"
