"""Keeps the search index (``SearchDocument`` with its ``SearchTerm`` rows) in step with the register.

What an entry is found by, and how much it weighs (the ranking tiers of ``portal.search``):

- its whole name, short name or alias (``EXACT``), the words of these names (``NAME``), the names
  of the organisations above it (``UPPER``);
- topics, focus areas, categories, municipalities and places served, target groups, the roles of
  contact people, titles and places of public events, the network of a focus area (``TOPIC``);
- purposes, descriptions and the other texts about it (``DESCRIPTION``).

The translations of these texts (``register.translations``) are indexed too, each word by the stemmer
of its language and marked with it ("en:health"), in the same places and weights as the German: a
visitor searching in English finds what the English texts say (``portal.search`` reads a query in
German and in the visitor's language).

A compound also stands for its parts ("Kreisausländerbeirat" for "Ausländerbeirat" and "Beirat"),
a hyphenated word also for its parts joined ("Groß-Zimmern" for "Großzimmern"), each a little
lighter than the word itself.

Every save and delete of an entry, or of what it is found by, rewrites the entries it changes, in
the same transaction: at once, or once for all the changes of an import (``register.deferred``).
Writes that bypass model signals (``bulk_create``, ``QuerySet.update``) are followed by ``rebuild()``
or ``catch_up()``.

Beside each organisation's and actor group's entry stand the kinds and topics of the networks it sits
in, with the days of its seats (``SearchFacet``), for the search's filters on networks: written with
the entry and after every change of a membership (``membership_saved``) or of a network's kind or
topics.

Beside each network's entry stand, the same way, the categories and municipalities of its members, for
the search's filters on organisations: written with the entry and after every change of a membership
(``membership_saved``) or of an organisation's category, municipality, place in the tree or archiving
(``members_changed``).

Each rewrite tells the page cache which stems it changed (``register.freshness.search_stem``): the
stems an entry gained or lost, or all of its stems if what it is listed by (its name, its place in
the filters) changed, so that a search is renewed only when an entry it could find changed.
"""

import datetime as dt
import re
from itertools import groupby

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

from register import freshness
from register.deferred import later
from register.models import (
    ActorGroup,
    Category,
    Event,
    FocusArea,
    Membership,
    Municipality,
    Network,
    NetworkHost,
    Organisation,
    OrganisationAlias,
    Person,
    Programme,
    ProgrammeSite,
    TargetGroup,
    Topic,
    Translation,
)
from register.models.base import created_in_bulk
from register.translations import target_languages, translations_added
from register.tree import ancestors_subquery, units_below, units_subquery, with_ancestors

from .analysis import STOPWORDS, WORD, compound_parts, fold_keeping_umlauts, phrase, phrase_in, stem, stem_in, words
from .models import SearchDocument, SearchFacet, SearchTerm, SearchWord, facet_name, member_facet_name

Kind = SearchDocument.Kind
Field = SearchTerm.Field
BATCH = 5000

EXACT, NAME, UPPER, TOPIC, DESCRIPTION = 100, 40, 25, 20, 8
# A compound's part, or hyphenated words joined, weigh this share of the word itself.
PART_SHARE = 0.75
HYPHENATED = re.compile(r"[^\W_]+(?:-[^\W_]+)+")


class Builder:
    """The terms of one entry: each stem once per field, with its highest weight."""

    def __init__(self, kind, object_id, name, **fields):
        self.document = SearchDocument(
            kind=kind, object_id=object_id, name=name[:1000], sort_key=name.casefold()[:1000], **fields
        )
        self.terms = {}

    def add(self, field, weight, stem_, word):
        if not stem_:
            return
        key = (stem_[:200], field)
        if self.terms.get(key, (0,))[0] < weight:
            self.terms[key] = (weight, word[:200])

    def exact(self, text):
        """The whole text as one name: a query of just this name ranks the entry first."""
        if text and text.strip():
            self.add(Field.EXACT, EXACT, "=" + phrase(text), text)

    def text(self, field, weight, text):
        """Every word of a text, the parts of its compounds and its hyphenated words joined."""
        if not text:
            return
        lighter = max(1, int(weight * PART_SHARE))
        folded = words(text)
        written = WORD.findall(text)
        for word, as_written in zip(folded, written if len(written) == len(folded) else folded, strict=True):
            if word in STOPWORDS:
                continue
            self.add(field, weight, stem(word), as_written)
            for part in compound_parts(word):
                self.add(field, lighter, part, as_written)
        for joined in HYPHENATED.findall(fold_keeping_umlauts(text)):
            self.add(field, lighter, stem(joined.replace("-", "")), joined)
        if field == Field.NAME:  # names written as one word: "Pro Familia" as "Profamilia"
            named = [word for word in words(text) if word not in STOPWORDS]
            for first, second in zip(named, named[1:], strict=False):
                self.add(field, lighter, stem(first + second), f"{first} {second}")

    def exact_in(self, language, text):
        """A translated name as one name (``exact``), in its language."""
        if text and text.strip():
            self.add(Field.EXACT, EXACT, f"={phrase_in(language, text)}", text)

    def text_in(self, language, field, weight, text):
        """Every word of a translation, by the stemmer of its language."""
        if not text:
            return
        folded = words(text)
        written = WORD.findall(text)
        for word, as_written in zip(folded, written if len(written) == len(folded) else folded, strict=True):
            if word not in STOPWORDS:
                self.add(field, weight, stem_in(language, word), as_written)

    def rows(self, document):
        return [
            SearchTerm(document=document, term=term, field=field, weight=weight, word=word)
            for (term, field), (weight, word) in self.terms.items()
        ]


