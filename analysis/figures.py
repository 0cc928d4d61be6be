"""The map's figures, computed in the background and stored, so that a map answers without computing them.

Betweenness and clusters need the whole graph: at the scale of a country they take seconds to
minutes, far too long for a request (and on a bounded map they would describe only the cut-out).
They are computed on the register's whole formal graph – networks, organisations and actor groups
with their memberships, units, funders and the entries that stand for networks, as they are today
(``build_graph(MapFilters())``, ``graph.add_metrics``) – and stored per node (``NodeFigure``), with
the state of the computation (``FigureState``).

What a map shows, whatever its filters:

* **stored** (the register's whole graph): ``betweenness`` – how much a node links otherwise
  separate parts of the register (the brokers); ``cluster`` – the group of closely linked nodes it
  belongs to, numbered on each map by size on that map (largest first), so that the map of the
  whole register numbers them exactly as the whole computation does;
* **per request** (cheap: one pass over the at most ``NODE_LIMIT`` nodes drawn): ``degree`` – the
  links on the map, so that it matches the neighbours the table lists; ``component`` – the
  connected part of the map.

So filters that change the graph (body, focus area, networks, category, municipality, a past day,
the view of organisations only, the cooperation layer, the ego network) cut the map out of the
register and keep the register's brokers and clusters; nothing that needs the whole graph is
computed on a request. Nodes the stored figures do not know (people, which only the office sees,
and entries added since the last computation) have betweenness 0 and a cluster of their own.

A map takes two queries for its figures, whatever its size (the state and the figures of its
nodes). When the data changed after the figures were computed, the map says so ("Figures as of …,
being updated") instead of computing them.

Keeping them current: a change of a membership, network, host, programme, organisation or actor
group (signals, ``analysis.signals``; not a new purpose, description or address, which the map does
not draw) notes the change once its transaction commits and queues one
recomputation (``analysis.tasks.update_map_figures``) to run ``DEBOUNCE_SECONDS`` later: changes in
the meantime join it. ``manage.py map_figures`` computes them at once (the first fill). Storing
them (and noting a change) renews ``register.freshness``'s tag ``map-figures``, so that no cached
page keeps the old figures or the old note.
"""

import datetime
import time
from collections import defaultdict

import networkx as nx
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from register import freshness

from .graph import MapFilters, build_graph
from .models import FigureState, NodeFigure

# Changes within this many seconds of the first one cause one recomputation.
DEBOUNCE_SECONDS = 30
BATCH = 2000


def state():
    """The state of the stored figures (one query; an unsaved row when nothing was ever noted)."""
    return FigureState.objects.filter(pk=1).first() or FigureState(pk=1)


def compute():
    """Compute the figures of the register's whole formal graph and store them (replacing the old ones).

    The change noted when the computation starts is the one the figures include. Returns the state.
    """
    started = time.perf_counter()
    FigureState.objects.get_or_create(pk=1)
    with transaction.atomic():
        FigureState.objects.filter(pk=1).update(queued_until=None)
        as_of = FigureState.objects.filter(pk=1).values_list("changed_at", flat=True).first()
    graph = build_graph(MapFilters())
    rows = [
        NodeFigure(
            node=node,
            degree=data["degree"],
            betweenness=min(max(data["betweenness"], 0.0), 1.0),
            component=data["component"],
            cluster=data["cluster"],
        )
        for node, data in graph.nodes(data=True)
    ]
    with transaction.atomic():
        NodeFigure.objects.all().delete()
        NodeFigure.objects.bulk_create(rows, batch_size=BATCH)
        FigureState.objects.filter(pk=1).update(
            as_of=as_of or timezone.now(),
            computed_at=timezone.now(),
            betweenness_samples=graph.graph["betweenness_samples"],
            nodes=graph.number_of_nodes(),
            edges=graph.number_of_edges(),
            seconds=round(time.perf_counter() - started, 3),
        )
        freshness.touch(freshness.MAP_FIGURES)  # cached maps show the new figures, not "being updated"
    return state()


def compute_if_missing():
    """Compute the figures unless some are stored (for the first start); True when computed."""
    if FigureState.objects.filter(computed_at__isnull=False).exists():
        return False
    compute()
    return True


# --- keeping them current ------------------------------------------------------------------------


def data_changed():
    """Note that the map's data changed: once the current transaction commits (at once outside one),
    the change is recorded and one recomputation is queued – unless one is queued already."""
    if not any(callback is _note_change for _savepoints, callback, *_rest in connection.run_on_commit):
        transaction.on_commit(_note_change)


def _note_change():
    now = timezone.now()
    if not FigureState.objects.filter(pk=1).update(changed_at=now):
        FigureState.objects.get_or_create(pk=1, defaults={"changed_at": now})
    freshness.touch(freshness.MAP_FIGURES)  # cached maps say that the figures are being updated
    _queue(now)


def _queue(now):
    """Queue one recomputation unless one is queued already (claimed with one conditional update)."""
    from .tasks import update_map_figures

    deferred = update_map_figures.get_backend().supports_defer
    run_after = now + datetime.timedelta(seconds=DEBOUNCE_SECONDS) if deferred else now
    claimed = (
        FigureState.objects.filter(pk=1)
        .filter(Q(queued_until__isnull=True) | Q(queued_until__lt=now))
        .update(queued_until=run_after)
    )
    if claimed:
        (update_map_figures.using(run_after=run_after) if deferred else update_map_figures).enqueue()


# --- on a map --------------------------------------------------------------------------------------


def apply(graph):
    """Put the stored figures (betweenness, cluster) and the map's own (degree, connected part) on
    every node of ``graph``; two queries. Returns the state of the figures.

    ``graph.graph`` gets ``components``, ``clusters`` (of the map), ``betweenness_samples`` and
    ``figures_nodes`` (of the stored computation), ``figures_as_of`` (ISO time, "" before the first computation) and
    ``figures_current``.
    """
    current = state()
    stored = {
        node: (betweenness, cluster)
        for node, betweenness, cluster in NodeFigure.objects.filter(node__in=list(graph.nodes)).values_list(
            "node", "betweenness", "cluster"
        )
    }
    components = sorted(nx.connected_components(graph), key=lambda nodes: (-len(nodes), min(nodes)))
    for number, nodes in enumerate(components, start=1):
        for node in nodes:
            graph.nodes[node]["component"] = number
    grouped = defaultdict(set)
    for node in graph.nodes:
        grouped[stored[node][1] if node in stored else node].add(node)
    clusters = sorted(grouped.values(), key=lambda nodes: (-len(nodes), min(nodes)))
    for number, nodes in enumerate(clusters, start=1):
        for node in nodes:
            graph.nodes[node]["cluster"] = number
    for node, degree in graph.degree():
        data = graph.nodes[node]
        data["degree"] = degree
        data["betweenness"] = round(stored[node][0], 4) if node in stored else 0.0
    graph.graph["components"] = len(components)
    graph.graph["clusters"] = len(clusters)
    graph.graph["betweenness_samples"] = current.betweenness_samples
    graph.graph["figures_nodes"] = current.nodes
    graph.graph["figures_as_of"] = current.as_of.isoformat() if current.as_of else ""
    graph.graph["figures_current"] = current.current
    return current
