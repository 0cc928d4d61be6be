"""Which texts staff write can be translated, and how a page reads them in the visitor's language.

``FIELDS`` names, per model, the fields a visitor reads that staff write in German. A page reads
them with ``translated(record, field)``: the text in the current language when a translation exists,
else the German text, marked as such (``Text.lang``, ``Text.untranslated``). ``attach(records)``
fetches the translations of a whole list with one query, so that a list page asks the database a
constant number of times (without it, each record asks once, at its first translated field).

Demo data and other bulk sources bring their translations as a translation memory
(``{language: {German text: translation}}``) applied with ``apply_memory``.

The office works through what is missing (every record and field whose German has no translation
into a language, or one made from an older German text): ``count_work`` counts it, ``stored_work`` reads
those counts as stored and kept up to date with every change (``TranslationWork``), ``OpenWork`` lists
it page by page and ``next_work`` finds the record after one, all in the database.
``offered_languages`` names the languages visitors may choose (the office's choice on the site
identity).
"""

import difflib
import itertools
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
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal
from django.utils import translation

from .deferred import later
from .models.base import created_in_bulk
from .models.translations import Digest, Translation, TranslationWork, digest

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
    """A deleted record takes its translations with it; the stored counts of the open work follow every
    change of a record's German and of a translation (called from the register's ``ready``)."""
    for model in translatable_models():
        label = model._meta.label_lower
        post_delete.connect(_forget_translations, sender=model, dispatch_uid=f"translations-{label}")
        pre_save.connect(_record_saving, sender=model, dispatch_uid=f"translation-work-saving-{label}")
        post_save.connect(_record_saved, sender=model, dispatch_uid=f"translation-work-saved-{label}")
        pre_delete.connect(_record_deleting, sender=model, dispatch_uid=f"translation-work-deleting-{label}")
        post_delete.connect(_work_changed, sender=model, dispatch_uid=f"translation-work-deleted-{label}")
    pre_save.connect(_translation_changing, sender=Translation, dispatch_uid="translation-work-translation-saving")
    post_save.connect(_translation_saved, sender=Translation, dispatch_uid="translation-work-translation-saved")
    pre_delete.connect(_translation_changing, sender=Translation, dispatch_uid="translation-work-translation-deleting")
    post_delete.connect(_translation_deleted, sender=Translation, dispatch_uid="translation-work-translation-deleted")
    created_in_bulk.connect(_created_in_bulk, dispatch_uid="translation-work-created-in-bulk")


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


