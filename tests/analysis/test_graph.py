"""The map as a graph: nodes, edges, filters and metrics on the county's seed, counted by hand."""

import datetime

import pytest

from analysis.drawing import legend, table_rows, to_cytoscape
from analysis.graph import MODE_ORGANISATIONS, MapFilters, brokers, build_graph, clusters, ego_network, isolated
from analysis.selection import select_map
from register.models import Membership, Network, Organisation, Person

# Literal dates below: the clock is pinned to tests.conftest.FIXED_DAY (time-machine) for every test here.
pytestmark = pytest.mark.usefixtures("fixed_day")


def org(name, **kwargs):
    return Organisation.objects.get(name=name, **kwargs)


def oid(organisation):
    return f"o{organisation.pk}"


def nid(slug):
    return f"n{Network.objects.get(slug=slug).pk}"


@pytest.fixture
def seed_graph(demo):
    return build_graph()


def test_the_whole_seed(seed_graph):
    graph = seed_graph
    kinds = [kind for _node, kind in graph.nodes(data="kind")]
    # 7 networks, all 66 organisations of the register (69 entries of the page, 3 of them the same
    # actor twice, merged by the office's decisions), 4 actor groups; never a person.
    assert kinds.count("network") == 7
    assert kinds.count("organisation") == Organisation.objects.count() == 66
    assert kinds.count("actor_group") == 4
    assert graph.number_of_nodes() == 77
    edge_kinds = [kind for _a, _b, kind in graph.edges(data="kind")]
    # 23 + 27 + 14 memberships, 11 units hanging on their organisation, the HMSI funding the GWA
    # programme, the KAB network standing for its entry in the Fachbeirat.
    assert edge_kinds.count("member") == 64
    assert edge_kinds.count("part_of") == 11
    assert edge_kinds.count("funds") == 1
    assert edge_kinds.count("stands_for") == 1
    assert graph.number_of_edges() == 77


def test_units_hang_on_their_organisation(seed_graph):
    drk = org("Deutsches Rotes Kreuz Kreisverband Darmstadt Stadt e.V.")
    unit = org("Migrationsdienst", parent=drk)
    assert seed_graph.edges[oid(unit), oid(drk), "membership"]["kind"] == "part_of"
    # The membership of the unit counts for the unit, the one of the Kreisverband for the Kreisverband.
    assert seed_graph.has_edge(nid("mila"), oid(unit))
    assert not seed_graph.has_edge(nid("mila"), oid(drk))
    assert seed_graph.has_edge(nid("mige"), oid(drk))
    assert seed_graph.nodes[oid(unit)]["name"].startswith("Deutsches Rotes Kreuz")


def test_metrics_on_the_seed(seed_graph):
    graph = seed_graph
    # MiLa, MiGe and the actors in both form one part; the Fachbeirat with the KAB (which sits in it)
    # another; Gemeinwesenarbeit with its funder a third; two networks without members are on their own.
    assert graph.graph["components"] == 5
    assert [data["label"] for _node, data in isolated(graph)] == [
        "Inklusionsforum im LaDaDi",
        "InterReligiöses Forum im Landkreis Darmstadt-Dieburg",
    ]
    broker_names = [data["name"] for _node, data in brokers(graph)]
    assert broker_names[:2] == [
        "Arbeitskreis Migration und Gesundheit (MiGe)",
        "Arbeitskreis Migration im Landkreis (MiLa)",
    ]
    # The one organisation in both working groups is the strongest broker among the actors.
    assert broker_names[2] == "Frauen helfen Frauen e.V."
    fhf = graph.nodes[oid(org("Frauen helfen Frauen e.V."))]
    assert fhf["degree"] == 2
    assert 0 < fhf["betweenness"] < 1
    # A member of only one network lies on no shortest path between others.
    assert graph.nodes[oid(org("Patenmodell"))]["betweenness"] == 0
    numbers = {data["cluster"] for _node, data in graph.nodes(data=True)}
    assert numbers == set(range(1, graph.graph["clusters"] + 1))
    assert all(len(names) > 1 for _number, names in clusters(graph))