def labels(choices, value):
    """The label of a choice in German and in English (the search is in both)."""
    found = []
    for language in ("de", "en"):
        with translation.override(language):
            found.append(str(dict(choices).get(value, "")))
    return " ".join(found)


def label_in(choices, value, language):
    with translation.override(language):
        return str(dict(choices).get(value, ""))


def translations_of(*wanted):
    """{(model, object id): {language: {field: text}}} of ``(model, ids or a query of ids)`` pairs
    (``None``: all records of the model), one query."""
    which = Q(pk__in=[])
    for model, ids in wanted:
        content_type = ContentType.objects.get_for_model(model)
        which |= Q(content_type=content_type) if ids is None else Q(content_type=content_type, object_id__in=ids)
    models = {ContentType.objects.get_for_model(model).pk: model for model, _ids in wanted}
    found = {}
    rows = Translation.objects.filter(which).values_list("content_type_id", "object_id", "language", "field", "text")
    for content_type_id, object_id, language, field, text in rows:
        found.setdefault((models[content_type_id], object_id), {}).setdefault(language, {})[field] = text
    return found


def in_language(found, model, pk, language, field):
    return found.get((model, pk), {}).get(language, {}).get(field, "")


def select(queryset, ids=None, above=None, field="pk"):
    """The rows with the given ids, or with ids above a number, or all."""
    if ids is not None:
        queryset = queryset.filter(**{f"{field}__in": ids})
    if above is not None:
        queryset = queryset.filter(**{f"{field}__gt": above})
    return queryset


def grouped(rows):
    """{key: [values]} of (key, value) rows."""
    found = {}
    for key, *value in rows:
        found.setdefault(key, []).append(value[0] if len(value) == 1 else value)
    return found


NETWORK_TEXTS = (
    "purpose",
    "description",
    "easy_language",
    "history",
    "establishing_decision",
    "legal_basis",
    "advises",
    "administrative_support",
    "composition",
)


def network_documents(ids=None, above=None):
    networks = select(Network.objects.order_by(), ids, above)
    within = {"network__in": networks.values("pk")}
    topic_rows = grouped(
        Network.topics.through.objects.filter(**within).values_list("network_id", "topic_id", "topic__name")
    )
    group_rows = grouped(
        Network.target_groups.through.objects.filter(**within).values_list(
            "network_id", "targetgroup_id", "targetgroup__name"
        )
    )
    area_rows = grouped(FocusArea.objects.filter(**within).values_list("network_id", "pk", "name"))
    topics = {pk: [name for _id, name in rows] for pk, rows in topic_rows.items()}
    groups = {pk: [name for _id, name in rows] for pk, rows in group_rows.items()}
    areas = {pk: [name for _id, name in rows] for pk, rows in area_rows.items()}
    found = translations_of(
        (Network, networks.values("pk")),
        (Topic, None),
        (TargetGroup, None),
        (FocusArea, FocusArea.objects.filter(**within).values("pk")),
    )
    places = grouped(
        ProgrammeSite.objects.filter(programme__network__in=networks.values("pk")).values_list(
            "programme__network_id", "municipality__name"
        )
    )
    events = grouped(
        Event.objects.filter(**within, is_public=True, cancelled=False).values_list(
            "network_id", "title", "location__name", "location__locality"
        )
    )
    fields = ["pk", "name", "short_name", "classification", "convened_by", "contact_function", *NETWORK_TEXTS]
    for row in networks.values(*fields):
        pk = row["pk"]
        entry = Builder(Kind.NETWORK, pk, row["name"], network_id=pk)
        entry.exact(row["name"])
        entry.exact(row["short_name"])
        entry.text(Field.NAME, NAME, f"{row['name']} {row['short_name']}")
        entry.text(Field.TOPIC, TOPIC, " ".join(topics.get(pk, [])))
        entry.text(Field.FOCUS, TOPIC, " ".join(areas.get(pk, [])))
        entry.text(Field.GROUP, TOPIC, " ".join(groups.get(pk, [])))
        entry.text(Field.CATEGORY, TOPIC, labels(Network.Classification.choices, row["classification"]))
        entry.text(Field.PLACE, TOPIC, " ".join(places.get(pk, [])))
        entry.text(Field.ROLE, TOPIC, f"{row['convened_by']} {row['contact_function']}")
        for title, location, locality in events.get(pk, []):
            entry.text(Field.EVENT, TOPIC, title)
            entry.text(Field.PLACE, TOPIC, f"{location or ''} {locality or ''}")
        entry.text(Field.DESCRIPTION, DESCRIPTION, " ".join(row[name] for name in NETWORK_TEXTS))
        for language in target_languages():

            def say(model, pk, field, language=language):
                return in_language(found, model, pk, language, field)

            name, short_name = say(Network, pk, "name"), say(Network, pk, "short_name")
            entry.exact_in(language, name)
            entry.exact_in(language, short_name)
            entry.text_in(language, Field.NAME, NAME, f"{name} {short_name}")
            entry.text_in(
                language, Field.TOPIC, TOPIC, " ".join(say(Topic, i, "name") for i, _ in topic_rows.get(pk, []))
            )
            entry.text_in(
                language, Field.FOCUS, TOPIC, " ".join(say(FocusArea, i, "name") for i, _ in area_rows.get(pk, []))
            )
            entry.text_in(
                language, Field.GROUP, TOPIC, " ".join(say(TargetGroup, i, "name") for i, _ in group_rows.get(pk, []))
            )
            entry.text_in(
                language,
                Field.CATEGORY,
                TOPIC,
                label_in(Network.Classification.choices, row["classification"], language),
            )
            entry.text_in(
                language, Field.ROLE, TOPIC, f"{say(Network, pk, 'convened_by')} {say(Network, pk, 'contact_function')}"
            )
            entry.text_in(
                language, Field.DESCRIPTION, DESCRIPTION, " ".join(say(Network, pk, name) for name in NETWORK_TEXTS)
            )
        yield entry


