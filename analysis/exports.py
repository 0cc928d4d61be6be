"""The map as files for network analysts: GEXF and GraphML (Gephi, networkx) and a CSV edge list.

Every file holds exactly the nodes and edges of the map with the same filters, with all their
attributes; every edge says its ``layer`` ("membership" or "cooperation"), and cooperation edges their
``topics``, ``frequency`` and ``reports``. Two organisations linked in both layers have two edges.
"""

import csv
import io

import networkx as nx

from .drawing import sorted_edges


def _portable(graph):
    """A copy whose attribute values GEXF and GraphML can both hold (no None, no lists)."""
    copy = nx.MultiGraph()
    copy.graph.update({key: value for key, value in graph.graph.items() if isinstance(value, int | float | str)})
    for node, data in graph.nodes(data=True):
        copy.add_node(node, **{key: "" if value is None else value for key, value in data.items()})
    for source, target, key, data in graph.edges(keys=True, data=True):
        copy.add_edge(source, target, key=key, **{name: "" if value is None else value for name, value in data.items()})
    return copy


def to_gexf(graph):
    buffer = io.BytesIO()
    nx.write_gexf(_portable(graph), buffer, encoding="utf-8")
    return buffer.getvalue()


def to_graphml(graph):
    buffer = io.BytesIO()
    nx.write_graphml(_portable(graph), buffer, encoding="utf-8")
    return buffer.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Text that a spreadsheet shows as text, never runs as a formula."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


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
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EDGE_COLUMNS)
    for source, target, _key, data in sorted_edges(graph):
        writer.writerow(
            [
                source,
                target,
                _cell(graph.nodes[source]["name"]),
                _cell(graph.nodes[target]["name"]),
                data["layer"],
                data["kind"],
                _cell(data.get("roles", "")),
                data.get("weight", 1),
                _cell(data.get("topics", "")),
                data.get("frequency", ""),
                data.get("reports", 0),
            ]
        )
    for node in sorted(graph.nodes):
        if graph.degree(node) == 0:
            writer.writerow([node, "", _cell(graph.nodes[node]["name"]), "", *[""] * (len(EDGE_COLUMNS) - 4)])
    return buffer.getvalue()
