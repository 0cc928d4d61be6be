"""Reading the register's history for one record, and undoing one recorded change."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import FileField, Max, ProtectedError
from django.utils.translation import gettext as _

from meetings.uploads import DELETED_FILES_KEPT_DAYS
from register.history import described, fields_by_attname
from register.history import field_label as label_for
from register.models import ChangeRecord

from .accounts import HISTORY_FIELDS


class UndoError(Exception):
    """The change cannot be undone; the message says why."""


def _as_python(field, value):
    return None if value is None else field.to_python(value)


def _validate(instance):
    try:
        instance.full_clean()
    except ValidationError as error:
        messages = []
        for field, errors in error.message_dict.items():
            prefix = "" if field == "__all__" else f"{label_for(type(instance), field)}: "
            messages.extend(prefix + message for message in errors)
        raise UndoError(" ".join(messages)) from error


def _check_stored_files(instance):
    """A record brought back must find its file: deleted files are kept only for a while."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, FileField):
            name = getattr(instance, field.attname).name
            if name and not field.storage.exists(name):
                raise UndoError(
                    _("The file itself was deleted for good after %(days)s days; please upload it again.")
                    % {"days": DELETED_FILES_KEPT_DAYS}
                )


def undo(record):
    """Apply the values before ``record``; returns the new record, which points back to ``record``."""
    if record.reverted_by.exists():
        raise UndoError(_("This change has already been undone."))
    model = record.content_type.model_class()
    fields = fields_by_attname(model)
    with transaction.atomic():
        last_pk = ChangeRecord.objects.aggregate(last=Max("pk"))["last"] or 0
        if record.action == ChangeRecord.Action.UPDATE:
            try:
                instance = model.objects.select_for_update().get(pk=record.object_id)
            except ObjectDoesNotExist as error:
                raise UndoError(_("The record no longer exists.")) from error
            current = instance.audit_values()
            changed_since = [
                label_for(model, name) for name, (_old, new) in record.changes.items() if current.get(name) != new
            ]
            if changed_since:
                raise UndoError(
                    _("These fields were changed again since, undo the later change first: %(fields)s")
                    % {"fields": ", ".join(changed_since)}
                )
            for name, (old, _new) in record.changes.items():
                setattr(instance, name, _as_python(fields[name], old))
            _validate(instance)
            instance.save()
        elif record.action == ChangeRecord.Action.CREATE:
            instance = model.objects.filter(pk=record.object_id).first()
            if instance is None:
                raise UndoError(_("The record no longer exists."))
            try:
                instance.delete()
            except ProtectedError as error:
                raise UndoError(_("The record is still in use by other records and cannot be removed.")) from error
        elif record.action == ChangeRecord.Action.DELETE:
            if model.objects.filter(pk=record.object_id).exists():
                raise UndoError(_("The record exists again."))
            instance = model(pk=record.object_id)
            for name, (old, _new) in record.changes.items():
                if name in fields:
                    setattr(instance, name, _as_python(fields[name], old))
            _validate(instance)
            _check_stored_files(instance)
            instance.save(force_insert=True)
        else:
            raise UndoError(_("Links added or removed cannot be undone here; edit the record instead."))
        new_record = (
            ChangeRecord.objects.filter(pk__gt=last_pk, content_type=record.content_type, object_id=record.object_id)
            .order_by("pk")
            .first()
        )
        if new_record is None:
            raise UndoError(_("Nothing to undo: the values are already as before."))
        new_record.reverts = record
        new_record.save(update_fields=["reverts"])
    return new_record


def rows_for(records):
    """Records with their changes in words (``register.history.described``): (record, [(label, old, new)])."""
    return described(records, HISTORY_FIELDS)
