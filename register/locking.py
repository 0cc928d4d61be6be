"""Optimistic locking: an edit made on a record that changed meanwhile is refused, never applied silently.

Every audited record carries ``modified``, renewed on each save; it is the record's version. An
edit form sends the version it was loaded with (and what it showed) in one hidden, signed field.
When the stored record has moved on, the save is refused: the form lists each field where what was
typed differs from what is stored now, both side by side, and the person keeps their value or takes
the stored one per field (without typing it again) and saves once more.

The same compare guards the office's approval of a self-service correction (``changed_since``).
"""

import datetime

from django import forms
from django.core import signing
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import deferred, languages

VERSION = "version"
TAKE = "take-"  # prefix of the per-field choice: "mine" or "stored"
SALT = "register.locking"


class StaleEdit(Exception):
    """The record was saved by someone else after the form was loaded."""


def version_of(record):
    """The version of a stored record: when it was last saved, to the microsecond."""
    return record.modified.isoformat() if getattr(record, "modified", None) else ""


def stored_if_stale(record, version):
    """The stored record if its version is no longer ``version``, else None (also for a new record)."""
    if record.pk is None:
        return None
    stored = type(record)._default_manager.filter(pk=record.pk).first()
    if stored is None or version_of(stored) == version:
        return None
    return stored


def model_value(record, name):
    """A field's stored value, comparable with a form's cleaned value (related records by key)."""
    field = record._meta.get_field(name)
    if field.many_to_many:
        return sorted(getattr(record, name).values_list("pk", flat=True)) if record.pk else []
    if field.is_relation:
        return getattr(record, field.attname)
    return getattr(record, name)


def comparable(value):
    """Related records by key, sets of records as sorted keys, empty as empty, text without CR."""
    if hasattr(value, "_meta"):
        return value.pk
    if hasattr(value, "values_list"):
        return sorted(value.values_list("pk", flat=True))
    if isinstance(value, list | tuple | set):
        return sorted(comparable(item) for item in value)
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def changed_since(record, values):
    """The names whose stored value differs from ``values`` (name → value as the record held it)."""
    return [name for name, value in values.items() if comparable(model_value(record, name)) != comparable(value)]


