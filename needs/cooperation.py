"""The real cooperation network: who works with whom, on what and how often, from the surveys' answers.

An edge joins two organisations when a response given for one of them names the other in a
cooperation question. Edges are undirected; several reports of the same pair are merged (topics
united, the highest frequency kept). Organisations are compared exactly as entered in the register:
two units of the same organisation are two actors.

The network map can draw this layer with ``cooperation_edges()`` (see its docstring). The office's report
reads the pairs of a page of networks at a time (``not_cooperating``): a register of ten thousand networks
holds millions of pairs.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce

from register.models import Membership, Network, Organisation

from .models import FREQUENCY_RANK, Answer, Frequency, Question


@dataclass
class Edge:
    source_id: int
    target_id: int
    topics: list = field(default_factory=list)
    frequency: str = ""
    reports: int = 0


def cooperation_edges(surveys=None):
    """Edges between organisation ids, ``source_id < target_id``, sorted.

    ``topics`` are topic names (sorted), ``frequency`` is the strongest reported value of
    ``needs.models.surveys.Frequency`` ("weekly", "monthly", "quarterly", "rarely"), ``reports`` how
    many answers name the pair. ``surveys`` limits the edges to some surveys (a queryset or list).
    """
    answers = Answer.objects.filter(
        question__kind=Question.Kind.RELATIONSHIP,
        organisation__isnull=False,
        response__organisation__isnull=False,
    )
    if surveys is not None:
        answers = answers.filter(response__survey__in=surveys)
    merged = {}
    for source, target, topic, frequency in answers.values_list(
        "response__organisation_id", "organisation_id", "topic__name", "frequency"
    ):
        if source == target:
            continue
        key = (min(source, target), max(source, target))
        edge = merged.setdefault(key, Edge(source_id=key[0], target_id=key[1]))
        edge.reports += 1
        if topic and topic not in edge.topics:
            edge.topics = sorted([*edge.topics, topic])
        if FREQUENCY_RANK.get(frequency, 0) > FREQUENCY_RANK.get(edge.frequency, 0):
            edge.frequency = frequency
    return [merged[key] for key in sorted(merged)]


def network_members(network_ids=None):
    """{network id: set of organisation ids} from active seats of organisations and people sitting for one,
    for the networks named (default: all)."""
    seats = Membership.objects.active().order_by().annotate(member=Coalesce("organisation_id", "on_behalf_of_id"))
    if network_ids is not None:
        seats = seats.filter(network_id__in=network_ids)
    members = defaultdict(set)
    for network_id, organisation_id in seats.filter(member__isnull=False).values_list("network_id", "member"):
        members[network_id].add(organisation_id)
    return dict(members)


def networks_with_members():
    """The networks in which at least one organisation has an active seat, in the register's order."""
    seated = Membership.objects.active().filter(
        Q(organisation__isnull=False) | Q(on_behalf_of__isnull=False), network=OuterRef("pk")
    )
    return Network.objects.filter(Exists(seated)).order_by("position", "name", "pk")


def not_cooperating(networks, edges):
    """For each of ``networks`` (a page of them): how many organisations sit in it, how many pairs they
    make and how many of those pairs no survey reports as cooperating. One query."""
    partners = defaultdict(set)
    for edge in edges:
        partners[edge.source_id].add(edge.target_id)
        partners[edge.target_id].add(edge.source_id)
    members = network_members([network.pk for network in networks])
    rows = []
    for network in networks:
        ids = members.get(network.pk, set())
        pairs = len(ids) * (len(ids) - 1) // 2
        cooperating = sum(len(partners[pk] & ids) for pk in ids if pk in partners) // 2
        rows.append({"network": network, "members": len(ids), "pairs": pairs, "without": pairs - cooperating})
    return rows


def pairs_without_cooperation(network, edges):
    """``network``, how many organisations sit in it, how many pairs of them no survey reports as
    cooperating, and those pairs by name: each member with the members after it it has none with."""
    linked = {(edge.source_id, edge.target_id) for edge in edges}
    ids = network_members([network.pk]).get(network.pk, set())
    organisations = Organisation.objects.select_related("parent__parent").in_bulk(ids)
    ordered = sorted(ids, key=lambda pk: (organisations[pk].full_name, pk))
    rows = []
    for index, pk in enumerate(ordered):
        partners = [
            organisations[other] for other in ordered[index + 1 :] if (min(pk, other), max(pk, other)) not in linked
        ]
        if partners:
            rows.append((organisations[pk], partners))
    return {"network": network, "members": len(ids), "pairs": sum(len(partners) for _, partners in rows), "rows": rows}


def crossing(edges):
    """The reported cooperation of organisations that share no network, with the networks of each."""
    ends = {edge.source_id for edge in edges} | {edge.target_id for edge in edges}
    networks_of = defaultdict(dict)
    seats = (
        Membership.objects.active()
        .order_by()
        .annotate(member=Coalesce("organisation_id", "on_behalf_of_id"))
        .filter(member__in=ends)
        .values_list("member", "network_id", "network__name")
    )
    for organisation_id, network_id, name in seats:
        networks_of[organisation_id][network_id] = name
    apart = [edge for edge in edges if not networks_of[edge.source_id].keys() & networks_of[edge.target_id].keys()]
    organisations = Organisation.objects.select_related("parent__parent").in_bulk(
        {edge.source_id for edge in apart} | {edge.target_id for edge in apart}
    )
    return [
        {
            "edge": edge,
            "source": organisations[edge.source_id],
            "target": organisations[edge.target_id],
            "source_networks": sorted(networks_of[edge.source_id].values()),
            "target_networks": sorted(networks_of[edge.target_id].values()),
            "frequency_label": Frequency(edge.frequency).label if edge.frequency else "",
        }
        for edge in apart
    ]
