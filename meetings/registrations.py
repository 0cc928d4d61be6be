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

from .calendar import absolute, calendar, event_component
from .mail import queue_templated
from .models import Registration


class RegistrationRefused(Exception):
    """Registration is not possible; the message says why."""


def closed_reason(event, now=None):
    """Why nobody can register for the event now, or None when registration is open."""
    now = now or timezone.now()
    if not event.is_public:
        return _("This event takes no registrations.")
    if event.cancelled:
        return _("The event has been cancelled.")
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


def register(event, *, name, email, language, organisation="", needs=None, needs_details=""):
    """Register one person; returns the registration, confirmed or on the waiting list."""
    email = BaseUserManager.normalize_email(email.strip())
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        reason = closed_reason(event)
        if reason:
            raise RegistrationRefused(reason)
        if event.registrations.active().filter(email__iexact=email).exists():
            raise RegistrationRefused(_("This e-mail address is already registered for the event."))
        left = places_left(event)
        registration = Registration.objects.create(
            event=event,
            name=name.strip(),
            email=email,
            organisation=organisation.strip(),
            language=language,
            status=Registration.Status.WAITING if left == 0 else Registration.Status.CONFIRMED,
            consent_at=timezone.now(),
            needs_details=needs_details.strip(),
            **{field: bool((needs or {}).get(field)) for field in Registration.NEEDS},
        )
        send_status_mail(registration)
    return registration


def cancel(registration):
    """Cancel a registration; a freed place goes to the first person waiting. Returns the promoted registrations."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.get(pk=registration.pk)
        if current.status == Registration.Status.CANCELLED:
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


def send_mail_for(registration, template, ics_method=""):
    event = registration.event
    with translation.override(registration.language):
        context = {
            "registration": registration,
            "event": event,
            "event_url": absolute(event.get_absolute_url()),
            "status_url": absolute(reverse("meetings:registration", args=[registration.cancel_token])),
            "cancel_url": absolute(reverse("meetings:registration_cancel", args=[registration.cancel_token])),
            "waiting_position": event.registrations.waiting_in_order()
            .filter(created__lte=registration.created)
            .count(),
        }
    ics = calendar([event_component(event)], method=ics_method) if ics_method else ""
    return queue_templated(registration.email, template, context, registration.language, ics=ics, method=ics_method)


def notify_change(event):
    """After a change to date, time or place: everyone registered gets the new calendar entry (same UID)."""
    for registration in event.registrations.active():
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
        for registration in event.registrations.active():
            send_mail_for(registration, "event_cancelled", ics_method="CANCEL")
    return event
