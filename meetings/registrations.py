"""Registration for public events: places, waiting list and automatic promotion, without double booking.

Places are assigned while the event row is locked (``select_for_update`` on PostgreSQL; on SQLite the
settings open every transaction IMMEDIATE, so writers queue up), so concurrent registrations never
confirm more people than the event has places.
"""

from django.contrib.auth.base_user import BaseUserManager
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from register.models import Event

from .calendar import absolute, calendar, event_component, location_text
from .mail import by_language, queue_templated
from .models import CONFIRMATION_HOURS, Registration


class RegistrationRefused(Exception):
    """Registration is not possible; the message says why."""


def closed_reason(event, now=None):
    """Why nobody can register for the event now, or None when registration is open."""
    now = now or timezone.now()
    if not event.is_public:
        return _("This event takes no registrations.")
    if event.cancelled:
        return _("The event has been cancelled.")
    if event.end <= now:
        return _("The event has taken place.")
    if event.start <= now:
        return _("The event has already begun.")
    if event.registration_deadline and event.registration_deadline < now:
        return _("Registration closed on %(date)s.") % {
            "date": formats.date_format(timezone.localtime(event.registration_deadline), "DATETIME_FORMAT")
        }
    return None


def places_left(event):
    if event.capacity is None:
        return None
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    return max(event.capacity - confirmed, 0)


def request_registration(event, **details):
    """Ask to register one person: nothing counts until the address is confirmed (double opt-in).

    Whatever the address, the visitor gets the same answer ("look into your mailbox"); the mail says
    what happened: a link to confirm, or – when the address is already registered – the link to the
    existing registration. A second request before confirmation replaces the first one's details.
    ``details``: name, email, language, and optionally organisation, needs ({field: bool}), needs_details.
    Returns the pending registration, or None when the address was already registered."""
    with transaction.atomic():
        known, pending = store_request(event, **details)
        if known is not None:
            send_mail_for(known, "registration_known")
        else:
            send_mail_for(pending, "registration_confirm")
    return pending


def store_request(event, *, name, email, language, organisation="", needs=None, needs_details=""):
    """Under the event's lock: (the registration already made with this address, None), or (None, the
    pending request with these details)."""
    email = BaseUserManager.normalize_email(email.strip())
    event = Event.objects.select_for_update().get(pk=event.pk)
    reason = closed_reason(event)
    if reason:
        raise RegistrationRefused(reason)
    purge_unconfirmed(event)
    known = event.registrations.active().filter(email__iexact=email).first()
    if known is not None:
        return known, None
    registration = event.registrations.filter(status=Registration.Status.PENDING, email__iexact=email).first()
    registration = registration or Registration(event=event, email=email, status=Registration.Status.PENDING)
    registration.name = name.strip()
    registration.organisation = organisation.strip()
    registration.language = language
    registration.consent_at = registration.created = timezone.now()
    registration.needs_details = needs_details.strip()
    for field in Registration.NEEDS:
        setattr(registration, field, bool((needs or {}).get(field)))
    registration.save()
    return None, registration


def confirm(registration):
    """The address is confirmed: the registration takes a place, or the waiting list when all are taken."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.get(pk=registration.pk)
        if current.status != Registration.Status.PENDING:
            return current
        reason = closed_reason(event)
        if reason:
            raise RegistrationRefused(reason)
        left = places_left(event)
        current.status = Registration.Status.WAITING if left == 0 else Registration.Status.CONFIRMED
        current.confirmed_at = timezone.now()
        current.save(update_fields=["status", "confirmed_at"])
        current.event = event
        send_status_mail(current)
    return current


def enrol(event, **details):
    """Enrol one person whose address is known to be theirs (entered by the organisers): request and
    confirmation in one step, without the confirmation mail. ``details`` as for ``request_registration``."""
    with transaction.atomic():
        known, pending = store_request(event, **details)
        if known is not None:
            raise RegistrationRefused(_("This e-mail address is already registered for the event."))
        return confirm(pending)


def purge_unconfirmed(event=None):
    """Delete requests whose address was not confirmed in time, with the needs they state."""
    expired = Registration.objects.unconfirmed_expired()
    if event is not None:
        expired = expired.filter(event=event)
    deleted, _detail = expired.delete()
    return deleted


def cancel(registration):
    """Cancel a registration; a freed place goes to the first person waiting. Returns the promoted registrations."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
            return []
        if current.status == Registration.Status.PENDING:
            current.delete()  # never confirmed: nothing of it is kept
            registration.status = Registration.Status.CANCELLED
            return []
        was_confirmed = current.status == Registration.Status.CONFIRMED
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        registration.status, registration.cancelled_at = current.status, current.cancelled_at
        send_mail_for(current, "registration_cancelled", ics_method="CANCEL")
        return promote_waiting(event) if was_confirmed else []


def promote_waiting(event):
    """Give free places to the people waiting, first come first served. The caller holds the event lock."""
    if event.cancelled or event.start <= timezone.now():
        return []
    left = places_left(event)
    waiting = event.registrations.waiting_in_order()
    promoted = list(waiting if left is None else waiting[:left])
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = timezone.now()
        registration.save(update_fields=["status", "promoted_at"])
        send_mail_for(registration, "registration_promoted", ics_method="PUBLISH")
    return promoted


def send_status_mail(registration):
    if registration.status == Registration.Status.CONFIRMED:
        send_mail_for(registration, "registration_confirmed", ics_method="PUBLISH")
    else:
        send_mail_for(registration, "registration_waiting")


def registered_language(registration):
    return registration.language


def send_mail_for(registration, template, ics_method=""):
    """Queue the mail ``template`` about the registration in the language of the page the person
    registered on; the event's title in its translation into that language where there is one."""
    event = registration.event
    with translation.override(registration.language):
        context = {
            "registration": registration,
            "event": event,
            "location_line": location_text(event.location),
            "hours": CONFIRMATION_HOURS,
            "event_url": absolute(event.get_absolute_url()),
            "status_url": absolute(reverse("meetings:registration", args=[registration.cancel_token])),
            "cancel_url": absolute(reverse("meetings:registration_cancel", args=[registration.cancel_token])),
            "waiting_position": event.registrations.waiting_in_order()
            .filter(created__lte=registration.created)
            .count(),
        }
        ics = (
            calendar([event_component(event, language=registration.language)], method=ics_method) if ics_method else ""
        )
    return queue_templated(registration.email, template, context, registration.language, ics=ics, method=ics_method)


def notify_change(event):
    """After a change to date, time or place: everyone registered gets the new calendar entry (same UID)."""
    for registration in by_language(event.registrations.active(), registered_language):
        method = "PUBLISH" if registration.status == Registration.Status.CONFIRMED else ""
        send_mail_for(registration, "event_changed", ics_method=method)


def cancel_event(event):
    """Cancel the event; everyone registered gets a CANCEL of the calendar entry they hold."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.cancelled:
            return event
        event.cancelled = True
        event.sequence += 1
        event.save()
        for registration in by_language(event.registrations.active(), registered_language):
            send_mail_for(registration, "event_cancelled", ics_method="CANCEL")
    return event


def reinstate_event(event):
    """Withdraw the cancellation; everyone who was told of it gets the date back (same UID, higher SEQUENCE)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if not event.cancelled:
            return event
        event.cancelled = False
        event.sequence += 1
        event.save()
        for registration in by_language(event.registrations.active(), registered_language):
            method = "PUBLISH" if registration.status == Registration.Status.CONFIRMED else ""
            send_mail_for(registration, "event_reinstated", ics_method=method)
    return event
