"""The analyses at the scale of a whole country: bounded maps, estimated metrics and sparse overlap.

The limits are lowered here so that the county's seed (80 nodes, 7 networks) stands for a register
too large to show at once.
"""

from fractions import Fraction

import networkx as nx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from analysis import figures, overlap
from analysis import forms as analysis_forms
from analysis import graph as analysis_graph
from analysis import views as analysis_views
from analysis.graph import MapFilters, add_metrics, betweenness, build_graph, selection_size
from analysis.selection import bounded_map, select_map
from register.models import Body, Membership, Municipality, Network, NetworkHost, Organisation


def url(name, language="de"):
    with translation.override(language):
        return reverse(name)


@pytest.fixture
def county(demo):
    return Body.objects.get(slug="landkreis-darmstadt-dieburg")


# --- the bounded map ------------------------------------------------------------------------------


def test_the_office_body_is_the_county(county):
    assert Body.home_pk() == county.pk


def test_small_registers_show_the_whole_map_unchanged(demo):
    selection = bounded_map(MapFilters())
    assert selection.default_body is None
    assert selection.graph.number_of_nodes() == 77
    assert selection.size.networks == 7
    assert selection.size.organisations == 66


def test_the_default_map_falls_back_to_the_office_body(client, county, monkeypatch):
    # A county selection that fits, in a register that does not.
    in_county = selection_size(MapFilters(body=county.pk))
    whole = selection_size(MapFilters())
    assert in_county.nodes < whole.nodes
    monkeypatch.setattr(analysis_graph, "NODE_LIMIT", in_county.nodes)
    response = client.get(url("analysis:map", "en"))
    selection = response.context["selection"]
    assert selection.default_body == county.pk
    expected = build_graph(MapFilters(body=county.pk))
    assert set(response.context["graph"].nodes) == set(expected.nodes)
    html = response.content.decode()
    assert "The whole register is too large for one map." in html
    assert "Landkreis Darmstadt-Dieburg" in html
    # The form says which body is shown.
    assert 'value="landkreis-darmstadt-dieburg" selected' in html
    data = client.get(url("analysis:map_data", "en")).json()
    assert "Landkreis Darmstadt-Dieburg" in data["notice"]
    assert {node["data"]["id"] for node in data["nodes"]} == set(expected.nodes)


def test_a_body_holds_its_networks_their_members_and_the_organisations_in_its_area(county):
    city = Body.objects.get(slug="wissenschaftsstadt-darmstadt")
    graph = build_graph(MapFilters(body=city.pk))
    networks = sorted(data["name"] for _node, data in graph.nodes(data=True) if data["kind"] == "network")
    # The city hosts MiGe together with the county.
    assert networks == ["Arbeitskreis Migration und Gesundheit (MiGe)"]
    municipality = Municipality.objects.filter(county=county).first()
    located = Organisation.objects.create(name="Verein am Ort", slug="verein-am-ort", municipality=municipality)
    in_county = build_graph(MapFilters(body=county.pk))
    assert f"o{located.pk}" in in_county
    assert in_county.degree(f"o{located.pk}") == 0
    # With a focus area or chosen networks only their members count, not the organisations of the area.
    assert f"o{located.pk}" not in build_graph(
        MapFilters(body=county.pk, networks=(Network.objects.get(slug="mila").pk,))
    )


def test_focus_area_narrows_the_networks(demo):
    mige = Network.objects.get(slug="mige")
    name = mige.focus_areas.order_by("position").first().name
    graph = build_graph(MapFilters(focus_area=name))
    assert [node for node, kind in graph.nodes(data="kind") if kind == "network"] == [f"n{mige.pk}"]
    assert graph.number_of_nodes() > 20


