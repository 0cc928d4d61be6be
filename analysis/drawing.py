"""How the network map is drawn and listed: colours, legends, the elements for cytoscape.js and the
table that stands beside the drawing for everybody who does not see it."""

from django.utils.translation import gettext as _

from register.models import Category

from .graph import ACTOR_GROUP, COOPERATION, NETWORK, PERSON, frequency_label, sorted_nodes

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
    "stands_for": ("#4a4a4a", "10 3 2 3"),
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
        "stands_for": _("the network as a member of another"),
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
