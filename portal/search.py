"""Search across networks, organisations, actor groups and focus areas that forgives what people type.

Texts and queries are folded: case, umlauts and ß ("Paritätisch", "Paritaetisch" and "Paritatisch"
are the same), and split into words, so that word order does not matter. Every word of the query
must match a word of an entry, exactly, as the start or part of a longer word, or with a small typo
(rapidfuzz).

The database narrows the candidates first: the search table (``SearchDocument``, kept current by
``portal.indexing``) holds the folded words of every entry. On PostgreSQL a trigram index (pg_trgm)
finds the entries that contain each query word or a word like it; other databases hand over every
entry. The candidates are then scored exactly, in Python. Which networks an entry sits in depends
on the day and is read at search time, for the entries shown and, with filters, for the networks
the filters allow. Every search runs a fixed number of queries, whatever the size of the register.
"""

import contextlib
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from rapidfuzz import fuzz, process

from register.directory import attach_ancestors
from register.models import ActorGroup, FocusArea, Membership, Network, Organisation, ProgrammeSite

from . import indexing
from .folding import STOPWORDS, WORD, fold, fold_plain, query_words, words
from .models import SearchDocument

__all__ = ["STOPWORDS", "Filters", "Index", "Results", "fold", "fold_plain", "match_word", "query_words", "words"]

# How many results of one kind are shown.
LIMIT = 50
# Names weigh more than purposes, topics and network names of an entry.
SECONDARY_WEIGHT = 0.85
# From which pg_trgm word similarity an entry is a candidate; the exact score decides after. One typo
# leaves a word of n letters about (n - 2) / (n + 1) of its trigrams: short words need a low threshold,
# long ones keep a high one (a low one would make the database check many more entries).
WORD_SIMILARITY = [(5, 0.45), (8, 0.5), (None, 0.6)]


def word_similarity(terms):
    """The threshold for a query: that of its shortest word that the trigrams look for."""
    lengths = [len(term) for term in terms if len(term) > 3] or [99]
    return min(
        next(value for longest, value in WORD_SIMILARITY if longest is None or length <= longest) for length in lengths
    )


Kind = SearchDocument.Kind
KINDS = [Kind.NETWORK, Kind.ORGANISATION, Kind.ACTOR_GROUP, Kind.FOCUS_AREA]


def match_word(word, vocabulary):
    """{vocabulary word: score 0-100} for the words of the index that a query word matches."""
    if len(word) <= 3:
        # Short words and abbreviations (DRK, IB, VHS): exact, or the start of a word.
        return {
            candidate: 100 if candidate == word else 90
            for candidate in vocabulary
            if candidate.startswith(word) and (len(word) == 3 or len(candidate) <= 4 or candidate == word)
        }
    scores = {}
    ratio_cutoff = 75 if len(word) <= 5 else 80
    for candidate, score, _ in process.extract(
        word, vocabulary, scorer=fuzz.ratio, score_cutoff=ratio_cutoff, limit=None
    ):
        scores[candidate] = score
    # Part of a longer word ("caritas" in "caritasverband"), with one typo from six letters on.
    partial_cutoff = 100 if len(word) < 6 else 85
    longer = [candidate for candidate in vocabulary if len(candidate) > len(word)]
    for candidate, score, _ in process.extract(
        word, longer, scorer=fuzz.partial_ratio, score_cutoff=partial_cutoff, limit=None
    ):
        scores[candidate] = max(scores.get(candidate, 0), score * 0.95)
    return scores


@dataclass
class Entry:
    kind: str  # "network", "organisation", "actor_group" or "focus_area"
    object_id: int
    sort_key: str  # the name in lower case
    network_id: int | None = None
    primary: frozenset = frozenset()
    secondary: frozenset = frozenset()
    score: float = 0
    item: object = None  # the register entry, loaded for the entries shown
    networks: list = field(default_factory=list)

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

    @property
    def count(self):
        return sum(self.total.values())


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


