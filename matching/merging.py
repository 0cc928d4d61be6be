"""Merging two organisations into one, and undoing it.

A merge moves everything that points at the merged organisation to the survivor: memberships,
units, aliases, actor groups, people, programmes, the records of other apps and the change
history. The merged name becomes an alias of the survivor. Everything moved is written down in
a ``Merge`` so that ``undo`` can recreate the organisation with its number and move it all back.
Register records are saved one by one, so the change history records every step.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from register.history import audit_context
from register.models import ChangeRecord, Membership, Organisation, OrganisationAlias

from .models import MatchDecision, Merge, Suggestion

SOURCE = "matching"
HANDLED = {
    (Membership, "organisation"),
    (Organisation, "parent"),
    (OrganisationAlias, "organisation"),
    (Suggestion, "first"),
    (Suggestion, "second"),
}


def _snapshot(instance):
    return {
        field.attname: None if field.value_from_object(instance) is None else field.value_to_string(instance)
        for field in instance._meta.concrete_fields
    }


def _restore(model, snapshot):
    """A new unsaved instance with the values (and the primary key) of a snapshot."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.attname in snapshot:
            raw = snapshot[field.attname]
            values[field.attname] = None if raw is None or (raw == "" and field.null) else field.to_python(raw)
    return model(**values)


def _relations():
    """(model, field name, many-to-many?) for every relation that points at an organisation."""
    found = []
    for relation in Organisation._meta.related_objects:
        model, field = relation.related_model, relation.field
        if (model, field.name) in HANDLED:
            continue
        found.append((model, field.name, relation.many_to_many))
    return found


def check_merge(survivor, merged):
    """Raise ValidationError when the two cannot be merged, saying why."""
    if survivor.pk == merged.pk:
        raise ValidationError(_("An organisation cannot be merged with itself."))
    if merged.pk in {a.pk for a in survivor.ancestors} or survivor.pk in {a.pk for a in merged.ancestors}:
        raise ValidationError(
            _("“%(a)s” and “%(b)s” are a unit and the organisation above it; record the unit instead of merging.")
            % {"a": survivor, "b": merged}
        )
    clashes = sorted(
        set(survivor.units.values_list("name", flat=True)) & set(merged.units.values_list("name", flat=True))
    )
    if clashes:
        raise ValidationError(
            _("Both organisations have a unit named %(names)s. Merge or rename those units first.")
            % {"names": ", ".join(f"“{name}”" for name in clashes)}
        )


def merge(survivor, merged, user=None):
    """Merge ``merged`` into ``survivor``; returns the Merge. Nothing is written if it fails."""
    check_merge(survivor, merged)
    moved = {
        "memberships": [],
        "removed_memberships": [],
        "deputies": [],
        "units": [],
        "aliases": [],
        "removed_aliases": [],
        "created_aliases": [],
        "relations": [],
        "links": [],
        "changes": [],
    }
    try:
        with transaction.atomic(), audit_context(user=user, source=SOURCE):
            snapshot = _snapshot(merged)
            _move_memberships(survivor, merged, moved)
            for unit in merged.units.all():
                unit.parent = survivor
                unit.save()
                moved["units"].append(unit.pk)
            _move_aliases(survivor, merged, moved)
            for model, name, many in _relations():
                if many:
                    for instance in model._base_manager.filter(**{name: merged}):
                        related = getattr(instance, name)
                        had = related.filter(pk=survivor.pk).exists()
                        related.remove(merged)
                        if not had:
                            related.add(survivor)
                        moved["links"].append([model._meta.label, name, instance.pk, had])
                else:
                    for instance in model._base_manager.filter(**{name: merged}):
                        setattr(instance, name, survivor)
                        instance.save()
                        moved["relations"].append([model._meta.label, name, instance.pk])
            content_type = ContentType.objects.get_for_model(Organisation)
            history = ChangeRecord.objects.filter(content_type=content_type, object_id=merged.pk)
            moved["changes"] = list(history.values_list("pk", flat=True))
            history.update(object_id=survivor.pk)
            record = Merge.objects.create(
                survivor=survivor,
                survivor_name=survivor.full_name[:300],
                merged_key=merged.pk,
                merged_name=merged.full_name[:300],
                snapshot=snapshot,
                moved=moved,
                merged_by=user,
            )
            _decide(survivor, merged, MatchDecision.Decision.CONFIRMED, user)
            merged.delete()
            return record
    except IntegrityError as error:
        raise ValidationError(
            _("The merge could not be saved, nothing was changed: %(error)s") % {"error": error}
        ) from error


def _move_memberships(survivor, merged, moved):
    open_seats = {
        (network, role): pk
        for pk, network, role in Membership.objects.filter(organisation=survivor, end_date=None).values_list(
            "pk", "network_id", "role"
        )
    }
    for membership in Membership.objects.filter(organisation=merged):
        seat = open_seats.get((membership.network_id, membership.role))
        if membership.end_date is None and seat is not None:
            # The survivor already holds this seat: the merged one was the same seat written twice.
            for deputy in Membership.objects.filter(deputy_of=membership):
                deputy.deputy_of_id = seat
                deputy.save()
                moved["deputies"].append([deputy.pk, membership.pk])
            moved["removed_memberships"].append(_snapshot(membership))
            membership.delete()
        else:
            membership.organisation = survivor
            membership.save()
            moved["memberships"].append(membership.pk)


