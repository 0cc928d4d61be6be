"""Search across networks, organisations, actor groups and focus areas that forgives what people type.

Texts and queries are folded: case, umlauts and ß ("Paritätisch", "Paritaetisch" and "Paritatisch"
are the same), and split into words, so that word order does not matter. Every word of the query
must match a word of an entry, exactly, as the start or part of a longer word, or with a small typo
(rapidfuzz). The index is built per request from a fixed number of queries.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q
from rapidfuzz import fuzz, process

from register.models import (
    ActorGroup,
    FocusArea,
    Membership,
    Network,
    Organisation,
    OrganisationAlias,
    ProgrammeSite,
)

WORD = re.compile(r"[^\W_]+")
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# Words that say nothing on their own; a query made only of them still searches for them.
GERMAN_STOPWORDS = "der die das des dem den und oder im in am an auf für fuer von vom zu zum zur mit e v ev"
ENGLISH_STOPWORDS = "the of and for on at to a"
STOPWORDS = frozenset(f"{GERMAN_STOPWORDS} {ENGLISH_STOPWORDS}".split())
# How many results of one kind are shown.
LIMIT = 50
# Names weigh more than purposes, topics and network names of an entry.
SECONDARY_WEIGHT = 0.85


def fold(text):
    """Lower case with umlauts written out: "Der PARITÄTISCHE" -> "der paritaetische"."""
    return text.casefold().translate(UMLAUTS)


def fold_plain(text):
    """Lower case without any accents: "Der PARITÄTISCHE" -> "der paritatische"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text):
    """The folded words of a text in both spellings, so either way of typing an umlaut finds it."""
    return frozenset(WORD.findall(fold(text))) | frozenset(WORD.findall(fold_plain(text)))


