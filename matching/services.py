"""The duplicate review's public functions: keeping the queue current, reading it cheaply.

The queue keeps itself current: every change of an organisation or an alias notes the organisation
(``organisations_changed``, called by signals and by the importers' bulk writes) and, once the
change is committed, queues one background task (``matching.tasks.update_review_queue``) that
brings the suggestions of all noted organisations up to date at once.
"""

import time
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from register.models import Membership, Organisation

from .learning import current_calibration, learn
from .matcher import (
    PARENT,
    UNIT,
    MatchIndex,
    Pair,
    compare_entries,
    find_pairs,
    normalise_entries,
    pair_order,
    register_entries,
    register_normaliser,
)
from .models import LearnedWeights, MatchDecision, NetworkCount, PendingCheck, Suggestion

BATCH = 1000  # rows per statement when suggestions are written in bulk
# From this many changed organisations at once (an import), the whole queue is computed anew.
FULL_REFRESH_FROM = 2000
KINDS = {UNIT: Suggestion.Kind.FIRST_IN_SECOND, PARENT: Suggestion.Kind.SECOND_IN_FIRST}


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
    pairs = find_pairs(
        entries,
        normaliser,
        skip=skip,
        workers=workers,
        prefilter=False,
        timings=timings,
        calibration=current_calibration(),
    )
    started = time.perf_counter()
    wanted = dict(_suggestion_values(pair) for pair in pairs)
    with transaction.atomic():
        created, updated, removed = _write(wanted, Suggestion.objects.all())
    timings["writing"] = time.perf_counter() - started
    timings["suggestions"] = len(wanted)
    return created, updated, removed


def _suggestion_values(pair, extra_reason=None):
    """((first, second), the values of its Suggestion) with the lower number first."""
    first, second, kind = pair.first, pair.second, pair.verdict.kind
    if first > second:
        first, second = second, first
        kind = {UNIT: PARENT, PARENT: UNIT}.get(kind, kind)
    reasons = [[code, params] for code, params in pair.verdict.reasons]
    if extra_reason:
        reasons.insert(0, list(extra_reason))
    values = {"kind": KINDS.get(kind, Suggestion.Kind.DUPLICATE), "score": pair.verdict.score, "reasons": reasons}
    return (first, second), values


def _write(wanted, existing_queryset):
    """Make the suggestions of ``existing_queryset`` those of ``wanted`` ({(first, second): values});
    pairs kept by a person stay. Returns (created, updated, removed)."""
    fields = ["kind", "score", "reasons"]
    existing = {
        (first, second): (pk, kept, dict(zip(fields, values, strict=True)))
        for pk, first, second, kept, *values in existing_queryset.values_list(
            "pk", "first_id", "second_id", "kept", *fields
        )
    }
    stale = [pk for key, (pk, kept, _values) in existing.items() if key not in wanted and not kept]
    for start in range(0, len(stale), BATCH):
        Suggestion.objects.filter(pk__in=stale[start : start + BATCH]).delete()
    now = timezone.now()
    new, changed = [], []
    for (first, second), values in wanted.items():
        found = existing.get((first, second))
        if found is None:
            new.append(Suggestion(first_id=first, second_id=second, computed_at=now, **values))
        elif found[2] != values and not found[1]:
            changed.append(Suggestion(pk=found[0], first_id=first, second_id=second, computed_at=now, **values))
    Suggestion.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    Suggestion.objects.bulk_update(changed, [*fields, "computed_at"], batch_size=BATCH)
    return len(new), len(changed), len(stale)


def refresh_for(keys):
    """Bring the suggestions of the given organisations up to date against the whole register.

    The same pairs ``refresh_suggestions`` would give them, from one ``MatchIndex`` and only the
    comparisons that involve ``keys``. Returns (created, updated, removed).
    """
    keys = set(keys)
    index = MatchIndex.of_register()
    skip = decided_pairs()
    wanted = {}
    for key in keys:
        for pair in index.pairs_of(key, skip):
            pair_key, values = _suggestion_values(pair)
            wanted[pair_key] = values
    with transaction.atomic():
        involved = Suggestion.objects.filter(Q(first__in=keys) | Q(second__in=keys))
        return _write(wanted, involved)


