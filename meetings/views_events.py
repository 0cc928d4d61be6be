"""Staff pages for public events: create and edit, the participant list with its exports, the outbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from register import permissions
from register.models import Event

from . import exports, mail, registrations
from .forms import EventForm
from .models import OutgoingMail, Registration


def can_manage_event(user, event):
    return permissions.is_office(user) or (
        event.network_id is not None and permissions.can_edit_network(user, event.network)
    )


def get_event(request, slug):
    event = get_object_or_404(Event.objects.select_related("network", "location"), slug=slug)
    if not can_manage_event(request.user, event):
        raise PermissionDenied
    return event


def may_create_event(user):
    return permissions.is_office(user) or permissions.networks_editable(user).exists()


def confirmed_and_waiting():
    return {
        "confirmed": Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
        "waiting": Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
    }


@login_required
def event_list(request):
    events = Event.objects.select_related("network", "location").annotate(**confirmed_and_waiting())
    if not permissions.is_office(request.user):
        events = events.filter(network__in=permissions.networks_editable(request.user))
    context = {"events": events.order_by("-start"), "can_create": may_create_event(request.user)}
    return render(request, "meetings/staff/event_list.html", context)


@login_required
def event_create(request):
    if not may_create_event(request.user):
        raise PermissionDenied
    form = EventForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        event = form.save()
        messages.success(request, _("The event is created."))
        return redirect("meetings:participants", event.slug)
    return render(request, "meetings/staff/event_form.html", {"form": form})


@login_required
def event_edit(request, slug):
    event = get_event(request, slug)
    sequence = event.sequence
    form = EventForm(request.POST if request.method == "POST" else None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            event = form.save()
            locked = Event.objects.select_for_update().get(pk=event.pk)
            promoted = registrations.promote_waiting(locked)
            if event.sequence != sequence:
                registrations.notify_change(event)
        messages.success(request, _("The event is saved."))
        if promoted:
            messages.info(
                request,
                ngettext(
                    "%(count)d person moved up from the waiting list.",
                    "%(count)d people moved up from the waiting list.",
                    len(promoted),
                )
                % {"count": len(promoted)},
            )
        return redirect("meetings:participants", event.slug)
    return render(request, "meetings/staff/event_form.html", {"form": form, "event": event})


def participant_data(event):
    rows = list(event.registrations.active().order_by("status", "created", "pk"))
    sums = event.registrations.filter(status=Registration.Status.CONFIRMED).aggregate(
        **{field: Count("pk", filter=Q(**{field: True})) for field in Registration.NEEDS}
    )
    needs = [(Registration._meta.get_field(field).verbose_name, sums[field]) for field in Registration.NEEDS]
    confirmed = [row for row in rows if row.status == Registration.Status.CONFIRMED]
    waiting = [row for row in rows if row.status == Registration.Status.WAITING]
    return {"confirmed": confirmed, "waiting": waiting, "needs": needs}


@login_required
def participants(request, slug):
    event = get_event(request, slug)
    context = {"event": event, **participant_data(event)}
    return render(request, "meetings/staff/participants.html", context)


@login_required
def participants_xlsx(request, slug):
    event = get_event(request, slug)
    response = HttpResponse(
        exports.participants_workbook(event, participant_data(event)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-teilnehmende.xlsx"'
    return response


@login_required
def participants_pdf(request, slug):
    event = get_event(request, slug)
    response = HttpResponse(exports.sign_in_sheet(event, participant_data(event)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-unterschriftenliste.pdf"'
    return response


@login_required
@require_POST
def participant_cancel(request, slug, pk):
    event = get_event(request, slug)
    registration = get_object_or_404(Registration, event=event, pk=pk)
    promoted = registrations.cancel(registration)
    messages.success(request, _("The registration of %(name)s is cancelled.") % {"name": registration.name})
    for person in promoted:
        messages.info(request, _("%(name)s moved up from the waiting list.") % {"name": person.name})
    return redirect("meetings:participants", event.slug)


@login_required
@require_POST
def event_cancel(request, slug):
    event = get_event(request, slug)
    registrations.cancel_event(event)
    messages.success(request, _("The event is cancelled; everyone registered is told."))
    return redirect("meetings:participants", event.slug)


@login_required
def outbox(request):
    if not permissions.is_office(request.user):
        raise PermissionDenied
    counts = dict(OutgoingMail.objects.values_list("status").annotate(total=Count("pk")).values_list("status", "total"))
    context = {
        "failed": OutgoingMail.objects.filter(status=OutgoingMail.Status.FAILED)[:200],
        "counts": [(label, counts.get(value, 0)) for value, label in OutgoingMail.Status.choices],
    }
    return render(request, "meetings/staff/outbox.html", context)


@login_required
@require_POST
def outbox_retry(request, pk):
    if not permissions.is_office(request.user):
        raise PermissionDenied
    queued = mail.retry(get_object_or_404(OutgoingMail, pk=pk))
    if queued:
        messages.success(request, _("The mail is queued again."))
    else:
        messages.info(request, _("This mail has not failed; there is nothing to retry."))
    return redirect("meetings:outbox")
