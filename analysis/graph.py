"""The network map as a graph: networks, organisations, actor groups (and, for the office, people).

Nodes carry a kind, a category, a municipality and a link; edges carry a kind:

* ``member`` – a network and one of its members (a membership of a unit counts for the unit; a
  person sitting on behalf of an organisation counts for that organisation);
* ``part_of`` – a unit and the organisation it belongs to, so units hang on their organisation;
* ``funds`` – the funder of a programme and the programme's exchange network;
* ``represents`` – a person and the organisation they sit for (only in the office's graph with people);
* ``shared_network`` – in the view of organisations only: two actors that sit in the same networks
  (``weight`` = how many);
* ``cooperation`` – two organisations that work together as the answers to the needs surveys say:
  ``topics``, the strongest ``frequency``, the number of ``reports`` and a ``weight`` from 1 (once a
  year or less) to 4 (weekly). The needs app sits above the analysis (docs/layers.md), so it hands its
  source over when the project starts (``provide_cooperation``, called from ``needs.apps``).

Every edge belongs to a ``layer``: the formal membership (all kinds but the last) or the actual
cooperation. The graph is a ``MultiGraph`` keyed by the layer, so that two organisations can be linked
in both layers at once. The cooperation layer is for the office only: the answers come from surveys of
member organisations, and the public map never asks for it.

``build_graph`` needs a fixed number of queries whatever the size of the register. All attributes
are strings or numbers, so that GEXF and GraphML carry them unchanged.
"""

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import combinations

import networkx as nx
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from register.absolute import page_url_maker
from register.models import (
    ActorGroup,
    Category,
    FocusArea,
    Membership,
    Municipality,
    Network,
    Organisation,
    Person,
    Programme,
)
from register.translations import current_language, texts_of

NETWORK, ORGANISATION, ACTOR_GROUP, PERSON = "network", "organisation", "actor_group", "person"
MODE_BIPARTITE, MODE_ORGANISATIONS = "networks", "organisations"
# The layers of the map; an edge's ``layer`` is one of the first two.
LAYER_MEMBERSHIP, LAYER_COOPERATION, LAYER_BOTH = "membership", "cooperation", "both"
COOPERATION = "cooperation"  # the kind of a cooperation edge
# Node kinds that stand for an actor (not for a network).
ACTOR_KINDS = {ORGANISATION, ACTOR_GROUP, PERSON}


# A map with more nodes than this is not drawn: nobody reads a table of thousands of rows, and a
# browser cannot lay out the graph. The page asks to narrow the selection instead (see ``select_map``).
NODE_LIMIT = 500
# Betweenness is exact up to this many nodes; above, it is estimated from a number of shortest-path
# sources drawn with a fixed seed (Brandes' sampling, networkx's ``k``), so that the same map always
# gives the same figures: as many sources as BETWEENNESS_WORK node and edge visits allow (each
# source visits the whole map once), within the bounds below.
EXACT_BETWEENNESS_MAX_NODES = 300
BETWEENNESS_MIN_SAMPLES, BETWEENNESS_MAX_SAMPLES = 4, 32
BETWEENNESS_WORK = 4_000_000
# Clusters by greedy modularity up to this many nodes on the map, by seeded label propagation above.
GREEDY_CLUSTERS_MAX_NODES = 200
SEED = 8
# Units of units are followed this many levels in one query; deeper chains take a query per level.
ANCESTOR_JOINS = 3


@dataclass
class MapFilters:
    """What the map shows. Empty values mean: no restriction."""

    networks: tuple = ()  # network pks
    category: str = ""  # organisation category
    municipality: int | None = None  # municipality pk of organisations
    on: object = None  # date the memberships are active on (default today)
    mode: str = MODE_BIPARTITE
    include_people: bool = False  # only ever for the office
    layer: str = LAYER_MEMBERSHIP  # the cooperation layer only ever for the office
    body: int | None = None  # networks hosted by the body, and the organisations located in it
    focus_area: str = ""  # networks with a focus area of this name
    organisations: tuple = ()  # organisation pks that are on the map whatever the networks (ego networks)

    @property
    def with_cooperation(self):
        return self.layer in {LAYER_COOPERATION, LAYER_BOTH}

    @property
    def scoped(self):
        """True when the map holds the members of chosen networks rather than the whole register."""
        return bool(self.networks or self.body or self.focus_area or self.organisations)

    @property
    def actor_filter(self):
        return bool(self.category or self.municipality)


