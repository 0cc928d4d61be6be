"""Invitations of network members to meetings; changes and cancellations update the same calendar entry.

Each invitation goes out in the preferred language of the person whose address it is (the seat's
contact person or the person in the seat); to an organisation's address in the site's language.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from register.models import Meeting, SiteIdentity

from . import agenda, exports
from .calendar import absolute, calendar, location_text, meeting_component
from .mail import by_language, fetch_translations, queue_templated
from .models import Invitation

# Changing one of these after invitations went out sends an update with a higher SEQUENCE (RFC 5546 3.2.2).
SIGNIFICANT_FIELDS = {"name", "start", "end", "location_id"}


def recipient_person(membership):
    """The person whose address a seat is invited at: its contact person, else the person in the seat."""
    for person in (membership.contact, membership.person):
        if person is not None and person.email and person.erased_at is None:
            return person
    return None


def recipient_email(membership):
    """The address to invite a seat at: its contact person, the person itself, else the organisation."""
    person = recipient_person(membership)
    if person is not None:
        return person.email
    if membership.organisation is not None and membership.organisation.email:
        return membership.organisation.email
    return ""


def recipient_language(invitation):
    """The language to write an invitation in: that of the person whose address it went to, else the site's."""
    person = recipient_person(invitation.membership)
    if person is not None and person.email.casefold() == invitation.email.casefold():
        return person.language
    return settings.LANGUAGE_CODE


def invitations_of(meeting):
    """The meeting's invitations with the people they go to, one language after the other."""
    invitations = meeting.invitations.select_related("membership__contact", "membership__person")
    return by_language(invitations, recipient_language)


def recipient_phone(membership):
    """A phone number to reach a seat by: its contact person, the person itself, else the organisation."""
    for person in (membership.contact, membership.person):
        if person is not None and person.phone and person.erased_at is None:
            return person.phone
    if membership.organisation is not None and membership.organisation.phone:
        return membership.organisation.phone
    return ""


def postal_address(membership):
    """The lines of a letter's address: the organisation (or the represented one) and its address."""
    organisation = membership.organisation or membership.on_behalf_of
    lines = []
    if membership.person is not None and membership.person.erased_at is None:
        lines.append(str(membership.person))
    elif membership.contact is not None and membership.contact.erased_at is None:
        lines.append(str(membership.contact))
    if organisation is not None:
        lines.append(organisation.full_name)
        lines += [organisation.street_address, f"{organisation.postal_code} {organisation.locality}".strip()]
    elif membership.actor_group is not None:
        lines.append(membership.actor_group.name)
    return [line for line in lines if line]


def without_address(meeting):
    """The active seats the office cannot invite by e-mail, each with ``phone`` and ``address`` set."""
    memberships = meeting.network.memberships.active().select_related(
        "person", "contact", "organisation", "actor_group", "on_behalf_of"
    )
    invited = set(meeting.invitations.values_list("membership_id", flat=True))
    missing = []
    for membership in memberships.order_by("position", "pk"):
        if membership.pk in invited or recipient_email(membership):
            continue
        membership.phone = recipient_phone(membership)
        membership.address_lines = postal_address(membership)
        organisation = membership.organisation or membership.on_behalf_of
        membership.address_known = bool(organisation and (organisation.street_address or organisation.locality))
        missing.append(membership)
    return missing


def letters_pdf(meeting, memberships):
    """One printable invitation letter per seat without e-mail (WeasyPrint)."""
    return exports.pdf(
        "meetings/staff/invitation_letters.html",
        {**mail_context(meeting), "site": SiteIdentity.current(), "letters": memberships},
    )


def mail_context(meeting):
    """What invitations show: the numbered agenda, the place in one line and the tasks still open."""
    return {
        "meeting": meeting,
        "agenda": agenda.numbered(meeting),
        "location_line": location_text(meeting.location),
        "open_tasks": list(agenda.open_tasks_for(meeting)),
    }


def invite(meeting):
    """Invite every active member with an address who has not got the current revision yet.

    Returns (number of mails queued, memberships without an address); a cancelled or held meeting
    is not sent out (ValidationError).
    """
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",)).select_related("network", "location").get(pk=meeting.pk)
        )
        if meeting.state in {Meeting.State.CANCELLED, Meeting.State.HELD}:
            raise ValidationError(_("A cancelled or held meeting cannot be sent out."))
        memberships = meeting.network.memberships.active().select_related("person", "contact", "organisation")
        existing = {invitation.membership_id: invitation for invitation in meeting.invitations.all()}
        due, without_address = [], []
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
            invitation.membership = membership
            due.append(invitation)
        context = mail_context(meeting)
        for invitation in by_language(due, recipient_language):
            send_invitation(meeting, invitation, "invitation", "REQUEST", context)
        sent = len(due)
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
        context = mail_context(meeting)
        for invitation in invitations_of(meeting):
            send_invitation(meeting, invitation, "invitation_update", "REQUEST", context)
    return meeting


def cancel_meeting(meeting):
    """Cancel the meeting; the invited get a CANCEL of the same calendar entry."""
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",)).select_related("network", "location").get(pk=meeting.pk)
        )
        if meeting.state == Meeting.State.CANCELLED:
            return meeting
        meeting.state_before_cancel = meeting.state
        meeting.state = Meeting.State.CANCELLED
        meeting.sequence += 1
        meeting.save()
        context = mail_context(meeting)
        for invitation in invitations_of(meeting):
            send_invitation(meeting, invitation, "invitation_cancelled", "CANCEL", context)
    return meeting


def reinstate_meeting(meeting):
    """Withdraw the cancellation: the meeting returns to its earlier state, and everyone invited gets the
    date back as a new revision of the same calendar entry."""
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",)).select_related("network", "location").get(pk=meeting.pk)
        )
        if meeting.state != Meeting.State.CANCELLED:
            return meeting
        meeting.state = meeting.state_before_cancel or Meeting.State.PLANNED
        meeting.state_before_cancel = ""
        meeting.sequence += 1
        meeting.save()
        context = mail_context(meeting)
        for invitation in invitations_of(meeting):
            send_invitation(meeting, invitation, "invitation_reinstated", "REQUEST", context)
    return meeting


def send_invitation(meeting, invitation, template, method, context=None):
    """Queue one invitation (or its update) in its recipient's language, with the calendar entry.
    ``context``: ``mail_context(meeting)``, made once for all the invitations of a sending."""
    language = recipient_language(invitation)
    context = context or mail_context(meeting)
    fetch_translations(language, [meeting.network], context["agenda"])
    with translation.override(language):
        rsvp_url = absolute(reverse("meetings:rsvp", args=[invitation.token]))
        ics = calendar([meeting_component(meeting, attendee=invitation.email, language=language)], method=method)
    context = {**context, "rsvp_url": rsvp_url}
    queue_templated(invitation.email, template, context, language, ics=ics, method=method)
    invitation.sent_sequence = meeting.sequence
    invitation.save(update_fields=["sent_sequence"])
