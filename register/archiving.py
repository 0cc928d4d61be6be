"""Archive instead of delete: an organisation that no longer works is kept with its history.

Archiving marks the organisation and its units as archived and ends their current memberships
with yesterday as their last day, so the networks show them as former members from today on.
Restoring brings the organisation and the units archived with it back and reopens the memberships
the archive ended, unless they were changed since. Every step is an ordinary save, so the history shows each one.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .history import audit_context
from .models import ChangeRecord, Membership, Organisation

SOURCE = "archive"  # the history's source of the memberships the archive ended (data, not text)


def family(organisation):
    """The organisation and all units below it."""
    found, level = [organisation], [organisation]
    while level:
        level = list(Organisation.objects.filter(parent__in=level))
        found += level
    return found


def open_memberships(organisations):
    """Memberships of these organisations that have not ended yet."""
    today = timezone.localdate()
    return Membership.objects.filter(organisation__in=organisations).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=today)
    )


def archive(organisation, user=None):
    """Archive the organisation and its units; returns the number of memberships ended."""
    if organisation.archived_at is not None:
        raise ValidationError(_("This organisation is already archived."))
    now, yesterday = timezone.now(), timezone.localdate() - datetime.timedelta(days=1)
    with transaction.atomic(), audit_context(user=user, source=SOURCE):
        members = [entry for entry in family(organisation) if entry.archived_at is None]
        ended = 0
        for membership in open_memberships(members):
            start = membership.start_date
            # The end date is a membership's last day; one that has not begun yet ends on its first.
            membership.end_date = start if start and start > yesterday else yesterday
            membership.save()
            ended += 1
        for entry in members:
            entry.archived_at = now
            entry.save()
    return ended


def restore(organisation, user=None):
    """Bring the organisation back with the units archived together with it; returns memberships reopened."""
    if organisation.archived_at is None:
        raise ValidationError(_("This organisation is not archived."))
    if organisation.parent_id and Organisation.objects.filter(pk=organisation.parent_id, archived_at__isnull=False):
        raise ValidationError(_("The organisation it is part of is archived: restore that one first."))
    when = organisation.archived_at
    with transaction.atomic(), audit_context(user=user, source=""):
        members = [entry for entry in family(organisation) if entry.archived_at == when]
        reopened = 0
        memberships = {m.pk: m for m in Membership.objects.filter(organisation__in=members)}
        records = ChangeRecord.objects.filter(
            content_type__app_label="register",
            content_type__model="membership",
            object_id__in=list(memberships),
            source=SOURCE,
            timestamp__gte=when,
        )
        for record in records:
            membership = memberships[record.object_id]
            before, after = record.changes.get("end_date", [None, None])
            if str(membership.end_date) != after:
                continue  # changed since the archive: left as it is
            membership.end_date = Membership._meta.get_field("end_date").to_python(before)
            membership.save()
            reopened += 1
        for entry in members:
            entry.archived_at = None
            entry.save()
    return reopened