def node_id(kind, pk):
    return f"{kind[0] if kind != ACTOR_GROUP else 'g'}{pk}"


@dataclass(frozen=True)
class CooperationSource:
    """Where the map reads its cooperation layer from (the needs surveys, see ``needs.apps``)."""

    edges: Callable  # () -> edges with source_id < target_id, topics, frequency and reports
    weights: Mapping  # frequency -> weight of the edge, 1 (once a year or less) to 4 (weekly)
    labels: Mapping  # frequency -> its label


# Set once when the project starts; without a source (no needs app) the cooperation layer is empty.
_cooperation = None


def provide_cooperation(source):
    """Let the map draw the cooperation layer from ``source`` (a ``CooperationSource``)."""
    global _cooperation
    _cooperation = source


def network_queryset(filters):
    """The networks of the selection (not yet narrowed by the actor filters)."""
    networks = Network.objects.all()
    if filters.networks:
        networks = networks.filter(pk__in=filters.networks)
    if filters.body:
        networks = networks.hosted_by(filters.body)
    if filters.focus_area:
        networks = networks.filter(pk__in=FocusArea.objects.filter(name=filters.focus_area).values("network"))
    if filters.on is not None:
        networks = networks.filter(Q(since_year__isnull=True) | Q(since_year__lte=filters.on.year))
    return networks


def _actor_q(filters, prefix=""):
    q = Q()
    if filters.category:
        q &= Q(**{f"{prefix}category": filters.category})
    if filters.municipality:
        q &= Q(**{f"{prefix}municipality": filters.municipality})
    return q


class Size:
    """About how many networks and organisations a selection holds (before the actor filters
    remove networks without members left; actor groups and people are not counted).

    ``organisations`` may be given as a function that counts them: it is called only when the number
    is asked for, not when the networks alone make the selection too large (counting the 120,000
    organisations of a whole country takes 50 ms and is shown only when no map can be drawn)."""

    def __init__(self, networks, organisations):
        self.networks = networks
        self._organisations = organisations

    @property
    def organisations(self):
        if callable(self._organisations):
            self._organisations = self._organisations()
        return self._organisations

    @property
    def nodes(self):
        return self.networks + self.organisations

    @property
    def too_large(self):
        return self.networks > NODE_LIMIT or self.nodes > NODE_LIMIT

    def __eq__(self, other):
        return isinstance(other, Size) and (self.networks, self.organisations) == (other.networks, other.organisations)

    def __repr__(self):
        return f"Size(networks={self.networks}, organisations={self.organisations})"


# A scoped selection with more organisations than this is counted, not listed.
IDS_LIMIT = 20_000


