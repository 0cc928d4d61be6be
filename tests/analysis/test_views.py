"""The analysis pages and exports, for every role; the exports read back with networkx."""

import csv
import io
from xml.etree import ElementTree

import networkx as nx
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from register.models import Assignment, Membership, Network, Organisation, Person


def url(name, language="de"):
    with translation.override(language):
        return reverse(name)


PAGES = ["analysis:map", "analysis:matrix", "analysis:compare"]


@pytest.fixture
def member_user(demo):
    user = User.objects.create_user("member", password="secret-password-2")
    Assignment.objects.create(user=user, network=Network.objects.get(slug="mila"), role=Assignment.Role.MEMBER)
    return user


@pytest.fixture
def person_on_board(demo):
    vhs = Organisation.objects.get(name="Volkshochschule Landkreis Darmstadt-Dieburg")
    person = Person.objects.create(given_name="Erika", family_name="Muster")
    Membership.objects.create(
        network=Network.objects.get(slug="fachbeirat-flucht-und-integration"), person=person, on_behalf_of=vhs
    )
    return person


@pytest.mark.parametrize("role", ["anonymous", "member", "office"])
def test_pages_are_open_to_everyone_and_never_show_people_unasked(
    role, client, member_user, office_user, person_on_board
):
    if role != "anonymous":
        client.force_login({"member": member_user, "office": office_user}[role])
    for name in PAGES:
        response = client.get(url(name))
        assert response.status_code == 200, name
        assert "Muster" not in response.content.decode()
    assert "Muster" not in client.get(url("analysis:map_data")).content.decode()
    # Asking for people is ignored unless the office asks.
    response = client.get(url("analysis:map_data"), {"people": "1"})
    assert response.status_code == 200
    assert ("Muster" in response.content.decode()) is (role == "office")


def test_only_the_office_can_ask_for_people(client, member_user, office_user, person_on_board):
    client.force_login(member_user)
    page = client.get(url("analysis:map"))
    assert 'name="people"' not in page.content.decode()
    client.force_login(office_user)
    page = client.get(url("analysis:map"))
    assert 'name="people"' in page.content.decode()
    data = client.get(url("analysis:map_data"), {"people": "1"}).json()
    assert "Erika Muster" in [node["data"]["label"] for node in data["nodes"]]


def test_map_page_shows_the_table_and_the_metrics(client, demo):
    response = client.get(url("analysis:map"))
    html = response.content.decode()
    assert response.context["graph"].number_of_nodes() == 77
    assert len(response.context["rows"]) == 77
    assert "<h1>Netzwerkkarte</h1>" in html
    assert 'id="map-graph" aria-labelledby="graph-heading" hidden' in html
    assert "vendor/cytoscape/cytoscape.min.js" in html
    assert 'id="map-elements"' in html
    assert "Frauen helfen Frauen e.V." in html
    assert 'href="/analyse/?ego=frauen-helfen-frauen-ev">ihr Ego-Netzwerk</a>' in html
    isolated = [data["label"] for _node, data in response.context["isolated"]]
    # The KAB sits in the Fachbeirat through the entry that stands for it: not isolated.
    assert isolated == ["Inklusionsforum im LaDaDi", "InterReligiöses Forum im Landkreis Darmstadt-Dieburg"]


def test_map_in_english(client, demo):
    response = client.get(url("analysis:map", "en"))
    assert "<h1>Network map</h1>" in response.content.decode()


def test_map_filters_by_get(client, demo):
    response = client.get(url("analysis:map"), {"networks": ["mila"], "category": "welfare"})
    names = sorted(data["name"] for _node, data in response.context["graph"].nodes(data=True))
    # MiLa's welfare members (Caritas, Diakonie, DRK and IB units) and the organisations the units belong to.
    assert names == [
        "Arbeitskreis Migration im Landkreis (MiLa)",
        "Caritasverband Darmstadt e.V.",
        "Caritasverband Darmstadt e.V. - Migrationsdienst",
        "Deutsches Rotes Kreuz Kreisverband Darmstadt Stadt e.V.",
        "Deutsches Rotes Kreuz Kreisverband Darmstadt Stadt e.V. - Migrationsdienst",
        "Diakonisches Werk Darmstadt-Dieburg",
        "Internationaler Bund",
        "Internationaler Bund - Jugendmigrationsdienst",
    ]
    ego = client.get(url("analysis:map"), {"ego": "frauen-helfen-frauen-ev", "radius": "1"})
    assert ego.context["graph"].number_of_nodes() == 3


def test_invalid_filters_say_what_is_wrong_and_show_the_whole_map(client, demo):
    response = client.get(url("analysis:map", "en"), {"on": "31.02.2024", "networks": ["nope"]})
    html = response.content.decode()
    assert "Enter a valid date." in html
    assert "Select a valid choice. nope is not one of the available choices." in html
    assert response.context["graph"].number_of_nodes() == 77
    data = client.get(url("analysis:map_data", "en"), {"on": "31.02.2024"})
    assert data.status_code == 400
    assert data.json()["errors"]["on"][0]["message"] == "Enter a valid date."
    assert client.get(url("analysis:map_gexf"), {"radius": "9"}).status_code == 400


def test_ego_of_an_organisation_outside_the_filters(client, demo):
    response = client.get(url("analysis:map", "en"), {"ego": "patenmodell", "category": "health"})
    assert "This organisation is not on the map with the chosen filters." in response.content.decode()


