"""What every record of the register shares: timestamps and a change history."""

import copy
import functools

from django.core.exceptions import ObjectDoesNotExist
from django.db import DatabaseError, models
from django.dispatch import Signal
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _

from ..text import free_slug

# Sent after ``create_in_bulk`` inserted records (no model signals): ``instances`` are the new records,
# for what is derived from them (the networks the public search's entries sit in).
created_in_bulk = Signal()

# Fields whose changes are not worth a line in the history (the last one is derived from a network's texts).
UNTRACKED_FIELDS = {"created", "modified", "first_date_in_texts", "hosted"}


class RecordGone(ObjectDoesNotExist):
    """A record was saved after another user deleted it or merged it into another one."""


@functools.cache
def _labels_of(field):
    """{value: label} of a field's fixed choices; None for choices given by a callable (read anew each time)."""
    if not isinstance(field.choices, list | tuple):
        return None
    return dict(make_hashable(field.flatchoices))


class AuditedModel(models.Model):
    """A record whose every create, update and delete is written to the change history.

    The values the record had when it was loaded are kept, so that a save records only
    the fields that really changed (old and new value). Bulk updates bypass this; the
    register's code saves record by record, or inserts many new records with ``create_in_bulk``.
    """

    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    modified = models.DateTimeField(_("modified"), auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from register.history import record_change

        creating = self._state.adding
        before = getattr(self, "_audit_snapshot", {})
        if not creating and self.pk is not None and not kwargs.get("force_insert") and not args:
            # A loaded record is updated, never inserted again: saving a record that was deleted or
            # merged meanwhile fails instead of bringing it back.
            kwargs.setdefault("force_update", not kwargs.get("update_fields"))
        try:
            super().save(*args, **kwargs)
        except DatabaseError as error:
            # Django's own error for an UPDATE that found no row (not one from the database).
            if creating or type(error) is not DatabaseError or "did not affect any rows" not in str(error):
                raise
            raise RecordGone(
                _("“%(record)s” no longer exists: it was deleted or merged into another entry meanwhile.")
                % {"record": self}
            ) from error
        after = self.audit_values()
        if creating:
            changes = _created(after)
        else:
            changes = {
                name: [before.get(name), value]
                for name, value in after.items()
                if name in before and before[name] != value
            }
        self._audit_snapshot = after
        if creating or changes:
            record_change(self, "create" if creating else "update", changes)

    def delete(self, *args, **kwargs):
        from register.history import record_change

        values = self.audit_values()
        record_change(
            self, "delete", {name: [value, None] for name, value in values.items() if value not in (None, "")}
        )
        return super().delete(*args, **kwargs)

    @classmethod
    def create_in_bulk(cls, instances, batch_size=500):
        """Insert new records with one INSERT per ``batch_size``, each with the history line ``save()``
        would write. No model signals are sent, so the token of the public pages is renewed here, and
        ``created_in_bulk`` tells what is derived from the records."""
        from register import freshness
        from register.history import record_changes

        if not instances:
            return
        cls.objects.bulk_create(instances, batch_size=batch_size)
        lines = []
        for instance in instances:
            instance._audit_snapshot = instance.audit_values()
            lines.append((instance, _created(instance._audit_snapshot)))
        record_changes(lines, "create", batch_size)
        freshness.data_changed()
        created_in_bulk.send(sender=cls, instances=instances)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if cls._has_mutable_fields():
            # A value such as a JSON list can be changed in place: keep a copy of it as loaded.
            instance._audit_snapshot = copy.deepcopy(instance.audit_values())
        else:
            # The values as loaded, kept as they are: they become the history's strings only when
            # the record is saved, not for every row a page reads.
            instance._audit_loaded = (field_names, values)
        return instance

    @classmethod
    @functools.cache
    def _has_mutable_fields(cls):
        return any(isinstance(field, models.JSONField) for field in cls._meta.concrete_fields)

    @property
    def _audit_snapshot(self):
        """The tracked fields as loaded (or last saved), the way the history stores them; missing on
        a record that was neither loaded nor saved."""
        if "_audit_before" not in self.__dict__:
            if "_audit_loaded" not in self.__dict__:
                raise AttributeError("_audit_snapshot")
            field_names, values = self.__dict__.pop("_audit_loaded")
            as_loaded = type(self).__new__(type(self))  # the loaded values alone, for audit_values()
            as_loaded.__dict__.update(zip(field_names, values, strict=True))
            self.__dict__["_audit_before"] = as_loaded.audit_values()
        return self.__dict__["_audit_before"]

    @_audit_snapshot.setter
    def _audit_snapshot(self, values):
        self.__dict__.pop("_audit_loaded", None)
        self.__dict__["_audit_before"] = values

    def audit_values(self):
        """The tracked fields as strings, the way the history stores them."""
        values = {}
        deferred = self.get_deferred_fields()  # not loaded (.only()/.defer()): reading them would query
        for field in self._meta.concrete_fields:
            # Columns the database computes (``GeneratedField``) follow the fields they are made of.
            if field.primary_key or field.generated or field.name in UNTRACKED_FIELDS or field.attname in deferred:
                continue
            value = field.value_from_object(self)
            values[field.attname] = None if value is None else field.value_to_string(self)
        return values

    def _get_FIELD_display(self, field):
        """``get_FOO_display()``: the label of the value, looked up among the field's choices gathered once.

        Django gathers them anew for every call, hashing each label (a lazy translation, translated to be
        hashed): 70 µs a call, 3 ms for the roles of a network's 40 members. The label is still translated
        into the language of the moment when it is shown."""
        labels = _labels_of(field)
        if labels is None:
            return super()._get_FIELD_display(field)
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


def _created(values):
    """The history's changes of a new record: every field that has a value."""
    return {name: [None, value] for name, value in values.items() if value not in (None, "")}


def unique_slug(model, text, instance=None, max_length=120):
    """A slug for ``text`` that no other row of ``model`` uses yet (the rule of ``register.text.free_slug``)."""
    others = model.objects.exclude(pk=instance.pk) if instance and instance.pk else model.objects.all()
    return free_slug(text, lambda slug: others.filter(slug=slug).exists(), max_length)