class Scope:
    """The networks and organisations that ``filters`` select, resolved with indexed queries and
    remembered, so that counting a selection and building its map share the work.

    (One query with ``pk IN (members) OR pk IN (represented) OR in the body's area`` reads every
    organisation of the register: 60-170 ms at 120,000 organisations. Lists of pks do not.)
    """

    def __init__(self, filters):
        self.filters = filters
        self.networks = network_queryset(filters)
        self._ids = None

    def organisation_ids(self):
        """pks of the organisations of a scoped selection, before the actor filters (one or two
        queries, remembered); None for the whole register."""
        filters = self.filters
        if not filters.scoped:
            return None
        if self._ids is None:
            ids = set(filters.organisations)
            members = (
                Membership.objects.active(filters.on)
                .filter(network__in=self.networks.values("pk"))
                .filter(Q(organisation__isnull=False) | Q(on_behalf_of__isnull=False))
                .order_by()
                .values_list("organisation_id", "on_behalf_of_id")
            )
            ids.update(organisation or on_behalf_of for organisation, on_behalf_of in members)
            if filters.body and not (filters.networks or filters.focus_area):
                # A union of two indexed lookups: ``municipality IN area OR body = …`` reads the whole table.
                area = Municipality.objects.filter(county=filters.body).values("pk")
                in_area = Organisation.objects.filter(municipality__in=area).order_by().values_list("pk", flat=True)
                of_body = Organisation.objects.filter(body=filters.body).order_by().values_list("pk", flat=True)
                ids.update(in_area.union(of_body, all=True))
            self._ids = ids
        return self._ids

    def organisations(self):
        """The organisations of the selection, actor filters applied (a queryset)."""
        queryset = Organisation.objects.filter(_actor_q(self.filters)).order_by()
        ids = self.organisation_ids()
        return queryset if ids is None else queryset.filter(pk__in=sorted(ids))

    def size(self):
        """The size of the selection before anything is loaded: two to four indexed queries."""
        filters = self.filters
        networks = self.networks.count()
        if filters.scoped and networks > NODE_LIMIT:  # too many networks to list their members
            members = (
                Membership.objects.active(filters.on)
                .filter(network__in=self.networks.values("pk"))
                .annotate(member=Coalesce("organisation", "on_behalf_of"))
                .exclude(member=None)
            )
            return Size(networks, members.values("member").distinct().count())
        ids = self.organisation_ids()
        if not filters.actor_filter:
            return Size(networks, Organisation.objects.count if ids is None else len(ids))
        if ids is not None and len(ids) > IDS_LIMIT:
            return Size(networks, len(ids))
        chosen = list(self.organisations().values_list("pk", flat=True)[: NODE_LIMIT + 1])
        if len(chosen) > NODE_LIMIT:
            return Size(networks, self.organisations().count())
        members = Membership.objects.active(filters.on).filter(Q(organisation__in=chosen) | Q(on_behalf_of__in=chosen))
        return Size(self.networks.filter(pk__in=members.values("network")).count(), len(chosen))


def selection_size(filters):
    """The size of the selection, before anything is loaded."""
    return Scope(filters).size()


ORGANISATION_FIELDS = (
    "pk", "name", "short_name", "parent_id", "category", "municipality_id", "municipality__name", "slug",
)  # fmt: skip
PK, NAME, SHORT_NAME, PARENT, CATEGORY, MUNICIPALITY, MUNICIPALITY_NAME, SLUG = range(len(ORGANISATION_FIELDS))


def _organisation_rows(scope):
    """({pk: row} of the organisations of the selection and of every organisation above them, {selected pks}).

    One query, and one more when organisations above the selected ones are not among them (followed
    up to ``ANCESTOR_JOINS`` levels at once; deeper chains take a query per further level).
    """
    chain = ["parent__" * level + "parent_id" for level in range(1, ANCESTOR_JOINS)]
    width = len(ORGANISATION_FIELDS)
    rows, above = {}, set()
    for row in scope.organisations().values_list(*ORGANISATION_FIELDS, *chain):
        rows[row[PK]] = row[:width]
        above.update(pk for pk in (row[PARENT], *row[width:]) if pk)
    selected = set(rows)
    missing = above - selected
    while missing:
        found = Organisation.objects.filter(pk__in=missing).order_by().values_list(*ORGANISATION_FIELDS, *chain)
        above = set()
        for row in found:
            rows[row[PK]] = row[:width]
            above.update(pk for pk in (row[PARENT], *row[width:]) if pk)
        missing = above - set(rows)
    return rows, selected


def _organisation_nodes(scope):
    """({pk: parent pk} of every organisation loaded, {pk: node data} of those the filters keep, selected pks)."""
    filters = scope.filters
    rows, selected = _organisation_rows(scope)
    categories = {value: str(label) for value, label in Category.choices}
    url_of = page_url_maker(Organisation)

    def full_name(pk):
        names = []
        while pk is not None and pk in rows and rows[pk][NAME] not in names:
            names.insert(0, rows[pk][NAME])
            pk = rows[pk][PARENT]
        return " - ".join(names)

    nodes = {}
    for pk, row in rows.items():
        if filters.category and row[CATEGORY] != filters.category:
            continue
        if filters.municipality and row[MUNICIPALITY] != filters.municipality:
            continue
        nodes[pk] = {
            "label": row[SHORT_NAME] or row[NAME],
            "name": full_name(pk),
            "kind": ORGANISATION,
            "category": row[CATEGORY],
            "category_label": categories.get(row[CATEGORY], row[CATEGORY]),
            "municipality": row[MUNICIPALITY_NAME] or "",
            "url": url_of(row[SLUG]),
            "slug": row[SLUG],
        }
    parents = {pk: row[PARENT] for pk, row in rows.items()}
    return parents, nodes, selected


