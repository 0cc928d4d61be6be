"""The network map as a graph: networks, organisations, actor groups (and, for the office, people).

Nodes carry a kind, a category, a municipality and a link; edges carry a kind:

* ``member`` – a network and one of its members (a membership of a unit counts for the unit; a
  person sitting on behalf of an organisation counts for that organisation);
* ``part_of`` – a unit and the organisation it belongs to, so units hang on their organisation;
* ``funds`` – the funder of a programme and the programme's exchange network;
* ``represents`` – a person and the organisation they sit for (only in the office's graph with people);
* ``shared_network`` – in the view of organisations only: two actors that sit in the same networks
  (``weight`` = how many);
* ``cooperation`` – two organisations that work together as the answers to the needs surveys say
  (``needs.cooperation.cooperation_edges``): ``topics``, the strongest ``frequency``, the number of
  ``reports`` and a ``weight`` from 1 (once a year or less) to 4 (weekly).

Every edge belongs to a ``layer``: the formal membership (all kinds but the last) or the actual
cooperation. The graph is a ``MultiGraph`` keyed by the layer, so that two organisations can be linked
in both layers at once. The cooperation layer is for the office only: the answers come from surveys of
member organisations, and the public map never asks for it.

``build_graph`` needs a fixed number of queries whatever the size of the register. All attributes
are strings or numbers, so that GEXF and GraphML carry them unchanged.
"""

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import networkx as nx
from django.db.models import Q
from django.utils.translation import gettext as _

from needs.cooperation import cooperation_edges
from needs.models import FREQUENCY_RANK, Frequency
from register.models import Category, Membership, Network, Organisation, Programme

NETWORK, ORGANISATION, ACTOR_GROUP, PERSON = "network", "organisation", "actor_group", "person"
MODE_BIPARTITE, MODE_ORGANISATIONS = "networks", "organisations"
# The layers of the map; an edge's ``layer`` is one of the first two.
LAYER_MEMBERSHIP, LAYER_COOPERATION, LAYER_BOTH = "membership", "cooperation", "both"
COOPERATION = "cooperation"  # the kind of a cooperation edge
# Node kinds that stand for an actor (not for a network).
ACTOR_KINDS = {ORGANISATION, ACTOR_GROUP, PERSON}
# Colours of the map: networks, then organisations by category, then actor groups and people.
NETWORK_COLOUR = "#0b5394"
CATEGORY_COLOURS = {
    Category.AUTHORITY: "#6a3d9a",
    Category.WELFARE: "#c2185b",
    Category.ASSOCIATION: "#2e7d32",
    Category.EDUCATION: "#e65100",
    Category.HEALTH: "#00838f",
    Category.RELIGION: "#8d6e63",
    Category.ECONOMY: "#9e9d24",
    Category.POLITICS: "#fbc02d",
    Category.PRACTICE: "#5c6bc0",
    Category.OTHER: "#757575",
    ACTOR_GROUP: "#455a64",
    PERSON: "#000000",
}


@dataclass
class Filters:
    """What the map shows. Empty values mean: no restriction."""

    networks: tuple = ()  # network pks
    category: str = ""  # organisation category
    municipality: int | None = None  # municipality pk of organisations
    on: object = None  # date the memberships are active on (default today)
    mode: str = MODE_BIPARTITE
    include_people: bool = False  # only ever for the office
    layer: str = LAYER_MEMBERSHIP  # the cooperation layer only ever for the office

    @property
    def with_cooperation(self):
        return self.layer in {LAYER_COOPERATION, LAYER_BOTH}


def node_id(kind, pk):
    return f"{kind[0] if kind != ACTOR_GROUP else 'g'}{pk}"


