"""Which part of the network map a page shows: never more than ``graph.NODE_LIMIT`` nodes.

A map of the whole register at the scale of a state or the country has tens of thousands of nodes:
nobody reads it and no browser lays it out. ``bounded_map`` counts a selection before it builds it,
and narrows a selection that is too large where it can (to an organisation's own networks, to the
office's body) or says so.
"""

from dataclasses import dataclass, replace

import networkx as nx
from django.db.models import Q

from register.models import Body, Membership, Organisation

from . import figures
from . import graph as graph_module
from .graph import (
    ORGANISATION,
    MapFilters,
    Scope,
    Size,
    build_graph,
    network_queryset,
    node_id,
)


def select_map(filters, ego=None, radius=2, scope=None):
    """The map for ``filters``, cut to the ego network of organisation ``ego`` if given (unbounded),
    with the stored figures (``figures.apply``: nothing that needs the whole graph is computed here).

    Returns ``(graph, found)``; ``found`` is False when the organisation is not on the map with
    these filters, and the whole map is returned.
    """
    graph = build_graph(filters, scope, metrics=False)
    found = True
    if ego is not None:
        center = node_id(ORGANISATION, getattr(ego, "pk", ego))
        found = center in graph
        if found:
            ego_graph = nx.ego_graph(graph, center, radius=radius).copy()
            graph = ego_graph  # keeps the layer and the network members of the map
    figures.apply(graph)
    return graph, found


@dataclass
class MapSelection:
    """What a page shows: the map, or (``graph`` None) why not."""

    graph: object  # the map, or None when the selection is larger than NODE_LIMIT
    found: bool  # False when the ego organisation is not on the map with these filters
    size: Size
    filters: MapFilters  # as applied: with the office's body when the whole register was too large
    default_body: int | None = None  # that body
    ego_narrowed: bool = False  # the ego network was taken within the networks of the organisation

    @property
    def limit(self):
        return graph_module.NODE_LIMIT


# No network has this pk: a selection of no network at all.
NO_NETWORK = 0


def _ego_filters(filters, ego):
    """The selection narrowed to the networks of ``ego``, of the organisations it belongs to and of
    its units (and to these organisations): three queries."""
    pk = getattr(ego, "pk", ego)
    family, parent = {pk}, pk
    while parent is not None:
        family.add(parent)
        parent = Organisation.objects.filter(pk=parent).values_list("parent_id", flat=True).first()
        if parent in family:
            break
    family.update(Organisation.objects.filter(parent__in=family).values_list("pk", flat=True))
    memberships = Membership.objects.active(filters.on).filter(Q(organisation__in=family) | Q(on_behalf_of__in=family))
    networks = network_queryset(filters).filter(pk__in=memberships.values("network"))
    return replace(
        filters,
        networks=tuple(networks.values_list("pk", flat=True)) or (NO_NETWORK,),
        body=None,
        focus_area="",
        organisations=tuple(sorted(family)),
    )


def default_body(too_large, narrowed):
    """The body a selection falls back to: the office's home body when the selection is too large
    and the user narrowed it by nothing (no body, focus area or networks); None otherwise or when
    the office has set no home body."""
    return Body.home_pk() if too_large and not narrowed else None


def overlap_selection(body=None, focus_area="", limit=None):
    """The networks the overlap page compares: those of ``body`` and ``focus_area``; when more than
    ``limit`` and nothing was chosen, those of the home body (``default_body``).

    Returns ``(networks, count, default body or None)``."""
    networks = network_queryset(MapFilters(body=body, focus_area=focus_area))
    count = networks.count()
    fallback = default_body(limit is not None and count > limit, body or focus_area)
    if fallback is not None:
        networks = network_queryset(MapFilters(body=fallback))
        count = networks.count()
    return networks, count, fallback


def bounded_map(filters, ego=None, radius=2, default_scope=True):
    """The map for a page: never larger than ``NODE_LIMIT`` nodes, in a bounded number of queries.

    The size is counted first (``selection_size``). When it is too large:

    * with an ego organisation, the map is narrowed to the networks of that organisation (of the
      organisations it belongs to and of its units), and the ego network is taken in there;
    * when the user chose no body, focus area or networks (``default_scope``), the office's own
      body is chosen (``MapSelection.default_body``);
    * otherwise no map is built (``graph`` None) and the page asks to narrow the selection.
    """
    scope = Scope(filters)
    size = scope.size()
    ego_narrowed, default_body_pk = False, None
    if size.too_large and ego is not None:
        filters, ego_narrowed = _ego_filters(filters, ego), True
        scope = Scope(filters)
        size = scope.size()
    elif default_scope and (
        fallback := default_body(size.too_large, filters.body or filters.focus_area or filters.networks)
    ):
        filters, default_body_pk = replace(filters, body=fallback), fallback
        scope = Scope(filters)
        size = scope.size()
    if size.too_large:
        return MapSelection(None, True, size, filters, default_body_pk, ego_narrowed)
    graph, found = select_map(filters, ego, radius, scope)
    return MapSelection(graph, found, size, filters, default_body_pk, ego_narrowed)
