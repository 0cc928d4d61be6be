"""The public search: what people type, read as they mean it, ranked as they would rank it.

A query is read by ``portal.analysis`` (folded, stemmed, compounds split) and widened by the
office's synonyms (``SearchSynonym``: "Dolmetscher" also looks for "Sprachmittlung" and
"interpreter"). Every word of the query must be found in an entry (a word found nowhere in the
register is left out and named). How an entry is found decides its rank:

1. its whole name, short name or alias is the query;
2. a word of its name;
3. a topic, focus area, category, place, target group, contact role or event of it;
4. its description.

A word counts fully as written, a little less through a synonym or as the start of a longer word,
least with a typo – and typos are only tried for a word that is found nowhere as written, and only
against real stems of the register that differ from it by one letter (two in long words). Each
result says which words found it and where.

Every search runs the same queries, whatever the size of the register: the synonyms, the stems of
the index that the query's words may mean (``SearchWord``, through its index: whole, as starts –
only the shortest longer stems it takes – and, only for a word found nowhere, typos among the stems
with its first two letters), the ranking in the database over the index table (``SearchTerm``, read
only through its index; on PostgreSQL at most ``POSTINGS`` places per stem, the heaviest), the
reasons for the entries shown (read by entry), and loading what is shown. The stems are Snowball's,
computed in Python, so that SQLite and PostgreSQL find the same.
"""

import bisect
from dataclasses import dataclass, field
from functools import lru_cache, reduce
from operator import or_

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Value, Window
from django.db.models.functions import RowNumber
from rapidfuzz.distance import Levenshtein

from register import freshness
from register.directory import attach_ancestors
from register.models import (
    ActorGroup,
    FocusArea,
    Membership,
    Network,
    Organisation,
    ProgrammeSite,
    active_condition,
)
from register.translations import SOURCE, current_language

from . import indexing
from .analysis import MIN_PART, STOPWORDS, bare, phrase, phrase_in, split, stem, stem_in, words
from .models import SearchDocument, SearchFacet, SearchSynonym, SearchTerm, SearchWord, facet_name, member_facet_name

# How many results of one kind are shown: found by words (best first; more words narrow the rest
# down), and listed by filters alone (A–Z).
LIMIT, LISTED = 20, 50
# How much a stem counts by the way it was found.
AS_WRITTEN, SYNONYM, PREFIX, TYPO = 1.0, 0.8, 0.85, 0.5
# The places of one stem the ranking reads at most (the heaviest: names before descriptions), and the
# entries it sorts by kind and name (the best by score; their number per kind is a lower bound beyond).
POSTINGS, CANDIDATES = 1000, 400
# A typo is not looked for in descriptions (too many words there are near another).
LOOSE_MAX_WEIGHT = indexing.DESCRIPTION

Kind = SearchDocument.Kind
KINDS = [Kind.NETWORK, Kind.ORGANISATION, Kind.ACTOR_GROUP, Kind.FOCUS_AREA]


@dataclass
class Group:
    """One word of the query (or a phrase of synonyms) with the stems it may mean: {stem: (quality, how)}."""

    text: str
    stems: dict = field(default_factory=dict)
    typo_of: str = ""  # the stem typos are looked for
    parts: list = field(default_factory=list)  # the stems of a compound, if the word is found nowhere whole
    words: list = field(default_factory=list)  # of a phrase: its words' groups, taken when all are in the index
    found: dict = field(default_factory=dict)  # stems of the index: (quality, how)

    @property
    def written(self):
        """The stems of the words as typed (not of synonyms)."""
        return [stem_ for stem_, (quality, _how) in self.stems.items() if quality == AS_WRITTEN and stem_[:1] != "="]

    def want(self, stem_, quality, how):
        if stem_ and self.stems.get(stem_, (0,))[0] < quality:
            self.stems[stem_] = (quality, how)


