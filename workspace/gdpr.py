"""GDPR for people: export of everything kept about a person, erasure, and the retention rule.

Erasure removes the personal data and keeps the person's row (marked erased) with its
memberships, so that counts per network, role and organisation stay right.
"""

import json
import re
from datetime import date

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from register.models import AuditedModel, ChangeRecord, Membership, Person

from .models import WorkspaceSettings

# What replaces erased values, in records and in the history.
ERASED = "[erased]"
# The fields of a person that identify them.
PERSONAL_FIELDS = ["given_name", "family_name", "title", "function", "email", "phone", "consent_note"]
# Shorter strings are too common to be searched for and replaced safely.
MIN_IDENTIFIER_LENGTH = 5
TEXT_FIELDS = (models.CharField, models.TextField)


def identifiers(person):
    """The strings that name this person wherever they were copied: full names, e-mail, phone."""
    names = [
        " ".join(part for part in [person.title, person.given_name, person.family_name] if part),
        " ".join(part for part in [person.given_name, person.family_name] if part),
        ", ".join(part for part in [person.family_name, person.given_name] if part),
        person.email,
        person.phone,
    ]
    found = []
    for name in names:
        name = name.strip()
        if len(name) >= MIN_IDENTIFIER_LENGTH and name.casefold() not in {f.casefold() for f in found}:
            found.append(name)
    return sorted(found, key=len, reverse=True)


def _pattern(found):
    return re.compile("|".join(re.escape(item) for item in found), re.IGNORECASE) if found else None


def _scrub(value, pattern):
    """Replace every identifier in a (possibly nested) JSON value."""
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [_scrub(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, pattern) for key, item in value.items()}
    return value


def _mentions(record, pattern):
    text = record.object_repr + json.dumps(record.changes, ensure_ascii=False)
    return bool(pattern.search(text))


def records_about(person):
    """History records of the person and their memberships, and records elsewhere that name them, newest first."""
    own = list(linked_records(person).select_related("user", "content_type"))
    pattern = _pattern(identifiers(person))
    if pattern is None:
        return own
    own_ids = {record.pk for record in own}
    others = [
        record
        for record in ChangeRecord.objects.exclude(pk__in=own_ids).select_related("user", "content_type").iterator()
        if _mentions(record, pattern)
    ]
    return sorted(own + others, key=lambda record: (record.timestamp, record.pk), reverse=True)


def export(person):
    """Everything kept about the person, as a JSON-serialisable dict."""
    data = {"person": {}, "memberships": [], "contact_for": [], "actor_groups": [], "history": []}
    for field in Person._meta.concrete_fields:
        value = field.value_from_object(person)
        data["person"][field.name] = None if value is None else field.value_to_string(person)
    data["person"]["organisation"] = str(person.organisation) if person.organisation_id else None
    memberships = Membership.objects.filter(person=person).select_related("network", "on_behalf_of", "deputy_of")
    for membership in memberships:
        data["memberships"].append(
            {
                "network": membership.network.name,
                "role": membership.role,
                "voting_right": membership.voting_right,
                "on_behalf_of": str(membership.on_behalf_of) if membership.on_behalf_of_id else None,
                "start_date": membership.start_date.isoformat() if membership.start_date else None,
                "end_date": membership.end_date.isoformat() if membership.end_date else None,
                "entry_as_listed": membership.label,
                "source": membership.source,
            }
        )
    for membership in Membership.objects.filter(contact=person).select_related("network"):
        data["contact_for"].append({"network": membership.network.name, "membership": str(membership)})
    data["actor_groups"] = list(person.actor_groups.values_list("name", flat=True))
    for record in records_about(person):
        data["history"].append(
            {
                "time": record.timestamp.isoformat(),
                "user": record.user.get_username() if record.user_id else None,
                "source": record.source,
                "record": record.object_repr,
                "action": record.action,
                "changes": record.changes,
            }
        )
    return data


