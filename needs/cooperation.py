"""The real cooperation network: who works with whom, on what and how often, from the surveys' answers.

An edge joins two organisations when a response given for one of them names the other in a
cooperation question. Edges are undirected; several reports of the same pair are merged (topics
united, the highest frequency kept). Organisations are compared exactly as entered in the register:
two units of the same organisation are two actors.

The network map can draw this layer with ``cooperation_edges()`` (see its docstring).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

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


def network_members():
    """{network id: set of organisation ids} from active seats of organisations and people sitting for one."""
    members = defaultdict(set)
    for network_id, organisation_id, on_behalf_of_id in Membership.objects.active().values_list(
        "network_id", "organisation_id", "on_behalf_of_id"
    ):
        if organisation_id or on_behalf_of_id:
            members[network_id].add(organisation_id or on_behalf_of_id)
    return dict(members)


def cooperation_report(surveys=None):
    """Pairs in the same network that never work together, and cooperation that crosses networks."""
    edges = cooperation_edges(surveys)
    linked = {(edge.source_id, edge.target_id) for edge in edges}
    members = network_members()
    networks_of = defaultdict(set)
    for network_id, organisation_ids in members.items():
        for organisation_id in organisation_ids:
            networks_of[organisation_id].add(network_id)
    wanted = set(networks_of) | {edge.source_id for edge in edges} | {edge.target_id for edge in edges}
    organisations = Organisation.objects.select_related("parent__parent").in_bulk(wanted)
    networks = Network.objects.in_bulk(list(members))
    not_cooperating = []
    for network_id in sorted(members, key=lambda pk: (networks[pk].position, networks[pk].name)):
        ids = sorted(members[network_id], key=lambda pk: organisations[pk].name)
        pairs = [
            (organisations[a], organisations[b])
            for a, b in combinations(ids, 2)
            if (min(a, b), max(a, b)) not in linked
        ]
        not_cooperating.append({"network": networks[network_id], "members": len(ids), "pairs": pairs})
    crossing = []
    for edge in edges:
        if networks_of[edge.source_id] & networks_of[edge.target_id]:
            continue
        crossing.append(
            {
                "edge": edge,
                "source": organisations[edge.source_id],
                "target": organisations[edge.target_id],
                "source_networks": sorted(networks[pk].name for pk in networks_of[edge.source_id]),
                "target_networks": sorted(networks[pk].name for pk in networks_of[edge.target_id]),
                "frequency_label": Frequency(edge.frequency).label if edge.frequency else "",
            }
        )
    return {"edges": edges, "not_cooperating": not_cooperating, "crossing": crossing, "organisations": organisations}
