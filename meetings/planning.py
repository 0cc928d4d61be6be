"""Planning meetings: one at a time or a whole series, in the future or – to record it – in the past.

A meeting entered for a past date is recorded as held, ready for attendance and minutes. Whenever
meetings are added, items postponed at earlier meetings move onto the next one.
"""

from django.db import transaction
from django.utils import timezone

from register.models import Meeting

from . import agenda, invitations


def snapshot(meeting):
    """The values an update to those invited depends on, before a change."""
    return {field: getattr(meeting, field) for field in invitations.SIGNIFICANT_FIELDS}


def create_meeting(meeting):
    """Save a new meeting (from the form)."""
    with transaction.atomic():
        if meeting.start < timezone.now():
            meeting.state = Meeting.State.HELD
        meeting.save()
        agenda.carry_postponed(meeting.network)
    return meeting


def create_series(series):
    """Save the series (from the form) and create its meetings. Returns the meetings."""
    with transaction.atomic():
        series.save()
        created = series.generate()
        agenda.carry_postponed(series.network)
    return created


def save_meeting(meeting, before):
    """Save a changed meeting; those invited get an update when title, time or place changed.
    Returns (meeting, whether they were told)."""
    with transaction.atomic():
        meeting.save()
        notify = (
            meeting.state == Meeting.State.INVITED
            and meeting.invitations.exists()
            and invitations.changed_significantly(meeting, before)
        )
        if notify:
            meeting = invitations.send_update(meeting)
    return meeting, notify