def _organisation_nodes(filters):
    queryset = Organisation.objects.select_related("municipality")
    organisations = {org.pk: org for org in queryset}
    categories = dict(Category.choices)

    def full_name(org):
        names = []
        while org is not None and org.name not in names:
            names.insert(0, org.name)
            org = organisations.get(org.parent_id)
        return " - ".join(names)

    nodes = {}
    for org in organisations.values():
        if filters.category and org.category != filters.category:
            continue
        if filters.municipality and org.municipality_id != filters.municipality:
            continue
        nodes[org.pk] = {
            "label": org.short_name or org.name,
            "name": full_name(org),
            "kind": ORGANISATION,
            "category": org.category,
            "category_label": str(categories.get(org.category, org.category)),
            "municipality": org.municipality.name if org.municipality_id else "",
            "url": org.get_absolute_url(),
            "slug": org.slug,
        }
    return organisations, nodes


def build_graph(filters=None):
    """The graph of the register as ``filters`` select it, with metrics on every node.

    With the cooperation layer, ``graph.graph["network_members"]`` holds the organisations of every
    network on the map (``{network node: {"name", "members"}}``) for ``cooperation_overview``.
    """
    filters = filters or Filters()
    membership = _membership_graph(filters)
    network_members = _network_members(membership) if filters.with_cooperation else None
    if filters.mode == MODE_ORGANISATIONS:
        membership = project_on_actors(membership)
    graph = nx.MultiGraph()
    if filters.layer == LAYER_COOPERATION:
        graph.add_nodes_from((node, data) for node, data in membership.nodes(data=True) if data["kind"] == ORGANISATION)
    else:
        graph.add_nodes_from(membership.nodes(data=True))
        for source, target, data in membership.edges(data=True):
            graph.add_edge(
                source, target, key=LAYER_MEMBERSHIP, **data, layer=LAYER_MEMBERSHIP, topics="", frequency="", reports=0
            )
    if filters.with_cooperation:
        add_cooperation(graph)
        graph.graph["network_members"] = network_members
    graph.graph["layer"] = filters.layer
    add_metrics(graph)
    return graph


def _membership_graph(filters):
    """The formal layer: networks, their members, units and funders (a simple graph, no metrics)."""
    networks = Network.objects.all()
    if filters.networks:
        networks = networks.filter(pk__in=filters.networks)
    if filters.on is not None:
        networks = networks.filter(Q(since_year__isnull=True) | Q(since_year__lte=filters.on.year))
    networks = {network.pk: network for network in networks}
    organisations, organisation_nodes = _organisation_nodes(filters)
    actor_filter = bool(filters.category or filters.municipality)
    classifications = dict(Network.Classification.choices)

    graph = nx.Graph()
    for network in networks.values():
        graph.add_node(
            node_id(NETWORK, network.pk),
            label=network.short_name or network.name,
            name=network.name,
            kind=NETWORK,
            category=network.classification,
            category_label=str(classifications.get(network.classification, network.classification)),
            municipality="",
            url=network.get_absolute_url(),
            slug=network.slug,
        )
    memberships = (
        Membership.objects.active(filters.on)
        .filter(network__in=list(networks))
        .select_related("actor_group", "person")
        .order_by("network", "position", "pk")
    )
    roles = dict(Membership.Role.choices)

    def connect(network_pk, member, kind, role):
        source = node_id(NETWORK, network_pk)
        if graph.has_edge(source, member):
            edge = graph.edges[source, member]
            if role not in edge["roles"].split(", "):
                edge["roles"] = ", ".join(sorted([*edge["roles"].split(", "), role]))
        else:
            graph.add_edge(source, member, kind=kind, roles=role, weight=1)

    for membership in memberships:
        role = str(roles.get(membership.role, membership.role))
        organisation_pk = membership.organisation_id or membership.on_behalf_of_id
        if organisation_pk in organisation_nodes:
            target = node_id(ORGANISATION, organisation_pk)
            graph.add_node(target, **organisation_nodes[organisation_pk])
            connect(membership.network_id, target, "member", role)
        if membership.actor_group_id and not actor_filter:
            group = membership.actor_group
            target = node_id(ACTOR_GROUP, group.pk)
            graph.add_node(
                target,
                label=group.name,
                name=group.name,
                kind=ACTOR_GROUP,
                category=ACTOR_GROUP,
                category_label=_("Group of actors"),
                municipality="",
                url="",
                slug=group.slug,
            )
            connect(membership.network_id, target, "member", role)
        if membership.person_id and filters.include_people and not actor_filter:
            target = node_id(PERSON, membership.person_id)
            graph.add_node(
                target,
                label=str(membership.person),
                name=str(membership.person),
                kind=PERSON,
                category=PERSON,
                category_label=_("Person"),
                municipality="",
                url="",
                slug="",
            )
            connect(membership.network_id, target, "member", role)
            if membership.on_behalf_of_id in organisation_nodes:
                graph.add_edge(
                    target, node_id(ORGANISATION, membership.on_behalf_of_id), kind="represents", roles="", weight=1
                )

    # Every organisation of the register is on the map (the ones in no network show as isolated),
    # unless networks are chosen: then their members and the organisations these belong to.
    if filters.networks:
        wanted = {int(node[1:]) for node, kind in graph.nodes(data="kind") if kind == ORGANISATION}
        for pk in list(wanted):
            parent = organisations[pk].parent_id
            while parent is not None and parent not in wanted:
                wanted.add(parent)
                parent = organisations[parent].parent_id
    else:
        wanted = set(organisation_nodes)
    for pk in wanted:
        if pk in organisation_nodes:
            graph.add_node(node_id(ORGANISATION, pk), **organisation_nodes[pk])
    for pk in wanted:
        parent = organisations[pk].parent_id
        if pk in organisation_nodes and parent in organisation_nodes and parent in wanted:
            graph.add_edge(node_id(ORGANISATION, pk), node_id(ORGANISATION, parent), kind="part_of", roles="", weight=1)
    for network_pk, funder_pk in Programme.objects.filter(network__in=list(networks)).values_list("network", "funder"):
        funder = node_id(ORGANISATION, funder_pk)
        if graph.has_node(funder):
            graph.add_edge(funder, node_id(NETWORK, network_pk), kind="funds", roles="", weight=1)
    if actor_filter:
        graph.remove_nodes_from(
            [node for node, kind in graph.nodes(data="kind") if kind == NETWORK and graph.degree(node) == 0]
        )
    return graph