def build_graph(filters=None, scope=None, metrics=True):
    """The graph of the register as ``filters`` select it, with metrics on every node.

    With the cooperation layer, ``graph.graph["network_members"]`` holds the organisations of every
    network on the map (``{network node: {"name", "members"}}``) for ``cooperation_overview``.
    No limit applies here: ``select_map`` is the bounded entry point for pages.
    """
    filters = filters or MapFilters()
    membership = _membership_graph(scope or Scope(filters))
    network_members = _network_members(membership) if filters.with_cooperation else None
    if filters.mode == MODE_ORGANISATIONS:
        membership = project_on_actors(membership)
        membership = _as_layered(membership)
    if filters.layer == LAYER_COOPERATION:
        graph = nx.MultiGraph()
        graph.add_nodes_from((node, data) for node, data in membership.nodes(data=True) if data["kind"] == ORGANISATION)
    else:
        graph = membership
    del membership
    if filters.with_cooperation:
        add_cooperation(graph)
        graph.graph["network_members"] = network_members
    graph.graph["layer"] = filters.layer
    if metrics:
        add_metrics(graph)
    return graph


def _as_layered(simple):
    """The formal layer as the map's ``MultiGraph``: every edge keyed and marked as membership."""
    graph = nx.MultiGraph()
    graph.add_nodes_from(simple.nodes(data=True))
    graph.add_edges_from(
        (
            source,
            target,
            LAYER_MEMBERSHIP,
            {**data, "layer": LAYER_MEMBERSHIP, "topics": "", "frequency": "", "reports": 0},
        )
        for source, target, data in simple.edges(data=True)
    )
    return graph


def _link(graph, source, target, kind, roles=""):
    """An edge of the formal layer, keyed and with every attribute an edge of the map carries."""
    graph.add_edge(
        source,
        target,
        key=LAYER_MEMBERSHIP,
        kind=kind,
        roles=roles,
        weight=1,
        layer=LAYER_MEMBERSHIP,
        topics="",
        frequency="",
        reports=0,
    )