def test_a_selection_too_large_asks_to_be_narrowed(client, demo, monkeypatch):
    monkeypatch.setattr(analysis_graph, "NODE_LIMIT", 10)
    response = client.get(url("analysis:map", "en"), {"category": "welfare"})
    assert response.status_code == 200
    assert response.context["graph"] is None
    html = response.content.decode()
    size = response.context["selection"].size
    assert f"about {size.networks} networks and {size.organisations} organisations, more than 10" in html
    assert "Please narrow it by body, focus area or networks" in html
    assert 'id="map-elements"' not in html
    data = client.get(url("analysis:map_data", "en"), {"category": "welfare"})
    assert data.status_code == 400
    assert data.json()["errors"]["__all__"][0]["code"] == "too_large"
    assert data.json()["size"] == {"networks": size.networks, "organisations": size.organisations, "limit": 10}
    assert client.get(url("analysis:map_gexf"), {"category": "welfare"}).status_code == 400
    # In German, too.
    assert "Bitte grenzen Sie" in client.get(url("analysis:map"), {"category": "welfare"}).content.decode()


def test_the_ego_network_is_found_in_a_register_too_large_for_a_map(demo, monkeypatch):
    fhf = Organisation.objects.get(name="Frauen helfen Frauen e.V.")
    whole = select_map(MapFilters(), fhf, radius=2)[0]
    monkeypatch.setattr(analysis_graph, "NODE_LIMIT", 60)
    selection = bounded_map(MapFilters(), fhf, radius=2)
    assert selection.ego_narrowed
    assert set(selection.graph.nodes) == set(whole.nodes)
    assert set(selection.graph.edges(keys=True)) == set(whole.edges(keys=True))


def body_with_networks(count, number):
    """A body hosting ``count`` networks of three members each (a unit among them)."""
    body = Body.objects.create(name=f"Landkreis Test {number}", slug=f"test-{number}")
    for index in range(count):
        network = Network.objects.create(name=f"Netz {number}-{index}", slug=f"netz-{number}-{index}")
        NetworkHost.objects.create(network=network, body=body)
        parent = Organisation.objects.create(name=f"Träger {number}-{index}", slug=f"traeger-{number}-{index}")
        unit = Organisation.objects.create(name="Beratung", slug=f"beratung-{number}-{index}", parent=parent)
        for member in (parent, unit):
            Membership.objects.create(network=network, organisation=member)
        Membership.objects.create(
            network=network,
            organisation=Organisation.objects.create(name=f"Verein {number}-{index}", slug=f"verein-{number}-{index}"),
        )
    return body


@pytest.mark.parametrize("name", ["analysis:map", "analysis:map_data"])
def test_the_bounded_map_takes_the_same_queries_however_large_the_register(client, demo, name, monkeypatch):
    monkeypatch.setattr(analysis_graph, "NODE_LIMIT", 150)

    def queries(body):
        with CaptureQueriesContext(connection) as context:
            response = client.get(url(name), {"body": body.slug})
        assert response.status_code == 200
        return len(context.captured_queries)

    small = queries(body_with_networks(3, 1))
    large = queries(body_with_networks(30, 2))
    assert small == large
    # The default view of a register too large for one map: the office's body, with the same bound.
    monkeypatch.setattr(analysis_graph, "NODE_LIMIT", 100)
    with CaptureQueriesContext(connection) as context:
        client.get(url(name))
    first = len(context.captured_queries)
    body_with_networks(30, 3)
    with CaptureQueriesContext(connection) as context:
        client.get(url(name))
    assert len(context.captured_queries) == first


def test_choices_are_bounded_in_a_large_register(client, county, monkeypatch):
    monkeypatch.setattr(analysis_forms, "CHOICES_LIMIT", 3)
    form = analysis_forms.MapFilterForm({"networks": ["gemeinwesenarbeit-im-ladadi"]})
    offered = [value for value, _label in form.fields["networks"].widget.choices]
    assert len(offered) <= 3
    assert "gemeinwesenarbeit-im-ladadi" in offered
    assert form.is_valid(), form.errors
    # Any network can still be chosen by its slug (the links of the pages send them).
    assert analysis_forms.MapFilterForm({"networks": ["mila", "mige"]}).is_valid()
    page = client.get(url("analysis:map"))
    assert page.status_code == 200


