"""Changes of the needs register's many-to-many fields go into the register's change history too."""

from django.db.models.signals import m2m_changed

from register.history import record_change


def _on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove"} or not pk_set or reverse:
        return
    field = next(f.name for f in instance._meta.many_to_many if f.remote_field.through is sender)
    names = sorted(str(obj) for obj in model.objects.filter(pk__in=pk_set))
    verb = "add" if action == "post_add" else "remove"
    record_change(instance, verb, {field: [None, names] if verb == "add" else [names, None]})


def connect_m2m_history():
    from .models import Need, Offer

    for model in (Need, Offer):
        for field in model._meta.many_to_many:
            m2m_changed.connect(_on_m2m_changed, sender=field.remote_field.through, weak=False)