def focus_area_documents(ids=None, above=None):
    areas = select(FocusArea.objects.order_by(), ids, above)
    found = translations_of((FocusArea, areas.values("pk")), (Network, areas.values("network_id")))
    for pk, name, network_id, network_name in areas.values_list("pk", "name", "network_id", "network__name"):
        entry = Builder(Kind.FOCUS_AREA, pk, name, network_id=network_id)
        entry.exact(name)
        entry.text(Field.NAME, NAME, name)
        entry.text(Field.NETWORK, TOPIC, network_name)
        for language in target_languages():
            translated_name = in_language(found, FocusArea, pk, language, "name")
            entry.exact_in(language, translated_name)
            entry.text_in(language, Field.NAME, NAME, translated_name)
            entry.text_in(language, Field.NETWORK, TOPIC, in_language(found, Network, network_id, language, "name"))
        yield entry


def actor_group_documents(ids=None, above=None):
    groups = select(ActorGroup.objects.order_by(), ids, above)
    found = translations_of((ActorGroup, groups.values("pk")))
    for pk, name, description in groups.values_list("pk", "name", "description"):
        entry = Builder(Kind.ACTOR_GROUP, pk, name)
        entry.exact(name)
        entry.text(Field.NAME, NAME, name)
        entry.text(Field.DESCRIPTION, DESCRIPTION, description)
        for language in target_languages():
            translated_name = in_language(found, ActorGroup, pk, language, "name")
            entry.exact_in(language, translated_name)
            entry.text_in(language, Field.NAME, NAME, translated_name)
            entry.text_in(
                language, Field.DESCRIPTION, DESCRIPTION, in_language(found, ActorGroup, pk, language, "description")
            )
        yield entry


ORGANISATION_FIELDS = ("pk", "name", "short_name", "parent_id", "category", "municipality_id")


