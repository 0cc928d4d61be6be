"""Overlap between networks: shared members, shared topics and focus areas, and resemblance.

Who counts as a member here: organisations and actor groups (people never; a person who sits on
behalf of an organisation counts for that organisation). Two ways of counting organisations are
kept side by side:

* **as entered** – the organisation or unit exactly as the membership names it;
* **by organisation** – a unit counts as its top organisation, so "DRK … e.V. - Migrationsdienst"
  and "DRK … e.V." are the same actor. This is the default measure of overlap, because the office
  asks whether the same actor sits in two networks, whichever of its units is sent.

Near-duplicate entries ("Caritas Verband …" / "Caritasverband …") stay different actors here;
merging them is the job of the duplicate review (matching), not of the analysis.

The functions on sets are pure; ``network_profiles`` loads what they need in a fixed number of
queries.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from register import freshness, tree
from register.models import FocusArea, Membership, Municipality, Network, NetworkHost, Organisation, ProgrammeSite
from register.text import GERMAN_LETTERS

# Words that say what kind of network something is, or where it is, but not what it is about.
GENERIC_WORDS = {
    "ak",
    "arbeitskreis",
    "arbeitsgruppe",
    "beirat",
    "darmstadt",
    "dieburg",
    "fachbeirat",
    "forum",
    "kreis",
    "ladadi",
    "landkreis",
    "netzwerk",
    "runder",
    "tisch",
}
STOP_WORDS = {
    "aber",
    "alle",
    "allen",
    "auch",
    "dass",
    "dem",
    "den",
    "der",
    "des",
    "die",
    "das",
    "ein",
    "eine",
    "einer",
    "eines",
    "für",
    "fuer",
    "im",
    "in",
    "mit",
    "oder",
    "sich",
    "sowie",
    "über",
    "und",
    "vom",
    "von",
    "zum",
    "zur",
    "zwischen",
}
# A proposed name resembles an existing one from this rapidfuzz score on (0-100), taken on the content words.
NAME_SCORE_MIN = 85
# A proposed purpose resembles an existing one when they share this many content words …
PURPOSE_SHARED_WORDS_MIN = 3
# … and these make up at least this share of the shorter purpose's content words.
PURPOSE_SHARE_MIN = Fraction(1, 2)
# Proposed topics resemble an existing network's from this Jaccard index on.
TOPIC_JACCARD_MIN = Fraction(1, 2)
# Proposed members resemble an existing network's from this Jaccard index on …
MEMBER_JACCARD_MIN = Fraction(3, 10)
# … or when at least this many of them, and half of the proposed members, already sit there.
MEMBER_SHARED_MIN = 2
# Networks read per way of finding those worth comparing (topics, members, words, hosts).
CANDIDATES_PER_WAY = 200


def jaccard(first, second):
    """|A ∩ B| / |A ∪ B| as an exact fraction; 0 for two empty sets."""
    union = len(first | second)
    return Fraction(len(first & second), union) if union else Fraction(0)


def normalise(text):
    return " ".join(text.casefold().split())


WORD = re.compile(r"[\w*]+")


def content_words(text, ignore=frozenset()):
    """The words that carry meaning: lower case, at least three letters, no stop words."""
    words = set(WORD.findall(text.casefold()))
    return {word for word in words if len(word) >= 3 and word not in STOP_WORDS and word not in ignore}


@dataclass
class NetworkProfile:
    """What the overlap measures need to know about one network."""

    network: Network
    members: dict = field(default_factory=dict)  # (kind, pk) -> label, as entered
    actors: dict = field(default_factory=dict)  # (kind, pk) -> label, units counted as their organisation
    topics: dict = field(default_factory=dict)  # pk -> name
    focus_areas: dict = field(default_factory=dict)  # normalised name -> name


@dataclass
class Comparison:
    """Two networks side by side."""

    first: NetworkProfile
    second: NetworkProfile
    shared_members: list  # labels, as entered
    shared_actors: list  # labels, by organisation
    only_first: list  # labels by organisation
    only_second: list
    member_jaccard: Fraction
    actor_jaccard: Fraction
    shared_topics: list
    topic_jaccard: Fraction
    shared_focus_areas: list


def _sorted_labels(profile_dict, keys):
    return sorted((profile_dict[key] for key in keys), key=str.casefold)


def compare(first, second):
    """Compare two network profiles (pure)."""
    members = first.members.keys() & second.members.keys()
    actors = first.actors.keys() & second.actors.keys()
    topics = first.topics.keys() & second.topics.keys()
    focus = first.focus_areas.keys() & second.focus_areas.keys()
    return Comparison(
        first=first,
        second=second,
        shared_members=_sorted_labels(first.members, members),
        shared_actors=_sorted_labels(first.actors, actors),
        only_first=_sorted_labels(first.actors, first.actors.keys() - actors),
        only_second=_sorted_labels(second.actors, second.actors.keys() - actors),
        member_jaccard=jaccard(set(first.members), set(second.members)),
        actor_jaccard=jaccard(set(first.actors), set(second.actors)),
        shared_topics=_sorted_labels(first.topics, topics),
        topic_jaccard=jaccard(set(first.topics), set(second.topics)),
        shared_focus_areas=_sorted_labels(first.focus_areas, focus),
    )


@dataclass
class MatrixCell:
    other: NetworkProfile
    shared: int  # actors, by organisation
    jaccard: Fraction
    shared_topics: int
    is_self: bool


def matrix(profiles):
    """Rows of cells, one per pair of networks (pure): shared actors, their Jaccard index, shared topics.

    Dense: for the handful of networks a page shows as a table. For many networks use
    ``overlapping_pairs``, which visits only the pairs that share an actor.
    """
    rows = []
    for row in profiles:
        cells = []
        for column in profiles:
            cells.append(
                MatrixCell(
                    other=column,
                    shared=len(row.actors.keys() & column.actors.keys()),
                    jaccard=jaccard(set(row.actors), set(column.actors)),
                    shared_topics=len(row.topics.keys() & column.topics.keys()),
                    is_self=row.network.pk == column.network.pk,
                )
            )
        rows.append((row, cells))
    return rows


@dataclass
class Pair:
    """Two networks that share at least one actor (by organisation)."""

    first: NetworkProfile
    second: NetworkProfile
    shared: int  # actors, by organisation
    jaccard: Fraction
    shared_topics: int


def overlapping_pairs(profiles):
    """Every pair of networks that shares an actor, most shared first (pure).

    An inverted index actor -> networks gives the pairs: the work grows with the sum of the squared
    number of networks per actor, not with the square of the number of networks, so 10,000 networks
    with 400,000 memberships take seconds where the dense matrix would visit 100 million cells.
    Pairs without a shared actor (Jaccard index 0) are left out. Ties go by the networks' order in
    ``profiles``.
    """
    networks_of = defaultdict(list)
    for position, profile in enumerate(profiles):
        for actor in profile.actors:
            networks_of[actor].append(position)
    shared = Counter()
    for positions in networks_of.values():
        if len(positions) > 1:
            shared.update(combinations(positions, 2))
    pairs = []
    for (first, second), count in shared.items():
        a, b = profiles[first], profiles[second]
        pairs.append(
            Pair(
                first=a,
                second=b,
                shared=count,
                jaccard=Fraction(count, len(a.actors) + len(b.actors) - count),
                shared_topics=len(a.topics.keys() & b.topics.keys()),
            )
        )
    order = {id(profile): position for position, profile in enumerate(profiles)}
    pairs.sort(key=lambda pair: (-pair.shared, -pair.jaccard, order[id(pair.first)], order[id(pair.second)]))
    return pairs


def organisation_index(organisations=None):
    """{organisation pk: (root pk, root name, full name)} of the register, or of ``organisations`` (a
    queryset): one query for the whole register; for a part, one more for the organisations above it
    that are not in the part themselves, however many levels up."""
    queryset = Organisation.objects.all() if organisations is None else organisations
    rows = {pk: (parent_id, name) for pk, parent_id, name in queryset.order_by().values_list("pk", "parent", "name")}
    return _index_of(_with_ancestors(rows))


def _with_ancestors(rows):
    """``rows`` ({pk: (parent pk, name)}) completed with every organisation above them: one query if
    some are not among them (``register.tree``), however many levels up."""
    missing = {parent for parent, _name in rows.values() if parent is not None} - rows.keys()
    if missing:
        rows.update((pk, row) for pk, row in tree.with_ancestors(missing).items() if pk not in rows)
    return rows


def _index_of(rows):
    """{pk: (root pk, root name, full name)} of rows that hold every organisation above them (pure)."""
    index = {}
    for pk in rows:
        chain, node = [], pk
        while node is not None and node not in chain:
            chain.append(node)
            node = rows[node][0]
        chain.reverse()
        index[pk] = (chain[0], rows[chain[0]][1], " - ".join(rows[link][1] for link in chain))
    return index


def network_profiles(networks=None, on=None):
    """Profiles of the given networks (all if None), with the memberships active on ``on`` (default today).

    Six queries, however many networks and members there are (one more if units of units have
    organisations that sit in none of the networks, however deep); the topics, focus areas and
    memberships come as plain columns (no model instances), selected by a subquery on the networks.
    """
    queryset = (Network.objects.all() if networks is None else networks).order_by("position", "name")
    profiles = {network.pk: NetworkProfile(network=network) for network in queryset}
    chosen = queryset.values("pk")
    topics = Network.topics.through.objects.filter(network__in=chosen).order_by("topic__name", "topic")
    for network_pk, topic_pk, name in topics.values_list("network_id", "topic_id", "topic__name"):
        profiles[network_pk].topics[topic_pk] = name
    areas = FocusArea.objects.filter(network__in=chosen).order_by("network", "position", "pk")
    for network_pk, name in areas.values_list("network_id", "name"):
        profiles[network_pk].focus_areas[normalise(name)] = name
    active = Membership.objects.active(on).filter(network__in=chosen)
    # One IN over the member of each membership: "pk IN (organisations) OR pk IN (represented)" makes
    # PostgreSQL test every organisation against both subqueries (minutes at 120,000 organisations).
    members = active.annotate(member=Coalesce("organisation", "on_behalf_of")).exclude(member=None)
    index = organisation_index(Organisation.objects.filter(pk__in=members.values("member")))
    memberships = (
        active.filter(Q(organisation__isnull=False) | Q(on_behalf_of__isnull=False) | Q(actor_group__isnull=False))
        .order_by("network", "position", "pk")
        .values_list("network_id", "organisation_id", "on_behalf_of_id", "actor_group_id", "actor_group__name")
    )
    for network_pk, organisation_id, on_behalf_of_id, group_id, group_name in memberships:
        profile = profiles[network_pk]
        organisation_id = organisation_id or on_behalf_of_id
        if organisation_id is not None:
            root_pk, root_name, full_name = index[organisation_id]
            profile.members[("organisation", organisation_id)] = full_name
            profile.actors[("organisation", root_pk)] = root_name
        elif group_id:
            key = ("actor_group", group_id)
            profile.members[key] = profile.actors[key] = group_name
    return list(profiles.values())


def overlap_between(first, second, on=None):
    """Compare two networks as loaded from the register."""
    profiles = {p.network.pk: p for p in network_profiles(Network.objects.filter(pk__in=[first.pk, second.pk]), on)}
    return compare(profiles[first.pk], profiles[second.pk])


@dataclass
class Resemblance:
    """An existing network that resembles a proposed one, and why."""

    network: Network
    reasons: list
    score: float


PARENTHESES = re.compile(r"\(.*?\)")


def _name_words(name):
    """The content words of a name, what stands in parentheses aside."""
    return content_words(PARENTHESES.sub(" ", name) if "(" in name else name, ignore=GENERIC_WORDS)


NOT_A_WORD = re.compile(r"[^\w-]+")


def _by_first_word(municipalities):
    """{first word: [(pk, name)]} of municipalities given as {pk: normalised name}: what
    ``_municipalities_named`` looks names up in."""
    index = defaultdict(list)
    for pk, name in municipalities.items():
        index[name.split(" ", 1)[0]].append((pk, name))
    return index


def _municipalities_named(text, municipalities):
    """Ids of the municipalities whose name stands in ``text`` as a word; ``municipalities`` from
    ``_by_first_word``. A name can stand in the text only from one of its words on, so only the names
    that start with a word of the text are tried."""
    words = normalise(NOT_A_WORD.sub(" ", text))
    folded = f" {words} "
    return {pk for word in set(words.split(" ")) for pk, name in municipalities.get(word, ()) if f" {name} " in folded}


def _municipalities_in(text, municipality_ids=()):
    """{pk: name} of the given municipalities and of those whose name may stand in ``text``: those whose
    name starts with a word of the text, by the folded first word the database keeps (case, umlauts and
    ß aside) and its index, so that not every municipality is read (8,000 in the country);
    ``_municipalities_named`` then decides as it does for all."""
    words = set(normalise(NOT_A_WORD.sub(" ", text)).translate(GERMAN_LETTERS).split(" "))
    named = Municipality.objects.filter(Q(pk__in=list(municipality_ids)) | Q(first_word__in=sorted(words)))
    return dict(named.order_by().values_list("pk", "name"))


def _places_named(text):
    """Ids of the municipalities whose name stands in ``text`` as a word."""
    names = _municipalities_in(text)
    return _municipalities_named(text, _by_first_word({pk: normalise(name) for pk, name in names.items()}))


def _proposed_organisations(organisation_ids):
    """The proposed organisations' top organisations, and the organisations ``_candidates`` looks for
    in other networks: themselves, their units and the organisations they are units of.

    One query, and one more if some organisations above them are not among them."""
    ids = {int(pk) for pk in organisation_ids}
    if not ids:
        return set(), []
    found = Organisation.objects.filter(Q(pk__in=ids) | Q(parent__in=ids)).order_by()
    rows = {pk: (parent_id, name) for pk, parent_id, name in found.values_list("pk", "parent", "name")}
    related = {pk for pk, (parent_id, _name) in rows.items() if pk in ids or parent_id in ids}
    related |= {rows[pk][0] for pk in ids if pk in rows and rows[pk][0] is not None}
    index = _index_of(_with_ancestors(rows))
    return {index[pk][0] for pk in ids if pk in index}, sorted(related)


def _candidates(queryset, name, purpose, topic_ids, related, hosts):
    """The keys of the networks worth comparing with a proposed one: those that share a topic, a member
    (or its organisation: ``related``, from ``_proposed_organisations``), a host unit, a word of the
    name or purpose, or whose short name the name uses. One query of four bounded ways, so the number
    of queries and rows stays the same at scale; the members are looked up by the indexes of the
    seats' organisations (a subquery there would make the database read every seat).

    Only the keys: asked for the rows with the ways as conditions, the database expects nearly every
    network to pass one and reads the whole table (``similar_networks`` reads the rows by key)."""
    bounded = CANDIDATES_PER_WAY
    ways = [queryset.filter(_sharing_words(name, purpose)).values_list("pk", flat=True)[:bounded]]
    if topic_ids:
        ways.append(queryset.filter(topics__in=list(topic_ids)).values_list("pk", flat=True)[:bounded])
    if related:
        members = Membership.objects.active().filter(Q(organisation__in=related) | Q(on_behalf_of__in=related))
        ways.append(members.values_list("network", flat=True)[:bounded])
    units = [unit for _body, unit in hosts if unit]
    if units:
        ways.append(queryset.filter(hosts__unit__in=units).values_list("pk", flat=True)[:bounded])
    if not connection.features.supports_slicing_ordering_in_compound:  # SQLite: no LIMIT right in a UNION
        ways = [Network.objects.filter(pk__in=way).order_by().values_list("pk", flat=True) for way in ways]
    first, *rest = ways
    return set(first.union(*rest, all=True))


def _searched_words(name, purpose):
    """The four longest content words of a name and purpose: other networks are searched for their starts."""
    return sorted(_name_words(name) | content_words(purpose, ignore=GENERIC_WORDS), key=len, reverse=True)[:4]


def _sharing_words(name, purpose):
    """The networks whose name or purpose holds the start of one of the longest words of the proposed
    name and purpose, or whose short name the name uses. On PostgreSQL the database finds them by
    trigram indexes where few share a word (migration register 0033)."""
    textual = Q(pk__in=[])
    for word in _searched_words(name, purpose):
        textual |= Q(name__icontains=word[:5]) | Q(purpose__icontains=word[:5])
    for word in {word for word in re.findall(r"[\w*]+", name) if len(word) >= 2}:
        textual |= Q(short_name__iexact=word)
    return textual


def _shared_actors(network_ids, roots):
    """{network pk: the top organisations in ``roots`` that sit in it, themselves or by a unit}.

    Only the seats of these organisations and their units are read, not every seat of the networks:
    one query for the units below them (``register.tree``, however deep), and one for the seats. All
    their seats are read and those in ``network_ids`` kept: an organisation sits in a few networks
    (14 at most at nation scale), and a list of several hundred networks costs more to send."""
    below = tree.units_below(roots)  # organisation pk -> its top organisation
    wanted = set(network_ids)
    seats = (
        Membership.objects.active()
        .filter(Q(organisation__in=below) | Q(on_behalf_of__in=below))
        .order_by()
        .values_list("network", "organisation", "on_behalf_of")
    )
    shared = defaultdict(set)
    for network_pk, organisation_id, on_behalf_of_id in seats:
        member = organisation_id or on_behalf_of_id
        if network_pk in wanted and member in below:  # a seat of a unit on behalf of another counts for the unit
            shared[network_pk].add(below[member])
    return shared


def _actor_counts(network_ids):
    """{network pk: how many actors sit in it}: organisations by their top organisation, and actor
    groups (``network_profiles`` counts the same). One query, and one for the organisations above."""
    seats = list(
        Membership.objects.active()
        .filter(network__in=network_ids)
        .filter(Q(organisation__isnull=False) | Q(on_behalf_of__isnull=False) | Q(actor_group__isnull=False))
        .order_by()
        .values_list("network", "organisation", "on_behalf_of", "actor_group")
    )
    members = {organisation_id or on_behalf_of_id for _network, organisation_id, on_behalf_of_id, _group in seats}
    members.discard(None)
    index = organisation_index(Organisation.objects.filter(pk__in=members)) if members else {}
    actors = defaultdict(set)
    for network_pk, organisation_id, on_behalf_of_id, group_id in seats:
        member = organisation_id or on_behalf_of_id
        if member is not None:
            actors[network_pk].add(("organisation", index[member][0]))
        elif group_id:
            actors[network_pk].add(("actor_group", group_id))
    return {network_pk: len(keys) for network_pk, keys in actors.items()}


def similar_networks(
    name, purpose="", topic_ids=(), organisation_ids=(), exclude=None, hosts=(), municipality_ids=(), limit=None
):
    """Existing networks that resemble a proposed one in name, purpose, topics or members.

    ``organisation_ids`` are compared by organisation (units count as their top organisation).
    ``hosts`` are (body id, unit) pairs; a shared host and shared municipalities (``municipality_ids``,
    and those the name or purpose names) are named as further reasons of a resemblance, never alone.
    Returns ``Resemblance`` objects, the most resembling first.

    A fixed number of queries, each reading a bounded number of rows: the candidates come as plain
    columns; of their seats only those of the proposed organisations are read, and all of them only
    for the few networks where these make up enough of the proposed members to resemble by members;
    whole networks are read only for the ones returned.
    """
    queryset = Network.objects.all()
    if exclude is not None:
        queryset = queryset.exclude(pk=getattr(exclude, "pk", exclude))
    proposed_roots, related = _proposed_organisations(organisation_ids)
    # The candidates by key with their topics, a row per topic (one query).
    rows = (
        queryset.filter(pk__in=sorted(_candidates(queryset, name, purpose, topic_ids, related, hosts)))
        .order_by("position", "name", "topics__name", "topics")
        .values_list("pk", "name", "short_name", "purpose", "topics", "topics__name")
    )
    candidates, topics_of = {}, defaultdict(dict)
    for network_pk, network_name, short_name, network_purpose, topic_pk, topic_name in rows:
        candidates.setdefault(network_pk, (network_pk, network_name, short_name, network_purpose))
        if topic_pk is not None:
            topics_of[network_pk][topic_pk] = topic_name
    candidates = list(candidates.values())
    chosen = [pk for pk, *_texts in candidates]
    shared_of = _shared_actors(chosen, proposed_roots) if proposed_roots and chosen else {}
    proposed_count = len(proposed_roots)

    def half_present(shared):
        return len(shared) >= MEMBER_SHARED_MIN and 2 * len(shared) >= proposed_count

    # The Jaccard index of the members is at most shared / proposed (the union holds the proposed
    # members): only where that reaches the bar, the network's own count of actors is needed.
    counted = [
        pk
        for pk, shared in shared_of.items()
        if not half_present(shared) and Fraction(len(shared), proposed_count) >= MEMBER_JACCARD_MIN
    ]
    actor_counts = _actor_counts(counted) if counted else {}
    proposed_topics = set(topic_ids)
    proposed_words = _name_words(name)
    proposed_name = " ".join(sorted(proposed_words))
    proposed_purpose = content_words(purpose, ignore=GENERIC_WORDS)
    words_of_name = set(name.casefold().split())
    share = PURPOSE_SHARE_MIN
    found = []
    for network_pk, network_name, short_name, network_purpose in candidates:
        reasons, score = [], 0.0
        existing_words = _name_words(network_name)
        existing_name = " ".join(sorted(existing_words))
        # Below the bar the score does not matter: rapidfuzz may stop early and give 0.
        name_score = (
            fuzz.token_sort_ratio(proposed_name, existing_name, score_cutoff=NAME_SCORE_MIN)
            if proposed_name and existing_name
            else 0
        )
        smaller = min(existing_words, proposed_words, key=len)
        if len(smaller) >= 2 and smaller <= existing_words & proposed_words:
            name_score = max(name_score, 90)  # one name holds all the words of the other, and more
        short_name_given = short_name and short_name.casefold() in words_of_name
        if name_score >= NAME_SCORE_MIN or short_name_given:
            name_score = 100 if short_name_given else name_score
            reasons.append(("name", round(name_score)))
            score += name_score / 100
        # Too few words of its own, and the proposed purpose shares too few with any.
        if len(proposed_purpose) >= PURPOSE_SHARED_WORDS_MIN:
            existing_purpose = content_words(network_purpose, ignore=GENERIC_WORDS)
            shared_words = proposed_purpose & existing_purpose
            shorter = min(len(proposed_purpose), len(existing_purpose))
            # shared / shorter >= PURPOSE_SHARE_MIN, in whole numbers (no fraction made per network)
            if (
                len(shared_words) >= PURPOSE_SHARED_WORDS_MIN
                and len(shared_words) * share.denominator >= shorter * share.numerator
            ):
                reasons.append(("purpose", shared_words))
                score += len(shared_words) / shorter
        existing_topics = topics_of[network_pk]
        shared_topics = proposed_topics & existing_topics.keys()
        # The Jaccard index only where they share a topic: without, there is no reason anyway.
        if shared_topics and (topic_index := jaccard(proposed_topics, set(existing_topics))) >= TOPIC_JACCARD_MIN:
            reasons.append(("topics", _sorted_labels(existing_topics, shared_topics)))
            score += float(topic_index)
        shared_actors = shared_of.get(network_pk, ())
        if shared_actors and (
            half_present(shared_actors)
            or network_pk in actor_counts
            and Fraction(len(shared_actors), proposed_count + actor_counts[network_pk] - len(shared_actors))
            >= MEMBER_JACCARD_MIN
        ):
            reasons.append(("members", len(shared_actors), proposed_count))
            score += len(shared_actors) / proposed_count
        if reasons:
            found.append((network_pk, network_name, reasons, score))
    if not found:
        return []
    # A municipality counts only where the proposed network names it too: only those are read.
    names_of_municipalities = _municipalities_in(f"{name} {purpose}", municipality_ids)
    normalised = {pk: normalise(name) for pk, name in names_of_municipalities.items()}
    proposed_places = set(municipality_ids) | _municipalities_named(f"{name} {purpose}", _by_first_word(normalised))
    proposed_municipalities = _by_first_word({pk: normalised[pk] for pk in proposed_places if pk in normalised})
    # The funded municipalities and the hosts of the networks are read only if some could be shared:
    # the sites in the proposed municipalities and the hosts of the proposed bodies (what a list of the
    # networks found would select costs more to send than these rows), kept for the networks found.
    places_of = defaultdict(set)
    if proposed_places:
        sites = ProgrammeSite.objects.filter(municipality__in=proposed_places)
        for network_pk, municipality in sites.values_list("programme__network", "municipality"):
            places_of[network_pk].add(municipality)
    proposed_hosts = {(body, normalise(unit)) for body, unit in hosts}
    hosts_of = defaultdict(list)
    if proposed_hosts:
        found_hosts = NetworkHost.objects.filter(body__in={body for body, _unit in proposed_hosts})
        for network_pk, body, unit, body_name in found_hosts.values_list("network", "body", "unit", "body__name"):
            hosts_of[network_pk].append(((body, normalise(unit)), unit or body_name))
    ranked = []
    for network_pk, network_name, reasons, score in found:
        existing_places = places_of[network_pk] | _municipalities_named(network_name, proposed_municipalities)
        shared_places = proposed_places & existing_places
        if shared_places:
            # Municipalities of the same name (several in the country) are named once.
            reasons.append(("places", sorted({names_of_municipalities[pk] for pk in shared_places})))
            score += 0.25
        shared_hosts = [label for key, label in hosts_of[network_pk] if key in proposed_hosts]
        if shared_hosts:
            reasons.append(("hosts", list(dict.fromkeys(shared_hosts))))
            score += 0.25
        ranked.append((network_pk, network_name, reasons, score))
    ranked.sort(key=lambda item: (-len(item[2]), -item[3], item[1]))
    ranked = ranked[:limit] if limit else ranked
    networks = Network.objects.in_bulk([network_pk for network_pk, *_rest in ranked])
    return [
        Resemblance(network=networks[pk], reasons=[_said(*reason) for reason in reasons], score=score)
        for pk, _name, reasons, score in ranked
    ]


def _said(kind, *values):
    """A reason of ``similar_networks`` in words; it ranks by the number of reasons, so only the
    reasons of the networks it returns are put in words."""
    if kind == "name":
        return _("a similar name (%(score)d %% alike)") % {"score": values[0]}
    if kind == "purpose":
        return _("a similar purpose (shared words: %(words)s)") % {"words": ", ".join(sorted(values[0]))}
    if kind == "topics":
        return _("the same topics (%(topics)s)") % {"topics": ", ".join(values[0])}
    if kind == "members":
        return _("%(shared)d of the proposed %(proposed)d members already sit there") % {
            "shared": values[0],
            "proposed": values[1],
        }
    if kind == "places":
        message = conditional_escape(_("the same municipalities (%(places)s)"))
        return mark_safe(message % {"places": _german_names(values[0])})
    return mark_safe(conditional_escape(_("the same host (%(hosts)s)")) % {"hosts": _german_names(values[0])})


def _german_names(names):
    """Proper names kept as written, each marked German, joined by commas (safe HTML)."""
    return format_html_join(", ", '<span lang="de">{}</span>', ((name,) for name in names))


def similar_to(network, organisation_ids, limit=5):
    """The networks that resemble an existing one (for its public page), most resembling first.

    ``organisation_ids``: its members' organisations. Its topics, hosts and funded municipalities
    are read through ``all()``, so a page that prefetched them spends no query on them.
    """
    programme = getattr(network, "programme", None)
    return similar_networks(
        network.name,
        purpose=network.purpose,
        topic_ids=[topic.pk for topic in network.topics.all()],
        organisation_ids=organisation_ids,
        exclude=network,
        hosts=[(host.body_id, host.unit) for host in network.hosts.all()],
        municipality_ids=[site.municipality_id for site in programme.sites.all()] if programme else [],
        limit=limit,
    )


# --- what the similar networks on a network's page depend on (``register.freshness``) -------------------


# A purpose of more content words than this counts as this many for ``freshness.purpose_word``.
COUNTED_WORDS_MAX = 16


def similarity_tags(network):
    """The tags ``similar_to(network)`` depends on beyond ``freshness.SIMILARITY`` and the names of
    networks: the words of its purpose with their count (``purpose_changed`` says why) and the starts
    of the words it looks for in other purposes."""
    words = content_words(network.purpose, ignore=GENERIC_WORDS)
    if len(words) < PURPOSE_SHARED_WORDS_MIN:
        words = set()  # too few words to resemble another by its purpose
    count = min(len(words), COUNTED_WORDS_MAX)
    return {
        freshness.SIMILARITY,
        *(freshness.purpose_word(word, count) for word in words),
        *(freshness.text(word[:5]) for word in _searched_words(network.name, network.purpose)),
    }


def _pieces(text):
    """Every piece of three to five letters within a word: what ``_candidates`` may find in a purpose."""
    return {
        word[start : start + length]
        for word in re.findall(r"[\w*]+", text.casefold())
        for length in (3, 4, 5)
        for start in range(len(word) - length + 1)
    }


def _resembling_purposes(old, new):
    """The tags of the pages whose similar networks may differ now that a purpose's content words went
    from ``old`` to ``new``. Another network's page ranks it by the words they share, and by their
    share of the shorter purpose's words (``similar_networks``), so a page may differ
    - if its purpose holds a word gained or lost (whatever its count);
    - if the count of words changed, its purpose is longer than the shorter of the two counts (the
      share is of that one now), and at least three words stayed (it cannot share three otherwise).
    Pages of purposes with fewer than three words depend on none of these.
    """
    counts = range(PURPOSE_SHARED_WORDS_MIN, COUNTED_WORDS_MAX + 1)
    tags = {freshness.purpose_word(word, count) for word in old ^ new for count in counts}
    kept = old & new
    if len(old) != len(new) and len(kept) >= PURPOSE_SHARED_WORDS_MIN:
        # Longer than the shorter count; a purpose of more than COUNTED_WORDS_MAX words counts as that many.
        longer = range(min(len(old), len(new), COUNTED_WORDS_MAX - 1) + 1, COUNTED_WORDS_MAX + 1)
        tags |= {freshness.purpose_word(word, count) for word in kept for count in longer}
    return tags


def purpose_changed(sender, instance, created=False, raw=False, **kwargs):
    """A network's new purpose: renew the pages of the networks it may now resemble, or no longer."""
    before = getattr(instance, "_audit_snapshot", None)
    if created or raw or not before or "purpose" not in before:
        return  # a new network renews the names of networks, and with them every network page
    old, new = before["purpose"] or "", instance.purpose or ""
    if old == new:
        return
    tags = {freshness.text(piece) for piece in _pieces(old) ^ _pieces(new)}
    old_words, new_words = content_words(old, ignore=GENERIC_WORDS), content_words(new, ignore=GENERIC_WORDS)
    if old_words != new_words:
        tags |= _resembling_purposes(old_words, new_words)
        name = before.get("name") or instance.name
        if _places_named(f"{name} {old}") != _places_named(f"{instance.name} {new}"):
            tags.add(freshness.SIMILARITY)
    if tags:
        freshness.touch(*tags)
