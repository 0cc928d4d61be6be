"""Needs against offers, municipality by topic: gaps and overlaps (Doppelstrukturen).

Rules:
- An offer *covers* a need in a municipality when it is offered there, on the need's topic, and is
  open to the need's target group: the offer has no target group (open to everyone) or the same one.
  A need without a target group (everyone) is covered only by an offer open to everyone.
- A *gap* is a municipality of an open need where no offer covers it.
- An *overlap* is two or more offers of the same kind, on the same topic, for the same target group
  (or both for everyone) in the same municipality.
Only open needs and active offers count. The function reads the querysets once each.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from .models import Need


@dataclass
class Gap:
    municipality: object
    topic: object
    need: object


@dataclass
class Overlap:
    municipality: object
    topic: object
    kind: str
    target_group: object
    offers: list


@dataclass
class Cell:
    needs: list = field(default_factory=list)
    offers: list = field(default_factory=list)
    gaps: list = field(default_factory=list)
    overlaps: list = field(default_factory=list)


@dataclass
class Coverage:
    municipalities: list
    topics: list
    cells: dict
    gaps: list
    overlaps: list

    def rows(self):
        """[(municipality, [cell per topic])] for the table."""
        return [(m, [self.cells.get((m.pk, t.pk), Cell()) for t in self.topics]) for m in self.municipalities]


def coverage(needs, offers):
    """The coverage of ``needs`` (a Need queryset) by ``offers`` (an Offer queryset)."""
    needs = list(
        needs.filter(status__in=Need.OPEN_STATUSES)
        .select_related("topic", "target_group")
        .prefetch_related("municipalities")
    )
    offers = list(
        offers.filter(active=True)
        .select_related("topic", "target_group", "organisation")
        .prefetch_related("municipalities")
    )
    cells = defaultdict(Cell)
    municipalities, topics = {}, {}
    offers_at = defaultdict(list)
    for offer in offers:
        topics[offer.topic_id] = offer.topic
        for municipality in offer.municipalities.all():
            municipalities[municipality.pk] = municipality
            offers_at[(municipality.pk, offer.topic_id)].append(offer)
            cells[(municipality.pk, offer.topic_id)].offers.append(offer)
    gaps = []
    for need in needs:
        topics[need.topic_id] = need.topic
        for municipality in need.municipalities.all():
            municipalities[municipality.pk] = municipality
            cell = cells[(municipality.pk, need.topic_id)]
            cell.needs.append(need)
            covered = any(
                offer.target_group_id is None or offer.target_group_id == need.target_group_id
                for offer in offers_at[(municipality.pk, need.topic_id)]
            )
            if not covered:
                gap = Gap(municipality, need.topic, need)
                cell.gaps.append(gap)
                gaps.append(gap)
    overlaps = []
    for (municipality_id, topic_id), place_offers in offers_at.items():
        same = defaultdict(list)
        for offer in place_offers:
            same[(offer.kind, offer.target_group_id)].append(offer)
        for (kind, _target_group_id), group in same.items():
            if len(group) >= 2:
                overlap = Overlap(municipalities[municipality_id], topics[topic_id], kind, group[0].target_group, group)
                cells[(municipality_id, topic_id)].overlaps.append(overlap)
                overlaps.append(overlap)
    ordered_municipalities = sorted(municipalities.values(), key=lambda m: m.name)
    ordered_topics = sorted(topics.values(), key=lambda t: t.name)
    gaps.sort(key=lambda g: (g.municipality.name, g.topic.name, g.need.title))
    overlaps.sort(key=lambda o: (o.municipality.name, o.topic.name, o.kind, str(o.target_group or "")))
    return Coverage(ordered_municipalities, ordered_topics, dict(cells), gaps, overlaps)