def organisation_documents(ids=None, above=None):
    """Entries of the organisations (all, the given ones or those above an id) with the names above them."""
    organisations = Organisation.objects.order_by()
    chosen = select(organisations.current(), ids, above)
    rows = {row[0]: row for row in chosen.values_list(*ORGANISATION_FIELDS)}
    wanted = list(rows) if ids is None else [pk for pk in ids if pk in rows]
    missing = {row[3] for row in rows.values() if row[3] and row[3] not in rows}
    while missing:  # the organisations above, one query per level
        found = {row[0]: row for row in organisations.filter(pk__in=missing).values_list(*ORGANISATION_FIELDS)}
        rows.update(found)
        missing = {row[3] for row in found.values() if row[3] and row[3] not in rows}
    aliases = grouped(
        select(OrganisationAlias.objects.order_by(), ids, above, field="organisation_id").values_list(
            "organisation_id", "name"
        )
    )
    details = {pk: rest for pk, *rest in chosen.values_list("pk", "description", "locality")}
    roles = grouped(
        select(Person.objects.order_by(), ids, above, field="organisation_id")
        .exclude(function="")
        .values_list("organisation_id", "function")
    )
    municipalities = dict(Municipality.objects.values_list("pk", "name"))
    category_labels = {value: labels(Category.choices, value) for value, _label in Category.choices}
    category_labels[Category.OTHER] = ""
    labels_in = {
        language: {value: label_in(Category.choices, value, language) for value, _label in Category.choices}
        for language in target_languages()
    }
    found = translations_of((Organisation, chosen.values("pk")))

    chains = {}

    def chain(pk):
        """(pk, name, category, municipality in force) from the top down to the organisation."""
        if pk not in chains:
            _pk, name, _short, parent_id, category, municipality_id = rows[pk]
            upper = chain(parent_id) if parent_id else []
            municipality_id = municipality_id or (upper[-1][3] if upper else None)
            chains[pk] = [*upper, (pk, name, category, municipality_id)]
        return chains[pk]

    for pk in wanted:
        nodes = chain(pk)
        _pk, name, short_name, _parent, category, _municipality = rows[pk]
        municipality_id = nodes[-1][3]
        entry = Builder(
            Kind.ORGANISATION,
            pk,
            " - ".join(node[1] for node in nodes),
            category=category,
            municipality_id=municipality_id,
            chain="|" + "|".join(str(node[0]) for node in nodes) + "|",
            chain_tags=" " + " ".join(f"{node[2]}@{node[3] or ''}" for node in nodes) + " ",
        )
        own_names = [name, short_name, *aliases.get(pk, [])]
        for own in own_names:
            entry.exact(own)
        entry.exact(entry.document.name)
        entry.text(Field.NAME, NAME, " ".join(own_names))
        entry.text(Field.UPPER, UPPER, " ".join(node[1] for node in nodes[:-1]))
        entry.text(Field.CATEGORY, TOPIC, category_labels.get(category, ""))
        description, locality = details.get(pk, ("", ""))
        entry.text(Field.PLACE, TOPIC, f"{municipalities.get(municipality_id, '')} {locality}")
        entry.text(Field.ROLE, TOPIC, " ".join(roles.get(pk, [])))
        entry.text(Field.DESCRIPTION, DESCRIPTION, description)
        for language in target_languages():
            if category != Category.OTHER:
                entry.text_in(language, Field.CATEGORY, TOPIC, labels_in[language].get(category, ""))
            entry.text_in(
                language, Field.DESCRIPTION, DESCRIPTION, in_language(found, Organisation, pk, language, "description")
            )
        yield entry


# --- what the filters on networks read ------------------------------------------------------------


def held_seats(memberships, organisations):
    """{(kind, object id): {(network id, start, end)}}: the seats each entry holds, of ``memberships``:
    (organisation or the one a person sits for, actor group, network id, start, end) rows.

    An organisation holds its own seats, those on its behalf and those of its units at any depth
    (``organisations``: (id, parent id, archived at) rows); one archived has no entry, so its seats
    count for nobody."""
    parents = {pk: parent_id for pk, parent_id, _archived_at in organisations}
    current = {pk for pk, _parent_id, archived_at in organisations if archived_at is None}
    found = {}
    for organisation_id, group_id, *seat in memberships:
        holders = [(Kind.ACTOR_GROUP, group_id)] if group_id else []
        node, seen = organisation_id if organisation_id in current else None, set()
        while node is not None and node not in seen:
            seen.add(node)
            holders.append((Kind.ORGANISATION, node))
            node = parents.get(node)
        for holder in holders:
            found.setdefault(holder, set()).add(tuple(seat))
    return found


def network_facets(networks, topics):
    """{network id: [facet]} of (network id, kind) and (network id, topic id) rows: its kind, each of
    its topics, and each with its kind."""
    topics = grouped(topics)
    return {
        pk: [
            facet_name(kind),
            *(facet_name(topic_id=topic_id) for topic_id in topics.get(pk, [])),
            *(facet_name(kind, topic_id) for topic_id in topics.get(pk, [])),
        ]
        for pk, kind in networks
    }


def periods(days):
    """Periods (start, end; None: open) as the fewest periods that hold the same days, none overlapping."""
    found = []
    for start, end in sorted(days, key=lambda period: period[0] or dt.date.min):
        if found and (found[-1][1] is None or start is None or (start - found[-1][1]).days <= 1):
            last_start, last_end = found[-1]  # overlapping or the day after: one period
            found[-1] = (last_start, None if None in (end, last_end) else max(end, last_end))
        else:
            found.append((start, end))
    return found


def facet_rows(seats, facets, documents):
    """(document id, kind, facet, start, end) of the entries ``documents`` ({(kind, object id): document
    id}): ``seats`` of ``held_seats``, ``facets`` of ``network_facets``."""
    for holder, held in seats.items():
        pk = documents.get(holder)
        if pk is None:
            continue
        days = {}
        for network_id, start, end in held:
            for facet in facets.get(network_id, ()):
                days.setdefault(facet, []).append((start, end))
        for facet, found in days.items():
            for start, end in periods(found):
                yield pk, holder[0], facet, start, end


def insert_facets(model, rows):
    """Write ``facet_rows`` (``model``: SearchFacet, or its state in a migration), a batch at a time."""
    fields = ["document_id", "kind", "facet", "start_date", "end_date"]
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(fields, row, strict=True))))
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            batch = []
    model.objects.bulk_create(batch)