# --- metrics: exact while small, estimated when large -----------------------------------------------


def test_betweenness_is_exact_up_to_the_threshold_and_sampled_above(monkeypatch):
    graph = nx.connected_watts_strogatz_graph(120, 4, 0.2, seed=1)
    exact, samples = betweenness(graph)
    assert samples == 0
    assert exact == nx.betweenness_centrality(graph)
    monkeypatch.setattr(analysis_graph, "EXACT_BETWEENNESS_MAX_NODES", 100)
    estimate, samples = betweenness(graph)
    assert samples == analysis_graph.BETWEENNESS_MAX_SAMPLES
    assert estimate == nx.betweenness_centrality(graph, k=samples, seed=analysis_graph.SEED)
    # Deterministic: the same map gives the same estimate.
    assert betweenness(graph) == (estimate, samples)
    # A larger map gets fewer sources, as the work budget allows, but never fewer than the minimum.
    assert analysis_graph.betweenness_samples(1_000_000, 3_000_000) == analysis_graph.BETWEENNESS_MIN_SAMPLES
    assert analysis_graph.betweenness_samples(130_000, 400_000) == 7


def test_large_maps_get_label_propagation_clusters(demo, monkeypatch):
    exact = build_graph()
    assert exact.graph["betweenness_samples"] == 0
    monkeypatch.setattr(analysis_graph, "GREEDY_CLUSTERS_MAX_NODES", 10)
    monkeypatch.setattr(analysis_graph, "EXACT_BETWEENNESS_MAX_NODES", 10)
    first, second = build_graph(), build_graph()
    assert first.graph["betweenness_samples"] > 0
    assert dict(first.nodes(data="cluster")) == dict(second.nodes(data="cluster"))
    assert dict(first.nodes(data="betweenness")) == dict(second.nodes(data="betweenness"))
    numbers = {data["cluster"] for _node, data in first.nodes(data=True)}
    assert numbers == set(range(1, first.graph["clusters"] + 1))
    # Clusters never cross connected parts.
    for _node, data in first.nodes(data=True):
        same = [other for other, cluster in first.nodes(data="cluster") if cluster == data["cluster"]]
        assert {first.nodes[other]["component"] for other in same} == {data["component"]}


def test_the_page_says_when_broker_scores_are_estimates(client, demo, monkeypatch):
    html = client.get(url("analysis:map", "en")).content.decode()
    assert 'id="broker-estimate"' not in html
    monkeypatch.setattr(analysis_graph, "EXACT_BETWEENNESS_MAX_NODES", 10)
    # The scores are those stored: estimated once the background computation estimates them.
    assert 'id="broker-estimate"' not in client.get(url("analysis:map", "en")).content.decode()
    figures.compute()
    html = client.get(url("analysis:map", "en")).content.decode()
    assert 'id="broker-estimate"' in html
    assert "estimated from the shortest paths that start at 32 of its 77 nodes" in html


def test_add_metrics_on_an_empty_map():
    graph = nx.MultiGraph()
    add_metrics(graph)
    assert graph.graph == {"components": 0, "clusters": 0, "betweenness_samples": 0}


# --- overlap: only the pairs that share actors ------------------------------------------------------


def dense_pairs(profiles):
    """The pairs of the dense matrix that share an actor, as the sparse computation gives them."""
    found = {}
    for row, cells in overlap.matrix(profiles):
        for cell in cells:
            if cell.shared and not cell.is_self and row.network.pk < cell.other.network.pk:
                found[row.network.pk, cell.other.network.pk] = (cell.shared, cell.jaccard, cell.shared_topics)
    return found


def sparse_pairs(pairs):
    return {
        tuple(sorted((pair.first.network.pk, pair.second.network.pk))): (pair.shared, pair.jaccard, pair.shared_topics)
        for pair in pairs
    }