class Synonyms:
    """The office's synonym groups, read once per search."""

    def __init__(self, groups):
        self.single, self.phrases = {}, {}
        for number, entries in enumerate(groups):
            for entry in entries:
                key = tuple(stem(word) for word in words(entry) if word not in STOPWORDS)
                if len(key) == 1:
                    self.single.setdefault(key[0], set()).add(number)
                elif key:
                    self.phrases.setdefault(key, set()).add(number)
        self.groups = groups

    @classmethod
    def load(cls):
        return parsed(tuple(tuple(synonym.entries) for synonym in SearchSynonym.objects.all()))

    def widen(self, group, numbers, original):
        """Add the words of the synonym groups to a query group (a phrase as its exact name)."""
        for number in numbers:
            for entry in self.groups[number]:
                key = [stem(word) for word in words(entry) if word not in STOPWORDS]
                if key == original:
                    continue
                if len(key) == 1:
                    group.want(key[0], SYNONYM, entry)
                elif key:
                    group.want("=" + " ".join(key), SYNONYM, entry)


@lru_cache(maxsize=4)
def parsed(groups):
    """The synonyms read once per process and list (the office's edits make a new list)."""
    return Synonyms(groups)


def read(query, synonyms, language=SOURCE):
    """The query's groups of stems, and the exact-name keys of the whole query: each word also as a
    word of the visitor's language, to find the translations into it (``indexing``)."""
    found = words(query)
    tokens = [word for word in found if word not in STOPWORDS] or found
    stems = [stem(word) for word in tokens]
    groups, at = [], 0
    while at < len(tokens):
        for length in range(min(4, len(tokens) - at), 1, -1):
            key = tuple(stems[at : at + length])
            if key in synonyms.phrases:
                group = Group(" ".join(tokens[at : at + length]))
                group.want("=" + " ".join(key), AS_WRITTEN, group.text)
                synonyms.widen(group, synonyms.phrases[key], list(key))
                group.words = [word_group(word, synonyms) for word in tokens[at : at + length]]
                groups.append(group)
                at += length
                break
        else:
            group = word_group(tokens[at], synonyms)
            if language != SOURCE:
                group.want(stem_in(language, tokens[at]), AS_WRITTEN, tokens[at])
            groups.append(group)
            at += 1
    exact = ["=" + phrase(" ".join(tokens))]
    if language != SOURCE:
        exact.append("=" + phrase_in(language, " ".join(tokens)))
    return groups, exact


def word_group(word, synonyms):
    stem_ = stem(word)
    group = Group(word, typo_of=stem_ if len(stem_) >= 5 else "")
    group.want(stem_, AS_WRITTEN, word)
    synonyms.widen(group, synonyms.single.get(stem_, ()), [stem_])
    if len(word) >= 8 and (parts := split(word)):
        group.parts = [stem(part) for part in parts]
    return group


# At most so many longer stems that a query word (or, fewer, its synonyms) is the start of are
# searched for: the shortest.
MAX_STARTS, MAX_SYNONYM_STARTS = 30, 10