# What ``_has_text`` asks the database, in Python: more than white space.
TEXT = re.compile(r"\S")


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
    names read: one query (with the digest of the German each translation was made from)."""
    fields = fields_of(model)
    rows = Translation.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk"), language=language
    )
    made_from = {
        f"made_from_{field}": Subquery(rows.filter(field=field).values("source_digest")[:1]) for field in fields
    }
    records = model.objects.filter(pk__in=ids).annotate(**made_from)
    records = {record.pk: record for record in records.select_related(*RELATED.get(model._meta.label_lower, ()))}
    found = []
    for record in (records[pk] for pk in ids if pk in records):  # (unless deleted in between)
        texts = ((field, getattr(record, field)) for field in fields)
        per_field = [
            (field, _state(getattr(record, f"made_from_{field}"), german))
            for field, german in texts
            if TEXT.search(german or "")
        ]
        found.append(Work(record, language, [(field, state) for field, state in per_field if state in states]))
    return found


def _state(made_from, german):
    """The state of a translation made from the German with the digest ``made_from`` (None: none)."""
    if made_from is None:
        return MISSING
    return CURRENT if made_from == digest(german) else OUTDATED


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


# The counts of the open work are kept in the database (``TranslationWork``, one row per model and
# language), so that a page reads them with one query however large the register: counted once in full
# (``recount``, or at the first read of a model and language not counted yet), then changed by each save
# and delete of a translatable record or of a translation by what that one record adds to the counts
# before and after (``_contribution``). Writes without model signals: records created in bulk
# (``created_in_bulk``) are added; translations written in bulk (``apply_memory``) recount their models.

COUNTED = ("records", "missing", "outdated", "with_missing", "with_outdated")


def stored_work(languages, kinds=None):
    """``count_work`` as stored: {language: {model: Counts}} with one query once counted (models and
    languages not counted yet are counted and stored first)."""
    languages = list(dict.fromkeys(languages))
    models = _models(kinds)
    content_types = ContentType.objects.get_for_models(*models)
    by_id = {content_types[model].pk: model for model in models}
    rows = TranslationWork.objects.filter(content_type_id__in=by_id, language__in=languages).values_list(
        "content_type_id", "language", *COUNTED
    )
    found = {language: {} for language in languages}
    for content_type_id, language, *numbers in rows:
        found[language][by_id[content_type_id]] = Counts(*numbers)
    uncounted = [model for model in models if any(model not in found[language] for language in languages)]
    if uncounted:
        counted = recount(uncounted)  # into every language: counting more of them costs little more
        for language in languages:
            for model in uncounted:
                found[language][model] = counted[language][model]
    return {language: {model: found[language][model] for model in models} for language in languages}


def recount(models=None, languages=None):
    """Count the open work of ``models`` (all by default) into ``languages`` (every target language by
    default) in full and store it (``count_work``, two queries per model). Returns the counts."""
    models = translatable_models() if models is None else list(models)
    languages = target_languages() if languages is None else list(languages)
    counted = count_work(languages, [model._meta.model_name for model in models])
    content_types = ContentType.objects.get_for_models(*models)
    rows = [
        TranslationWork(content_type=content_types[model], language=language, **vars(counts))
        for language, per_model in counted.items()
        for model, counts in per_model.items()
    ]
    TranslationWork.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["content_type", "language"], update_fields=list(COUNTED)
    )
    return counted


def _contribution(model, german, digests):
    """{language: Counts} of what one record of ``model`` adds to the open work of every target
    language: ``german`` {field: its German text}, ``digests`` {(field, language): the ``source_digest``
    of its translation}."""
    texts = [field for field in fields_of(model) if TEXT.search(german.get(field) or "")]
    found = {}
    for language in target_languages():
        states = [_state(digests.get((field, language)), german[field]) for field in texts]
        missing, outdated = states.count(MISSING), states.count(OUTDATED)
        found[language] = Counts(bool(missing or outdated), missing, outdated, bool(missing), bool(outdated))
    return found


def _digests_of(model, pk, languages=None):
    """{(field, language): source_digest} of the translations of one record: one query."""
    rows = Translation.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=pk)
    if languages:
        rows = rows.filter(language__in=languages)
    return {
        (field, language): made_from
        for field, language, made_from in rows.values_list("field", "language", "source_digest")
    }


def _add_work(model, before, after):
    """Change the stored counts of ``model`` by ``after`` less ``before`` (each {language: Counts}, or
    None for nothing): at once with one query (none when nothing changed), or once for all the changes
    of an import at its end (``register.deferred``), so that the rows of the counts are held a moment."""
    content_type_id = ContentType.objects.get_for_model(model).pk
    changes = []
    for language in target_languages():
        old, new = (counts.get(language) if counts else None for counts in (before, after))
        change = [int(getattr(new or Counts(), name)) - int(getattr(old or Counts(), name)) for name in COUNTED]
        if any(change):
            # (each change its own, numbered: the same change twice counts twice)
            changes.append((next(_changes), content_type_id, language, *change))
    later(_write_work, changes)


_changes = itertools.count()


def _write_work(changes):
    """Add ``changes`` [(number, content type id, language, *COUNTED)] to the stored counts: one query per
    kind of record."""
    totals = {}
    for _number, content_type_id, language, *change in changes:
        total = totals.setdefault(content_type_id, {}).setdefault(language, [0] * len(COUNTED))
        total[:] = [a + b for a, b in zip(total, change, strict=True)]
    for content_type_id, per_language in totals.items():
        updates = {
            name: F(name)
            + Case(
                *[When(language=language, then=Value(total[i])) for language, total in per_language.items()], default=0
            )
            for i, name in enumerate(COUNTED)
        }
        TranslationWork.objects.filter(content_type_id=content_type_id, language__in=list(per_language)).update(
            **updates
        )


# The work a record or translation adds before its change, kept on the instance until it is written.
BEFORE = "_translation_work_before"


def _german_of(instance):
    return {field: getattr(instance, field) for field in fields_of(type(instance))}


def _german_as_loaded(instance, fields=None):
    """The German ``fields`` (default: all) of a record as it was loaded or last saved (the history's
    snapshot), else as stored."""
    fields = fields_of(type(instance)) if fields is None else fields
    snapshot = getattr(instance, "_audit_snapshot", None) or {}
    if all(field in snapshot for field in fields):
        return {field: snapshot[field] for field in fields}
    return type(instance)._default_manager.filter(pk=instance.pk).values(*fields).first() or {}


def _record_saving(sender, instance, raw=False, **kwargs):
    setattr(instance, BEFORE, None)
    if raw or instance._state.adding or instance.pk is None:
        return
    deferred = instance.get_deferred_fields()  # not loaded, so not changed: read after the save if need be
    loaded = [field for field in fields_of(sender) if field not in deferred]
    german = _german_as_loaded(instance, loaded)
    now = {field: getattr(instance, field) for field in loaded}
    if now != german:
        setattr(instance, BEFORE, (german, now))
    # (else the same German, the same work)


def _record_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    if created:  # no translation yet
        _add_work(sender, None, _contribution(sender, _german_of(instance), {}))
        return
    before = instance.__dict__.pop(BEFORE, None)
    if before is None:
        return
    german, now = before
    unchanged = [field for field in fields_of(sender) if field not in german]
    if unchanged:
        rest = sender._default_manager.filter(pk=instance.pk).values(*unchanged).first() or {}
        german, now = {**rest, **german}, {**rest, **now}
    digests = _digests_of(sender, instance.pk)
    _add_work(sender, _contribution(sender, german, digests), _contribution(sender, now, digests))


def _record_deleting(sender, instance, **kwargs):
    german = _german_as_loaded(instance)
    setattr(instance, BEFORE, _contribution(sender, german, _digests_of(sender, instance.pk)) if german else None)


def _work_changed(sender, instance, **kwargs):
    """A record deleted: its work is done (its translations go with it, ``_forget_translations``)."""
    _add_work(sender, instance.__dict__.pop(BEFORE, None), None)


def _translated_record(instance):
    """(model, German of the record) of a translation of a translatable field, else None (and when its
    record is gone: it took its work with it)."""
    model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    if model is None or instance.field not in fields_of(model):
        return None
    german = model._default_manager.filter(pk=instance.object_id).values(*fields_of(model)).first()
    return None if german is None else (model, german)


def _translation_changing(sender, instance, raw=False, **kwargs):
    setattr(instance, BEFORE, None)
    found = None if raw else _translated_record(instance)
    if found is None:
        return
    model, german = found
    digests = _digests_of(model, instance.object_id, [instance.language])
    setattr(instance, BEFORE, (model, german, digests))


def _translation_written(instance, made_from):
    before = instance.__dict__.pop(BEFORE, None)
    if before is None:
        return
    model, german, digests = before
    key = (instance.field, instance.language)
    after = {**digests, key: made_from}
    if made_from is None:
        del after[key]
    languages = [instance.language]
    old = {
        language: counts for language, counts in _contribution(model, german, digests).items() if language in languages
    }
    new = {
        language: counts for language, counts in _contribution(model, german, after).items() if language in languages
    }
    _add_work(model, old, new)


def _translation_saved(sender, instance, raw=False, **kwargs):
    _translation_written(instance, instance.source_digest)


def _translation_deleted(sender, instance, **kwargs):
    _translation_written(instance, None)


def _created_in_bulk(sender, instances, **kwargs):
    """Records created in bulk add their work (they have no translation yet); translations written in
    bulk (``apply_memory``) have their models counted anew."""
    if sender is Translation:
        content_types = {instance.content_type_id for instance in instances}
        models = [ContentType.objects.get_for_id(pk).model_class() for pk in content_types]
        models = [model for model in models if model is not None and fields_of(model)]
        if models:
            recount(models)
    elif fields_of(sender):
        added = {}
        for instance in instances:
            for language, counts in _contribution(sender, _german_of(instance), {}).items():
                total = added.setdefault(language, Counts())
                for name in COUNTED:
                    setattr(total, name, getattr(total, name) + int(getattr(counts, name)))
        _add_work(sender, None, added)


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
    # (The first condition lets the database start at the record in an index by name.)
    after = Q(sort_name__gte=name) & (Q(sort_name__gt=name) | Q(sort_name=name, pk__gt=record.pk))
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