def keep_pair(one, other, reason=None):
    """Put two organisations into the review queue until someone decides about them, with the
    matcher's verdict on them (whatever its score) and ``reason`` ((code, params)) first."""
    first, second = sorted([one.pk, other.pk])
    entries = {entry.key: entry for entry in register_entries(Organisation.objects.filter(pk__in=[first, second]))}
    left, right = normalise_entries([entries[first], entries[second]], register_normaliser())
    pair = Pair(first, second, compare_entries(left, right, prefilter=False))
    _key, values = _suggestion_values(pair, reason)
    MatchDecision.objects.filter(first_key=first, second_key=second).delete()
    suggestion, _created = Suggestion.objects.update_or_create(
        first_id=first, second_id=second, defaults={**values, "kept": True, "computed_at": timezone.now()}
    )
    return suggestion


def organisations_changed(keys):
    """Note organisations whose suggestions must be checked; one background task runs for all of
    them once the current transaction commits (at once outside a transaction)."""
    keys = {key for key in keys if key}
    if not keys:
        return
    PendingCheck.objects.bulk_create(
        [PendingCheck(organisation_key=key) for key in keys], ignore_conflicts=True, batch_size=BATCH
    )
    if not any(callback is _enqueue_update for _savepoints, callback, *_rest in connection.run_on_commit):
        transaction.on_commit(_enqueue_update)  # one task per transaction, however many changes


def _enqueue_update():
    from .tasks import update_review_queue

    update_review_queue.enqueue()


def update_review_queue_now():
    """What the background task does: learn from new decisions, then check every noted organisation.

    Returns the number of organisations checked.
    """
    with transaction.atomic():
        keys = list(PendingCheck.objects.select_for_update().values_list("organisation_key", flat=True))
        PendingCheck.objects.filter(organisation_key__in=keys).delete()
    if not keys:
        return 0
    latest = LearnedWeights.objects.order_by("-trained_at").values_list("trained_at", flat=True).first()
    if MatchDecision.objects.filter(decided_at__gt=latest).exists() if latest else MatchDecision.objects.exists():
        learn()
    existing = set(Organisation.objects.filter(pk__in=keys).values_list("pk", flat=True))
    if len(existing) >= FULL_REFRESH_FROM:
        refresh_suggestions()
    elif existing:
        refresh_for(existing)
    return len(keys)


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


def merged_into(key):
    """The organisation that the one numbered ``key`` was merged into (and not undone), or None."""
    from .models import Merge

    record = Merge.objects.filter(merged_key=key, undone_at=None).select_related("survivor").first()
    return record.survivor if record else None


def open_suggestions():
    """The pairs that wait for review, best first, with both organisations."""
    return Suggestion.objects.select_related("first", "second")


def open_suggestion_count():
    """How many pairs wait for review – one query, for the workspace start page."""
    return Suggestion.objects.count()


def side_of(organisation):
    """Everything the review page shows of one entry besides its fields: aliases, units, memberships,
    people, networks (its units' too) and the network it stands for."""
    networks = networks_by_organisation([organisation.pk])
    return {
        "organisation": organisation,
        "networks": networks.get(organisation.pk, []),
        "aliases": list(organisation.aliases.all()),
        "units": list(organisation.units.all()),
        "memberships": list(organisation.memberships.select_related("network").order_by("network__name")),
        "people": list(organisation.people.filter(erased_at__isnull=True)),
        "stands_for": getattr(organisation, "network", None),
    }


