"""Staff pages for public events: create and edit, the participant list with its exports, documents,
cancelling and reinstating, the outbox. The rules live in ``events`` and ``registrations``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from register import permissions
from register.guards import requires
from register.models import Event, File
from register.tables import listing

from . import events, exports, mail, registrations
from .forms import EventForm, FileForm
from .lists import EventFilter, EventTable
from .models import OutgoingMail, Registration
from .views_staff import confirm_page


def get_event(request, slug):
    event = get_object_or_404(Event.objects.select_related("network", "location"), slug=slug)
    if not permissions.can_manage_event(request.user, event):
        raise PermissionDenied
    return event


@requires(permissions.signed_in)
def event_list(request):
    rows = events.with_counts(Event.objects.select_related("network", "location"))
    if not permissions.is_office(request.user):
        rows = rows.filter(network__in=permissions.networks_editable(request.user))
    filterset, table = listing(
        request,
        queryset=rows.order_by("-start", "pk"),
        filterset_class=EventFilter,
        table_class=EventTable,
        caption=_("Public events"),
    )
    staff = permissions.is_staff_role(request.user)  # who may ask the options endpoint of the search select
    context = {"table": table, "filter": filterset, "can_create": staff, "search_options": staff}
    return render(request, "meetings/staff/event_list.html", context)


@requires(permissions.is_staff_role)
def event_create(request):
    form = EventForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        event, _promoted = events.save_event(form)
        messages.success(request, _("The event is created."))
        return redirect("meetings:participants", event.slug)
    return render(request, "meetings/staff/event_form.html", {"form": form})


@requires(permissions.signed_in)
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


@requires(permissions.signed_in)
def participants(request, slug):
    event = get_event(request, slug)
    return render(request, "meetings/staff/participants.html", participants_context(event))


@requires(permissions.signed_in)
def participants_xlsx(request, slug):
    event = get_event(request, slug)
    response = HttpResponse(
        exports.participants_workbook(event, events.participant_data(event)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-teilnehmende.xlsx"'
    return response


@requires(permissions.signed_in)
def participants_pdf(request, slug):
    event = get_event(request, slug)
    response = HttpResponse(
        exports.sign_in_sheet(event, events.participant_data(event)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-unterschriftenliste.pdf"'
    return response


@requires(permissions.signed_in)
def needs_pdf(request, slug):
    """The confidential list of needs, printed only when an organiser asks for it."""
    event = get_event(request, slug)
    response = HttpResponse(exports.needs_sheet(event, events.participant_data(event)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-bedarfe-vertraulich.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@requires(permissions.signed_in)
@require_POST
def participant_cancel(request, slug, pk):
    event = get_event(request, slug)
    registration = get_object_or_404(Registration, event=event, pk=pk)
    promoted = registrations.cancel(registration)
    messages.success(request, _("The registration of %(name)s is cancelled.") % {"name": registration.name})
    for person in promoted:
        messages.info(request, _("%(name)s moved up from the waiting list.") % {"name": person.name})
    return redirect("meetings:participants", event.slug)


@requires(permissions.signed_in)
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


@requires(permissions.signed_in)
@require_POST
def event_reinstate(request, slug):
    event = get_event(request, slug)
    events.reinstate(event)
    messages.success(request, _("The event takes place again; everyone registered is told."))
    return redirect("meetings:participants", event.slug)


@requires(permissions.signed_in)
@require_POST
def event_file_upload(request, slug):
    event = get_event(request, slug)
    form = FileForm(request.POST, request.FILES, event=event, prefix="file")
    if not form.is_valid():
        return render(request, "meetings/staff/participants.html", participants_context(event, form), status=400)
    form.save()
    messages.success(request, _("The file is uploaded."))
    return redirect("meetings:participants", event.slug)


@requires(permissions.signed_in)
@require_POST
def event_file_delete(request, slug, file_pk):
    event = get_event(request, slug)
    events.remove_file(get_object_or_404(File, event=event, pk=file_pk))
    messages.success(request, _("The file is removed."))
    return redirect("meetings:participants", event.slug)


@requires(permissions.is_office)
def outbox(request):
    context = {"failed": mail.failed_mails(), "counts": mail.outbox_counts()}
    return render(request, "meetings/staff/outbox.html", context)


@require_POST
@requires(permissions.is_office)
def outbox_retry(request, pk):
    queued = mail.retry(get_object_or_404(OutgoingMail, pk=pk))
    if queued:
        messages.success(request, _("The mail is queued again."))
    else:
        messages.info(request, _("This mail has not failed; there is nothing to retry."))
    return redirect("meetings:outbox")
