"""Merging two organisations into one, and undoing it.

A merge moves everything that points at the merged organisation to the survivor: memberships,
units, aliases, actor groups, people, programmes, the records of other apps and the change
history. Field by field, the person merging chooses which entry's value the survivor keeps
(``field_choices``); nothing is dropped: a name not chosen becomes an alias, any other value not
chosen is written into the survivor's history as a note and kept on the ``Merge``. Everything
moved is written down in a ``Merge`` so that ``undo`` can recreate the organisation with its
number, give the survivor its values back and move it all back; the pair then waits for review
again. Register records are saved one by one, so the change history records every step.

Both rows are locked while merging: an edit of the merged entry that comes later fails (the row
is gone, ``register.models.RecordGone``) instead of bringing it back.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from register.history import audit_context, record_note
from register.models import ChangeRecord, Membership, Organisation, OrganisationAlias

from .models import MatchDecision, Merge, Suggestion

SOURCE = "matching"
# Fields chosen together: an address is taken whole from one entry.
ADDRESS = ("street_address", "postal_code", "locality")
# Fields the merge does not offer: the survivor keeps its own.
NOT_CHOSEN = {"id", "slug", "created", "modified", "parent"}
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
    if hasattr(survivor, "network") and hasattr(merged, "network"):
        raise ValidationError(
            _("Both entries stand for a network (%(a)s, %(b)s); unlink one of them first.")
            % {"a": survivor.network, "b": merged.network}
        )
    clashes = sorted(
        set(survivor.units.values_list("name", flat=True)) & set(merged.units.values_list("name", flat=True))
    )
    if clashes:
        raise ValidationError(
            _("Both organisations have a unit named %(names)s. Merge or rename those units first.")
            % {"names": ", ".join(f"“{name}”" for name in clashes)}
        )


def merge_fields():
    """The choices a merge offers: [(key, [field names], label)], one per field and one for the address."""
    choices, address_done = [], False
    for field in Organisation._meta.concrete_fields:
        if not field.editable or field.name in NOT_CHOSEN:
            continue
        if field.name in ADDRESS:
            if not address_done:
                choices.append(("address", list(ADDRESS), _("address")))
                address_done = True
            continue
        choices.append((field.name, [field.name], str(field.verbose_name)))
    return choices


def display_value(organisation, name):
    """A field's value as a person reads it ("" when empty)."""
    field = Organisation._meta.get_field(name)
    value = getattr(organisation, name)
    if value in (None, ""):
        return ""
    if field.choices:
        return str(getattr(organisation, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def default_choices(survivor, merged):
    """Per choice, the side whose value the survivor keeps unless told otherwise: its own, or the
    merged one's where its own is empty."""
    found = {}
    for key, names, _label in merge_fields():
        own = any(display_value(survivor, name) for name in names)
        other = any(display_value(merged, name) for name in names)
        found[key] = "merged" if other and not own else "survivor"
    return found


def _lock(survivor, merged):
    """Both organisations as they are now, their rows locked until the merge commits."""
    rows = Organisation.objects.select_for_update().in_bulk([survivor.pk, merged.pk])
    gone = [organisation for organisation in (survivor, merged) if organisation.pk not in rows]
    if gone:
        raise ValidationError(
            _("“%(name)s” no longer exists: it was merged or deleted meanwhile. Nothing was changed.")
            % {"name": gone[0].name}
        )
    return rows[survivor.pk], rows[merged.pk]


def merge(survivor, merged, user=None, field_choices=None):
    """Merge ``merged`` into ``survivor``; returns the Merge. Nothing is written if it fails.

    ``field_choices`` maps a choice of ``merge_fields()`` to "survivor" or "merged" (default:
    ``default_choices``).
    """
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
        "survivor_fields": {},
    }
    try:
        with transaction.atomic(), audit_context(user=user, source=SOURCE):
            survivor, merged = _lock(survivor, merged)
            check_merge(survivor, merged)
            choices = {**default_choices(survivor, merged), **(field_choices or {})}
            snapshot, survivor_before = _snapshot(merged), _snapshot(survivor)
            taken, not_taken = _chosen_values(survivor, merged, choices)
            _move_memberships(survivor, merged, moved)
            for unit in merged.units.all():
                unit.parent = survivor
                unit.save()
                moved["units"].append(unit.pk)
            _move_aliases(survivor, merged, moved, keep_name=taken.get("name", survivor.name))
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
            merged_key, merged_name = merged.pk, merged.full_name[:300]
            _decide(survivor, merged, MatchDecision.Decision.CONFIRMED, user)
            merged.delete()
            _take_values(survivor, taken, moved)
            record = Merge.objects.create(
                survivor=survivor,
                survivor_name=survivor.full_name[:300],
                merged_key=merged_key,
                merged_name=merged_name,
                snapshot=snapshot,
                moved=moved,
                merged_by=user,
                survivor_before=survivor_before,
                not_taken=not_taken,
            )
            note = _("Merged with “%(name)s” (number %(key)s).") % {"name": merged_name, "key": merged_key}
            if not_taken:
                kept = "; ".join(f"{label}: {value}" for label, value in not_taken.items())
                note += " " + _("Values not taken over: %(values)s") % {"values": kept}
            record_note(survivor, note)
            return record
    except IntegrityError as error:
        raise ValidationError(
            _("The merge could not be saved, nothing was changed: %(error)s") % {"error": error}
        ) from error


def _chosen_values(survivor, merged, choices):
    """({field: value the survivor takes from the merged entry}, {label: value not taken over}).

    A name or short name not chosen is not listed: it becomes an alias.
    """
    taken, not_taken = {}, {}
    for key, names, label in merge_fields():
        keep, drop = (merged, survivor) if choices.get(key) == "merged" else (survivor, merged)
        if keep is merged:
            taken.update({name: getattr(merged, name) for name in names})
        dropped = ", ".join(value for value in (display_value(drop, name) for name in names) if value)
        kept = ", ".join(value for value in (display_value(keep, name) for name in names) if value)
        if dropped and dropped != kept and key not in ("name", "short_name"):
            not_taken[label] = dropped
    return taken, not_taken


def _take_values(survivor, taken, moved):
    """Give the survivor the merged entry's values chosen for it; recorded for undo."""
    if not taken:
        return
    before = survivor.audit_values()
    for name, value in taken.items():
        setattr(survivor, name, value)
    survivor.full_clean(exclude=["slug"])
    survivor.save()
    after = survivor.audit_values()
    moved["survivor_fields"] = {name: [before[name], after[name]] for name in after if before.get(name) != after[name]}


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


def _move_aliases(survivor, merged, moved, keep_name):
    """The merged entry's aliases move; its name (and short name) become aliases, and so does the
    survivor's own name when the survivor takes the merged one's."""
    taken = set(survivor.aliases.values_list("name", flat=True)) | {keep_name}
    for alias in merged.aliases.all():
        if alias.name in taken:
            moved["removed_aliases"].append(_snapshot(alias))
            alias.delete()
        else:
            alias.organisation = survivor
            alias.save()
            taken.add(alias.name)
            moved["aliases"].append(alias.pk)
    new_names = [(merged.name, OrganisationAlias.Kind.VARIANT), (survivor.name, OrganisationAlias.Kind.VARIANT)]
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
    from .services import organisations_changed

    # The background task learns from the new decision and checks the pair's entries again.
    organisations_changed([first.pk, second.pk])


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
    """Recreate the merged organisation with its number, give the survivor its own values back and
    move back what the merge moved; the pair goes back into the review queue."""
    if record.undone_at:
        raise ValidationError(_("This merge has already been undone."))
    if Organisation.objects.filter(pk=record.merged_key).exists():
        raise ValidationError(_("An organisation with the merged one's number exists again; cannot undo."))
    moved = record.moved
    try:
        with transaction.atomic(), audit_context(user=user, source=SOURCE):
            _give_back_values(record)
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
                from .services import keep_pair

                keep_pair(record.survivor, merged, ("merge_undone", {}))
            record.undone_at = timezone.now()
            record.undone_by = user
            record.save(update_fields=["undone_at", "undone_by"])
            return merged
    except IntegrityError as error:
        raise ValidationError(
            _("The merge could not be undone, nothing was changed: %(error)s") % {"error": error}
        ) from error


def _give_back_values(record):
    """The survivor's values before the merge, in the fields the merge changed and nobody since."""
    changed = record.moved.get("survivor_fields") or {}
    survivor = Organisation.objects.select_for_update().filter(pk=record.survivor_id).first()
    if survivor is None or not changed:
        return
    current = survivor.audit_values()
    fields = {field.attname: field for field in Organisation._meta.concrete_fields}
    for attname, (before, after) in changed.items():
        if current.get(attname) == after:
            setattr(survivor, attname, None if before is None else fields[attname].to_python(before))
    survivor.save()


def _set(model, pk, attname, value):
    """Point one record back, saved on its own so that the history records it."""
    instance = model._base_manager.filter(pk=pk).first()
    if instance is not None and getattr(instance, attname) != value:
        setattr(instance, attname, value)
        instance.save()