def write_facets(kind, ids=None):
    """Write anew what the filters on networks read of the organisations or actor groups (``kind``)
    ``ids`` (all: None)."""
    documents = select(SearchDocument.objects.filter(kind=kind), ids, field="object_id")
    SearchFacet.objects.filter(document__in=documents).delete()
    memberships, organisations = Membership.objects.order_by(), Organisation.objects.order_by()
    if kind == Kind.ACTOR_GROUP:
        memberships = select(memberships.filter(actor_group__isnull=False), ids, field="actor_group_id")
        organisations = organisations.none()
    else:
        memberships = memberships.filter(actor_group__isnull=True)
        if ids is not None:  # the seats of their units count for them too
            below = units_subquery(ids)
            memberships = memberships.filter(Q(organisation__in=below) | Q(on_behalf_of__in=below))
            organisations = organisations.filter(pk__in=below)
    seats = held_seats(
        memberships.values_list(
            Coalesce("organisation_id", "on_behalf_of_id"), "actor_group_id", "network_id", "start_date", "end_date"
        ),
        list(organisations.values_list("pk", "parent_id", "archived_at")),
    )
    networks = Network.objects.order_by()
    if ids is not None:
        networks = networks.filter(pk__in={seat[0] for held in seats.values() for seat in held})
    facets = network_facets(
        networks.values_list("pk", "classification"),
        Network.topics.through.objects.filter(network__in=networks).values_list("network_id", "topic_id"),
    )
    entries = {(kind, object_id): pk for object_id, pk in documents.values_list("object_id", "pk")}
    insert_facets(SearchFacet, facet_rows(seats, facets, entries))


# --- what the filters on organisations read ---------------------------------------------------------

# Networks whose members' facets are written at a time (their members' ids go to the database as parameters).
NETWORK_BATCH = 500


def member_chain(pk, organisations):
    """[(category, municipality id)] of the organisation ``pk`` and of each one above it: its category and
    the municipality in force there (its own or that of the nearest organisation above it), as its entry's
    ``chain_tags`` hold them. ``organisations``: {pk: (parent id, category, municipality id, archived at)}."""
    path, node = [], pk
    while node is not None and node in organisations and node not in path:
        path.append(node)
        node = organisations[node][0]
    chain, municipality_id = [], None
    for node in reversed(path):
        _parent_id, category, own_municipality_id, _archived_at = organisations[node]
        municipality_id = own_municipality_id or municipality_id
        chain.append((category, municipality_id))
    return chain


def member_facets(chain):
    """The facets (``member_facet_name``) a member with this ``member_chain`` gives the networks it sits in."""
    found = set()
    for category, municipality_id in chain:
        if category:
            found.add(member_facet_name(category))
        if municipality_id:
            found.add(member_facet_name(municipality_id=municipality_id))
            if category:
                found.add(member_facet_name(category, municipality_id))
    return found


def member_facet_rows(memberships, organisations, documents):
    """(document id, kind, facet, start, end) of networks' entries (``documents``: {network id: document
    id}): the categories and municipalities of their members, with the days of their seats. ``memberships``:
    (network id, organisation or the one a person sits for, start, end) rows in the order of their networks;
    ``organisations``: {pk: (parent id, category, municipality id, archived at)} of the members and of all
    above them. A member archived has no entry: its seats count for no facet (its units' do)."""
    facets_of = {}
    for network_id, seats in groupby(memberships, key=lambda row: row[0]):
        pk = documents.get(network_id)
        days = {}
        for _network_id, member, start, end in seats:
            if pk is None or member not in organisations or organisations[member][3] is not None:
                continue
            if member not in facets_of:
                facets_of[member] = member_facets(member_chain(member, organisations))
            for facet in facets_of[member]:
                days.setdefault(facet, []).append((start, end))
        for facet, found in days.items():
            for start, end in periods(found):
                yield pk, Kind.NETWORK, facet, start, end


MEMBER_SEAT = Coalesce("organisation_id", "on_behalf_of_id")
ORGANISATION_TAGS = ("pk", "parent_id", "category", "municipality_id", "archived_at")


def member_seats(memberships):
    """The (network id, member, start, end) rows ``member_facet_rows`` reads, of a query of memberships."""
    return (
        memberships.filter(Q(organisation__isnull=False) | Q(on_behalf_of__isnull=False))
        .order_by("network_id")
        .values_list("network_id", MEMBER_SEAT, "start_date", "end_date")
    )


def write_member_facets(ids=None):
    """Write anew what the filters on organisations read of the networks ``ids`` (all: None)."""
    if ids is not None:
        ids = sorted(ids)
        for start in range(0, len(ids), NETWORK_BATCH):
            _write_member_facets(ids[start : start + NETWORK_BATCH])
        return
    _write_member_facets(None)


