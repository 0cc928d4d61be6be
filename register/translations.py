"""Which texts staff write can be translated, and how a page reads them in the visitor's language.

``FIELDS`` names, per model, the fields a visitor reads that staff write in German. A page reads
them with ``translated(record, field)``: the text in the current language when a translation exists,
else the German text, marked as such (``Text.lang``, ``Text.untranslated``). ``attach(records)``
fetches the translations of a whole list with one query, so that a list page asks the database a
constant number of times (without it, each record asks once, at its first translated field).

Demo data and other bulk sources bring their translations as a translation memory
(``{language: {German text: translation}}``) applied with ``apply_memory``.

The office works through what is missing (every record and field whose German has no translation
into a language, or one made from an older German text): ``count_work`` counts it, ``OpenWork`` lists
it page by page and ``next_work`` finds the record after one, all in the database.
``offered_languages`` names the languages visitors may choose (the office's choice on the site
identity).
"""

import difflib
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import reduce
from operator import add, or_

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.db.models.signals import post_delete
from django.dispatch import Signal
from django.utils import translation

from .models.translations import Digest, Translation, digest

# The source language: the text in the record itself.
SOURCE = settings.LANGUAGE_CODE

# model label: fields a visitor reads that staff write.
FIELDS = {
    "register.network": (
        "name",
        "short_name",
        "purpose",
        "description",
        "history",
        "composition",
        "establishing_decision",
        "legal_basis",
        "advises",
        "convened_by",
        "administrative_support",
        "contact_function",
    ),
    "register.focusarea": ("name",),
    "register.topic": ("name",),
    "register.targetgroup": ("name",),
    "register.actorgroup": ("name", "description"),
    "register.programme": ("name", "description"),
    "register.organisation": ("description",),
    "register.event": ("title", "description", "host", "contact_function"),
    "register.membership": ("label",),
    "register.location": ("description", "public_transport", "parking"),
    "register.agendaitem": ("name",),
    "register.sitepage": ("title_de", "body_de"),
}

# Related records a record's name reads (``str``), fetched with the list.
# (An organisation names the ones above it: three levels are fetched at once, as deep as the county's go.)
RELATED = {
    "register.membership": ("network", "organisation__parent__parent__parent", "actor_group", "person"),
    "register.organisation": ("parent__parent__parent",),
}
# Sent after ``apply_memory`` wrote translations in bulk (no model signals): ``changed`` is
# {model: [ids of the records translated]}, for what is derived from them (the public search).
translations_added = Signal()

# Where the attached translations of a record are kept: {field: Translation}.
CACHE = "_translations"


class Text(str):
    """A text as a page shows it: ``lang`` is the language it is in; ``untranslated`` says that the
    visitor asked for another language and reads the German text instead."""

    lang = SOURCE
    untranslated = False

    def __new__(cls, value, lang, untranslated=False):
        text = super().__new__(cls, value)
        text.lang = lang
        text.untranslated = untranslated
        return text


def label_of(record):
    return record._meta.label_lower


def fields_of(model):
    return FIELDS.get(model._meta.label_lower, ())


def translatable_models():
    return [apps.get_model(label) for label in FIELDS]


def target_languages():
    """Every language of the site a text can be translated into."""
    return [code for code, _name in settings.LANGUAGES if code != SOURCE]


def current_language():
    return translation.get_language() or SOURCE


def attach(records, language=None):
    """Fetch the translations of ``records`` into the current or given language with one query; the
    records may be of several models (a page's network with its topics, focus areas and events)."""
    records = [record for record in records if record is not None]
    language = language or current_language()
    if not records:
        return records
    for record in records:
        setattr(record, CACHE, {})
        record._translations_language = language
    if language == SOURCE:
        return records
    by_key, wanted = {}, {}
    for record in records:
        content_type = ContentType.objects.get_for_model(record)
        by_key.setdefault((content_type.pk, record.pk), []).append(record)
        wanted.setdefault(content_type.pk, set()).add(record.pk)
    which = Q()
    for content_type_id, ids in wanted.items():
        which |= Q(content_type_id=content_type_id, object_id__in=sorted(ids))
    rows = Translation.objects.filter(which, language=language)
    for row in rows.only("content_type_id", "object_id", "field", "text", "source_digest"):
        for record in by_key.get((row.content_type_id, row.object_id), ()):
            getattr(record, CACHE)[row.field] = row
    return records