def test_sparse_overlap_equals_the_dense_matrix_on_the_seed(demo):
    profiles = overlap.network_profiles()
    pairs = overlap.overlapping_pairs(profiles)
    assert sparse_pairs(pairs) == dense_pairs(profiles)
    mila, mige = Network.objects.get(slug="mila"), Network.objects.get(slug="mige")
    assert sparse_pairs(pairs)[tuple(sorted((mila.pk, mige.pk)))] == (5, Fraction(5, 44), 1)


class FakeNetwork:
    def __init__(self, pk):
        self.pk = pk


def test_sparse_overlap_equals_the_dense_matrix_on_made_up_profiles():
    import random

    rng = random.Random(3)
    profiles = []
    for pk in range(40):
        actors = {("organisation", rng.randrange(60)): "x" for _ in range(rng.randrange(0, 12))}
        if rng.random() < 0.3:
            actors[("actor_group", rng.randrange(3))] = "g"
        topics = {rng.randrange(5): "t" for _ in range(rng.randrange(0, 3))}
        profiles.append(overlap.NetworkProfile(network=FakeNetwork(pk), actors=actors, topics=topics))
    pairs = overlap.overlapping_pairs(profiles)
    assert sparse_pairs(pairs) == dense_pairs(profiles)
    assert [pair.shared for pair in pairs] == sorted((pair.shared for pair in pairs), reverse=True)


def test_the_overlap_page_shows_pairs_when_a_matrix_would_be_too_large(client, county, monkeypatch):
    monkeypatch.setattr(analysis_views, "MATRIX_LIMIT", 3)
    monkeypatch.setattr(analysis_views, "PAIRS_PER_PAGE", 1)
    Membership.objects.create(
        network=Network.objects.get(slug="fachbeirat-flucht-und-integration"),
        organisation=Organisation.objects.get(name="Frauen helfen Frauen e.V."),
    )
    response = client.get(url("analysis:matrix", "en"), {"body": county.slug})
    html = response.content.decode()
    assert response.context.get("rows") is None
    pairs = response.context["page"].paginator.object_list
    assert [(pair.first.network.slug, pair.second.network.slug, pair.shared) for pair in pairs][:1] == [
        ("mila", "mige", 5)
    ]
    assert "?first=mila&amp;second=mige" in html
    # Frauen helfen Frauen now also links the advisory board with both working groups.
    assert len(pairs) == 3
    assert "Page 1 of 3" in html
    second = client.get(url("analysis:matrix", "en"), {"body": county.slug, "page": 2})
    assert second.context["page"].number == 2
    assert "?body=landkreis-darmstadt-dieburg&amp;page=1" in second.content.decode()
    # Without a body, the office's own body is compared, and the page says so.
    default = client.get(url("analysis:matrix", "en"))
    assert "There are too many networks to compare all of them on one page." in default.content.decode()
    monkeypatch.setattr(analysis_views, "PAIRS_LIMIT", 2)
    narrow = client.get(url("analysis:matrix", "en"), {"body": county.slug}).content.decode()
    assert "too many to compare on one page (at most 2)" in narrow


def test_the_overlap_page_takes_the_same_queries_however_large_the_register(client, demo, monkeypatch):
    monkeypatch.setattr(analysis_views, "MATRIX_LIMIT", 3)

    def queries(body):
        with CaptureQueriesContext(connection) as context:
            client.get(url("analysis:matrix"), {"body": body.slug})
        return len(context.captured_queries)

    assert queries(body_with_networks(4, 1)) == queries(body_with_networks(40, 2))


# --- the filters of a large register: the body by search, focus areas by index -------------------------


