"""The duplicate review's public functions: refreshing suggestions and reading them cheaply."""

import time
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from register.models import Membership

from .matcher import PARENT, UNIT, MatchIndex, find_pairs, pair_order, register_entries, register_normaliser
from .models import MatchDecision, Suggestion

BATCH = 1000  # rows per statement when suggestions are written in bulk


def decided_pairs():
    """Pairs of organisation numbers a person has decided about; they are not proposed again."""
    return set(MatchDecision.objects.values_list("first_key", "second_key"))


def refresh_suggestions(workers=1, timings=None):
    """Compute the suggestions anew and store them; a second run changes nothing.

    Returns (created, updated, removed). ``workers`` > 1 scores the pairs in forked processes (for
    the management command, not inside requests); ``timings``, a dict, receives the seconds of each
    phase (loading, normalising, blocking, scoring, writing).
    """
    timings = {} if timings is None else timings
    started = time.perf_counter()
    entries, normaliser, skip = register_entries(), register_normaliser(), decided_pairs()
    timings["loading"] = time.perf_counter() - started
    # Every blocked pair is compared in full (no prefilter), so that no "unit of" pair is lost.
    pairs = find_pairs(entries, normaliser, skip=skip, workers=workers, prefilter=False, timings=timings)
    started = time.perf_counter()
    wanted = {}
    for pair in pairs:
        first, second, kind = pair.first, pair.second, pair.verdict.kind
        if first > second:
            first, second = second, first
            kind = {UNIT: PARENT, PARENT: UNIT}.get(kind, kind)
        wanted[first, second] = {
            "kind": {UNIT: Suggestion.Kind.FIRST_IN_SECOND, PARENT: Suggestion.Kind.SECOND_IN_FIRST}.get(
                kind, Suggestion.Kind.DUPLICATE
            ),
            "score": pair.verdict.score,
            "reasons": [[code, params] for code, params in pair.verdict.reasons],
        }
    fields = ["kind", "score", "reasons"]
    with transaction.atomic():
        existing = {
            (first, second): (pk, dict(zip(fields, values, strict=True)))
            for pk, first, second, *values in Suggestion.objects.values_list("pk", "first_id", "second_id", *fields)
        }
        stale = [pk for key, (pk, _values) in existing.items() if key not in wanted]
        for start in range(0, len(stale), BATCH):
            Suggestion.objects.filter(pk__in=stale[start : start + BATCH]).delete()
        now = timezone.now()
        new, changed = [], []
        for (first, second), values in wanted.items():
            found = existing.get((first, second))
            if found is None:
                new.append(Suggestion(first_id=first, second_id=second, computed_at=now, **values))
            elif found[1] != values:
                changed.append(Suggestion(pk=found[0], first_id=first, second_id=second, computed_at=now, **values))
        Suggestion.objects.bulk_create(new, batch_size=BATCH)
        Suggestion.objects.bulk_update(changed, [*fields, "computed_at"], batch_size=BATCH)
    timings["writing"] = time.perf_counter() - started
    timings["suggestions"] = len(wanted)
    return len(new), len(changed), len(stale)


def pairs_involving(keys, index=None):
    """Proposed pairs in which one of the given organisations takes part, each as (key, other, kind, score)
    with the verdict read from the given organisation's side – for the plans of the importers.

    The same pairs as ``find_pairs`` over the whole register would give, from one ``MatchIndex``
    (built here unless given) and only the comparisons that involve ``keys``.
    """
    index = index if index is not None else MatchIndex.of_register()
    skip = decided_pairs()
    swap = {UNIT: PARENT, PARENT: UNIT}
    pairs = {}
    for key in keys:
        for pair in index.pairs_of(key, skip):
            pairs[pair.first, pair.second] = pair
    found = []
    for pair in sorted(pairs.values(), key=pair_order):
        if pair.first in keys:
            found.append((pair.first, pair.second, pair.verdict.kind, pair.verdict.score))
        if pair.second in keys:
            found.append((pair.second, pair.first, swap.get(pair.verdict.kind, pair.verdict.kind), pair.verdict.score))
    return found


def open_suggestions():
    """The pairs that wait for review, best first, with both organisations."""
    return Suggestion.objects.select_related("first", "second")


def open_suggestion_count():
    """How many pairs wait for review – one query, for the workspace start page."""
    return Suggestion.objects.count()


def networks_by_organisation():
    """{organisation id: sorted network names} counting the memberships of its units too (one query)."""
    found = defaultdict(set)
    rows = Membership.objects.filter(Q(organisation__isnull=False)).values_list(
        "organisation_id",
        "organisation__parent_id",
        "organisation__parent__parent_id",
        "network__short_name",
        "network__name",
    )
    for organisation, parent, grandparent, short_name, name in rows:
        label = short_name or name
        for key in (organisation, parent, grandparent):
            if key:
                found[key].add(label)
    return {key: sorted(names) for key, names in found.items()}


def in_several_networks(organisations, networks=None):
    """The organisations (top level) that sit in more than one network, with those networks."""
    networks = networks_by_organisation() if networks is None else networks
    return [
        (organisation, networks[organisation.pk])
        for organisation in organisations
        if organisation.parent_id is None and len(networks.get(organisation.pk, [])) > 1
    ]