def _move_aliases(survivor, merged, moved):
    taken = set(survivor.aliases.values_list("name", flat=True)) | {survivor.name}
    for alias in merged.aliases.all():
        if alias.name in taken:
            moved["removed_aliases"].append(_snapshot(alias))
            alias.delete()
        else:
            alias.organisation = survivor
            alias.save()
            taken.add(alias.name)
            moved["aliases"].append(alias.pk)
    new_names = [(merged.name, OrganisationAlias.Kind.VARIANT)]
    if merged.short_name and merged.short_name != survivor.short_name:
        new_names.append((merged.short_name, OrganisationAlias.Kind.ABBREVIATION))
    for name, kind in new_names:
        if name not in taken:
            alias = OrganisationAlias.objects.create(organisation=survivor, name=name, kind=kind)
            taken.add(name)
            moved["created_aliases"].append(alias.pk)


def _pair(first, second):
    return (first, second) if first.pk < second.pk else (second, first)


def _decide(one, other, decision, user):
    first, second = _pair(one, other)
    MatchDecision.objects.update_or_create(
        first_key=first.pk,
        second_key=second.pk,
        defaults={
            "first_name": first.full_name[:300],
            "second_name": second.full_name[:300],
            "decision": decision,
            "decided_by": user,
            "decided_at": timezone.now(),
        },
    )
    Suggestion.objects.filter(first_id=first.pk, second_id=second.pk).delete()


def reject(one, other, user=None):
    """Record that the two are different organisations; the pair is not proposed again."""
    _decide(one, other, MatchDecision.Decision.REJECTED, user)


def make_unit(unit, parent, user=None):
    """Record that ``unit`` is a unit of ``parent`` and put it there."""
    if unit.pk == parent.pk or unit.pk in {a.pk for a in parent.ancestors}:
        raise ValidationError(_("“%(unit)s” cannot be a unit of its own unit.") % {"unit": unit})
    if Organisation.objects.filter(parent=parent, name=unit.name).exclude(pk=unit.pk).exists():
        raise ValidationError(
            _("“%(parent)s” already has a unit named “%(name)s”; merge the two instead.")
            % {"parent": parent, "name": unit.name}
        )
    with transaction.atomic(), audit_context(user=user, source=SOURCE):
        unit.parent = parent
        unit.full_clean(exclude=["slug"])
        unit.save()
        _decide(unit, parent, MatchDecision.Decision.UNIT_OF, user)


def undo(record, user=None):
    """Recreate the merged organisation with its number and move back what the merge moved."""
    if record.undone_at:
        raise ValidationError(_("This merge has already been undone."))
    if Organisation.objects.filter(pk=record.merged_key).exists():
        raise ValidationError(_("An organisation with the merged one's number exists again; cannot undo."))
    moved = record.moved
    try:
        with transaction.atomic(), audit_context(user=user, source=SOURCE):
            merged = _restore(Organisation, record.snapshot)
            if merged.parent_id and not Organisation.objects.filter(pk=merged.parent_id).exists():
                merged.parent_id = None
            merged.save(force_insert=True)
            for pk in moved["units"]:
                _set(Organisation, pk, "parent_id", merged.pk)
            for pk in moved["memberships"]:
                _set(Membership, pk, "organisation_id", merged.pk)
            for values in moved["removed_memberships"]:
                _restore(Membership, values).save(force_insert=True)
            for deputy, original in moved["deputies"]:
                _set(Membership, deputy, "deputy_of_id", original)
            for pk in moved["aliases"]:
                _set(OrganisationAlias, pk, "organisation_id", merged.pk)
            for pk in moved["created_aliases"]:
                alias = OrganisationAlias.objects.filter(pk=pk).first()
                if alias:
                    alias.delete()
            for values in moved["removed_aliases"]:
                _restore(OrganisationAlias, values).save(force_insert=True)
            from django.apps import apps

            for label, name, pk in moved["relations"]:
                _set(apps.get_model(label), pk, f"{name}_id", merged.pk)
            for label, name, pk, had in moved["links"]:
                instance = apps.get_model(label)._base_manager.filter(pk=pk).first()
                if instance is not None:
                    related = getattr(instance, name)
                    related.add(merged)
                    if not had and record.survivor_id:
                        related.remove(record.survivor_id)
            ChangeRecord.objects.filter(pk__in=moved["changes"]).update(object_id=merged.pk)
            if record.survivor_id:
                first, second = sorted([record.survivor_id, merged.pk])
                MatchDecision.objects.filter(first_key=first, second_key=second).delete()
            record.undone_at = timezone.now()
            record.undone_by = user
            record.save(update_fields=["undone_at", "undone_by"])
            return merged
    except IntegrityError as error:
        raise ValidationError(
            _("The merge could not be undone, nothing was changed: %(error)s") % {"error": error}
        ) from error


def _set(model, pk, attname, value):
    """Point one record back, saved on its own so that the history records it."""
    instance = model._base_manager.filter(pk=pk).first()
    if instance is not None and getattr(instance, attname) != value:
        setattr(instance, attname, value)
        instance.save()
