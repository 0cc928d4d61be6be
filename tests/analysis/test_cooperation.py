"""The cooperation layer of the network map: survey answers as edges beside the formal membership.

A small register counted by hand: "Arbeitskreis Eins" with Alpha, Beta and Gamma, "Forum Zwei" with
Delta, Epsilon in no network. Alpha works with Beta (monthly, Beratung) and with Delta (Alpha says
rarely on Sprache, Delta says weekly on Beratung); Gamma names itself, which counts for nothing.
"""

import csv
import io
from collections import Counter

import networkx as nx
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from analysis.drawing import edge_legend, table_rows, to_cytoscape
from analysis.graph import (
    LAYER_BOTH,
    LAYER_COOPERATION,
    MODE_ORGANISATIONS,
    MapFilters,
    build_graph,
    cooperation_overview,
)
from analysis.selection import select_map
from register.models import Assignment, Membership, Organisation
from tests.analysis.cooperation_builders import report
from tests.needs.needs_builders import make_organisation


def url(name, language="de"):
    with translation.override(language):
        return reverse(name)


def o(organisation):
    return f"o{organisation.pk}"


def n(network):
    return f"n{network.pk}"


def layered_edges(graph):
    """{(frozenset of the two ends, layer): count} – parallel edges of the two layers kept apart."""
    return Counter((frozenset((a, b)), layer) for a, b, layer in graph.edges(data="layer"))


def test_the_formal_layer_has_no_cooperation(small):
    graph = build_graph()
    assert graph.graph["layer"] == "membership"
    assert layered_edges(graph) == Counter(
        {
            (frozenset((n(small.eins), o(small.alpha))), "membership"): 1,
            (frozenset((n(small.eins), o(small.beta))), "membership"): 1,
            (frozenset((n(small.eins), o(small.gamma))), "membership"): 1,
            (frozenset((n(small.zwei), o(small.delta))), "membership"): 1,
        }
    )
    assert cooperation_overview(graph) is None
    assert "network_members" not in graph.graph
    assert all(not row["partners"] for row in table_rows(graph))


def test_the_cooperation_layer_counted_by_hand(small):
    graph = build_graph(MapFilters(layer=LAYER_COOPERATION))
    # Organisations only: the networks would only stand apart without a link.
    assert sorted(graph.nodes) == sorted(
        o(org) for org in (small.alpha, small.beta, small.gamma, small.delta, small.epsilon)
    )
    assert layered_edges(graph) == Counter(
        {
            (frozenset((o(small.alpha), o(small.beta))), "cooperation"): 1,
            (frozenset((o(small.alpha), o(small.delta))), "cooperation"): 1,
        }
    )
    assert graph.edges[o(small.alpha), o(small.delta), "cooperation"] == {
        "kind": "cooperation",
        "roles": "",
        "weight": 4,
        "layer": "cooperation",
        "topics": "Beratung; Sprache",
        "frequency": "weekly",
        "reports": 2,
    }
    ab = graph.edges[o(small.alpha), o(small.beta), "cooperation"]
    assert (ab["weight"], ab["topics"], ab["frequency"], ab["reports"]) == (3, "Beratung", "monthly", 1)
    assert graph.nodes[o(small.alpha)]["degree"] == 2
    # Alpha lies on the one path between Beta and Delta: 1 of the 4·3/2 pairs of the other four nodes.
    assert graph.nodes[o(small.alpha)]["betweenness"] == round(1 / 6, 4)
    assert graph.degree(o(small.gamma)) == 0


def test_both_layers_and_what_they_show_together(small):
    graph = build_graph(MapFilters(layer=LAYER_BOTH))
    assert graph.number_of_edges() == 4 + 2
    with translation.override("en"):
        overview = cooperation_overview(graph)
    assert overview["edges"] == 2
    # Eins: three pairs, Alpha and Beta work together, the two pairs with Gamma do not.
    # Zwei has a single member and no pairs.
    assert overview["not_cooperating"] == [
        {
            "network": "Arbeitskreis Eins",
            "members": 3,
            "cooperating": 1,
            "pairs": [("Alpha e.V.", "Gamma e.V."), ("Beta e.V.", "Gamma e.V.")],
        }
    ]
    assert overview["crossing"] == [
        {
            "source": "Alpha e.V.",
            "target": "Delta e.V.",
            "source_networks": ["Arbeitskreis Eins"],
            "target_networks": ["Forum Zwei"],
            "topics": "Beratung; Sprache",
            "frequency_label": "weekly or more often",
            "reports": 2,
        }
    ]
    alpha = next(row for row in table_rows(graph) if row["id"] == o(small.alpha))
    assert alpha["neighbours"] == ["Arbeitskreis Eins"]
    assert [(partner["name"], partner["topics"]) for partner in alpha["partners"]] == [
        ("Beta e.V.", "Beratung"),
        ("Delta e.V.", "Beratung; Sprache"),
    ]
    with translation.override("en"):
        kinds = [label for label, _colour, _dash in edge_legend(graph)]
    assert kinds == ["member of a network", "work together (from survey answers)"]
    cooperation_style = edge_legend(graph)[-1]
    assert cooperation_style[1:] == ("#b45309", "14 4")
    ids = [edge["data"]["id"] for edge in to_cytoscape(graph)["edges"]]
    assert len(ids) == len(set(ids)) == 6


