"""GDPR for people: export of everything kept about a person, erasure, and the retention rule.

Erasure removes the personal data and keeps the person's row (marked erased) with its
memberships, so that counts per network, role and organisation stay right. It looks for every
name, e-mail address and phone number the person ever had (their history keeps earlier ones) in
every table: text and JSON are cleaned, stored import files that name them are deleted, mails to
them are deleted, their event registrations are anonymised, sessions holding their data end, and
the page cache is emptied.
"""

import html
import io
import json
import re
import zipfile
from datetime import date

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import IntegrityError, connection, models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from importing.models import TabularImport
from meetings.models import OutgoingMail, Registration
from register.models import AuditedModel, ChangeRecord, Membership, Person
from vernetzt.page_cache import forget_pages

from .models import WorkspaceSettings

# What replaces erased values, in records and in the history.
ERASED = "[erased]"
# The fields of a person that identify them.
PERSONAL_FIELDS = ["given_name", "family_name", "title", "function", "email", "phone", "consent_note"]
# Shorter strings are too common to be searched for and replaced safely.
MIN_IDENTIFIER_LENGTH = 5
TEXT_FIELDS = (models.CharField, models.TextField)


def known_values(person):
    """{field: set of values} the person has now and had before, read from their history."""
    fields = ["title", "given_name", "family_name", "email", "phone"]
    values = {name: {getattr(person, name).strip()} for name in fields}
    for changes in linked_records(person, memberships=False).values_list("changes", flat=True):
        for name in fields:
            for value in changes.get(name) or []:
                if value and value != ERASED:
                    values[name].add(value.strip())
    return {name: {value for value in found if value} for name, found in values.items()}


def identifiers(person):
    """The strings that name this person wherever they were copied: every full name they ever had
    (a changed family name too), every e-mail address and phone number."""
    known = known_values(person)
    names = []
    for family in known["family_name"] or {""}:
        for given in known["given_name"] or {""}:
            names.append(" ".join(part for part in [given, family] if part))
            names.append(", ".join(part for part in [family, given] if part))
            for title in known["title"]:
                names.append(" ".join(part for part in [title, given, family] if part))
    found = []
    for name in [*names, *known["email"], *known["phone"]]:
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
    """In records that belong to the person (their memberships), a family name alone also identifies them."""
    found = identifiers(person)
    for family in known_values(person)["family_name"]:
        if len(family) >= 3 and family.casefold() not in {item.casefold() for item in found}:
            found.append(family)
    return sorted(found, key=len, reverse=True)


def linked_records(person, memberships=True):
    """The history records of the person and (unless ``memberships`` is false) of their memberships."""
    condition = Q(content_type=ContentType.objects.get_for_model(Person), object_id=person.pk)
    if memberships:
        ids = list(Membership.objects.filter(person=person).values_list("pk", flat=True))
        condition |= Q(content_type=ContentType.objects.get_for_model(Membership), object_id__in=ids)
    return ChangeRecord.objects.filter(condition)


def _binary_text(value):
    """The text inside stored file content: the XML of an Office or OpenDocument file, or plain text."""
    data = bytes(value)
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts = [archive.read(name) for name in archive.namelist() if name.endswith(".xml")]
        except (zipfile.BadZipFile, OSError):
            parts = [data]
        return html.unescape(" ".join(part.decode("utf-8", "replace") for part in parts))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _names_person(text, known, pattern):
    """Whether a file's text names the person: a full name, address or number, or one of their given
    names together with one of their family names (a table keeps them in separate cells)."""
    if pattern.search(text):
        return True
    folded = text.casefold()
    families = [name for name in known["family_name"] if len(name) >= 3]
    givens = [name for name in known["given_name"] if len(name) >= 2]
    return any(f.casefold() in folded for f in families) and any(g.casefold() in folded for g in givens)


def _forget_files(known, pattern):
    """Stored file contents (imports) that name the person are deleted: a file cannot be edited safely."""
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        fields = [field for field in model._meta.concrete_fields if isinstance(field, models.BinaryField)]
        if not fields or model._meta.db_table not in tables:
            continue
        for row in model._base_manager.only("pk", *(field.attname for field in fields)).iterator():
            emptied = {
                field.attname: b""
                for field in fields
                if getattr(row, field.attname)
                and _names_person(_binary_text(getattr(row, field.attname)), known, pattern)
            }
            if emptied:
                model._base_manager.filter(pk=row.pk).update(**emptied)
    # An import whose file is gone can no longer be applied.
    TabularImport.objects.filter(content=b"").exclude(
        status__in=[TabularImport.Status.APPLIED, TabularImport.Status.EXPIRED]
    ).update(status=TabularImport.Status.EXPIRED)


def _erase_own_records(emails):
    """Records made for the person under one of their addresses: mails to them are deleted, their
    event registrations keep only what counts (status, needs ticked) for the event's planning."""
    emails = {email.casefold() for email in emails}
    for mail in OutgoingMail.objects.all().only("pk", "recipient").iterator():
        if mail.recipient.casefold() in emails:
            OutgoingMail.objects.filter(pk=mail.pk).delete()
    for registration in Registration.objects.all().only("pk", "email").iterator():
        if registration.email.casefold() in emails:
            Registration.objects.filter(pk=registration.pk).update(
                name=ERASED, email=f"erased-{registration.pk}@invalid", organisation="", needs_details=""
            )


def _forget_sessions(pattern):
    """Sessions that hold the person's data (a form kept after a session ended) end."""
    for session in Session.objects.all().iterator():
        if pattern.search(json.dumps(session.get_decoded(), ensure_ascii=False)):
            session.delete()


def erase(person):
    """Remove the person's data from every table and the history; the row and its memberships stay."""
    if person.erased_at:
        return person
    found = identifiers(person)
    pattern = _pattern(found)
    linked = _pattern(_linked_identifiers(person))
    email = person.email
    known = known_values(person)
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
        person.language = settings.LANGUAGE_CODE
        person.erased_at = timezone.now()
        person.save()
        _erase_own_records(known["email"])
        if pattern is not None:
            _forget_files(known, pattern)
            _forget_sessions(pattern)
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
        # Pages that showed the person must not be served from the cache for another minute.
        transaction.on_commit(forget_pages)
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
    # A membership that is open or ended since the cutoff keeps the person; the cutoff lies before today (a month
    # at least), so this covers every active and future one too. The people who hold one, who are the contact
    # of an active one and who have any are each read once (hashed by the database), not asked person by person.
    seats = Membership.objects.filter(person__isnull=False)
    kept = seats.filter(Q(end_date__isnull=True) | Q(end_date__gte=cutoff)).values("person")
    contacts = Membership.objects.active(today).filter(contact__isnull=False).values("contact")
    last_end = (
        Membership.objects.filter(person=OuterRef("pk"), end_date__isnull=False)
        .order_by("-end_date")
        .values("end_date")[:1]
    )
    return (
        Person.objects.filter(erased_at__isnull=True)
        .exclude(pk__in=kept)
        .exclude(pk__in=contacts)
        .filter(Q(created__date__lt=cutoff) | Q(pk__in=seats.values("person")))
        .annotate(last_end=Subquery(last_end))
        .order_by("pk")
    )