def translated(record, field, language=None):
    """The text of ``record.field`` in the current or given language (a ``Text``)."""
    german = getattr(record, field) or ""
    language = language or current_language()
    if language == SOURCE or not german:
        return Text(german, SOURCE)
    if getattr(record, "_translations_language", None) != language:
        attach([record], language)
    row = getattr(record, CACHE).get(field)
    if row is None:
        return Text(german, SOURCE, untranslated=True)
    return Text(row.text, language)


def translations_of(record, language):
    """{field: Translation} of one record into one language, with the German each was made from (one query)."""
    content_type = ContentType.objects.get_for_model(record)
    rows = Translation.objects.filter(content_type=content_type, object_id=record.pk, language=language)
    return {row.field: row for row in rows}


def texts_of(wanted, language=None):
    """{(model, pk): {field: translation}} for ``wanted`` = {model: ids} in the current or given
    language, one query (none in German): for pages that read plain values rather than records."""
    language = language or current_language()
    wanted = {model: list(ids) for model, ids in wanted.items() if ids}
    if language == SOURCE or not wanted:
        return {}
    models, which = {}, Q()
    for model, ids in wanted.items():
        content_type = ContentType.objects.get_for_model(model)
        models[content_type.pk] = model
        which |= Q(content_type=content_type, object_id__in=ids)
    found = {}
    rows = Translation.objects.filter(which, language=language).values_list(
        "content_type_id", "object_id", "field", "text"
    )
    for content_type_id, object_id, field, text in rows:
        found.setdefault((models[content_type_id], object_id), {})[field] = text
    return found


def translations_by_text(model, field, language=None):
    """{German text: its translation} of ``model.field`` into the current or given language, for lists of
    the distinct texts many records share (a filter's focus areas): one query over the translations (none
    in German), whatever the number of records. Records with the same German text translated differently:
    the first record's translation counts."""
    language = language or current_language()
    if language == SOURCE:
        return {}
    german = model._default_manager.filter(pk=OuterRef("object_id")).order_by().values(field)[:1]
    rows = (
        Translation.objects.filter(content_type=ContentType.objects.get_for_model(model), language=language)
        .filter(field=field)
        .annotate(german=Subquery(german))
        .order_by("-object_id")
        .values_list("german", "text")
    )
    return dict(rows)  # the first record's last


# The untranslated texts a page shows while it renders (``collecting_untranslated``).
_shown_untranslated = ContextVar("shown_untranslated", default=None)


@contextmanager
def collecting_untranslated():
    """Collect, while a page renders, the texts it shows in German because no translation exists
    (``shown_untranslated`` is called for each): the page can say so once."""
    found = []
    token = _shown_untranslated.set(found)
    try:
        yield found
    finally:
        _shown_untranslated.reset(token)


def shown_untranslated(text):
    """Note that a page shows ``text`` (a ``Text``) in German for want of a translation."""
    found = _shown_untranslated.get()
    if found is not None and getattr(text, "untranslated", False):
        found.append(text)


def translate(record, field, language, text):
    """Store the translation of ``record.field`` into ``language`` (made from the German as it is now);
    an empty text removes it."""
    content_type = ContentType.objects.get_for_model(record)
    key = {"content_type": content_type, "object_id": record.pk, "field": field, "language": language}
    if not text.strip():
        for row in Translation.objects.filter(**key):
            row.delete()
        return None
    german = getattr(record, field) or ""
    row = Translation.objects.filter(**key).first() or Translation(**key)
    row.text = text.strip()
    row.source_text = german
    row.source_digest = digest(german)
    row.save()
    return row