def networks_by_organisation(organisations=None):
    """{organisation id: sorted network names} counting the memberships of its units too (one query); with
    ``organisations`` (numbers), only for those (two queries)."""
    found = defaultdict(set)
    rows = Membership.objects.filter(Q(organisation__isnull=False))
    if organisations is not None:
        keys = list(organisations)
        # Their units and the units' units, each by the index of the parent: asked as one condition with "or",
        # the database read all 120,000 organisations at nation scale.
        units = Organisation.objects.filter(parent__in=keys).order_by().values_list("pk", flat=True)
        below = units.union(
            Organisation.objects.filter(parent__parent__in=keys).order_by().values_list("pk", flat=True)
        )
        rows = rows.filter(organisation__in=[*keys, *below])
    # Unordered: the names are sorted below; the seats' own order joined and sorted every network for nothing.
    rows = rows.order_by().values_list(
        "organisation_id",
        "organisation__parent_id",
        "organisation__parent__parent_id",
        "network__short_name",
        "network__name",
    )
    for organisation, parent, grandparent, short_name, name in rows:
        label = short_name or name
        for key in (organisation, parent, grandparent):
            if key and (organisations is None or key in keys):
                found[key].add(label)
    return {key: sorted(names) for key, names in found.items()}


def in_several_networks_query():
    """The ids of the top-level organisations, by name, that sit in more than one network (directly or
    through their units), as one query for the database to count and page from an index (``NetworkCount``)."""
    several = NetworkCount.objects.filter(networks__gt=1).order_by("name", "organisation_id")
    return several.values_list("organisation_id", flat=True)


# The top-level organisation a seat counts for: its holder's, two levels above it at most (as
# ``networks_by_organisation`` reads them).
TOP = Coalesce("organisation__parent__parent_id", "organisation__parent_id", "organisation_id")


def write_network_counts(models, tops=None):
    """Write the ``NetworkCount`` rows of the top-level organisations ``tops`` (a query of them; all: None).
    ``models``: (NetworkCount, Membership, Organisation), or their states in a migration."""
    count_model, membership_model, organisation_model = models
    memberships = membership_model.objects.filter(organisation__isnull=False).order_by()
    if tops is None:
        count_model.objects.all().delete()
        tops = organisation_model.objects.filter(parent=None)
    else:
        keys = list(tops.values_list("pk", flat=True))
        units = organisation_model.objects.filter(parent__in=keys).values("pk")
        within = organisation_model.objects.filter(Q(pk__in=keys) | Q(parent__in=keys) | Q(parent__in=units))
        memberships = memberships.filter(organisation__in=list(within.values_list("pk", flat=True)))
    names = dict(tops.order_by().values_list("pk", "name"))
    counts = memberships.annotate(top=TOP).values("top").annotate(networks=Count("network", distinct=True))
    rows = [
        count_model(organisation_id=top, name=names[top], networks=networks)
        for top, networks in counts.values_list("top", "networks")
        if top in names  # a unit three levels down counts for the unit above it, not for the top
    ]
    count_model.objects.bulk_create(rows, batch_size=BATCH)


def count_networks(ids=None):
    """Count anew the networks of the top-level organisations that the organisations ``ids`` are, or are
    (a unit of) a unit of; all: None. Called through ``register.deferred.later`` after a membership, or an
    organisation's name or place, changed: with the organisation before and after."""
    models = (NetworkCount, Membership, Organisation)
    if ids is None:
        write_network_counts(models)
        return
    rows = Organisation.objects.filter(pk__in=ids).values_list("pk", "parent_id", "parent__parent_id")
    candidates = {pk for row in rows for pk in row if pk}
    NetworkCount.objects.filter(organisation__in=candidates).delete()  # also of those no longer at the top
    write_network_counts(models, Organisation.objects.filter(pk__in=candidates, parent=None))


def in_several_networks(organisations, networks=None):
    """The organisations (top level) that sit in more than one network, with those networks."""
    networks = networks_by_organisation() if networks is None else networks
    return [
        (organisation, networks[organisation.pk])
        for organisation in organisations
        if organisation.parent_id is None and len(networks.get(organisation.pk, [])) > 1
    ]