def _write_member_facets(ids):
    documents = select(SearchDocument.objects.filter(kind=Kind.NETWORK), ids, field="object_id")
    if ids is None:  # in one statement: through the ORM each row would be loaded first
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(SearchFacet._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE kind = %s", [Kind.NETWORK.value])
    else:
        SearchFacet.objects.filter(document__in=documents).delete()
    memberships = member_seats(select(Membership.objects.all(), ids, field="network_id"))
    organisations = Organisation.objects.order_by()
    if ids is not None:
        memberships = list(memberships)
        organisations = organisations.filter(pk__in=ancestors_subquery({row[1] for row in memberships}))
    organisations = {pk: rest for pk, *rest in organisations.values_list(*ORGANISATION_TAGS)}
    entries = dict(documents.values_list("object_id", "pk"))
    seats = memberships.iterator() if ids is None else memberships
    insert_facets(SearchFacet, member_facet_rows(seats, organisations, entries))


# The kinds of entries that sit in networks (the others belong to one).
SEATED = (Kind.ORGANISATION, Kind.ACTOR_GROUP)


def descendants(ids):
    """The given organisations and all their units (one query however deep)."""
    return set(units_below(ids))


DOCUMENT_FIELDS = ("object_id", "name", "sort_key", "category", "municipality_id", "chain", "chain_tags", "network_id")


def indexed(kind, ids):
    """{object id: (the document's fields, {(stem, field, weight, word)})} of the entries as indexed now."""
    documents = SearchDocument.objects.filter(kind=kind, object_id__in=ids)
    found = {row[0]: (row, set()) for row in documents.values_list(*DOCUMENT_FIELDS)}
    terms = SearchTerm.objects.filter(document__in=documents).values_list(
        "document__object_id", "term", "field", "weight", "word"
    )
    for object_id, *term in terms:
        found[object_id][1].add(tuple(term))
    return found


def entries(builders):
    """The same for entries about to be written."""
    return {
        builder.document.object_id: (
            tuple(getattr(builder.document, name) for name in DOCUMENT_FIELDS),
            {(term, str(field), weight, word) for (term, field), (weight, word) in builder.terms.items()},
        )
        for builder in builders
    }


def touch_changed(before, after):
    """Tell the page cache the stems that changed between two states of entries."""
    stems = set()
    for object_id in before.keys() | after.keys():
        old_document, old_terms = before.get(object_id, (None, set()))
        new_document, new_terms = after.get(object_id, (None, set()))
        changed = old_terms ^ new_terms if old_document == new_document else old_terms | new_terms
        stems.update(term[0] for term in changed)
    if stems:
        freshness.touch(*{freshness.search_stem(stem_) for stem_ in stems})


def replace(kind, ids, builders):
    """Write the entries of ``kind`` for ``ids`` anew (an id without a document is removed)."""
    ids = list(ids)
    before = indexed(kind, ids)
    builders = list(builders)
    SearchDocument.objects.filter(kind=kind, object_id__in=ids).delete()
    save(builders)
    if kind in SEATED:
        write_facets(kind, ids)
    elif kind == Kind.NETWORK:
        write_member_facets(ids)
    touch_changed(before, entries(builders))


def save(builders):
    batch = []
    for builder in builders:
        batch.append(builder)
        if len(batch) >= BATCH // 10:
            write(batch)
            batch = []
    write(batch)


def write(builders):
    if not builders:
        return
    documents = SearchDocument.objects.bulk_create([builder.document for builder in builders])
    terms = [row for builder, document in zip(builders, documents, strict=True) for row in builder.rows(document)]
    SearchTerm.objects.bulk_create(terms, batch_size=BATCH)
    SearchWord.objects.bulk_create(
        [SearchWord(term=term) for term in {row.term for row in terms}], batch_size=BATCH, ignore_conflicts=True
    )


def rebuild():
    """Build the whole search index anew; returns the number of entries."""
    with connection.cursor() as cursor:  # in one statement: through the ORM each row would be loaded first
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(SearchFacet._meta.db_table)}")
    SearchTerm.objects.all().delete()
    SearchDocument.objects.all().delete()
    SearchWord.objects.all().delete()
    save(network_documents())
    save(focus_area_documents())
    save(actor_group_documents())
    save(organisation_documents())
    for kind in SEATED:
        write_facets(kind)
    write_member_facets()
    freshness.data_changed()
    return SearchDocument.objects.count()


SOURCES = {
    Kind.NETWORK: (Network, network_documents),
    Kind.FOCUS_AREA: (FocusArea, focus_area_documents),
    Kind.ACTOR_GROUP: (ActorGroup, actor_group_documents),
    Kind.ORGANISATION: (Organisation, organisation_documents),
}


def indexed_above(kind, above):
    ids = SearchDocument.objects.filter(kind=kind, object_id__gt=above).values_list("object_id", flat=True)
    return indexed(kind, list(ids)).items()