class Index:
    """The search over the search table; a fixed number of queries per search."""

    def search(self, query, filters=None):
        filters = filters or Filters()
        indexing.catch_up()
        terms = query_words(query)
        allowed = self.allowed_networks(filters) if filters else None
        entries = self.candidates(terms, filters, allowed)
        if terms:
            entries = self.scored(entries, terms, query)
        if filters:
            entries = self.passing(entries, filters, allowed)
        found = {kind: [] for kind in KINDS}
        for entry in entries:
            found[entry.kind].append(entry)
        for kind_entries in found.values():
            kind_entries.sort(key=lambda entry: (-entry.score, entry.sort_key))
        shown = {kind: found[kind][:LIMIT] for kind in KINDS}
        self.load(shown)
        # An entry deleted without signals since it was indexed is left out.
        shown = {kind: [entry for entry in entries if entry.item is not None] for kind, entries in shown.items()}
        return Results(
            networks=shown[Kind.NETWORK],
            organisations=shown[Kind.ORGANISATION],
            actor_groups=shown[Kind.ACTOR_GROUP],
            focus_areas=shown[Kind.FOCUS_AREA],
            total={kind.value: len(entries) for kind, entries in found.items()},
        )

    # --- candidates -----------------------------------------------------------------------------

    def candidates(self, terms, filters, allowed):
        """The entries that may match: narrowed by the database as far as it can."""
        documents = SearchDocument.objects.order_by()
        if filters.on_organisations:
            organisations = Q(kind=Kind.ORGANISATION)
            if filters.category:
                organisations &= Q(category=filters.category)
            if filters.municipality:
                organisations &= Q(municipality_id=filters.municipality.pk)
            documents = documents.filter(organisations | Q(kind__in=[Kind.NETWORK, Kind.FOCUS_AREA]))
        if allowed is not None:
            # Networks and focus areas only of allowed networks (organisations and groups: see passing()).
            documents = documents.filter(
                Q(kind__in=[Kind.ORGANISATION, Kind.ACTOR_GROUP]) | Q(network_id__in=allowed.values("pk"))
            )
        fields = ["kind", "object_id", "sort_key", "network_id"]
        if terms:
            fields += ["primary", "secondary"]
        trigrams = terms and connection.vendor == "postgresql"
        with transaction.atomic() if trigrams else contextlib.nullcontext():
            if trigrams:
                # The threshold of the similarity operator, for this transaction. PostgreSQL does not
                # know how costly word similarity is: with a common word it would compare every row
                # (1 s at 160,000 entries) where the trigram index takes 50 ms, so it must use the index.
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true),"
                        " set_config('enable_seqscan', 'off', true)",
                        [str(word_similarity(terms))],
                    )
                for term in terms:
                    documents = documents.filter(self.narrowing(term))
            rows = list(documents.values_list(*fields))
        entries = []
        for row in rows:
            entry = Entry(*row[:4])
            if terms:
                entry.primary, entry.secondary = frozenset(row[4].split()), frozenset(row[5].split())
            entries.append(entry)
        return entries

    @staticmethod
    def narrowing(term):
        """Entries with a word that may match the term (a superset of what match_word accepts)."""
        if len(term) <= 3:
            return Q(words__contains=f" {term}")  # the start of a word
        return Q(words__contains=term) | Q(words__similar_word=term)

    def scored(self, entries, terms, query):
        vocabulary = set().union(*(entry.primary | entry.secondary for entry in entries)) if entries else set()
        vocabulary_scores = {term: match_word(term, vocabulary) for term in terms}
        phrase = " ".join(WORD.findall(fold(query)))
        kept = []
        for entry in entries:
            score = self.score(entry, terms, vocabulary_scores, phrase)
            if score:
                entry.score = score
                kept.append(entry)
        return kept

    @staticmethod
    def score(entry, terms, vocabulary_scores, phrase):
        """The mean score of the query's words, 0 when one of them matches nothing."""
        total = 0
        for term in terms:
            scores = vocabulary_scores[term]
            best = max((scores[word] for word in entry.primary & scores.keys()), default=0)
            if best < 100 and entry.secondary:
                secondary = max((scores[word] for word in entry.secondary & scores.keys()), default=0)
                best = max(best, SECONDARY_WEIGHT * secondary)
            if not best:
                return 0
            total += best
        score = total / len(terms)
        # The query as a phrase in the name; a single word needs no splitting of the name.
        name = fold(entry.sort_key)
        if phrase and phrase in (name if " " not in phrase else " ".join(WORD.findall(name))):
            score += 10
        return score

    # --- filters --------------------------------------------------------------------------------

    @staticmethod
    def allowed_networks(filters):
        """The networks that pass the filters, as a query; with filters on organisations, those with such members.

        A funding programme's network also counts for the municipalities it funds.
        """
        networks = Network.objects.order_by()
        if filters.kind:
            networks = networks.filter(classification=filters.kind)
        if filters.topic:
            networks = networks.filter(
                pk__in=Network.topics.through.objects.filter(topic=filters.topic).values("network_id")
            )
        if filters.on_organisations:
            # An organisation passes if it or one above it has the category and lies in the municipality.
            tag = f" {filters.category}@" if filters.category else "@"
            tag += f"{filters.municipality.pk} " if filters.municipality else ""
            members = SearchDocument.objects.filter(kind=Kind.ORGANISATION, chain_tags__contains=tag).values(
                "object_id"
            )
            with_members = Membership.objects.active().filter(
                Q(organisation_id__in=members) | Q(on_behalf_of_id__in=members)
            )
            passing = Q(pk__in=with_members.values("network_id"))
            if filters.municipality and not filters.category:
                funded = ProgrammeSite.objects.filter(
                    municipality=filters.municipality, programme__network__isnull=False
                )
                passing |= Q(pk__in=funded.values("programme__network_id"))
            networks = networks.filter(passing)
        return networks

    def passing(self, entries, filters, allowed):
        """Organisations and actor groups in the allowed networks, when the filters are on networks."""
        if not filters.on_networks:
            return entries
        organisations = self.organisations_in(allowed)
        groups = set(
            Membership.objects.active()
            .filter(network__in=allowed.values("pk"), actor_group__isnull=False)
            .values_list("actor_group_id", flat=True)
        )
        kept = []
        for entry in entries:
            if entry.kind == Kind.ORGANISATION:
                if entry.object_id in organisations:
                    kept.append(entry)
            elif entry.kind == Kind.ACTOR_GROUP:
                if entry.object_id in groups:
                    kept.append(entry)
            else:
                kept.append(entry)
        return kept

    @staticmethod
    def organisations_in(networks):
        """The ids of the organisations that sit in the networks, with those above them (they sit there too)."""
        member = Coalesce("organisation_id", "on_behalf_of_id")
        chains = (
            Membership.objects.active()
            .filter(network__in=networks.values("pk"))
            .annotate(member=member)
            .filter(member__isnull=False)
            .annotate(
                chain=Subquery(
                    SearchDocument.objects.filter(kind=Kind.ORGANISATION, object_id=OuterRef("member")).values("chain")[
                        :1
                    ]
                )
            )
            .values_list("chain", flat=True)
            .distinct()
        )
        found = set()
        for chain in chains:
            if chain:
                found.update(int(pk) for pk in chain.strip("|").split("|"))
        return found

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
