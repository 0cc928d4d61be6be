"""The JSON API: public reads, writes with a token under the workspace's permission rules."""

import pytest
from rest_framework.test import APIClient

from register.models import ChangeRecord, Membership, Network, Organisation, Person

from .conftest import build_register, make_user

API = "/api/v1/"


def token_client(key=None):
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def network(register_data):
    return register_data[0]


@pytest.fixture
def other_network(register_data):
    return register_data[1]


def clients(role, network):
    if role == "anonymous":
        return token_client()
    user, key = make_user(role, network if role in {"coordinator", "member"} else None)
    return token_client(key)


def test_everything_public_can_be_read_without_a_token(register_data):
    client = token_client()
    for endpoint in ["networks", "organisations", "actor-groups", "memberships", "events", "municipalities"]:
        response = client.get(API + endpoint + "/")
        assert response.status_code == 200, endpoint
        assert set(response.json()) == {"next", "previous", "results"}, endpoint  # keyset pages: no count
    networks = client.get(API + "networks/").json()["results"]
    assert {n["name"] for n in networks} == {n.name for n in register_data}
    assert networks[0]["hosts"][0]["body_name"]
    assert len(client.get(API + "municipalities/", {"limit": 100}).json()["results"]) == 23


def test_memberships_show_persons_only_with_their_consent(register_data):
    listed = token_client().get(API + "memberships/", {"network": register_data[0].pk}).json()["results"]
    hidden = Person.objects.filter(consent_to_publish=False).values_list("pk", flat=True)
    assert len(listed) == 3
    assert all(m["person"] not in hidden for m in listed)
    assert {m["member_name"] for m in listed if m["person"]} == {f"Erika Muster {register_data[0].name.split()[-1]}"}
    hidden_membership = Membership.objects.filter(person__consent_to_publish=False).first()
    assert token_client().get(f"{API}memberships/{hidden_membership.pk}/").status_code == 404


def test_only_public_events_are_listed(register_data):
    events = token_client().get(API + "events/", {"network": register_data[0].pk}).json()["results"]
    assert [event["title"] for event in events] == [f"Forum {register_data[0].slug.split('-')[-1]}"]


def test_the_filter_needs_a_network_id(register_data):
    response = token_client().get(API + "memberships/", {"network": "MiLa"})
    assert response.status_code == 400
    assert "network" in response.json()


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 401), ("member", 403), ("coordinator", 200), ("office", 200)]
)
def test_changing_a_network_needs_office_or_its_coordinator(network, role, status):
    response = clients(role, network).patch(f"{API}networks/{network.pk}/", {"purpose": "Austausch"}, format="json")
    assert response.status_code == status
    network.refresh_from_db()
    assert (network.purpose == "Austausch") is (status == 200)


def test_a_coordinator_cannot_change_another_network(network, other_network):
    client = clients("coordinator", network)
    response = client.patch(f"{API}networks/{other_network.pk}/", {"purpose": "Übernahme"}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("coordinator", 403), ("office", 201)])
def test_creating_a_network_is_for_the_office(network, role, status):
    data = {"name": "Netzwerk Sprache", "classification": "forum", "organization_type": "other"}
    response = clients(role, network).post(API + "networks/", data, format="json")
    assert response.status_code == status
    assert Network.objects.filter(name="Netzwerk Sprache").exists() is (status == 201)
    if status == 201:
        assert response.json()["slug"] == "netzwerk-sprache"


@pytest.mark.parametrize(("role", "status"), [("coordinator", 403), ("office", 204)])
def test_deleting_a_network_is_for_the_office(network, role, status):
    network.events.all().delete()
    response = clients(role, network).delete(f"{API}networks/{network.pk}/")
    assert response.status_code == status
    assert Network.objects.filter(pk=network.pk).exists() is (status == 403)


def test_a_network_with_events_cannot_be_deleted(network):
    response = clients("office", network).delete(f"{API}networks/{network.pk}/")
    assert response.status_code == 409
    assert (
        response.json()["detail"]
        == "Auf diesen Eintrag wird noch an anderer Stelle verwiesen; er kann nicht gelöscht werden."
    )


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("coordinator", 403), ("office", 201)])
def test_organisations_are_kept_by_the_office(network, role, status):
    parent = Organisation.objects.filter(parent__isnull=True).first()
    data = {"name": "Migrationsberatung", "parent": parent.pk, "category": "welfare"}
    response = clients(role, network).post(API + "organisations/", data, format="json")
    assert response.status_code == status
    if status == 201:
        assert response.json()["parent"] == parent.pk
        assert token_client().get(f"{API}organisations/{parent.pk}/").json()["units"][-1] == response.json()["id"]


def test_a_coordinator_keeps_the_memberships_of_their_network_and_is_recorded_as_author(network, other_network):
    user, key = make_user("coordinator", network)
    client = token_client(key)
    organisation = Organisation.objects.filter(parent__isnull=True).first()
    data = {"network": network.pk, "organisation": organisation.pk, "role": "guest"}
    response = client.post(API + "memberships/", data, format="json")
    assert response.status_code == 201, response.content
    created = Membership.objects.get(pk=response.json()["id"])
    record = ChangeRecord.objects.filter(object_id=created.pk, action="create").latest("pk")
    assert (record.user, record.source) == (user, "api")

    assert client.patch(f"{API}memberships/{created.pk}/", {"role": "advisory"}, format="json").status_code == 200
    moved = client.patch(f"{API}memberships/{created.pk}/", {"network": other_network.pk}, format="json")
    assert moved.status_code == 403
    elsewhere = {**data, "network": other_network.pk}
    assert client.post(API + "memberships/", elsewhere, format="json").status_code == 403
    assert client.delete(f"{API}memberships/{created.pk}/").status_code == 204
    assert ChangeRecord.objects.filter(object_id=created.pk, action="delete", user=user, source="api").exists()