def _membership_graph(scope):
    """The formal layer: networks, their members, units and funders (a ``MultiGraph`` keyed by the
    layer, at most one edge per pair; no metrics).

    A fixed number of column-limited queries (no model instances): networks, organisations (and
    those above them when they are not selected), memberships, programmes, and people if asked for.
    """
    filters, networks = scope.filters, scope.networks
    classifications = {value: str(label) for value, label in Network.Classification.choices}
    network_url = page_url_maker(Network)
    graph = nx.MultiGraph()
    network_pks, stands_for = [], {}
    for pk, name, short_name, classification, slug, organisation in networks.values_list(
        "pk", "name", "short_name", "classification", "slug", "organisation"
    ):
        network_pks.append(pk)
        if organisation:
            stands_for[pk] = organisation
        graph.add_node(
            node_id(NETWORK, pk),
            label=short_name or name,
            name=name,
            kind=NETWORK,
            category=classification,
            category_label=classifications.get(classification, classification),
            municipality="",
            url=network_url(slug),
            slug=slug,
        )
    parents, organisation_nodes, selected = _organisation_nodes(scope)
    actor_filter = filters.actor_filter
    people = filters.include_people and not actor_filter
    memberships = (
        Membership.objects.active(filters.on)
        .filter(network__in=networks.values("pk"))
        .order_by("network", "position", "pk")
        .values_list(
            "network_id",
            "organisation_id",
            "on_behalf_of_id",
            "actor_group_id",
            "actor_group__name",
            "actor_group__slug",
            "person_id",
            "role",
        )
    )
    if not people:
        memberships = memberships.filter(
            Q(organisation__isnull=False) | Q(on_behalf_of__isnull=False) | Q(actor_group__isnull=False)
        )
    roles = {value: str(label) for value, label in Membership.Role.choices}
    edges = {}  # (network node, member node) -> set of roles, in the order of the memberships
    group_label, person_label = _("Group of actors"), _("Person")
    person_rows, people_memberships = [], memberships.filter(person__isnull=False)
    for network_pk, organisation_pk, on_behalf_of, group_pk, group_name, group_slug, person_pk, role in memberships:
        role = roles.get(role, role)
        source = node_id(NETWORK, network_pk)
        organisation_pk = organisation_pk or on_behalf_of
        if organisation_pk in organisation_nodes:
            target = node_id(ORGANISATION, organisation_pk)
            graph.add_node(target, **organisation_nodes[organisation_pk])
            edges.setdefault((source, target), set()).add(role)
        if group_pk and not actor_filter:
            target = node_id(ACTOR_GROUP, group_pk)
            graph.add_node(
                target,
                label=group_name,
                name=group_name,
                kind=ACTOR_GROUP,
                category=ACTOR_GROUP,
                category_label=group_label,
                municipality="",
                url="",
                slug=group_slug,
            )
            edges.setdefault((source, target), set()).add(role)
        if person_pk and people:
            person_rows.append((source, person_pk, on_behalf_of, role))
    if people:  # one query whenever people are asked for, however many there are
        persons = Person.objects.filter(pk__in=people_memberships.values("person"))
        names = {person.pk: str(person) for person in persons}
        for source, person_pk, on_behalf_of, role in person_rows:
            target = node_id(PERSON, person_pk)
            graph.add_node(
                target,
                label=names[person_pk],
                name=names[person_pk],
                kind=PERSON,
                category=PERSON,
                category_label=person_label,
                municipality="",
                url="",
                slug="",
            )
            edges.setdefault((source, target), set()).add(role)
            if on_behalf_of in organisation_nodes:
                edges.setdefault((target, node_id(ORGANISATION, on_behalf_of)), None)
    for (source, target), kinds in edges.items():
        if kinds is None:
            _link(graph, source, target, "represents")
        else:
            _link(graph, source, target, "member", ", ".join(sorted(kinds)))

    # Every organisation of the selection is on the map (the ones in no network show as isolated);
    # with chosen networks, also the organisations their members belong to.
    if filters.scoped:
        wanted = {pk for pk in selected if pk in organisation_nodes}
        for pk in list(wanted):
            parent = parents.get(pk)
            while parent is not None and parent not in wanted:
                wanted.add(parent)
                parent = parents.get(parent)
    else:
        wanted = set(organisation_nodes)
    for pk in wanted:
        if pk in organisation_nodes:
            graph.add_node(node_id(ORGANISATION, pk), **organisation_nodes[pk])
    for pk in wanted:
        parent = parents.get(pk)
        if pk in organisation_nodes and parent in organisation_nodes and parent in wanted:
            _link(graph, node_id(ORGANISATION, pk), node_id(ORGANISATION, parent), "part_of")
    for network_pk, organisation_pk in stands_for.items():
        # A network that sits in another one through the entry that stands for it is linked to that entry.
        if graph.has_node(node_id(ORGANISATION, organisation_pk)):
            _link(graph, node_id(NETWORK, network_pk), node_id(ORGANISATION, organisation_pk), "stands_for")
    for network_pk, funder_pk in Programme.objects.filter(network__in=network_pks).values_list("network", "funder"):
        funder = node_id(ORGANISATION, funder_pk)
        if graph.has_node(funder):
            _link(graph, funder, node_id(NETWORK, network_pk), "funds")
    if actor_filter:
        graph.remove_nodes_from(
            [node for node, kind in graph.nodes(data="kind") if kind == NETWORK and graph.degree(node) == 0]
        )
    _translate_names(graph, network_pks)
    return graph


def _translate_names(graph, network_pks):
    """Names and labels of networks and actor groups in the visitor's language where they are
    translated, each such node with ``lang`` (one query; none in German). Organisations keep their names."""
    groups = [int(node[1:]) for node, kind in graph.nodes(data="kind") if kind == ACTOR_GROUP]
    found = texts_of({Network: network_pks, ActorGroup: groups})
    if not found:
        return
    language = current_language()
    for node, data in graph.nodes(data=True):
        model = {NETWORK: Network, ACTOR_GROUP: ActorGroup}.get(data["kind"])
        texts = found.get((model, int(node[1:]))) if model else None
        if not texts or not texts.get("name"):
            continue
        short_name = data["label"] if data["label"] != data["name"] else ""
        data["label"] = (texts.get("short_name") or short_name) if short_name else texts["name"]
        data["name"] = texts["name"]
        data["lang"] = language