def test_organisations_view_keeps_shared_networks_and_cooperation_apart(small):
    graph = build_graph(MapFilters(mode=MODE_ORGANISATIONS, layer=LAYER_BOTH))
    ab = frozenset((o(small.alpha), o(small.beta)))
    edges = layered_edges(graph)
    # Alpha and Beta share a network and work together: two edges, one per layer.
    assert edges[(ab, "membership")] == edges[(ab, "cooperation")] == 1
    assert graph.edges[o(small.alpha), o(small.beta), "membership"]["kind"] == "shared_network"
    assert sum(edges.values()) == 3 + 2
    # The overview still knows the networks, although the view has no network nodes.
    assert cooperation_overview(graph)["not_cooperating"][0]["cooperating"] == 1


def test_filters_and_ego_cut_the_cooperation_layer(small):
    # Only Arbeitskreis Eins: Delta is not on the map, nor is its cooperation with Alpha.
    graph = build_graph(MapFilters(networks=(small.eins.pk,), layer=LAYER_BOTH))
    assert (frozenset((o(small.alpha), o(small.delta))), "cooperation") not in layered_edges(graph)
    assert cooperation_overview(graph)["crossing"] == []
    ego, found = select_map(MapFilters(layer=LAYER_COOPERATION), small.beta, radius=1)
    assert found
    assert sorted(ego.nodes) == sorted([o(small.alpha), o(small.beta)])
    ego, _found = select_map(MapFilters(layer=LAYER_BOTH), small.gamma, radius=1)
    # Gamma's ego network holds Eins and Gamma; no pair of members of Eins is on it.
    assert cooperation_overview(ego) == {"not_cooperating": [], "crossing": [], "edges": 0}


def test_the_cooperation_layer_takes_one_query_more(small, django_assert_num_queries):
    with django_assert_num_queries(4):
        build_graph()
    with django_assert_num_queries(5):
        build_graph(MapFilters(layer=LAYER_BOTH))
    for number in range(6):
        partner = make_organisation(f"Partner {number}")
        Membership.objects.create(network=small.zwei, organisation=partner)
        report(small.survey, small.alpha, partner, "quarterly")
    with django_assert_num_queries(5):
        graph = build_graph(MapFilters(layer=LAYER_BOTH))
    assert graph.degree(o(small.alpha)) == 1 + 2 + 6


# The views: the layer switch is the office's; everyone else gets the formal layer only.


@pytest.fixture
def member_user(small):
    user = User.objects.create_user("member", password="secret-password-2")
    Assignment.objects.create(user=user, network=small.eins, role=Assignment.Role.MEMBER)
    return user


def layers_in(data):
    return Counter(edge["data"]["layer"] for edge in data["edges"])


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_the_public_map_never_shows_cooperation(role, client, small, member_user):
    if role == "member":
        client.force_login(member_user)
    for layer in ["cooperation", "both", "nonsense"]:
        data = client.get(url("analysis:map_data"), {"layer": layer}).json()
        assert layers_in(data) == Counter({"membership": 4}), layer
        assert "network_members" not in data
        page = client.get(url("analysis:map"), {"layer": layer})
        html = page.content.decode()
        assert page.context["cooperation"] is None
        assert 'name="layer"' not in html
        assert "Kooperation über Netzwerke hinweg" not in html
        assert "Beratung" not in html
        for name, read in [("analysis:map_gexf", nx.read_gexf), ("analysis:map_graphml", nx.read_graphml)]:
            graph = read(io.BytesIO(client.get(url(name), {"layer": layer}).content))
            assert set(layered_edges(graph).values()) == {1}, name
            assert {key[1] for key in layered_edges(graph)} == {"membership"}, name
        rows = list(
            csv.DictReader(
                io.StringIO(client.get(url("analysis:map_csv"), {"layer": layer}).content.decode("utf-8-sig")),
                delimiter=";",
            )
        )
        assert {row["layer"] for row in rows if row["target"]} == {"membership"}