def apply_memory(memory, records=None):
    """Translate every translatable field of ``records`` (default: all records of every translatable
    model) whose German text the memory ``{language: {German: translation}}`` holds. Existing
    translations are kept. Returns how many were added."""
    added, changed = 0, {}
    if records is None:
        groups = [(model, model.objects.all()) for model in translatable_models()]
    else:
        groups = [(type(records[0]), records)] if records else []
    for model, rows in groups:
        fields = fields_of(model)
        content_type = ContentType.objects.get_for_model(model)
        existing = set(
            Translation.objects.filter(content_type=content_type).values_list("object_id", "field", "language")
        )
        new = []
        for record in rows:
            for field in fields:
                german = (getattr(record, field) or "").strip()
                if not german:
                    continue
                for language, texts in memory.items():
                    text = texts.get(german)
                    if text and (record.pk, field, language) not in existing:
                        new.append(
                            Translation(
                                content_type=content_type,
                                object_id=record.pk,
                                field=field,
                                language=language,
                                text=text,
                                source_text=getattr(record, field),
                                source_digest=digest(getattr(record, field)),
                            )
                        )
        Translation.create_in_bulk(new)
        added += len(new)
        if new:
            changed[model] = sorted({row.object_id for row in new})
    if changed:
        translations_added.send(sender=Translation, changed=changed)
    return added


def _forget_translations(sender, instance, **kwargs):
    if fields_of(sender) and not kwargs.get("raw"):
        Translation.objects.filter(
            content_type=ContentType.objects.get_for_model(sender), object_id=instance.pk
        ).delete()


def connect_signals():
    """A deleted record takes its translations with it (called from the register's ``ready``)."""
    for model in translatable_models():
        post_delete.connect(_forget_translations, sender=model, dispatch_uid=f"translations-{model._meta.label_lower}")


def offered_languages(identity=None):
    """The codes of the languages visitors may choose: German and those the office enabled on the site
    identity. Read from the cached identity (no query once it is cached)."""
    from .models import SiteIdentity

    return (identity or SiteIdentity.current()).offered_languages


# The state of one field's translation into one language.
MISSING, OUTDATED, CURRENT = "missing", "outdated", "current"
# What the office works through: texts without a translation or with an outdated one.
OPEN = (MISSING, OUTDATED)


def state_of(row, german):
    if row is None:
        return MISSING
    return OUTDATED if row.is_outdated(german) else CURRENT


@dataclass
class Work:
    """A record with translatable German text and its fields that need a translation into ``language``:
    ``fields`` = [(field name, state)] of the missing and outdated ones."""

    record: object
    language: str
    fields: list = dataclass_field(default_factory=list)

    @property
    def kind(self):
        return self.record._meta.model_name


def model_of_kind(kind):
    """The translatable model whose ``model_name`` is ``kind``, or None."""
    return next((model for model in translatable_models() if model._meta.model_name == kind), None)


def _models(kinds=None):
    """The translatable models named in ``kinds`` (all by default), in the order of ``FIELDS``."""
    return [model for model in translatable_models() if kinds is None or model._meta.model_name in kinds]


# The open work is found by the database, whatever the size of the register: a text needs work when
# its German is more than white space and its record has no translation row for the field and
# language, or one made from another German text (its ``source_digest`` differs from the ``Digest``
# of the German now). Only the records of the page shown become model instances.


def _has_text(field):
    """Whether the German text of ``field`` is more than white space (what ``str.strip`` leaves)."""
    return Q(**{f"{field}__regex": r"\S"})