def test_map_page_takes_a_constant_number_of_queries(client, demo, office_user):
    client.force_login(office_user)
    client.get(url("analysis:map"))  # the first request of a session may set up the session's own records

    def queries():
        with CaptureQueriesContext(connection) as context:
            client.get(url("analysis:map"), {"people": "1"})
        return [query["sql"] for query in context.captured_queries]

    before = queries()
    # The page's own share: the size of the selection (networks, organisations), the map (networks,
    # organisations, memberships, people, programmes) and the choices of the form (networks,
    # municipalities, bodies, focus areas); the rest is session, user and role.
    assert len([sql for sql in before if '"register_' in sql]) == 12
    network = Network.objects.create(name="Runder Tisch Sprache", slug="runder-tisch-sprache")
    for number in range(8):
        parent = Organisation.objects.create(name=f"Träger {number}", slug=f"traeger-{number}")
        unit = Organisation.objects.create(name="Sprachkurs", slug=f"sprachkurs-{number}", parent=parent)
        Membership.objects.create(network=network, organisation=unit)
        Membership.objects.create(
            network=network, person=Person.objects.create(family_name=f"P{number}"), on_behalf_of=parent
        )
    assert len(queries()) == len(before)


def edges_of(pairs):
    return {frozenset(pair) for pair in pairs}


@pytest.mark.parametrize(
    "query",
    [{}, {"networks": ["mila", "mige"], "mode": "organisations"}, {"ego": "frauen-helfen-frauen-ev"}],
    ids=["whole", "organisations", "ego"],
)
def test_gexf_and_graphml_read_back_as_the_map(client, demo, query):
    data = client.get(url("analysis:map_data"), query).json()
    nodes = {node["data"]["id"] for node in data["nodes"]}
    edges = edges_of((edge["data"]["source"], edge["data"]["target"]) for edge in data["edges"])
    assert nodes
    for name, read in [("analysis:map_gexf", nx.read_gexf), ("analysis:map_graphml", nx.read_graphml)]:
        response = client.get(url(name), query)
        assert response["Content-Disposition"].startswith("attachment;")
        graph = read(io.BytesIO(response.content))
        assert set(graph.nodes) == nodes, name
        assert edges_of(graph.edges) == edges, name
        for node in data["nodes"][:5]:
            assert graph.nodes[node["data"]["id"]]["label"] == node["data"]["label"]
            assert graph.nodes[node["data"]["id"]]["category"] == node["data"]["category"]


def edge_ids(content):
    """The ids of the edges of a GraphML or GEXF file, in the order written (whatever the namespace)."""
    return [element.get("id") for element in ElementTree.fromstring(content).iter() if element.tag.endswith("}edge")]


@pytest.mark.parametrize("name", ["analysis:map_gexf", "analysis:map_graphml"])
def test_every_edge_has_an_id_of_its_own_so_gephi_keeps_them_all(client, office_user, small, name):
    """Gephi drops an edge whose id it has seen ("Edge already exists"): each id once, for both layers."""
    client.force_login(office_user)
    for query in ({}, {"layer": "both"}):
        content = client.get(url(name), query).content
        ids = edge_ids(content)
        graph = (nx.read_gexf if name.endswith("gexf") else nx.read_graphml)(io.BytesIO(content))
        assert len(ids) == graph.number_of_edges() > 1, query
        assert len(set(ids)) == len(ids), f"repeated edge ids: {sorted(i for i in ids if ids.count(i) > 1)[:5]}"
        assert None not in ids


def test_csv_edge_list(client, demo):
    response = client.get(url("analysis:map_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    edges = [row for row in rows if row["target"]]
    lonely = [row for row in rows if not row["target"]]
    assert len(edges) == 77
    assert {row["source_label"] for row in lonely} == {
        "Inklusionsforum im LaDaDi",
        "InterReligiöses Forum im Landkreis Darmstadt-Dieburg",
    }
    assert [row["target_label"] for row in edges if row["kind"] == "stands_for"] == [
        "Kreisausländerbeirat Darmstadt-Dieburg"
    ]
    part_of = [row for row in edges if row["kind"] == "part_of"]
    assert len(part_of) == 11


def test_csv_cells_never_become_formulas(client, demo):
    Organisation.objects.create(name="=HYPERLINK(1)", slug="formel")
    rows = list(csv.reader(io.StringIO(client.get(url("analysis:map_csv")).content.decode("utf-8-sig")), delimiter=";"))
    assert ["o" + str(Organisation.objects.get(slug="formel").pk), "", "'=HYPERLINK(1)", "", *[""] * 7] in rows


def test_matrix_and_comparison_on_the_seed(client, demo, django_assert_max_num_queries):
    # One of them asks whether the bodies are few enough to list (``SearchSelect``).
    with django_assert_max_num_queries(10):
        matrix = client.get(url("analysis:matrix", "en"))
    html = matrix.content.decode()
    assert "?first=mila&amp;second=mige" in html
    assert "5 (11.4\u00a0%)" in html
    compare = client.get(url("analysis:compare", "en"), {"first": "mila", "second": "mige"})
    comparison = compare.context["comparison"]
    # Each actor once: the near-duplicates of the page are one entry since the office's decisions.
    assert comparison.shared_members == ["Frauen helfen Frauen e.V.", "Sozialkritischer Arbeitskreis Darmstadt e.V."]
    assert len(comparison.shared_actors) == 5
    html = compare.content.decode()
    assert "5 (Jaccard 11.4\u00a0%)" in html
    assert "2 (Jaccard 4.2\u00a0%)" in html


def test_comparison_needs_two_different_networks(client, demo):
    response = client.get(url("analysis:compare", "en"), {"first": "mila", "second": "mila"})
    assert response.context["comparison"] is None
    assert "Choose a network other than the first one." in response.content.decode()