def test_people_only_when_asked_for(demo):
    vhs = org("Volkshochschule Landkreis Darmstadt-Dieburg")
    fachbeirat = Network.objects.get(slug="fachbeirat-flucht-und-integration")
    person = Person.objects.create(given_name="Erika", family_name="Muster")
    Membership.objects.create(network=fachbeirat, person=person, on_behalf_of=vhs)
    public = build_graph()
    assert not [node for node, kind in public.nodes(data="kind") if kind == "person"]
    assert "Erika" not in str(to_cytoscape(public))
    # The organisation the person sits for is linked to the network all the same.
    assert public.has_edge(nid("fachbeirat-flucht-und-integration"), oid(vhs))
    office = build_graph(MapFilters(include_people=True))
    assert office.nodes[f"p{person.pk}"]["label"] == "Erika Muster"
    assert office.edges[f"p{person.pk}", oid(vhs), "membership"]["kind"] == "represents"


def test_filter_by_network(demo):
    graph = build_graph(MapFilters(networks=(Network.objects.get(slug="mila").pk,)))
    # MiLa, its 23 members and the three organisations its units belong to (Caritas, DRK, IB).
    assert graph.number_of_nodes() == 1 + 23 + 3
    assert graph.number_of_edges() == 23 + 3
    assert oid(org("Internationaler Bund")) in graph
    assert nid("mige") not in graph


def test_filter_by_category(demo):
    graph = build_graph(MapFilters(category="health"))
    names = sorted(data["name"] for _node, data in graph.nodes(data=True))
    # The five health organisations; of the networks only MiGe has health members left.
    assert names == [
        "Arbeitskreis Migration und Gesundheit (MiGe)",
        "Darmstädter Kinderklinik Prinzessin Margaret",
        "Darmstädter Kinderklinik Prinzessin Margaret - Sozialpädiatrisches Zentrum Darmstadt",
        "Klinikum Darmstadt",
        "Klinikum Darmstadt - Fachärztin für Innere- und Psychotherapeutische Medizin",
        "Malteser-Migranten-Medizin Darmstadt",
    ]
    assert graph.number_of_edges() == 3 + 2


def test_filter_by_municipality(demo):
    from register.models import Municipality

    weiterstadt = Municipality.objects.get(name="Weiterstadt")
    pro_familia = org("Pro Familia Darmstadt")
    pro_familia.municipality = weiterstadt
    pro_familia.save()
    graph = build_graph(MapFilters(municipality=weiterstadt.pk))
    assert sorted(graph.nodes) == sorted([oid(pro_familia), nid("mige")])
    assert graph.nodes[oid(pro_familia)]["municipality"] == "Weiterstadt"


def test_filter_by_date(demo):
    membership = Membership.objects.get(network__slug="mila", organisation__name="Patenmodell")
    membership.start_date = datetime.date(2019, 1, 1)
    membership.end_date = datetime.date(2023, 12, 31)
    membership.save()
    patenmodell = oid(org("Patenmodell"))
    assert build_graph().degree(patenmodell) == 0
    then = build_graph(MapFilters(on=datetime.date(2022, 5, 1)))
    assert then.has_edge(nid("mila"), patenmodell)
    # Networks founded later are not on the map of an earlier day: MiGe exists since 2010.
    assert nid("mige") not in build_graph(MapFilters(on=datetime.date(2009, 1, 1)))


def test_ego_network_of_one_organisation(seed_graph):
    fhf = oid(org("Frauen helfen Frauen e.V."))
    near = ego_network(seed_graph, fhf, radius=1)
    assert sorted(near.nodes) == sorted([fhf, nid("mila"), nid("mige")])
    wider = ego_network(seed_graph, fhf, radius=2)
    # Both working groups with all their members: 23 + 27 members, FhF and the Sozialkritischer Arbeitskreis
    # (one entry since the office's decision) counted once, plus the two networks.
    assert wider.number_of_nodes() == 23 + 27 - 2 + 2
    # The ego network has metrics of its own.
    assert near.nodes[fhf]["betweenness"] == 1.0