def _scrub_table(model, found, pattern, email):
    """Replace identifiers in every text and JSON field of one table; returns the number of rows changed."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, TEXT_FIELDS) and not field.primary_key and not field.choices
    ]
    json_fields = [field for field in model._meta.concrete_fields if isinstance(field, models.JSONField)]
    if not fields and not json_fields:
        return 0
    condition = Q()
    for field in fields:
        for item in found:
            condition |= Q(**{f"{field.attname}__icontains": item})
    for field in json_fields:
        condition |= Q(**{f"{field.attname}__isnull": False})
    changed = 0
    for instance in model._base_manager.filter(condition):
        values = {}
        for field in fields:
            value = getattr(instance, field.attname)
            if not value or not pattern.search(value):
                continue
            if isinstance(field, models.EmailField) or (email and value.casefold() == email.casefold()):
                values[field.attname] = ""
            else:
                values[field.attname] = pattern.sub(ERASED, value)[: field.max_length or None]
        for field in json_fields:
            value = getattr(instance, field.attname)
            if value is not None and pattern.search(json.dumps(value, ensure_ascii=False)):
                values[field.attname] = _scrub(value, pattern)
        if not values:
            continue
        try:
            with transaction.atomic():
                _write(model, instance, values)
        except IntegrityError:
            text = {field.attname for field in fields}
            with transaction.atomic():
                _write(model, instance, {n: f"{ERASED} {instance.pk}" if n in text else v for n, v in values.items()})
        changed += 1
    return changed


def _write(model, instance, values):
    if isinstance(instance, AuditedModel):
        for name, value in values.items():
            setattr(instance, name, value)
        instance.save()
    else:
        model._base_manager.filter(pk=instance.pk).update(**values)


def _linked_identifiers(person):
    """In records that belong to the person (their memberships), the family name alone also identifies them."""
    found = identifiers(person)
    family = person.family_name.strip()
    if len(family) >= 3 and family.casefold() not in {item.casefold() for item in found}:
        found.append(family)
    return sorted(found, key=len, reverse=True)


def linked_records(person):
    """The history records of the person and of their memberships."""
    memberships = list(Membership.objects.filter(person=person).values_list("pk", flat=True))
    return ChangeRecord.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Person), object_id=person.pk)
        | Q(content_type=ContentType.objects.get_for_model(Membership), object_id__in=memberships)
    )


def erase(person):
    """Remove the person's data from every table and the history; the row and its memberships stay."""
    if person.erased_at:
        return person
    found = identifiers(person)
    pattern = _pattern(found)
    linked = _pattern(_linked_identifiers(person))
    email = person.email
    with transaction.atomic():
        for membership in Membership.objects.filter(contact=person):
            membership.contact = None
            membership.save()
        for membership in Membership.objects.filter(person=person):
            if linked is not None and linked.search(membership.label):
                membership.label = linked.sub(ERASED, membership.label)
                membership.save()
        for field in PERSONAL_FIELDS:
            setattr(person, field, "")
        person.organisation = None
        person.consent_to_publish = False
        person.erased_at = timezone.now()
        person.save()
        if pattern is not None:
            tables = set(connection.introspection.table_names())
            for model in apps.get_models():
                if model in (ChangeRecord, Person) or model._meta.proxy or model._meta.db_table not in tables:
                    continue
                if model._meta.app_label == "sessions":
                    continue
                _scrub_table(model, found, pattern, email)
        person_type = ContentType.objects.get_for_model(Person)
        own_ids = set()
        for record in linked_records(person):
            own_ids.add(record.pk)
            if record.content_type_id == person_type.pk:
                record.changes = {
                    name: [None if old is None else ERASED, None if new is None else ERASED]
                    if name in PERSONAL_FIELDS
                    else [old, new]
                    for name, (old, new) in record.changes.items()
                }
                record.object_repr = ERASED
            elif linked is not None:
                record.changes = _scrub(record.changes, linked)
                record.object_repr = linked.sub(ERASED, record.object_repr)
            record.save(update_fields=["changes", "object_repr"])
        if pattern is not None:
            for record in ChangeRecord.objects.exclude(pk__in=own_ids).iterator():
                if _mentions(record, pattern):
                    record.object_repr = pattern.sub(ERASED, record.object_repr)
                    record.changes = _scrub(record.changes, pattern)
                    record.save(update_fields=["changes", "object_repr"])
    return person


def months_before(day, months):
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def overdue(today=None):
    """People without an active membership whose last membership ended longer ago than the retention period.

    People who never had a membership count from the day they were entered.
    """
    today = today or timezone.localdate()
    cutoff = months_before(today, WorkspaceSettings.load().retention_months)
    active = Membership.objects.active(today).filter(person=OuterRef("pk"))
    contact = Membership.objects.active(today).filter(contact=OuterRef("pk"))
    pending = Membership.objects.filter(person=OuterRef("pk"), end_date__isnull=True)
    last_end = (
        Membership.objects.filter(person=OuterRef("pk"), end_date__isnull=False)
        .order_by("-end_date")
        .values("end_date")[:1]
    )
    any_membership = Membership.objects.filter(person=OuterRef("pk"))
    return (
        Person.objects.filter(erased_at__isnull=True)
        .annotate(
            has_active=Exists(active),
            is_contact=Exists(contact),
            has_open=Exists(pending),
            has_membership=Exists(any_membership),
            last_end=Subquery(last_end),
        )
        .filter(has_active=False, is_contact=False, has_open=False)
        .filter(Q(has_membership=True, last_end__lt=cutoff) | Q(has_membership=False, created__date__lt=cutoff))
        .order_by("pk")
    )