def _network_members(graph):
    """{network node: {"name": ..., "members": [organisation nodes]}} of the formal layer, networks by label."""
    members = {}
    for node, data in sorted_nodes(graph):
        if data["kind"] != NETWORK:
            continue
        organisations = [
            other
            for other in graph.neighbors(node)
            if graph.nodes[other]["kind"] == ORGANISATION and graph.edges[node, other]["kind"] == "member"
        ]
        members[node] = {"name": data["name"], "members": sorted(organisations)}
    return members


def add_cooperation(graph):
    """The cooperation layer between the organisations on the map (one query)."""
    for edge in cooperation_edges():
        source, target = node_id(ORGANISATION, edge.source_id), node_id(ORGANISATION, edge.target_id)
        if source in graph and target in graph:
            graph.add_edge(
                source,
                target,
                key=COOPERATION,
                kind=COOPERATION,
                roles="",
                weight=FREQUENCY_RANK.get(edge.frequency, 1),
                layer=LAYER_COOPERATION,
                topics="; ".join(edge.topics),
                frequency=edge.frequency,
                reports=edge.reports,
            )


def frequency_label(value):
    return str(Frequency(value).label) if value in Frequency.values else ""


def cooperation_overview(graph):
    """Pairs in the same network that never work together, and cooperation that crosses networks.

    Only what is on the map counts: the networks and organisations the filters (and the ego
    network) leave. None without the cooperation layer.
    """
    network_members = graph.graph.get("network_members")
    if network_members is None:
        return None
    cooperating = {
        frozenset((source, target)): data
        for source, target, key, data in graph.edges(keys=True, data=True)
        if key == COOPERATION
    }

    def name(node):
        return graph.nodes[node]["name"]

    networks_of = defaultdict(list)
    not_cooperating = []
    for entry in network_members.values():
        members = sorted((node for node in entry["members"] if node in graph), key=lambda node: name(node).casefold())
        for node in members:
            networks_of[node].append(entry["name"])
        pairs = [(name(a), name(b)) for a, b in combinations(members, 2) if frozenset((a, b)) not in cooperating]
        if len(members) > 1:
            total = len(members) * (len(members) - 1) // 2
            not_cooperating.append(
                {"network": entry["name"], "members": len(members), "cooperating": total - len(pairs), "pairs": pairs}
            )
    crossing = []
    for pair, data in cooperating.items():
        first, second = sorted(pair, key=lambda node: name(node).casefold())
        if set(networks_of[first]) & set(networks_of[second]):
            continue
        crossing.append(
            {
                "source": name(first),
                "target": name(second),
                "source_networks": sorted(networks_of[first]),
                "target_networks": sorted(networks_of[second]),
                "topics": data["topics"],
                "frequency_label": frequency_label(data["frequency"]),
                "reports": data["reports"],
            }
        )
    crossing.sort(key=lambda row: (row["source"].casefold(), row["target"].casefold()))
    return {"not_cooperating": not_cooperating, "crossing": crossing, "edges": len(cooperating)}


