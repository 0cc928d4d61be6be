"""Public events seen by their organisers: saving changes (with the waiting list and the mails they
cause), the participant list, documents, cancelling and reinstating."""

from django.db import transaction
from django.db.models import Count, OuterRef, Q
from django.utils import timezone

from register.models import Event, unique_slug
from register.subqueries import count_per_row

from . import registrations
from .models import Registration


def save_event(form):
    """Save the event form. A change of title, time or place raises the calendar revision and tells
    everyone registered; more places move people up from the waiting list. Returns (event, promoted)."""
    with transaction.atomic():
        event = form.save(commit=False)
        if not event.pk:
            event.slug = unique_slug(Event, event.title)
        elif {"title", "start", "end", "location"} & set(form.changed_data):
            event.sequence += 1
        changed = event.pk and event.sequence != form.initial_sequence
        event.save()
        locked = Event.objects.select_for_update().get(pk=event.pk)
        promoted = registrations.promote_waiting(locked)
        if changed:
            registrations.notify_change(event)
    return event, promoted


def participant_data(event):
    """Confirmed and waiting registrations, and the sum of each need among the confirmed."""
    rows = list(event.registrations.active().order_by("status", "created", "pk"))
    sums = event.registrations.filter(status=Registration.Status.CONFIRMED).aggregate(
        **{field: Count("pk", filter=Q(**{field: True})) for field in Registration.NEEDS}
    )
    needs = [(Registration._meta.get_field(field).verbose_name, sums[field]) for field in Registration.NEEDS]
    confirmed = [row for row in rows if row.status == Registration.Status.CONFIRMED]
    waiting = [row for row in rows if row.status == Registration.Status.WAITING]
    return {"confirmed": confirmed, "waiting": waiting, "needs": needs}


def with_counts(events):
    """The events with the number of ``confirmed`` and ``waiting`` registrations, each counted for the
    rows shown (a join would count every registration of every event before a page could be cut)."""
    return events.annotate(
        confirmed=_registrations(Registration.Status.CONFIRMED), waiting=_registrations(Registration.Status.WAITING)
    )


def _registrations(status):
    return count_per_row(Registration.objects.filter(event=OuterRef("pk"), status=status), "event")


def cancel(event):
    return registrations.cancel_event(event)


def reinstate(event):
    return registrations.reinstate_event(event)


def remove_file(document):
    """Delete a document. The stored file stays while the deletion can be undone from the history;
    ``purge_registrations`` removes it later (``meetings.uploads.forget_deleted_files``)."""
    document.delete()


# The lists show each event's place, not its network: a page that names the network (the home page's
# JSON-LD) selects it itself, a network's own page has it already (``dates.public_dates``).


def upcoming(now=None):
    """Public events that have not ended, the next first."""
    return (
        Event.objects.filter(is_public=True, cancelled=False, end__gt=now or timezone.now())
        .select_related("location")
        .order_by("start", "pk")
    )


def past(now=None):
    """Public events that have ended, the latest first (cancelled ones included, marked as such)."""
    return (
        Event.objects.filter(is_public=True, end__lte=now or timezone.now())
        .select_related("location")
        .order_by("-start", "-pk")
    )


def public_files(event):
    return event.files.filter(public=True).order_by("role", "name")