def catch_up():
    """Index entries created without model signals (bulk_create): those above the highest indexed id.

    One query when nothing is missing.
    """
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    parts, params = [], []
    for kind, (model, _build) in SOURCES.items():
        parts.append(f"(SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)})")
        parts.append(f"(SELECT MAX(object_id) FROM {table} WHERE kind = %s)")
        params.append(kind.value)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    for number, (kind, (_model, build)) in enumerate(SOURCES.items()):
        newest, highest = row[2 * number], row[2 * number + 1] or 0
        if newest and newest > highest:
            before = dict(indexed_above(kind, highest))
            SearchDocument.objects.filter(kind=kind, object_id__gt=highest).delete()
            builders = list(build(above=highest))
            save(builders)
            new = [builder.document.object_id for builder in builders] if highest else None
            if kind in SEATED:
                write_facets(kind, new)
            elif kind == Kind.NETWORK:
                write_member_facets(new)
            touch_changed(before, entries(builders))


# --- keeping it current ------------------------------------------------------------------------


def reindex_organisations(ids):
    """The entries of organisations and of their units (whose entries name the organisations above them)."""
    ids = descendants([pk for pk in ids if pk])
    replace(Kind.ORGANISATION, ids, organisation_documents(sorted(ids)))


def reindex_networks(ids):
    ids = [pk for pk in ids if pk]
    replace(Kind.NETWORK, ids, network_documents(ids))
    areas = list(FocusArea.objects.filter(network__in=ids).values_list("pk", flat=True))
    replace(Kind.FOCUS_AREA, areas, focus_area_documents(areas))


def reindex_actor_groups(ids):
    replace(Kind.ACTOR_GROUP, ids, actor_group_documents(ids))


def reseat_organisations(ids):
    """Where the organisations sit, and those above them (a unit's seats are theirs too). Called through
    ``later``, which leaves out empty foreign keys, as for the other tasks here."""
    write_facets(Kind.ORGANISATION, sorted(with_ancestors(ids)))


def reseat_actor_groups(ids):
    write_facets(Kind.ACTOR_GROUP, ids)


def rewrite_members(ids):
    """The categories and municipalities of the members of networks ``ids`` (``write_member_facets``)."""
    write_member_facets(ids)


def members_changed(ids):
    """The networks in which the organisations ``ids`` or their units (at any depth) hold seats, themselves
    or through a person: their members' categories, municipalities or places in the tree changed."""
    below = units_subquery(ids)
    # One query, each part on its own index (an OR across the columns would read the whole table).
    memberships = Membership.objects.order_by()
    networks = (
        memberships.filter(organisation__in=below)
        .values_list("network_id", flat=True)
        .union(memberships.filter(on_behalf_of__in=below).values_list("network_id", flat=True))
    )
    later(rewrite_members, list(networks))


def reseat_networks(ids):
    """Where the members of networks sit (the networks' kind or topics changed)."""
    memberships = Membership.objects.filter(network__in=ids).order_by()
    holders = list(memberships.values_list("organisation_id", "on_behalf_of_id", "actor_group_id"))
    later(
        reseat_organisations,
        [pk for organisation_id, behalf_id, _group in holders for pk in (organisation_id, behalf_id)],
    )
    later(reseat_actor_groups, [group_id for _organisation, _behalf, group_id in holders])


# The handlers below hand their rewrites to register.deferred: at once after a single change, once
# for all changes of an import (``deferred.gathered()``).


# What an organisation's seats tell the filters on organisations (``member_facet_rows``): for it and its units.
MEMBER_FIELDS = {"parent", "archived_at", "category", "municipality"}


def organisation_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    later(reindex_organisations, [instance.pk])  # with the networks it and its units sit in
    fields = freshness.changed_fields(instance, created)
    if not created and (fields is None or fields & {"parent", "archived_at"}):
        # Those above it, before and after: its seats and its units' count for them.
        later(reseat_organisations, [instance.parent_id, freshness.value_as_loaded(instance, "parent_id")])
    if not created and (fields is None or fields & MEMBER_FIELDS):
        later(members_changed, [instance.pk])  # the networks it and its units sit in


SEAT_FIELDS = {"network", "organisation", "on_behalf_of", "actor_group", "start_date", "end_date"}


def reseat_holders(memberships):
    """The networks the holders of seats sit in (as loaded and as they are now): organisations with
    those above them, and actor groups; and the members of those networks."""
    for task, names in [
        (reseat_organisations, ["organisation_id", "on_behalf_of_id"]),
        (reseat_actor_groups, ["actor_group_id"]),
    ]:
        ids = [getattr(membership, name) for membership in memberships for name in names]
        ids += [freshness.value_as_loaded(membership, name) for membership in memberships for name in names]
        later(task, ids)
    # The networks' members, as loaded and as they are now.
    networks = [membership.network_id for membership in memberships]
    later(
        rewrite_members, networks + [freshness.value_as_loaded(membership, "network_id") for membership in memberships]
    )


def membership_saved(sender, instance, raw=False, created=False, **kwargs):
    fields = freshness.changed_fields(instance, created)
    if not raw and (fields is None or fields & SEAT_FIELDS):
        reseat_holders([instance])


def membership_deleted(sender, instance, **kwargs):
    reseat_holders([instance])