def _network_members(graph):
    """{network node: {"name": ..., "members": [organisation nodes]}} of the formal layer, networks by label."""
    members = {}
    for node, data in sorted_nodes(graph):
        if data["kind"] != NETWORK:
            continue
        organisations = [
            other
            for other in graph.neighbors(node)
            if graph.nodes[other]["kind"] == ORGANISATION
            and graph.edges[node, other, LAYER_MEMBERSHIP]["kind"] == "member"
        ]
        members[node] = {"name": data["name"], "members": sorted(organisations)}
    return members


def add_cooperation(graph):
    """The cooperation layer between the organisations on the map (one query)."""
    if _cooperation is None:
        return
    for edge in _cooperation.edges():
        source, target = node_id(ORGANISATION, edge.source_id), node_id(ORGANISATION, edge.target_id)
        if source in graph and target in graph:
            graph.add_edge(
                source,
                target,
                key=COOPERATION,
                kind=COOPERATION,
                roles="",
                weight=_cooperation.weights.get(edge.frequency, 1),
                layer=LAYER_COOPERATION,
                topics="; ".join(edge.topics),
                frequency=edge.frequency,
                reports=edge.reports,
            )


def frequency_label(value):
    label = _cooperation.labels.get(value) if _cooperation else None
    return str(label) if label else ""


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
        members = sorted(
            other for other in graph.neighbors(node) if graph.edges[node, other, LAYER_MEMBERSHIP]["kind"] == "member"
        )
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


def betweenness(graph):
    """Normalised betweenness (0-1) of every node, and the number of sources it was estimated from.

    Exact (Brandes) up to ``EXACT_BETWEENNESS_MAX_NODES`` nodes, where the second value is 0. Above,
    the exact algorithm takes hours (one shortest-path search from every node); the figures are
    then estimated from ``BETWEENNESS_SAMPLES`` sources drawn with a fixed seed, so that the same
    map always gives the same estimate. The brokers it finds first are reliable; small values are not.
    """
    nodes = graph.number_of_nodes()
    if nodes <= 2:
        return {}, 0
    if nodes <= EXACT_BETWEENNESS_MAX_NODES:
        return nx.betweenness_centrality(graph), 0
    samples = betweenness_samples(nodes, graph.number_of_edges())
    return nx.betweenness_centrality(graph, k=samples, seed=SEED), samples


def betweenness_samples(nodes, edges):
    """How many sources estimate the betweenness of a map this large: as many as the work budget allows."""
    return max(BETWEENNESS_MIN_SAMPLES, min(BETWEENNESS_MAX_SAMPLES, nodes, BETWEENNESS_WORK // (nodes + edges)))


def communities(graph, components):
    """Clusters: greedy modularity within each connected part while the map is small; on a large map,
    seeded label propagation over the whole graph at once (its labels never cross a connected part;
    greedy modularity and even Louvain take minutes on 100,000 nodes)."""
    if graph.number_of_nodes() > GREEDY_CLUSTERS_MAX_NODES:
        return list(nx.community.fast_label_propagation_communities(graph, weight="weight", seed=SEED))
    found = []
    for nodes in components:
        if len(nodes) < 3:
            found.append(nodes)
        else:
            found.extend(nx.community.greedy_modularity_communities(graph.subgraph(nodes), weight="weight"))
    return found


def add_metrics(graph):
    """Degree, betweenness (normalised, 0-1), connected component and cluster on every node.

    ``graph.graph["betweenness_samples"]`` says from how many sources betweenness was estimated
    (0: exact); the pages say so where they show brokers.
    """
    scores, samples = betweenness(graph)
    components = sorted(nx.connected_components(graph), key=lambda nodes: (-len(nodes), min(nodes)))
    for number, nodes in enumerate(components, start=1):
        for node in nodes:
            graph.nodes[node]["component"] = number
    clusters = communities(graph, components)
    clusters.sort(key=lambda nodes: (-len(nodes), min(nodes)))
    for number, nodes in enumerate(clusters, start=1):
        for node in nodes:
            graph.nodes[node]["cluster"] = number
    for node, degree in graph.degree():
        data = graph.nodes[node]
        data["degree"] = degree
        data["betweenness"] = round(scores.get(node, 0.0), 4)
    graph.graph["components"] = len(components)
    graph.graph["clusters"] = len(clusters)
    graph.graph["betweenness_samples"] = samples


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
