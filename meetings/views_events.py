"""Staff pages for public events: create and edit, the participant list with its exports, documents,
cancelling and reinstating, the outbox. The rules live in ``events`` and ``registrations``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from register import permissions
from register.models import Event, File

from . import events, exports, mail, registrations
from .forms import EventForm, FileForm
from .models import OutgoingMail, Registration
from .views_staff import confirm_page

# Rows on one page of a staff list.
PER_PAGE = 50


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


@login_required
def event_list(request):
    rows = events.with_counts(Event.objects.select_related("network", "location"))
    if not permissions.is_office(request.user):
        rows = rows.filter(network__in=permissions.networks_editable(request.user))
    page = Paginator(rows.order_by("-start"), PER_PAGE).get_page(request.GET.get("page"))
    context = {"events": page, "can_create": may_create_event(request.user)}
    return render(request, "meetings/staff/event_list.html", context)


@login_required
def event_create(request):
    if not may_create_event(request.user):
        raise PermissionDenied
    form = EventForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        event, _promoted = events.save_event(form)
        messages.success(request, _("The event is created."))
        return redirect("meetings:participants", event.slug)
    return render(request, "meetings/staff/event_form.html", {"form": form})


@login_required
def event_edit(request, slug):
    event = get_event(request, slug)
    form = EventForm(request.POST if request.method == "POST" else None, instance=event, user=request.user)
    if request.method == "POST" and form.is_valid():
        event, promoted = events.save_event(form)
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


def participants_context(event, file_form=None):
    return {
        "event": event,
        **events.participant_data(event),
        "files": list(event.files.all()),
        "file_form": file_form or FileForm(event=event, prefix="file"),
    }


@login_required
def participants(request, slug):
    event = get_event(request, slug)
    return render(request, "meetings/staff/participants.html", participants_context(event))


@login_required
def participants_xlsx(request, slug):
    event = get_event(request, slug)
    response = HttpResponse(
        exports.participants_workbook(event, events.participant_data(event)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-teilnehmende.xlsx"'
    return response


@login_required
def participants_pdf(request, slug):
    event = get_event(request, slug)
    response = HttpResponse(
        exports.sign_in_sheet(event, events.participant_data(event)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-unterschriftenliste.pdf"'
    return response


@login_required
def needs_pdf(request, slug):
    """The confidential list of needs, printed only when an organiser asks for it."""
    event = get_event(request, slug)
    response = HttpResponse(exports.needs_sheet(event, events.participant_data(event)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-bedarfe-vertraulich.pdf"'
    response["Cache-Control"] = "no-store"
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
def event_cancel(request, slug):
    """Asks first; on confirmation cancels and tells everyone registered."""
    event = get_event(request, slug)
    if request.method == "POST":
        events.cancel(event)
        messages.success(request, _("The event is cancelled; everyone registered is told."))
        return redirect("meetings:participants", event.slug)
    registered = event.registrations.active().count()
    return confirm_page(
        request,
        title=_("Cancel the event?"),
        question=_("Do you want to cancel “%(name)s”?") % {"name": event.title},
        consequence=ngettext(
            "%(count)d person registered gets a cancellation by e-mail. You can reinstate the event later.",
            "%(count)d people registered get a cancellation by e-mail. You can reinstate the event later.",
            registered,
        )
        % {"count": registered},
        action=request.path,
        back=reverse("meetings:participants", args=[event.slug]),
        button=_("Yes, cancel the event"),
    )


@login_required
@require_POST
def event_reinstate(request, slug):
    event = get_event(request, slug)
    events.reinstate(event)
    messages.success(request, _("The event takes place again; everyone registered is told."))
    return redirect("meetings:participants", event.slug)


@login_required
@require_POST
def event_file_upload(request, slug):
    event = get_event(request, slug)
    form = FileForm(request.POST, request.FILES, event=event, prefix="file")
    if not form.is_valid():
        return render(request, "meetings/staff/participants.html", participants_context(event, form), status=400)
    form.save()
    messages.success(request, _("The file is uploaded."))
    return redirect("meetings:participants", event.slug)


@login_required
@require_POST
def event_file_delete(request, slug, file_pk):
    event = get_event(request, slug)
    events.remove_file(get_object_or_404(File, event=event, pk=file_pk))
    messages.success(request, _("The file is removed."))
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