def test_the_registers_rules_answer_with_409_and_their_message(network):
    """Well-formed but refused by the register: 409 with the rule's message; malformed: 400."""
    user, key = make_user("office")
    organisation = Organisation.objects.first()
    group = network.memberships.filter(actor_group__isnull=False).first().actor_group
    data = {"network": network.pk, "organisation": organisation.pk, "actor_group": group.pk}
    response = token_client(key).post(API + "memberships/", data, format="json")
    assert response.status_code == 409
    assert "non_field_errors" in response.json()
    missing = token_client(key).post(API + "memberships/", {"network": 10**17, "organisation": 1}, format="json")
    assert missing.status_code == 409 and "network" in missing.json()
    taken = token_client(key).post(API + "networks/", {"name": network.name}, format="json")
    assert taken.status_code == 409 and "name" in taken.json()
    huge = token_client(key).post(API + "memberships/", {"network": 2**70}, format="json")
    assert huge.status_code == 400


def test_an_organisation_still_in_use_cannot_be_deleted(network):
    user, key = make_user("office")
    used = Membership.objects.filter(network=network, organisation__isnull=False).first().organisation
    assert token_client(key).delete(f"{API}organisations/{used.pk}/").status_code == 409


ENDPOINTS = ["networks", "organisations", "actor-groups", "memberships", "events", "municipalities"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_lists_need_the_same_number_of_queries_however_much_data(db, django_assert_max_num_queries, endpoint):
    """3 networks with all they hold, then 30: no page, first or deep, needs more queries."""
    client = token_client()
    build_register(3)
    with django_assert_max_num_queries(20) as small:
        assert client.get(API + endpoint + "/").status_code == 200
    build_register(27)
    url = API + endpoint + "/?limit=5"
    for _page in range(10):
        with django_assert_max_num_queries(len(small.captured_queries)):
            page = client.get(url).json()
        url = page["next"]
        if not url:
            break


def walk(client, url, direction="next"):
    ids = []
    while url:
        page = client.get(url).json()
        ids.extend(item["id"] for item in page["results"])
        url = page[direction]
    return ids


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_walking_the_pages_meets_every_element_exactly_once_in_both_directions(db, endpoint):
    client = token_client()
    build_register(30)
    full = walk(client, f"{API}{endpoint}/?limit=100")
    assert full and len(full) == len(set(full))
    for limit in (1, 7):
        pages = []
        url = f"{API}{endpoint}/?limit={limit}"
        while url:
            page = client.get(url).json()
            pages.append(page)
            assert len(page["results"]) == limit or page["next"] is None
            url = page["next"]
        assert [item["id"] for page in pages for item in page["results"]] == full, limit
        assert pages[0]["previous"] is None
        backwards = []
        for page in reversed(pages[1:]):  # each page's previous link leads to the page before it
            before = client.get(page["previous"]).json()["results"]
            backwards = [item["id"] for item in before] + backwards
        assert backwards == full[: len(backwards)] and len(backwards) == len(full) - len(pages[-1]["results"])


def test_the_memberships_of_one_network_are_paged_in_their_order(register_data):
    network = register_data[0]
    listed = walk(token_client(), f"{API}memberships/?network={network.pk}&limit=1")
    visible = network.memberships.exclude(person__consent_to_publish=False).order_by("position", "pk")
    assert listed == list(visible.values_list("pk", flat=True))


@pytest.mark.parametrize("cursor", ["nonsense", "cD1hYmM=", "cD1bMSwyXQ==", "bz0yJnA9WzEsMiwzXQ==", "bz01"])
def test_a_cursor_that_is_not_one_answers_404(register_data, cursor):
    assert token_client().get(f"{API}memberships/", {"cursor": cursor}).status_code == 404


def test_the_schema_and_its_description_are_served_without_third_party_assets(db):
    client = token_client()
    schema = client.get(API + "schema/", {"format": "json"})
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
    assert "/api/v1/memberships/" in schema.json()["paths"]
    docs = client.get(API + "docs/", HTTP_ACCEPT_LANGUAGE="de")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/api/v1/networks/" in html and "<script" not in html and "cdn" not in html.lower()
    assert "<h1>JSON-Schnittstelle des Netzwerkregisters</h1>" in html
    assert html.count("<h3>") == len([op for path in schema.json()["paths"].values() for op in path])


def test_the_seeds_networks_and_memberships_are_all_in_the_json_api(demo):
    client = token_client()
    networks = client.get(API + "networks/", {"limit": 100}).json()
    assert {n["name"] for n in networks["results"]} == set(Network.objects.values_list("name", flat=True))
    for network in Network.objects.all():
        listed = client.get(API + "memberships/", {"network": network.pk, "limit": 100}).json()
        visible = network.memberships.exclude(person__isnull=False, person__consent_to_publish=False)
        assert sorted(m["id"] for m in listed["results"]) == sorted(visible.values_list("pk", flat=True))


def test_a_coordinator_cannot_learn_the_name_of_a_person_outside_their_networks(network):
    """member_name would name any person whose key a coordinator sends: such a person is refused."""
    user, key = make_user("coordinator", network)
    stranger = Person.objects.create(given_name="Verborgene", family_name="Person")
    data = {"network": network.pk, "person": stranger.pk, "role": "guest"}
    response = token_client(key).post(API + "memberships/", data, format="json")
    assert response.status_code == 409 and "Verborgene" not in response.content.decode()
    assert not Membership.objects.filter(person=stranger).exists()
    office, office_key = make_user("office")
    assert token_client(office_key).post(API + "memberships/", data, format="json").status_code == 201
