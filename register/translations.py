"""Which texts staff write can be translated, and how a page reads them in the visitor's language.

``FIELDS`` names, per model, the fields a visitor reads that staff write in German. A page reads
them with ``translated(record, field)``: the text in the current language when a translation exists,
else the German text, marked as such (``Text.lang``, ``Text.untranslated``). ``attach(records)``
fetches the translations of a whole list with one query, so that a list page asks the database a
constant number of times (without it, each record asks once, at its first translated field).

Demo data and other bulk sources bring their translations as a translation memory
(``{language: {German text: translation}}``) applied with ``apply_memory``.

The office works through what is missing with ``open_work`` (every record and field whose German
has no translation into a language, or one made from an older German text); ``offered_languages``
names the languages visitors may choose (the office's choice on the site identity).
"""

import difflib
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery
from django.db.models.signals import post_delete
from django.dispatch import Signal
from django.utils import translation

from .models.translations import Translation, digest

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
    "register.membership": ("network", "organisation", "actor_group", "person"),
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

    @property
    def sort_key(self):
        return (list(FIELDS).index(label_of(self.record)), str(self.record).casefold(), self.record.pk)


def model_of_kind(kind):
    """The translatable model whose ``model_name`` is ``kind``, or None."""
    return next((model for model in translatable_models() if model._meta.model_name == kind), None)


def open_work(languages, kinds=None, states=(MISSING, OUTDATED)):
    """{language: [Work]}: every record (of the models named in ``kinds``, default all) with a German text
    whose translation into the language is in one of ``states``, in the order of ``FIELDS``, then by
    name. One query per translatable model and one for the translations, however many records."""
    languages = list(languages)
    work = {language: [] for language in languages}
    if not languages:
        return work
    models = [model for model in translatable_models() if kinds is None or model._meta.model_name in kinds]
    content_types = ContentType.objects.get_for_models(*models)
    rows = Translation.objects.filter(content_type__in=list(content_types.values()), language__in=languages).only(
        "content_type_id", "object_id", "field", "language", "source_digest"
    )
    existing = {(row.content_type_id, row.object_id, row.field, row.language): row for row in rows}
    for model in models:
        content_type_id = content_types[model].pk
        records = model.objects.select_related(*RELATED.get(model._meta.label_lower, ())).order_by("pk")
        for record in records:
            texts = [(name, getattr(record, name) or "") for name in fields_of(model)]
            texts = [(name, german) for name, german in texts if german.strip()]
            for language in languages:
                entry = Work(record, language)
                for name, german in texts:
                    state = state_of(existing.get((content_type_id, record.pk, name, language)), german)
                    if state in states:
                        entry.fields.append((name, state))
                if entry.fields:
                    work[language].append(entry)
    for entries in work.values():
        entries.sort(key=lambda entry: entry.sort_key)
    return work


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