def _needs(model, field, language, states):
    """The condition on a record of ``model`` that its German ``field`` has text whose translation into
    ``language`` is in one of ``states``."""
    rows = Translation.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk"), field=field, language=language
    )
    # Whether a translation was made from the German as it is now. Not a plain equality: PostgreSQL would
    # join on it, computing the digest of every record rather than of those with a translation.
    made_from_this = Case(
        When(source_digest=Digest(OuterRef(field)), then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    if MISSING in states and OUTDATED in states:
        condition = ~Exists(rows.filter(made_from_this))
    elif MISSING in states:
        condition = ~Exists(rows)
    else:
        condition = Exists(rows.exclude(made_from_this))
    return _has_text(field) & condition


def open_records(model, language, states=OPEN):
    """The records of ``model`` with a text whose translation into ``language`` is in ``states``, by
    name (``sort_name``, then pk): a queryset to cut a page from."""
    wanted = reduce(or_, (_needs(model, field, language, states) for field in fields_of(model)))
    return model.objects.filter(wanted).annotate(sort_name=sort_name(model)).order_by("sort_name", "pk")


def _work(model, ids, language, states):
    """The records ``ids`` of ``model`` as ``Work`` in the order of ``ids``, with the related records their
    names read: one query."""
    fields = fields_of(model)
    field_states = {
        f"work_{field}": Case(
            *[When(_needs(model, field, language, [state]), then=Value(state)) for state in states],
            default=None,
            output_field=CharField(),
        )
        for field in fields
    }
    records = model.objects.filter(pk__in=ids).annotate(**field_states)
    records = {record.pk: record for record in records.select_related(*RELATED.get(model._meta.label_lower, ()))}
    found = []
    for record in (records[pk] for pk in ids if pk in records):  # (unless deleted in between)
        per_field = [(field, getattr(record, f"work_{field}")) for field in fields]
        found.append(Work(record, language, [(field, state) for field, state in per_field if state]))
    return found


@dataclass
class Counts:
    """The open work of one model into one language."""

    records: int = 0  # with a missing or outdated text
    missing: int = 0  # texts
    outdated: int = 0  # texts
    with_missing: int = 0  # records with a missing text
    with_outdated: int = 0  # records with an outdated text

    def records_in(self, states):
        """How many records have a text in one of ``states``."""
        if MISSING in states and OUTDATED in states:
            return self.records
        return self.with_missing if MISSING in states else self.with_outdated


def count_work(languages, kinds=None):
    """{language: {model: Counts}} for the models named in ``kinds`` (all by default). Two queries per
    model, however many records: one counts the German texts, one the translations made from them."""
    languages = list(dict.fromkeys(languages))
    found = {language: {} for language in languages}
    for model in _models(kinds):
        fields = fields_of(model)
        texts = model.objects.aggregate(
            records=Count("pk", filter=reduce(or_, map(_has_text, fields))),
            texts=reduce(add, (Count("pk", filter=_has_text(field)) for field in fields)),
        )
        translated = _count_translations(model, languages)
        for language in languages:
            current, outdated, complete, none_missing, with_outdated = translated.get(language, (0, 0, 0, 0, 0))
            found[language][model] = Counts(
                records=texts["records"] - complete,
                missing=texts["texts"] - current - outdated,
                outdated=outdated,
                with_missing=texts["records"] - none_missing,
                with_outdated=with_outdated,
            )
    return found


def _count_translations(model, languages):
    """{language: (current, outdated, complete, none_missing, with_outdated)} of the translations of
    ``model``'s texts: how many are current and outdated, and how many records have every text
    translated up to date, every text translated, and an outdated translation. The translations are
    counted per record, the records per language, in one query."""
    fields = fields_of(model)
    record = model.objects.filter(pk=OuterRef("object_id")).order_by()
    german = Case(
        *[When(field=field, then=Subquery(record.values(field))) for field in fields], output_field=TextField()
    )
    texts = record.annotate(texts=reduce(add, (Case(When(_has_text(field), then=1), default=0) for field in fields)))
    current = Q(source_digest=Digest("german"))
    per_record = (
        Translation.objects.filter(
            content_type=ContentType.objects.get_for_model(model), language__in=languages, field__in=fields
        )
        .annotate(german=german)
        .filter(german__regex=r"\S")
        .order_by()
        .values("language", "object_id")
        .annotate(
            texts=Subquery(texts.values("texts")),
            current=Count("pk", filter=current),
            outdated=Count("pk", filter=~current),
        )
        .annotate(
            complete=Case(When(current=F("texts"), then=1), default=0),
            none_missing=Case(When(texts=F("current") + F("outdated"), then=1), default=0),
            with_outdated=Case(When(outdated__gt=0, then=1), default=0),
        )
    )
    columns = ("current", "outdated", "complete", "none_missing", "with_outdated")
    connection = connections[per_record.db]
    sums = ", ".join(f"SUM({connection.ops.quote_name(column)})" for column in columns)
    sql, params = per_record.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT language, {sums} FROM ({sql}) per_record GROUP BY language", params)
        return {language: tuple(int(number) for number in numbers) for language, *numbers in cursor.fetchall()}


class OpenWork:
    """The list of open work into ``language``: the records (as ``Work``) of the models named in
    ``kinds`` (all by default) with a text in one of ``states``, in the order of ``FIELDS``, then by
    name. ``counts`` ({model: Counts} from ``count_work``) says how many each model has; a page
    (``work[start:stop]``, as a ``Paginator`` cuts it) reads its records with two queries per model on it."""

    def __init__(self, language, kinds, states, counts):
        self.language, self.states = language, states
        self.sizes = [(model, counts[model].records_in(states)) for model in _models(kinds)]

    def count(self):
        return sum(size for _model, size in self.sizes)

    def __len__(self):
        return self.count()

    def __getitem__(self, part):
        found, offset = [], 0
        for model, size in self.sizes:
            start, stop = max(part.start - offset, 0), min(part.stop - offset, size)
            if start < stop:
                # The page's records are chosen by name first, then read with their related records.
                ids = list(open_records(model, self.language, self.states).values_list("pk", flat=True)[start:stop])
                found += _work(model, ids, self.language, self.states)
            offset += size
        return found


def next_work(record, language, kinds=None, states=OPEN):
    """The record after ``record`` in the list of open work (``OpenWork``) with the same choice, from its
    start again after the last one (its pk only); None when no other record is left. One query per model
    at most."""
    order = list(FIELDS)
    here = order.index(label_of(record))
    model = type(record)
    name = Subquery(model.objects.filter(pk=record.pk).annotate(sort_name=sort_name(model)).values("sort_name"))
    after = Q(sort_name__gt=name) | Q(sort_name=name, pk__gt=record.pk)
    models = _models(kinds)
    # After it: the records of its own model after it, then those of the models after its model.
    for each in models:
        if order.index(label_of(each)) >= here:
            records = open_records(each, language, states).only("pk")
            following = (records.filter(after) if each is model else records).first()
            if following:
                return following
    # From the start again: the records of the models before its model, then of its own but itself.
    for each in models:
        if order.index(label_of(each)) <= here:
            records = open_records(each, language, states).only("pk")
            following = (records.exclude(pk=record.pk) if each is model else records).first()
            if following:
                return following
    return None


# The column the records of each kind are listed by, in lower case (default: ``name``): a name where they
# have one, an event by its title, a seat by its network (its members together), a site page by its key.
SORTED_BY = {"register.event": "title", "register.membership": "network__name", "register.sitepage": "key"}


def sort_name(model):
    """What the list of open work orders the records of ``model`` by, before their pk."""
    return Lower(SORTED_BY.get(model._meta.label_lower, "name"))


def changes(before, after):
    """What changed from the German ``before`` to ``after``: [(kind, text)] with kind "same", "removed"
    or "added", word by word."""
    old, new = re.findall(r"\s+|\S+", before or ""), re.findall(r"\s+|\S+", after or "")
    parts = []
    for operation, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if operation == "equal":
            parts.append(("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("removed", "".join(old[i1:i2])))
        if j2 > j1:
            parts.append(("added", "".join(new[j1:j2])))
    return parts