def memberships_created(sender, instances, **kwargs):
    """Memberships written in bulk (``create_in_bulk``, without model signals)."""
    reseat_holders(instances)


def of_organisation(sender, instance, raw=False, **kwargs):
    """An alias or a person (the role) changed: the organisation's entry."""
    if not raw and Organisation.objects.filter(pk=instance.organisation_id).exists():
        later(reindex_organisations, [instance.organisation_id])


def network_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    later(reindex_networks, [instance.pk])
    fields = freshness.changed_fields(instance, created)
    if not created and (fields is None or "classification" in fields):
        later(reseat_networks, [instance.pk])


def of_network(sender, instance, raw=False, **kwargs):
    """An event, host or focus area changed: its network's entry (and the focus area's own)."""
    if not raw and Network.objects.filter(pk=instance.network_id).exists():
        later(reindex_networks, [instance.network_id])


def site_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        later(reindex_networks, Programme.objects.filter(pk=instance.programme_id).values_list("network_id", flat=True))


def network_links_changed(sender, instance, action, reverse, pk_set, model, **kwargs):
    """Topics or target groups of networks changed (topics: also where their members sit)."""
    if action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    ids = []
    if not reverse:
        if action != "pre_clear":
            ids = [instance.pk]
    elif action == "pre_clear":
        instance._search_networks = list(instance.networks.values_list("pk", flat=True))
    elif action == "post_clear":
        ids = getattr(instance, "_search_networks", [])
    else:
        ids = pk_set or []
    later(reindex_networks, ids)
    if sender is Network.topics.through:
        later(reseat_networks, ids)


def topic_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        later(reindex_networks, instance.networks.values_list("pk", flat=True))


def focus_area_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        later(reindex_networks, [instance.network_id])


def actor_group_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        later(reindex_actor_groups, [instance.pk])


def reindex_translated(changed):
    """The entries whose texts (or whose topics', target groups', focus areas') got translations:
    ``changed`` is {model: [ids]}."""
    for model, ids in changed.items():
        if model is Network:
            later(reindex_networks, ids)
        elif model is Topic:
            later(
                reindex_networks,
                Network.topics.through.objects.filter(topic__in=ids).values_list("network_id", flat=True),
            )
        elif model is TargetGroup:
            through = Network.target_groups.through.objects.filter(targetgroup__in=ids)
            later(reindex_networks, through.values_list("network_id", flat=True))
        elif model is FocusArea:
            later(reindex_networks, FocusArea.objects.filter(pk__in=ids).values_list("network_id", flat=True))
        elif model is ActorGroup:
            later(reindex_actor_groups, ids)
        elif model is Organisation:
            later(reindex_organisations, ids)


def translation_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex_translated({instance.content_type.model_class(): [instance.object_id]})


def translations_written(sender, changed, **kwargs):
    reindex_translated(changed)


def deleted(kind):
    def handler(sender, instance, **kwargs):
        remove(kind, instance.pk)

    return handler


def remove(kind, object_id):
    before = indexed(kind, [object_id])
    SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()
    touch_changed(before, {})


def focus_area_deleted(sender, instance, **kwargs):
    remove(Kind.FOCUS_AREA, instance.pk)
    of_network(sender, instance)


HANDLERS = [
    (post_save, Organisation, organisation_saved),
    (post_delete, Organisation, deleted(Kind.ORGANISATION)),
    (post_save, OrganisationAlias, of_organisation),
    (post_delete, OrganisationAlias, of_organisation),
    (post_save, Person, of_organisation),
    (post_delete, Person, of_organisation),
    (post_save, Network, network_saved),
    (post_delete, Network, deleted(Kind.NETWORK)),
    (post_save, Topic, topic_saved),
    (post_save, FocusArea, focus_area_saved),
    (post_delete, FocusArea, focus_area_deleted),
    (post_save, Event, of_network),
    (post_delete, Event, of_network),
    (post_save, NetworkHost, of_network),
    (post_delete, NetworkHost, of_network),
    (post_save, ProgrammeSite, site_changed),
    (post_delete, ProgrammeSite, site_changed),
    (post_save, ActorGroup, actor_group_saved),
    (post_delete, ActorGroup, deleted(Kind.ACTOR_GROUP)),
    (post_save, Membership, membership_saved),
    (post_delete, Membership, membership_deleted),
    (post_save, Translation, translation_changed),
    (post_delete, Translation, translation_changed),
]


def connect():
    """Called once from the portal app's ``ready()``."""
    for signal, sender, handler in HANDLERS:
        signal.connect(handler, sender=sender, dispatch_uid=f"portal-search-{sender.__name__}-{handler.__name__}")
    translations_added.connect(translations_written, dispatch_uid="portal-search-translations")
    created_in_bulk.connect(memberships_created, sender=Membership, dispatch_uid="portal-search-memberships")
    for through in (Network.topics.through, Network.target_groups.through):
        m2m_changed.connect(network_links_changed, sender=through, dispatch_uid=f"portal-search-{through.__name__}")