def project_on_actors(graph):
    """Actors only: two actors are linked by the number of networks they share; 'part of' links stay."""
    projected = nx.Graph()
    projected.add_nodes_from((node, data) for node, data in graph.nodes(data=True) if data["kind"] in ACTOR_KINDS)
    for node, kind in graph.nodes(data="kind"):
        if kind != NETWORK:
            continue
        members = sorted(other for other in graph.neighbors(node) if graph.edges[node, other]["kind"] == "member")
        for first, second in combinations(members, 2):
            if projected.has_edge(first, second) and projected.edges[first, second]["kind"] == "shared_network":
                edge = projected.edges[first, second]
                edge["weight"] += 1
                edge["roles"] = f"{edge['roles']}, {graph.nodes[node]['label']}"
            elif not projected.has_edge(first, second):
                projected.add_edge(first, second, kind="shared_network", roles=graph.nodes[node]["label"], weight=1)
    for first, second, data in graph.edges(data=True):
        if data["kind"] in {"part_of", "represents"}:
            projected.add_edge(first, second, **data)
    return projected


def add_metrics(graph):
    """Degree, betweenness (normalised, 0-1), connected component and cluster on every node."""
    betweenness = nx.betweenness_centrality(graph) if graph.number_of_nodes() > 2 else {}
    components = sorted(nx.connected_components(graph), key=lambda nodes: (-len(nodes), min(nodes)))
    for number, nodes in enumerate(components, start=1):
        for node in nodes:
            graph.nodes[node]["component"] = number
    clusters = []
    for nodes in components:
        if len(nodes) < 3:
            clusters.append(nodes)
            continue
        sub = graph.subgraph(nodes)
        clusters.extend(nx.community.greedy_modularity_communities(sub, weight="weight"))
    clusters.sort(key=lambda nodes: (-len(nodes), min(nodes)))
    for number, nodes in enumerate(clusters, start=1):
        for node in nodes:
            graph.nodes[node]["cluster"] = number
    for node in graph.nodes:
        graph.nodes[node]["degree"] = graph.degree(node)
        graph.nodes[node]["betweenness"] = round(betweenness.get(node, 0.0), 4)
    graph.graph["components"] = len(components)
    graph.graph["clusters"] = len(clusters)


def ego_network(graph, center, radius=2):
    """The part of the map within ``radius`` steps of ``center``, with its own metrics."""
    ego = nx.ego_graph(graph, center, radius=radius).copy()
    add_metrics(ego)
    return ego


def sorted_nodes(graph):
    """Networks first, then the actors, each by label."""
    return sorted(graph.nodes(data=True), key=lambda item: (item[1]["kind"] != NETWORK, item[1]["label"].casefold()))


def brokers(graph, limit=10):
    """Actors and networks that link otherwise separate parts: highest betweenness first."""
    ranked = [(node, data) for node, data in graph.nodes(data=True) if data["betweenness"] > 0]
    ranked.sort(key=lambda item: (-item[1]["betweenness"], item[1]["label"].casefold()))
    return ranked[:limit]