def shown(record, name, value):
    """A value as a person reads it: yes/no, labels of choices, names of related records, local dates."""
    field = record._meta.get_field(name)
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if name == "languages" and isinstance(value, str):
        return ", ".join(languages.names(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.many_to_many or isinstance(value, list) or hasattr(value, "values_list"):
        keys = [getattr(item, "pk", item) for item in value]
        items = field.related_model._default_manager.filter(pk__in=keys) if field.is_relation else value
        return ", ".join(str(item) for item in items) or "–"
    if field.is_relation and not hasattr(value, "_meta"):
        value = field.related_model._default_manager.filter(pk=value).first() or value
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _raw(field, value):
    """What a form field shows or was sent, in one comparable shape."""
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        return bool(value)
    if isinstance(value, list | tuple):
        return sorted(str(item) for item in value)
    formatted = widget.format_value(value)
    if isinstance(formatted, list):
        return sorted(formatted)
    return comparable(formatted or "")


class VersionedFormMixin:
    """For model forms that edit an audited record: refuses a save from a stale form (see the module).

    Put it first among the bases. The view needs no change; templates show ``form.stale`` rows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stale = []
        if self.instance._state.adding or not hasattr(self.instance, "modified"):
            return
        self.fields[VERSION] = forms.CharField(widget=forms.HiddenInput, required=False)
        if self.is_bound:
            self.data = self.data.copy()
            self._take_stored()
        else:
            values = {name: _raw(self.fields[name], self[name].value()) for name in self._model_fields()}
            self.initial[VERSION] = self._token(self.instance, values)

    def _model_fields(self):
        names = {field.name for field in self.instance._meta.get_fields() if field.concrete or field.many_to_many}
        return [name for name in self.fields if name in names and not self.fields[name].disabled]

    @staticmethod
    def _token(record, shown_values):
        return signing.dumps({"v": version_of(record), "shown": shown_values}, salt=SALT, compress=True)

    def _sent(self):
        try:
            return signing.loads(self.data.get(self.add_prefix(VERSION), ""), salt=SALT)
        except signing.BadSignature:
            return {"v": "", "shown": {}}

    def _take_stored(self):
        """Fields whose stored value the person chose on the refusal: filled in from the stored record."""
        chosen = [name for name in self._model_fields() if self.data.get(self.add_prefix(TAKE + name)) == "stored"]
        if not chosen:
            return
        stored = type(self.instance)._default_manager.get(pk=self.instance.pk)
        for name in chosen:
            key, value = self.add_prefix(name), self.fields[name].prepare_value(model_value(stored, name))
            if isinstance(self.fields[name].widget, forms.CheckboxInput):
                self.data[key] = "true" if value else "false"
            elif isinstance(value, list | tuple) and hasattr(self.data, "setlist"):
                self.data.setlist(key, [str(item) for item in value])
            elif isinstance(value, list | tuple):
                self.data[key] = [str(item) for item in value]
            else:
                self.data[key] = "" if value is None else value

    def _checked(self):
        """Every form of ours sends its version; a post without one (a script's) is not compared."""
        return VERSION in self.fields and self.is_bound and self.add_prefix(VERSION) in self.data

    def full_clean(self):
        super().full_clean()
        if not self._checked():
            return
        sent = self._sent()
        stored = stored_if_stale(self.instance, sent["v"])
        if stored is None:
            return
        self._refuse(stored, sent["shown"])

    def _refuse(self, stored, shown_before):
        """List what differs between the form and the stored record; the next save starts from ``stored``."""
        rows = []
        for name in self._model_fields():
            bound = self[name]
            mine = self.cleaned_data.get(name, bound.data) if hasattr(self, "cleaned_data") else bound.data
            current = model_value(stored, name)
            if comparable(mine) == comparable(current):
                continue
            mine_shown, stored_shown = shown(stored, name, mine), shown(stored, name, current)
            if mine_shown == stored_shown:  # e.g. seconds a minute-precise field never showed
                continue
            sent = _raw(bound.field, bound.value())
            typed = sent != shown_before.get(name, sent)
            rows.append(
                {
                    "name": name,
                    "key": self.add_prefix(TAKE + name),
                    "label": bound.label,
                    "mine": mine_shown,
                    "stored": stored_shown,
                    # What the person typed stays theirs; what they left alone takes the newer value.
                    "choice": "mine" if typed else "stored",
                }
            )
        self.stale = rows
        self.stored_by = stored
        self.add_error(
            None,
            _(
                "Someone else saved this entry after you opened it. Nothing of yours was saved. "
                "Compare both versions below, choose per field and save again."
            ),
        )
        # The next save starts from the stored version: the token names it and what it holds.
        self.data[self.add_prefix(VERSION)] = self._token(
            stored, {name: self._stored_raw(stored, name) for name in self._model_fields()}
        )

    def _stored_raw(self, stored, name):
        return _raw(self.fields[name], self.fields[name].prepare_value(model_value(stored, name)))

    def save(self, commit=True):
        """Saves only if the record is still at the version the form was checked against. The record and
        its lists (topics, target groups) are saved in one transaction, and what follows from them (the
        search entry) is written once for all of them (``register.deferred``)."""
        if not commit:
            return super().save(commit=False)
        with transaction.atomic(), deferred.gathered():
            if self._checked():
                locked = type(self.instance)._default_manager.select_for_update().filter(pk=self.instance.pk).first()
                if locked is not None and version_of(locked) != self._sent()["v"]:
                    raise StaleEdit(gettext("Someone else saved this entry meanwhile; nothing was saved."))
            return super().save(commit=True)
