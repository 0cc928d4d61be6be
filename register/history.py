"""Writes the change history at one place, for every audited record of the register.

Who made a change comes from the request (``AuditUserMiddleware``) or from
``audit_context(user=..., source=...)`` around imports, commands and tasks.
"""

import contextvars
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed

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