def test_select_map_says_when_the_organisation_is_filtered_out(demo):
    patenmodell = org("Patenmodell")
    graph, found = select_map(MapFilters(category="health"), patenmodell)
    assert not found
    assert graph.number_of_nodes() == 6
    graph, found = select_map(MapFilters(), patenmodell, radius=1)
    assert found
    assert sorted(graph.nodes) == sorted([oid(patenmodell), nid("mila")])


def test_organisations_linked_through_shared_networks(demo):
    graph = build_graph(MapFilters(mode=MODE_ORGANISATIONS))
    assert not [node for node, kind in graph.nodes(data="kind") if kind == "network"]
    fhf = oid(org("Frauen helfen Frauen e.V."))
    drk = org("Deutsches Rotes Kreuz Kreisverband Darmstadt Stadt e.V.")
    assert graph.edges[fhf, oid(drk), "membership"] == {
        "kind": "shared_network",
        "roles": "MiGe",
        "weight": 1,
        "layer": "membership",
        "topics": "",
        "frequency": "",
        "reports": 0,
    }
    assert graph.edges[fhf, oid(org("Migrationsdienst", parent=drk)), "membership"]["roles"] == "MiLa"
    assert graph.edges[oid(org("Migrationsdienst", parent=drk)), oid(drk), "membership"]["kind"] == "part_of"
    # A pair of members per network and pair: MiLa 23·22/2, MiGe 27·26/2, Fachbeirat 14·13/2, less the
    # one pair that sits in two networks together (FhF and the Sozialkritischer Arbeitskreis), plus the
    # 11 "part of" links.
    assert graph.number_of_edges() == 253 + 351 + 91 - 1 + 11


def test_cytoscape_elements_and_table_match_the_graph(seed_graph):
    elements = to_cytoscape(seed_graph)
    assert {node["data"]["id"] for node in elements["nodes"]} == set(seed_graph.nodes)
    assert {frozenset((e["data"]["source"], e["data"]["target"])) for e in elements["edges"]} == {
        frozenset(edge) for edge in seed_graph.edges()
    }
    assert elements["nodes"][0]["data"]["kind"] == "network"
    assert all(node["data"]["colour"].startswith("#") for node in elements["nodes"])
    rows = table_rows(seed_graph)
    assert len(rows) == 77
    fhf = next(row for row in rows if row["name"] == "Frauen helfen Frauen e.V.")
    assert fhf["neighbours"] == [
        "Arbeitskreis Migration im Landkreis (MiLa)",
        "Arbeitskreis Migration und Gesundheit (MiGe)",
    ]
    labels = [label for label, _colour in legend(seed_graph)]
    assert labels[0] in {"Network", "Netzwerk"}
    assert len(labels) == len(set(labels))


def test_build_graph_takes_a_constant_number_of_queries(demo, django_assert_num_queries):
    with django_assert_num_queries(4):
        build_graph()
    network = Network.objects.create(name="Runder Tisch Sprache", slug="runder-tisch-sprache")
    for number in range(5):
        parent = Organisation.objects.create(name=f"Träger {number}", slug=f"traeger-{number}")
        unit = Organisation.objects.create(name="Sprachkurs", slug=f"sprachkurs-{number}", parent=parent)
        Membership.objects.create(network=network, organisation=unit)
        person = Person.objects.create(family_name=f"Person {number}")
        Membership.objects.create(network=network, person=person, on_behalf_of=parent)
    # With people one more: their names (one query however many there are).
    with django_assert_num_queries(5):
        graph = build_graph(MapFilters(include_people=True))
    assert graph.degree(nid("runder-tisch-sprache")) == 15
