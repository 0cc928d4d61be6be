"""Invitations of network members to meetings; changes and cancellations update the same calendar entry."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from register.models import Meeting

from .calendar import absolute, calendar, meeting_component
from .mail import queue_templated
from .models import Invitation

# Changing one of these after invitations went out sends an update with a higher SEQUENCE (RFC 5546 3.2.2).
SIGNIFICANT_FIELDS = {"name", "start", "end", "location_id"}


def recipient_email(membership):
    """The address to invite a seat at: its contact person, the person itself, else the organisation."""
    for person in (membership.contact, membership.person):
        if person is not None and person.email and person.erased_at is None:
            return person.email
    if membership.organisation is not None and membership.organisation.email:
        return membership.organisation.email
    return ""


def invite(meeting):
    """Invite every active member with an address who has not got the current revision yet.

    Returns (number of mails queued, memberships without an address).
    """
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",)).select_related("network", "location").get(pk=meeting.pk)
        )
        if meeting.state in {Meeting.State.CANCELLED, Meeting.State.HELD}:
            return 0, []
        memberships = meeting.network.memberships.active().select_related("person", "contact", "organisation")
        existing = {invitation.membership_id: invitation for invitation in meeting.invitations.all()}
        sent, without_address = 0, []
        for membership in memberships:
            invitation = existing.get(membership.pk)
            if invitation is None:
                email = recipient_email(membership)
                if not email:
                    without_address.append(membership)
                    continue
                invitation = Invitation.objects.create(meeting=meeting, membership=membership, email=email)
            elif invitation.sent_sequence == meeting.sequence:
                continue
            send_invitation(meeting, invitation, "invitation", "REQUEST")
            sent += 1
        if meeting.state == Meeting.State.PLANNED:
            meeting.state = Meeting.State.INVITED
            meeting.save()
    return sent, without_address


def changed_significantly(meeting, before):
    """Whether the fields a calendar shows differ from ``before`` (a dict of field values)."""
    return any(getattr(meeting, field) != before.get(field) for field in SIGNIFICANT_FIELDS)


def send_update(meeting):
    """After a change to an invited meeting: raise SEQUENCE and send everyone the new version."""
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",)).select_related("network", "location").get(pk=meeting.pk)
        )
        meeting.sequence += 1
        meeting.save()
        for invitation in meeting.invitations.all():
            send_invitation(meeting, invitation, "invitation_update", "REQUEST")
    return meeting


def cancel_meeting(meeting):
    """Cancel the meeting; the invited get a CANCEL of the same calendar entry."""
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",)).select_related("network", "location").get(pk=meeting.pk)
        )
        if meeting.state == Meeting.State.CANCELLED:
            return meeting
        meeting.state = Meeting.State.CANCELLED
        meeting.sequence += 1
        meeting.save()
        for invitation in meeting.invitations.all():
            send_invitation(meeting, invitation, "invitation_cancelled", "CANCEL")
    return meeting


def send_invitation(meeting, invitation, template, method):
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "meeting": meeting,
            "agenda": list(meeting.agenda_items.all()),
            "rsvp_url": absolute(reverse("meetings:rsvp", args=[invitation.token])),
        }
    ics = calendar([meeting_component(meeting, attendee=invitation.email)], method=method)
    queue_templated(invitation.email, template, context, language, ics=ics, method=method)
    invitation.sent_sequence = meeting.sequence
    invitation.save(update_fields=["sent_sequence"])