def query_words(query):
    """The words of a query, without stopwords unless the query has nothing else."""
    found = list(dict.fromkeys(WORD.findall(fold(query))))
    meaningful = [word for word in found if word not in STOPWORDS]
    return meaningful or found


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
    item: object
    name: str
    primary: frozenset
    secondary: frozenset = frozenset()
    network_ids: set = field(default_factory=set)
    score: float = 0
    networks: list = field(default_factory=list)


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
    """Everything the search needs, loaded in a fixed number of queries."""

    def __init__(self):
        self.networks = {network.pk: network for network in Network.objects.prefetch_related("topics")}
        self.organisations = {org.pk: org for org in Organisation.objects.all()}
        for org in self.organisations.values():
            if org.parent_id:
                org.parent = self.organisations[org.parent_id]
        aliases = {}
        for organisation_id, name in OrganisationAlias.objects.values_list("organisation_id", "name"):
            aliases.setdefault(organisation_id, []).append(name)
        self.actor_groups = {group.pk: group for group in ActorGroup.objects.all()}
        focus_areas = list(FocusArea.objects.order_by("network_id", "position"))
        self.network_municipalities = {}
        for network_id, municipality_id in ProgrammeSite.objects.filter(programme__network__isnull=False).values_list(
            "programme__network_id", "municipality_id"
        ):
            self.network_municipalities.setdefault(network_id, set()).add(municipality_id)
        # Which networks each organisation (with its units and representatives) and actor group sits in.
        self.org_networks, self.group_networks, self.network_orgs = {}, {}, {}
        memberships = Membership.objects.active().filter(
            Q(organisation__isnull=False) | Q(actor_group__isnull=False) | Q(on_behalf_of__isnull=False)
        )
        for network_id, organisation_id, group_id, behalf_id in memberships.values_list(
            "network_id", "organisation_id", "actor_group_id", "on_behalf_of_id"
        ):
            if group_id:
                self.group_networks.setdefault(group_id, set()).add(network_id)
            for org_id in {organisation_id, behalf_id} - {None}:
                for node in self.chain(self.organisations[org_id]):
                    self.org_networks.setdefault(node.pk, set()).add(network_id)
                    self.network_orgs.setdefault(network_id, set()).add(node.pk)

        self.entries = []
        for network in self.networks.values():
            topics = " ".join(topic.name for topic in network.topics.all())
            self.entries.append(
                Entry(
                    "network",
                    network,
                    network.name,
                    words(f"{network.name} {network.short_name}"),
                    words(f"{network.purpose} {topics}"),
                    {network.pk},
                )
            )
        for org in self.organisations.values():
            names = " ".join([org.full_name, org.short_name, *aliases.get(org.pk, [])])
            self.entries.append(
                Entry(
                    "organisation", org, org.full_name, words(names), network_ids=self.org_networks.get(org.pk, set())
                )
            )
        for group in self.actor_groups.values():
            self.entries.append(
                Entry(
                    "actor_group",
                    group,
                    group.name,
                    words(group.name),
                    network_ids=self.group_networks.get(group.pk, set()),
                )
            )
        for area in focus_areas:
            area.network = self.networks[area.network_id]
            self.entries.append(
                Entry("focus_area", area, area.name, words(area.name), words(area.network.name), {area.network_id})
            )
        self.vocabulary = sorted(set().union(*(entry.primary | entry.secondary for entry in self.entries)))

    @staticmethod
    def chain(org):
        """The organisation and the organisations above it."""
        nodes = []
        while org is not None:
            nodes.append(org)
            org = org.parent
        return nodes

    def municipality_of(self, org):
        return next((node.municipality_id for node in self.chain(org) if node.municipality_id), None)

    def network_passes(self, network, filters):
        if filters.kind and network.classification != filters.kind:
            return False
        return not filters.topic or any(topic.pk == filters.topic.pk for topic in network.topics.all())

    def organisation_passes(self, org, filters):
        if filters.category and org.category != filters.category:
            return False
        return not filters.municipality or self.municipality_of(org) == filters.municipality.pk

    def allowed_networks(self, filters):
        """The networks that pass the filters; with filters on organisations, those that have such members.

        A funding programme's network also counts for the municipalities it funds.
        """
        allowed = {pk for pk, network in self.networks.items() if self.network_passes(network, filters)}
        if filters.on_organisations:
            allowed = {pk for pk in allowed if self.has_members_passing(pk, filters)}
        return allowed

    def has_members_passing(self, network_id, filters):
        members = (self.organisations[pk] for pk in self.network_orgs.get(network_id, ()))
        if any(self.organisation_passes(org, filters) for org in members):
            return True
        funded = self.network_municipalities.get(network_id, ())
        return bool(filters.municipality) and not filters.category and filters.municipality.pk in funded

    def search(self, query, filters=None):
        filters = filters or Filters()
        allowed_networks = self.allowed_networks(filters)
        terms = query_words(query)
        vocabulary_scores = {term: match_word(term, self.vocabulary) for term in terms}
        phrase = " ".join(WORD.findall(fold(query)))
        found = {"network": [], "organisation": [], "actor_group": [], "focus_area": []}
        for entry in self.entries:
            if not self.entry_passes(entry, filters, allowed_networks):
                continue
            if terms:
                score = self.score(entry, terms, vocabulary_scores, phrase)
                if not score:
                    continue
                entry.score = score
            found[entry.kind].append(entry)
        for entries in found.values():
            entries.sort(key=lambda entry: (-entry.score, entry.name.casefold()))
            for entry in entries[:LIMIT]:
                entry.networks = sorted(
                    (self.networks[pk] for pk in entry.network_ids),
                    key=lambda network: (network.position, network.name),
                )
        return Results(
            networks=found["network"][:LIMIT],
            organisations=found["organisation"][:LIMIT],
            actor_groups=found["actor_group"][:LIMIT],
            focus_areas=found["focus_area"][:LIMIT],
            total={kind: len(entries) for kind, entries in found.items()},
        )

    def entry_passes(self, entry, filters, allowed_networks):
        if entry.kind == "organisation":
            if not self.organisation_passes(entry.item, filters):
                return False
            return not filters.on_networks or bool(entry.network_ids & allowed_networks)
        if entry.kind == "actor_group":
            if filters.category or filters.municipality:
                return False
            return not filters.on_networks or bool(entry.network_ids & allowed_networks)
        return bool(entry.network_ids & allowed_networks)

    @staticmethod
    def score(entry, terms, vocabulary_scores, phrase):
        """The mean score of the query's words, 0 when one of them matches nothing."""
        total = 0
        for term in terms:
            scores = vocabulary_scores[term]
            best = max((scores.get(word, 0) for word in entry.primary), default=0)
            if best < 100 and entry.secondary:
                best = max(best, SECONDARY_WEIGHT * max((scores.get(word, 0) for word in entry.secondary), default=0))
            if not best:
                return 0
            total += best
        score = total / len(terms)
        if phrase and phrase in " ".join(WORD.findall(fold(entry.name))):
            score += 10
        return score