def escaped(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def looked_for(groups, exact):
    """Every stem the search may look up: found as written, as the start of a longer one, or with a
    typo – each of these shares its first two letters with one of them."""
    stems = set(exact)
    for group in [*groups, *(word for phrase_group in groups for word in phrase_group.words)]:
        stems.update(group.stems)
        stems.update(group.parts)
    return stems


def lookup(groups, exact):
    """One query: the stems of the index that the groups may mean, as written and as starts of longer stems.

    Each part of the query reads one index of the word list (a union, not one scan with ORs). Of the
    longer stems a word is the start of, only as many as ``expand`` may take are read: the shortest
    (``MAX_STARTS`` for a word as written or a compound's part, ``MAX_SYNONYM_STARTS`` for a synonym),
    in the order ``expand`` takes them – a common start ("gesund", "integration") is the start of
    thousands of stems in a large register.
    """
    equal, starts = set(exact), {}
    for group in [*groups, *(word for phrase_group in groups for word in phrase_group.words)]:
        equal.update(group.stems)
        equal.update(group.parts)
        written = {*group.written, *group.parts}
        for stem_ in [*group.stems, *group.parts]:
            if len(bare(stem_)) >= MIN_PART and stem_[:1] != "=":
                most = MAX_STARTS if stem_ in written else MAX_SYNONYM_STARTS
                starts[stem_] = max(starts.get(stem_, 0), most)
    table = connection.ops.quote_name(SearchWord._meta.db_table)
    parts, params = [f"SELECT term FROM {table} WHERE term IN ({', '.join(['%s'] * len(equal))})"], list(equal)
    # Shortest first, then by code point as Python sorts (PostgreSQL's collation would not).
    order = 'LENGTH(term), term COLLATE "C"' if connection.vendor == "postgresql" else "LENGTH(term), term"
    for number, (start, most) in enumerate(sorted(starts.items())):
        if connection.vendor == "postgresql":
            where = "term LIKE %s AND term <> %s"
            params += [escaped(start) + "%", start]
        else:
            where = "term > %s AND term < %s"
            params += [start, start + "\uffff"]
        parts.append(
            f"SELECT term FROM (SELECT term FROM {table} WHERE {where} ORDER BY {order} LIMIT {int(most)}) AS s{number}"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ".join(parts), params)
        return {row[0] for row in cursor.fetchall()}


def near_words(typos):
    """One query, only when a word is found nowhere: stems of the index that may be it with a typo.

    Candidates share the word's first two letters and about its length (read through the index of
    the word list); Levenshtein decides after (``near_stem``).
    """
    table = connection.ops.quote_name(SearchWord._meta.db_table)
    parts, params = [], []
    for typo in sorted(typos):
        if connection.vendor == "postgresql":
            parts.append(f"SELECT term FROM {table} WHERE term LIKE %s AND length(term) BETWEEN %s AND %s")
            params.append(escaped(typo[:2]) + "%")
        else:
            parts.append(f"SELECT term FROM {table} WHERE term > %s AND term < %s AND length(term) BETWEEN %s AND %s")
            params += [typo[:2], typo[:2] + "\uffff"]
        params += [len(typo) - 3, len(typo) + 2]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ".join(parts), params)
        return {row[0] for row in cursor.fetchall()}


def resolve(groups, known):
    """Each group's stems of the index; a word found nowhere tries typos, then its compound's parts.

    A phrase of the synonyms whose words are all in the index is searched as these words. Returns
    the groups to search for and the words found nowhere.
    """
    groups = [
        word
        for group in groups
        for word in (group.words if group.words and all(word.written[0] in known for word in group.words) else [group])
    ]
    for group in groups:
        expand(group, {stem_: value for stem_, value in group.stems.items() if stem_ in known}, known)
    typos = {group.typo_of for group in groups if not group.found and group.typo_of}
    near = near_words(typos) if typos else set()
    resolved, missing = [], []
    for group in groups:
        if not group.found and group.typo_of:
            allowed = 1 if len(group.typo_of) < 8 else 2
            typo = group.typo_of
            close = [term for term in near if near_stem(term, typo, allowed)]
            expand(group, dict.fromkeys(close, (TYPO, group.text)), known | near, close)
        if group.found:
            resolved.append(group)
        elif group.parts and all(part in known for part in group.parts):
            for part in group.parts:
                part_group = Group(group.text)
                expand(part_group, {part: (AS_WRITTEN, group.text)}, known, [part])
                resolved.append(part_group)
        else:
            missing.append(group.text)
    return resolved, missing


def near_stem(term, typo, allowed):
    """A typo of the stem: a letter or two away, or the stem with an ending the typo kept from stemming."""
    if Levenshtein.distance(term, typo) <= allowed:
        return True
    return len(term) >= 5 and typo.startswith(term) and len(typo) - len(term) <= 3


def expand(group, stems, known, starts=None):
    """Add stems of the index to a group, and the longer stems that its words start: at most
    ``MAX_STARTS`` (the shortest) for the words as written, ``MAX_SYNONYM_STARTS`` for synonyms."""
    for stem_, (quality, how) in stems.items():
        if group.found.get(stem_, (0,))[0] < quality:
            group.found[stem_] = (quality, how)
    written = group.written if starts is None else starts
    synonyms = [] if starts is not None else [stem_ for stem_ in group.stems if stem_ not in written]
    ordered = sorted(known)
    for chosen, most in [(written, MAX_STARTS), (synonyms, MAX_SYNONYM_STARTS)]:
        longer = []
        for stem_ in chosen:
            if len(bare(stem_)) < MIN_PART or stem_[:1] == "=":
                continue
            at = bisect.bisect_right(ordered, stem_)
            while at < len(ordered) and ordered[at].startswith(stem_):
                longer.append((len(ordered[at]), ordered[at], stem_))
                at += 1
        for _length, term, stem_ in sorted(longer)[:most]:
            quality, how = stems.get(stem_) or group.stems.get(stem_) or (AS_WRITTEN, group.text)
            if group.found.get(term, (0,))[0] < quality * PREFIX:
                group.found[term] = (quality * PREFIX, how)


def language_of(term):
    """The language of a stem of the index: German, or the one it is marked with ("en:health")."""
    marked, colon, _stem = term.lstrip("=").partition(":")
    return marked if colon else SOURCE


@dataclass
class Entry:
    kind: str  # "network", "organisation", "actor_group" or "focus_area"
    object_id: int
    sort_key: str  # the name in lower case
    network_id: int | None = None
    score: float = 0
    document_id: int | None = None
    reasons: list = field(default_factory=list)  # why it was found: [(where, word)]
    item: object = None  # the register entry, loaded for the entries shown
    networks: list = field(default_factory=list)

    def order(self):
        """Best first; of equal ones the shorter name (the query is more of it), then A–Z."""
        return (-self.score, len(self.sort_key), self.sort_key)

    @property
    def name(self):
        """The name as shown (an organisation with the organisations above it)."""
        if self.item is None:
            return self.sort_key
        return self.item.full_name if self.kind == Kind.ORGANISATION else self.item.name


@dataclass
class Results:
    networks: list
    organisations: list
    actor_groups: list
    focus_areas: list
    total: dict
    missing: list = field(default_factory=list)  # words of the query found nowhere
    capped: bool = False  # more entries match than were counted (only the best CANDIDATES are)
    stems: set = field(default_factory=set)  # the stems looked for: what can change the results

    def tags(self, filters):
        """What the results show, for the page cache (``register.freshness``)."""
        kinds = {freshness.NETWORK_NAMES, freshness.SEARCH_SYNONYMS}
        if filters or not self.stems:  # filters (and a list without words) read the register widely
            kinds |= {freshness.NETWORKS, freshness.ORGANISATIONS, freshness.MEMBERSHIPS, freshness.TOPICS}
            kinds |= {freshness.BODIES, freshness.ACTOR_GROUPS}
        if self.focus_areas:
            kinds.add(freshness.NETWORKS)
        if self.actor_groups:
            kinds.add(freshness.ACTOR_GROUPS)
        if self.organisations:
            kinds.add(freshness.ORGANISATION_NAMES)
        return {
            *kinds,
            *(freshness.search_stem(stem_) for stem_ in self.stems),
            *(freshness.network(entry.object_id) for entry in self.networks),
            *(freshness.seats(entry.object_id) for entry in self.organisations),
        }

    @property
    def count(self):
        return sum(self.total.values())

    @property
    def ranked(self):
        """All entries shown, best first (for measuring the search)."""
        return sorted(
            [*self.networks, *self.organisations, *self.actor_groups, *self.focus_areas],
            key=Entry.order,
        )


@dataclass
class Filters:
    kind: str = ""
    topic: object = None  # a Topic
    category: str = ""
    municipality: object = None  # a Municipality

    @property
    def on_networks(self):
        return bool(self.kind or self.topic)

    @property
    def on_organisations(self):
        return bool(self.category or self.municipality)

    def __bool__(self):
        return self.on_networks or self.on_organisations


def seated(filters):
    """The periods in which organisations and actor groups sit in networks of the filters' kind and
    topic that hold today (at most one per entry: ``SearchFacet``)."""
    facet = facet_name(filters.kind, filters.topic.pk if filters.topic else None)
    return SearchFacet.objects.filter(active_condition(), facet=facet)


def allowed_networks(filters):
    """The networks of the filters' kind and topic, as a query."""
    networks = Network.objects.order_by()
    if filters.kind:
        networks = networks.filter(classification=filters.kind)
    if filters.topic:
        networks = networks.filter(
            pk__in=Network.topics.through.objects.filter(topic=filters.topic).values("network_id")
        )
    return networks


def with_members(filters):
    """The entries of the networks with an active seat of an organisation (or a person on its behalf) that,
    or one above which, has the filters' category and lies in their municipality, as the index of their
    members' periods (``SearchFacet``, at most one per network)."""
    facet = member_facet_name(filters.category, filters.municipality.pk if filters.municipality else None)
    return SearchFacet.objects.filter(active_condition(), kind=Kind.NETWORK, facet=facet)


def funded_networks(filters):
    """With a municipality and no category: the networks of the funding programmes that fund it (they count
    for it as if it sat in them), as a query of their ids; otherwise None."""
    if not filters.municipality or filters.category:
        return None
    funded = ProgrammeSite.objects.filter(municipality=filters.municipality, programme__network__isnull=False)
    return funded.order_by().values_list("programme__network_id", flat=True)


def counted(conditions, filters):
    """{kind: how many entries} the filters let through (``conditions`` of ``Index.conditions``), one
    query. Filtered by networks alone, organisations and actor groups are counted from the index of
    their periods in such networks alone."""
    parts = []
    for kind, condition in conditions.items():
        if filters.on_networks and not filters.on_organisations and kind in indexing.SEATED:
            part = seated(filters).filter(kind=kind)
        else:
            part = SearchDocument.objects.filter(condition, kind=kind)
        parts.append(part.order_by().values(label=Value(kind)).annotate(count=Count("*")).values_list("label", "count"))
    return dict(parts[0].union(*parts[1:], all=True))


class Index:
    """The search over the search index; a fixed number of queries per search."""

    def search(self, query, filters=None, language=None):
        """The entries the query and filters find; the query read in German and in ``language`` (by
        default the visitor's)."""
        filters = filters or Filters()
        language = language or current_language()
        indexing.catch_up()
        conditions = self.conditions(filters)
        missing, totals, groups, stems = [], {}, [], set()
        if words(query):
            groups, exact = read(query, Synonyms.load(), language)
            stems = looked_for(groups, exact)
            groups, missing = resolve(groups, lookup(groups, exact))
            if groups:
                entries, totals = self.ranked(groups, exact, self.documents(conditions) if filters else None, LIMIT)
            else:
                entries = []
        else:
            entries, totals = self.listed(conditions, filters)
        shown = {kind: [] for kind in KINDS}
        for entry in entries:
            shown[entry.kind].append(entry)
        if groups:  # found by words: best first (listed by filters alone: A–Z, as read)
            for kind_entries in shown.values():
                kind_entries.sort(key=Entry.order)
        total = {kind.value: totals.get(kind.value, 0) for kind in KINDS}
        if groups and entries:
            self.explain(shown, groups, language)
        self.load(shown)
        # An entry deleted without signals since it was indexed is left out.
        shown = {kind: [entry for entry in entries if entry.item is not None] for kind, entries in shown.items()}
        return Results(
            networks=shown[Kind.NETWORK],
            organisations=shown[Kind.ORGANISATION],
            actor_groups=shown[Kind.ACTOR_GROUP],
            focus_areas=shown[Kind.FOCUS_AREA],
            total=total,
            missing=missing,
            capped=not filters and sum(total.values()) >= CANDIDATES,
            stems=stems,
        )

    # --- finding --------------------------------------------------------------------------------

    @staticmethod
    def conditions(filters):
        """{kind: the condition its entries must meet} of the kinds of entries the filters let through.

        An organisation in a network of the kind and topic passes the filters on organisations by its own
        category and municipality: the network has a member with them (the organisation or its unit),
        as ``with_members`` asks of the networks shown (and of their focus areas)."""
        conditions = {kind: Q() for kind in KINDS}
        if filters.on_organisations:
            del conditions[Kind.ACTOR_GROUP]  # groups have neither a category nor a municipality
            if filters.category:
                conditions[Kind.ORGANISATION] &= Q(category=filters.category)
            if filters.municipality:
                conditions[Kind.ORGANISATION] &= Q(municipality_id=filters.municipality.pk)
            networks = with_members(filters).values_list("document__object_id", flat=True)
            funded = funded_networks(filters)
            if funded is not None:  # one list of networks: an OR of the two would be checked entry by entry
                networks = networks.union(funded)
            for kind in (Kind.NETWORK, Kind.FOCUS_AREA):
                conditions[kind] &= Q(network_id__in=networks)
        if filters.on_networks:
            for kind in (Kind.NETWORK, Kind.FOCUS_AREA):  # only of networks of the kind and topic
                conditions[kind] &= Q(network_id__in=allowed_networks(filters).values("pk"))
            for kind in indexing.SEATED:  # only if they sit in such a network today
                if kind in conditions:
                    conditions[kind] &= Exists(seated(filters).filter(document=OuterRef("pk")))
        return conditions

    @staticmethod
    def documents(conditions):
        """The entries of ``conditions``, as one query."""
        either = [Q(condition, kind=kind) for kind, condition in conditions.items()]
        return SearchDocument.objects.order_by().filter(reduce(or_, either))

    @staticmethod
    def listed(conditions, filters):
        """Without words, two queries: the first ``LISTED`` entries of each kind the filters let through,
        A–Z as the database sorts names (read through its index of names), and how many there are."""
        parts, params = [], []
        for number, (kind, condition) in enumerate(conditions.items()):
            page = (
                SearchDocument.objects.filter(condition, kind=kind)
                .annotate(position=Window(RowNumber(), order_by=[F("sort_key").asc(), F("object_id").asc()]))
                .order_by("sort_key", "object_id")
                .values_list("kind", "object_id", "sort_key", "network_id", "position")[:LISTED]
            )
            sql, page_params = page.query.sql_with_params()
            parts.append(f"SELECT * FROM ({sql}) AS page{number}")
            params += page_params
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = sorted(cursor.fetchall(), key=lambda row: row[4])
        entries = [Entry(kind, object_id, sort_key, network_id) for kind, object_id, sort_key, network_id, _ in rows]
        return entries, counted(conditions, filters)

    def ranked(self, groups, exact, documents, limit):
        """One query: the entries every group is found in, by the sum of each group's best weight.

        A group's weight in an entry is the highest (weight of the place × quality of the stem) over
        its stems; the whole query as an entry's exact name adds to it. A stem found only with a typo
        does not count in descriptions (``LOOSE_MAX_WEIGHT``): its places there are not read. The
        places are grouped once, by entry, with a column for each group. With ``limit``, only the
        best of each kind (and their number).
        """
        values, params = [], []
        for number, group in enumerate(groups):
            for term, (quality, _how) in group.found.items():
                percent = round(quality * 100)  # in percent: integers add up fast
                values.append("(%s, %s, %s, %s)")
                params += [number, term, percent, LOOSE_MAX_WEIGHT if percent <= round(TYPO * 100) else -1]
        for key in exact:
            values.append("(%s, %s, %s, %s)")
            params += [-1, key, 100, -1]
        terms = connection.ops.quote_name(SearchTerm._meta.db_table)
        table = connection.ops.quote_name(SearchDocument._meta.db_table)
        where, where_params = "", []
        if documents is not None:
            subquery, where_params = documents.values("pk").query.sql_with_params()
            where = f"AND d.id IN ({subquery})"
        if connection.vendor == "postgresql":
            # Each stem's places read from the index, heaviest first, at most POSTINGS of them.
            postings = f"""q CROSS JOIN LATERAL (
                SELECT document_id, weight FROM {terms} WHERE term = q.term ORDER BY weight DESC LIMIT {POSTINGS}
            ) t WHERE t.weight > q.above"""
        else:
            postings = f"{terms} t JOIN q ON t.term = q.term WHERE t.weight > q.above"
        # Each group's best place in an entry (in one pass over its places), and the exact name's.
        best_of = "MAX(CASE WHEN q.grp = {} THEN t.weight * q.quality ELSE 0 END)"
        exact_column, columns = best_of.format(-1), [best_of.format(number) for number in range(len(groups))]
        # Without filters only the best entries are sorted by kind and name (filters need them all).
        # Of equal ones at the cut, a fixed scatter of the entries takes some of every kind (in the
        # order of the table, one kind, indexed first, would take all).
        scatter = "(t.document_id * 2654435761) %% 4294967296"
        best = f"ORDER BY score DESC, {scatter} LIMIT {CANDIDATES}" if documents is None else ""
        cut = "WHERE ranked.position <= %s" if limit else ""
        sql = f"""
            WITH q(grp, term, quality, above) AS (VALUES {", ".join(values)}),
            scored AS (
                SELECT t.document_id AS doc, {" + ".join([*columns, exact_column])} AS score
                FROM {postings}
                GROUP BY t.document_id
                HAVING {" AND ".join(f"{column} > 0" for column in columns)}
                {best}
            ),
            ranked AS (
                SELECT d.id, d.kind, d.object_id, d.sort_key, d.network_id, s.score,
                    ROW_NUMBER() OVER (
                        PARTITION BY d.kind ORDER BY s.score DESC, LENGTH(d.sort_key), d.sort_key
                    ) AS position,
                    COUNT(*) OVER (PARTITION BY d.kind) AS total
                FROM scored s JOIN {table} d ON d.id = s.doc
                WHERE 1 = 1 {where}
            )
            SELECT id, kind, object_id, sort_key, network_id, score, total FROM ranked {cut}
        """
        params += where_params
        if limit:
            params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        totals = {row[1]: row[6] for row in rows}
        entries = [
            Entry(kind, object_id, sort_key, network_id, score=score / 100, document_id=pk)
            for pk, kind, object_id, sort_key, network_id, score, _total in rows
        ]
        return entries, totals

    @staticmethod
    def explain(shown, groups, language=SOURCE):
        """One query: for each entry shown, where each group was found (the best place; a place in the
        visitor's language before one in German). A reason knows the language of its word (``lang``)."""
        entries = {entry.document_id: entry for kind in KINDS for entry in shown[kind]}
        terms = {
            term: (number, quality, how)
            for number, group in enumerate(groups)
            for term, (quality, how) in group.found.items()
        }
        best = {}
        if not entries or not terms:
            return
        # Each entry's places read from the index by entry and stem (a condition on the stems alone
        # would make PostgreSQL read every place of a common stem from the other index).
        table = connection.ops.quote_name(SearchTerm._meta.db_table)
        sql = f"""
            WITH shown(id) AS (VALUES {", ".join(["(%s)"] * len(entries))})
            SELECT t.document_id, t.term, t.field, t.word, t.weight
            FROM shown JOIN {table} t ON t.document_id = shown.id
            WHERE t.term IN ({", ".join(["%s"] * len(terms))})
            ORDER BY t.document_id, t.term, t.field
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [*entries, *terms])
            rows = cursor.fetchall()
        for document_id, term, where, word, weight in rows:
            number, quality, how = terms[term]
            key = (document_id, number)
            in_language = language_of(term)
            score = (in_language == language, weight * quality)
            if best.get(key, ((False, 0),))[0] < score:
                best[key] = (score, where, word, how if quality < AS_WRITTEN else "", in_language)
        labels = dict(SearchTerm.Field.choices)
        for (document_id, _number), (_score, where, word, how, in_language) in sorted(best.items()):
            reason = {"where": str(labels[where]), "word": word, "via": how, "lang": in_language}
            if reason not in entries[document_id].reasons:
                entries[document_id].reasons.append(reason)

    # --- what is shown --------------------------------------------------------------------------

    def load(self, shown):
        """The register entries of the results shown, and the networks each sits in."""
        networks = Network.objects.in_bulk([entry.object_id for entry in shown[Kind.NETWORK]])
        for entry in shown[Kind.NETWORK]:
            entry.item = networks.get(entry.object_id)
            entry.networks = [entry.item] if entry.item else []
        areas = FocusArea.objects.select_related("network").in_bulk([e.object_id for e in shown[Kind.FOCUS_AREA]])
        for entry in shown[Kind.FOCUS_AREA]:
            entry.item = areas.get(entry.object_id)
            entry.networks = [entry.item.network] if entry.item else []
        organisations = Organisation.objects.only("name", "slug", "parent_id", "category").in_bulk(
            [e.object_id for e in shown[Kind.ORGANISATION]]
        )
        attach_ancestors(list(organisations.values()))
        for entry in shown[Kind.ORGANISATION]:
            entry.item = organisations.get(entry.object_id)
        groups = ActorGroup.objects.in_bulk([e.object_id for e in shown[Kind.ACTOR_GROUP]])
        for entry in shown[Kind.ACTOR_GROUP]:
            entry.item = groups.get(entry.object_id)
        self.attach_networks(
            [entry for entry in shown[Kind.ORGANISATION] if entry.item],
            [entry for entry in shown[Kind.ACTOR_GROUP] if entry.item],
        )

    @staticmethod
    def attach_networks(organisation_entries, group_entries):
        """Set ``networks`` of organisations (through themselves or their units) and actor groups."""
        if not organisation_entries and not group_entries:
            return
        shown = {entry.object_id for entry in organisation_entries}
        parent_of, level, seen = {}, set(shown), set(shown)
        while level:  # the units below the organisations shown, one query per level
            children = Organisation.objects.filter(parent__in=level).values_list("pk", "parent_id")
            level = set()
            for pk, parent_id in children:
                parent_of[pk] = parent_id
                if pk not in seen:
                    seen.add(pk)
                    level.add(pk)
        groups = {entry.object_id for entry in group_entries}
        # One query, each part on its own index (an OR across the columns would read the whole table).
        active = Membership.objects.active().order_by()
        fields = ["network_id", "organisation_id", "on_behalf_of_id", "actor_group_id"]
        memberships = (
            active.filter(organisation_id__in=seen)
            .values_list(*fields)
            .union(
                active.filter(on_behalf_of_id__in=seen).values_list(*fields),
                active.filter(actor_group_id__in=groups).values_list(*fields),
                all=True,
            )
        )
        in_networks = {}
        for network_id, organisation_id, behalf_id, group_id in memberships:
            if group_id:
                in_networks.setdefault((Kind.ACTOR_GROUP, group_id), set()).add(network_id)
            node = organisation_id or behalf_id
            while node is not None:
                if node in shown:
                    in_networks.setdefault((Kind.ORGANISATION, node), set()).add(network_id)
                node = parent_of.get(node)
        networks = (
            Network.objects.only("name", "short_name", "slug", "position").in_bulk(set().union(*in_networks.values()))
            if in_networks
            else {}
        )
        for entry in [*organisation_entries, *group_entries]:
            entry.networks = sorted(
                (networks[pk] for pk in in_networks.get((entry.kind, entry.object_id), ())),
                key=lambda network: (network.position, network.name),
            )