def test_the_office_switches_layers(client, small, office_user):
    client.force_login(office_user)
    assert layers_in(client.get(url("analysis:map_data")).json()) == Counter({"membership": 4})
    assert layers_in(client.get(url("analysis:map_data"), {"layer": "membership"}).json()) == Counter({"membership": 4})
    data = client.get(url("analysis:map_data"), {"layer": "cooperation"}).json()
    assert layers_in(data) == Counter({"cooperation": 2})
    assert not [node for node in data["nodes"] if node["data"]["kind"] == "network"]
    data = client.get(url("analysis:map_data"), {"layer": "both"}).json()
    assert layers_in(data) == Counter({"membership": 4, "cooperation": 2})
    assert data["layer"] == "both"
    bad = client.get(url("analysis:map_data", "en"), {"layer": "nonsense"})
    assert bad.status_code == 400
    assert "layer" in bad.json()["errors"]


def test_the_office_page_shows_legend_table_and_gaps(client, small, office_user):
    client.force_login(office_user)
    page = client.get(url("analysis:map"))
    html = page.content.decode()
    assert 'name="layer"' in html
    assert "Kooperation über Netzwerke hinweg" not in html
    page = client.get(url("analysis:map"), {"layer": "both"})
    html = page.content.decode()
    assert "Zusammenarbeit laut Umfrageantworten" in html
    assert 'stroke="#b45309" stroke-width="3" stroke-dasharray="14 4"' in html
    assert "arbeiten zusammen (laut Umfrageantworten)" in html
    assert '<th scope="col">Arbeitet zusammen mit (Umfrageantworten)</th>' in html
    assert (
        '<span lang="de">Delta e.V.</span> (wöchentlich oder öfter: <span lang="de">Beratung; Sprache</span>)' in html
    )
    assert "Kooperation über Netzwerke hinweg" in html
    assert "<li>Alpha e.V. – Gamma e.V.</li><li>Beta e.V. – Gamma e.V.</li>" in html
    english = client.get(url("analysis:map", "en"), {"layer": "both"}).content.decode()
    assert "Cooperation across networks" in english
    assert "(weekly or more often: " in english


def count_queries(client, query):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url("analysis:map"), query).status_code == 200
    return len(context)


def test_the_office_page_takes_a_constant_number_of_queries(client, small, office_user):
    client.force_login(office_user)
    count_queries(client, {})  # the first request of a session may set things up
    formal = count_queries(client, {"people": "1"})
    both = count_queries(client, {"people": "1", "layer": "both"})
    # The cooperation layer costs one query: the answers.
    assert both == formal + 1
    for number in range(8):
        partner = make_organisation(f"Partner {number}")
        unit = Organisation.objects.create(name="Beratungsstelle", slug=f"unit-{number}", parent=partner)
        Membership.objects.create(network=small.zwei, organisation=unit)
        report(small.survey, small.alpha, unit, "quarterly")
        report(small.survey, partner, small.delta, "monthly")
    assert count_queries(client, {"people": "1"}) == formal
    assert count_queries(client, {"people": "1", "layer": "both"}) == both


@pytest.mark.parametrize("layer", ["membership", "cooperation", "both"])
def test_exports_read_back_as_the_map_with_layers(client, small, office_user, layer):
    client.force_login(office_user)
    query = {"layer": layer}
    data = client.get(url("analysis:map_data"), query).json()
    nodes = {node["data"]["id"] for node in data["nodes"]}
    expected = Counter(
        (frozenset((e["data"]["source"], e["data"]["target"])), e["data"]["layer"]) for e in data["edges"]
    )
    attributes = {
        (frozenset((e["data"]["source"], e["data"]["target"])), e["data"]["layer"]): (
            e["data"]["topics"],
            e["data"]["frequency"],
            e["data"]["kind"],
        )
        for e in data["edges"]
    }
    for name, read in [("analysis:map_gexf", nx.read_gexf), ("analysis:map_graphml", nx.read_graphml)]:
        graph = read(io.BytesIO(client.get(url(name), query).content))
        assert set(graph.nodes) == nodes, name
        assert layered_edges(graph) == expected, name
        for a, b, edge in graph.edges(data=True):
            assert (edge["topics"], edge["frequency"], edge["kind"]) == attributes[(frozenset((a, b)), edge["layer"])]
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(url("analysis:map_csv"), query).content.decode("utf-8-sig")), delimiter=";"
        )
    )
    linked = [row for row in rows if row["target"]]
    assert Counter((frozenset((row["source"], row["target"])), row["layer"]) for row in linked) == expected
    for row in linked:
        assert (row["topics"], row["frequency"], row["kind"]) == attributes[
            (frozenset((row["source"], row["target"])), row["layer"])
        ]
    lonely = {row["source"] for row in rows if not row["target"]}
    assert lonely == {node["data"]["id"] for node in data["nodes"] if node["data"]["degree"] == 0}
