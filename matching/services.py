"""The duplicate review's public functions: refreshing suggestions and reading them cheaply."""

from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from register.models import Membership

from .matcher import PARENT, UNIT, find_pairs, register_entries, register_normaliser
from .models import MatchDecision, Suggestion


def decided_pairs():
    """Pairs of organisation numbers a person has decided about; they are not proposed again."""
    return set(MatchDecision.objects.values_list("first_key", "second_key"))


def refresh_suggestions():
    """Compute the suggestions anew and store them; a second run changes nothing.

    Returns (created, updated, removed).
    """
    # The register is small enough to compare every blocked pair in full.
    pairs = find_pairs(register_entries(), register_normaliser(), skip=decided_pairs(), prefilter=False)
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
    created = updated = 0
    with transaction.atomic():
        existing = {(s.first_id, s.second_id): s for s in Suggestion.objects.all()}
        stale = [s.pk for key, s in existing.items() if key not in wanted]
        Suggestion.objects.filter(pk__in=stale).delete()
        now = timezone.now()
        for (first, second), values in wanted.items():
            suggestion = existing.get((first, second))
            if suggestion is None:
                Suggestion.objects.create(first_id=first, second_id=second, computed_at=now, **values)
                created += 1
            elif any(getattr(suggestion, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(suggestion, name, value)
                suggestion.computed_at = now
                suggestion.save()
                updated += 1
    return created, updated, len(stale)


def pairs_involving(keys):
    """Proposed pairs in which one of the given organisations takes part, each as (key, other, verdict)
    with the verdict read from the given organisation's side – for the plans of the importers."""
    swap = {UNIT: PARENT, PARENT: UNIT}
    found = []
    for pair in find_pairs(register_entries(), register_normaliser(), skip=decided_pairs(), prefilter=False):
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