def test_bodies_are_found_by_search_beyond_the_listed_number(client, county, monkeypatch):
    """Up to ``BODIES_LISTED`` bodies the select lists them all (it works without JavaScript); beyond, the page
    offers the chosen body only, the same queries however many bodies there are, and the public options
    endpoint finds the others by name."""
    page = client.get(url("analysis:map", "en"), {"body": county.slug}).content.decode()
    assert 'data-options="bodies"' in page and "Wissenschaftsstadt Darmstadt</option>" in page
    assert f'data-options-url="{reverse("analysis:options", args=["KIND"])}"' in page
    monkeypatch.setattr(analysis_forms.ScopeFields.base_fields["body"].widget, "full_list", 1)

    def body_select(response):
        return response.content.decode().split('data-options="bodies"')[1].split("</select>")[0]

    with CaptureQueriesContext(connection) as context:
        select = body_select(client.get(url("analysis:map", "en"), {"body": county.slug}))
    first = len(context.captured_queries)
    assert "Wissenschaftsstadt Darmstadt" not in select
    assert 'value="landkreis-darmstadt-dieburg" selected>Landkreis Darmstadt-Dieburg</option>' in select
    Body.objects.bulk_create([Body(name=f"Landkreis Nummer {number}", slug=f"nummer-{number}") for number in range(30)])
    with CaptureQueriesContext(connection) as context:
        select = body_select(client.get(url("analysis:map", "en"), {"body": county.slug}))
    assert len(context.captured_queries) == first
    assert "Nummer" not in select
    # The overlap page has the same select.
    assert "Wissenschaftsstadt" not in body_select(client.get(url("analysis:matrix", "en")))
    # The search: anyone may ask, a few entries by name, the slug as the value the form takes.
    options = client.get(reverse("analysis:options", args=["bodies"]), {"q": "wissenschaftsstadt"}).json()
    assert options == {"results": [{"value": "wissenschaftsstadt-darmstadt", "text": "Wissenschaftsstadt Darmstadt"}]}
    assert len(client.get(reverse("analysis:options", args=["bodies"]), {"q": "nummer"}).json()["results"]) == 20
    assert client.get(reverse("analysis:options", args=["people"]), {"q": "a"}).status_code == 404
    # A body found so is taken.
    chosen = client.get(url("analysis:map", "en"), {"body": "nummer-7"})
    assert 'value="nummer-7" selected>Landkreis Nummer 7</option>' in body_select(chosen)


def test_focus_areas_are_listed_by_index_and_any_stated_one_is_taken(demo, monkeypatch):
    from register.models import FocusArea

    names = list(FocusArea.objects.order_by("name").values_list("name", flat=True).distinct())
    assert FocusArea.objects.names() == names
    monkeypatch.setattr(analysis_forms, "CHOICES_LIMIT", 2)
    offered = [value for value, _label in analysis_forms.MapFilterForm().fields["focus_area"].choices]
    assert offered == ["", *names[:2]]
    # Beyond the list (as the links of the pages send it), and in a form only read, which lists none.
    assert analysis_forms.MapFilterForm({"focus_area": names[-1]}).is_valid()
    read = analysis_forms.MapFilterForm({"focus_area": names[-1]}, offer_choices=False)
    assert read.is_valid() and read.fields["focus_area"].choices == []
    assert not analysis_forms.MapFilterForm({"focus_area": "kein Schwerpunkt"}, offer_choices=False).is_valid()


def test_the_map_data_neither_lists_choices_nor_counts_the_organisations_when_the_networks_are_too_many(
    client, county, monkeypatch
):
    """Seven networks are more than a limit of five: the size of the whole register is known without
    counting its organisations (shown only when no map can be drawn), and the map data lists no choices."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url("analysis:map_data", "en"), {"networks": ["mila"]})
    assert response.status_code == 200
    sql = [query["sql"] for query in context.captured_queries]
    listing = ('FROM "register_focusarea"', 'FROM "register_municipality"')
    assert not [query for query in sql if any(table in query for table in listing)]
    monkeypatch.setattr(analysis_graph, "NODE_LIMIT", 5)
    whole, organisations = selection_size(MapFilters()), Organisation.objects.count()
    with CaptureQueriesContext(connection) as context:
        assert whole.too_large
    assert context.captured_queries == []
    with CaptureQueriesContext(connection) as context:
        assert whole.organisations == organisations
        assert whole.organisations == organisations
    assert len(context.captured_queries) == 1