def isolated(graph):
    """Nodes without any link on the map."""
    return [(node, data) for node, data in sorted_nodes(graph) if graph.degree(node) == 0]


def clusters(graph):
    """The clusters with more than one node, largest first: (number, [labels])."""
    grouped = {}
    for _node, data in sorted_nodes(graph):
        grouped.setdefault(data["cluster"], []).append(data["name"])
    return [(number, labels) for number, labels in sorted(grouped.items()) if len(labels) > 1]


def colour_of(data):
    if data["kind"] == NETWORK:
        return NETWORK_COLOUR
    return CATEGORY_COLOURS.get(data["category"], CATEGORY_COLOURS[Category.OTHER])


def legend(graph):
    """[(label, colour)] for the kinds and categories on the map, networks first."""
    seen = {}
    for _node, data in sorted_nodes(graph):
        key = NETWORK if data["kind"] == NETWORK else data["category"]
        label = _("Network") if data["kind"] == NETWORK else data["category_label"]
        seen.setdefault(key, (label, colour_of(data)))
    order = [NETWORK, *CATEGORY_COLOURS]
    return [seen[key] for key in order if key in seen]


# How the map draws the kinds of links (keep in step with map.js): colour and SVG dash pattern.
EDGE_STYLES = {
    "member": ("#6b7280", ""),
    "shared_network": ("#6b7280", ""),
    "represents": ("#6b7280", ""),
    "part_of": ("#4a4a4a", "6 4"),
    "funds": ("#4a4a4a", "2 3"),
    COOPERATION: ("#b45309", "14 4"),
}


def edge_legend(graph):
    """[(label, colour, dash pattern)] for the kinds of links on the map, in a fixed order."""
    labels = {
        "member": _("member of a network"),
        "shared_network": _("sit in the same networks"),
        "represents": _("sits for the organisation"),
        "part_of": _("unit of an organisation"),
        "funds": _("funds the programme"),
        COOPERATION: _("work together (from survey answers)"),
    }
    present = {kind for _a, _b, kind in graph.edges(data="kind")}
    return [(labels[kind], *EDGE_STYLES[kind]) for kind in EDGE_STYLES if kind in present]


def to_cytoscape(graph):
    """Elements for cytoscape.js: ``{"nodes": [...], "edges": [...]}``."""
    nodes = [{"data": {"id": node, **data, "colour": colour_of(data)}} for node, data in sorted_nodes(graph)]
    edges = [
        {"data": {"id": f"{source}-{target}-{key}", "source": source, "target": target, **data}}
        for source, target, key, data in sorted_edges(graph)
    ]
    return {"nodes": nodes, "edges": edges}


def sorted_edges(graph):
    """``(source, target, key, data)`` in a stable order."""
    return sorted(graph.edges(keys=True, data=True), key=lambda edge: (edge[0], edge[1], edge[2]))


def select_map(filters, ego=None, radius=2):
    """The map for ``filters``, cut to the ego network of organisation ``ego`` if given.

    Returns ``(graph, found)``; ``found`` is False when the organisation is not on the map with
    these filters, and the whole map is returned.
    """
    graph = build_graph(filters)
    if ego is None:
        return graph, True
    center = node_id(ORGANISATION, getattr(ego, "pk", ego))
    if center not in graph:
        return graph, False
    return ego_network(graph, center, radius), True


def table_rows(graph):
    """One row per node: the names of its neighbours in the formal layer, and its cooperation partners."""
    rows = []
    for node, data in sorted_nodes(graph):
        linked, partners = set(), []
        for _node, other, key, edge in graph.edges(node, keys=True, data=True):
            if key == COOPERATION:
                partners.append(
                    {
                        "name": graph.nodes[other]["name"],
                        "frequency_label": frequency_label(edge["frequency"]),
                        "topics": edge["topics"],
                    }
                )
            else:
                linked.add(graph.nodes[other]["name"])
        partners.sort(key=lambda partner: partner["name"].casefold())
        rows.append({"id": node, **data, "neighbours": sorted(linked, key=str.casefold), "partners": partners})
    return rows
