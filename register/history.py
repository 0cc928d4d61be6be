"""Writes the change history at one place, for every audited record of the register, and reads it in words.

Who made a change comes from the request (``AuditUserMiddleware``) or from
``audit_context(user=..., source=...)`` around imports, commands and tasks.
"""

import contextvars
from collections import defaultdict
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.signals import m2m_changed
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext

_context = contextvars.ContextVar("register_audit_context", default=None)
NOBODY = {"user": None, "source": ""}


@contextmanager
def audit_context(user=None, source=""):
    token = _context.set({"user": user, "source": source})
    try:
        yield
    finally:
        _context.reset(token)


class AuditUserMiddleware:
    """Names the signed-in user as the author of the changes a request makes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        with audit_context(user=user, source="web"):
            return self.get_response(request)


def _line(instance, action, changes):
    """The history line of one change, by the author and source of the current audit context."""
    from register.models import ChangeRecord

    context = _context.get() or NOBODY
    return ChangeRecord(
        user=context["user"],
        source=context["source"],
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=instance.pk,
        object_repr=str(instance)[:300],
        action=action,
        changes=changes,
    )


def record_change(instance, action, changes):
    record = _line(instance, action, changes)
    record.save(force_insert=True)
    return record


def record_note(instance, text):
    """A line in the history that says something about a record without changing it (why it was
    created despite a similar one, what a merge did not take over); it cannot be undone."""
    return record_change(instance, "note", {"note": [None, text]})


def record_changes(lines, action, batch_size=500):
    """``record_change`` for many records at once: ``lines`` are (instance, changes) pairs, written
    with one INSERT per ``batch_size`` lines."""
    from register.models import ChangeRecord

    ChangeRecord.objects.bulk_create(
        [_line(instance, action, changes) for instance, changes in lines], batch_size=batch_size
    )


def history_of(instance):
    """All recorded changes of one record, newest first."""
    from register.models import ChangeRecord

    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(instance), object_id=instance.pk
    ).select_related("user")


def _on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove"} or not pk_set or reverse:
        return
    field = next(f.name for f in instance._meta.many_to_many if f.remote_field.through is sender)
    names = sorted(str(obj) for obj in model.objects.filter(pk__in=pk_set))
    verb = "add" if action == "post_add" else "remove"
    record_change(instance, verb, {field: [None, names] if verb == "add" else [names, None]})


def connect_m2m_signals(app_config):
    """Record the many-to-many changes of the audited models of ``app_config`` (called from the
    ``ready()`` of each app whose models keep a history: the register's and the needs')."""
    from register.models import AuditedModel

    for model in app_config.get_models():
        if issubclass(model, AuditedModel):
            for field in model._meta.many_to_many:
                if field.remote_field.through._meta.auto_created:
                    m2m_changed.connect(_on_m2m_changed, sender=field.remote_field.through, weak=False)


# --- The history in words ------------------------------------------------------------------------
# The history stores values as the database has them ("True", "2025-01-31", a choice's value, the id of
# a linked record, a list of names). A person reads them here: yes and no, dates in the format of the
# active language, choices by their label, linked records by their name, lists as text.

# How to load linked records cheaply for their names.
NAME_RELATIONS = {
    "register.membership": ["network", "organisation", "actor_group", "person"],
    "register.organisation": ["parent", "parent__parent", "parent__parent__parent"],
}


def fields_by_attname(model):
    return {field.attname: field for field in model._meta.concrete_fields}


def field_label(model, attname):
    """The field's verbose name for an attname such as ``network_id`` (a many-to-many field too)."""
    if attname == "note":  # a note in the history (``record_note``), not a field
        return gettext("note")
    field = fields_by_attname(model).get(attname)
    if field is None:
        try:
            field = model._meta.get_field(attname)
        except FieldDoesNotExist:  # a field that no longer exists
            return attname
    return str(field.verbose_name)


def _linked_names(records):
    """{(related model, id as string): name} for every foreign key value in the records; one query per model."""
    wanted = defaultdict(set)
    for record in records:
        model = record.content_type.model_class()
        if model is None:
            continue
        fields = fields_by_attname(model)
        for name, values in record.changes.items():
            field = fields.get(name)
            if field is not None and field.many_to_one and isinstance(values, list):
                wanted[field.related_model].update(str(v) for v in values if v is not None and str(v).isdigit())
    names = {}
    for model, ids in wanted.items():
        objects = model._base_manager.filter(pk__in=[int(pk) for pk in ids])
        objects = objects.select_related(*NAME_RELATIONS.get(model._meta.label_lower, []))
        names.update({(model, str(obj.pk)): str(obj) for obj in objects})
    return names


def in_words(field, value, names=None):
    """One stored value of ``field`` (None: no longer a field) as a person reads it."""
    if value is None or value == "":
        return value
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if field is None:
        return value
    if field.many_to_one:
        return (names or {}).get((field.related_model, str(value)), value)
    if field.choices:
        return str(next((label for key, label in field.flatchoices if str(key) == str(value)), value))
    if isinstance(field, models.BooleanField):
        return {"True": gettext("Yes"), "False": gettext("No")}.get(str(value), value)
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is None:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return date_format(moment, "SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        day = parse_date(str(value))
        return date_format(day, "SHORT_DATE_FORMAT") if day else value
    if isinstance(field, models.TimeField):
        time = parse_time(str(value))
        return time_format(time, "TIME_FORMAT") if time else value
    return value


def described(records, extra_fields=None):
    """The changes of ``records`` in words: [(record, [(field label, old, new)])], by field name.

    ``extra_fields`` names what is recorded without being a field: {name: (label, {value: words})}.
    Linked records are named with one query per kind of record.
    """
    extra_fields = extra_fields or {}
    names = _linked_names(records)
    rows = []
    for record in records:
        model = record.content_type.model_class()
        fields = fields_by_attname(model) if model else {}
        changes = []
        for name, pair in sorted(record.changes.items()):
            old, new = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            if name not in fields and name in extra_fields:
                label, words = extra_fields[name]
                changes.append((str(label), str(words.get(old, old) or ""), str(words.get(new, new) or "")))
                continue
            field = fields.get(name)
            label = field_label(model, name) if model else name
            changes.append((label, in_words(field, old, names), in_words(field, new, names)))
        rows.append((record, changes))
    return rows
