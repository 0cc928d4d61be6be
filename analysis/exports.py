"""The map as files for network analysts: GEXF and GraphML (Gephi, networkx) and a CSV edge list.

Every file holds exactly the nodes and edges of the map with the same filters, with all their
attributes; every edge says its ``layer`` ("membership" or "cooperation"), and cooperation edges their
``topics``, ``frequency`` and ``reports``. Two organisations linked in both layers have two edges.
Every edge has an id of its own (``e0``, ``e1``, … in the order of ``sorted_edges``): Gephi drops an
edge whose id it has seen before. The CSV is written for Excel in Germany (``register.spreadsheets``).
"""

import io

import networkx as nx

from register.spreadsheets import csv_bytes

from .drawing import sorted_edges


def _portable(graph, id_attribute=False):
    """A copy whose attribute values GEXF and GraphML can both hold (no None, no lists), edges keyed by
    their unique id (GraphML writes the key as the edge's id; GEXF takes it from the ``id`` attribute)."""
    copy = nx.MultiGraph()
    copy.graph.update({key: value for key, value in graph.graph.items() if isinstance(value, int | float | str)})
    for node, data in graph.nodes(data=True):
        copy.add_node(node, **{key: "" if value is None else value for key, value in data.items()})
    for number, (source, target, _key, data) in enumerate(sorted_edges(graph)):
        attributes = {name: "" if value is None else value for name, value in data.items()}
        if id_attribute:
            attributes["id"] = f"e{number}"
        copy.add_edge(source, target, key=f"e{number}", **attributes)
    return copy


def to_gexf(graph):
    buffer = io.BytesIO()
    nx.write_gexf(_portable(graph, id_attribute=True), buffer, encoding="utf-8")
    return buffer.getvalue()


def to_graphml(graph):
    buffer = io.BytesIO()
    nx.write_graphml(_portable(graph), buffer, encoding="utf-8")
    return buffer.getvalue()


EDGE_COLUMNS = [
    "source",
    "target",
    "source_label",
    "target_label",
    "layer",
    "kind",
    "roles",
    "weight",
    "topics",
    "frequency",
    "reports",
]


def to_csv(graph):
    """An edge list; actors without any link follow as rows without a target, so nothing is lost."""
    rows = [
        [
            source,
            target,
            graph.nodes[source]["name"],
            graph.nodes[target]["name"],
            data["layer"],
            data["kind"],
            data.get("roles", ""),
            data.get("weight", 1),
            data.get("topics", ""),
            data.get("frequency", ""),
            data.get("reports", 0),
        ]
        for source, target, _key, data in sorted_edges(graph)
    ]
    for node in sorted(graph.nodes):
        if graph.degree(node) == 0:
            rows.append([node, "", graph.nodes[node]["name"], "", *[""] * (len(EDGE_COLUMNS) - 4)])
    return csv_bytes(EDGE_COLUMNS, rows)
