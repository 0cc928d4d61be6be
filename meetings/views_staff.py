"""Staff pages for meetings: list, create (single or series), agenda, files, invitations, cancelling.

Views check permissions, bind forms and call the services (``agenda``, ``invitations``, ``minutes``);
the rules live there and in the models."""

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from register import permissions
from register.guards import public, requires
from register.models import AgendaItem, File, Meeting, Network
from register.tables import filtered, paged

from . import agenda, events, feeds, invitations, planning
from .forms import AgendaItemChangeForm, AgendaItemForm, FileForm, LocationForm, MeetingForm, MeetingSeriesForm
from .lists import MeetingFilter, MeetingTable
from .models import Attendance
from .stats import attendance_by_member, attendance_summary, meeting_rows


def get_meeting(request, pk, edit=False):
    meeting = get_object_or_404(Meeting.objects.select_related("network", "location"), pk=pk)
    allowed = permissions.can_edit_network if edit else permissions.can_view_internal
    if not allowed(request.user, meeting.network):
        raise PermissionDenied
    return meeting


def report(request, error):
    for message in error.messages:
        messages.error(request, message)


# The next meetings listed in full; the filters find the others.
UPCOMING_LIMIT = 50


@requires(permissions.signed_in)
def meeting_list(request):
    """Upcoming meetings in full, past ones as a sorted, paged table; the filters apply to both."""
    now = timezone.now()
    filterset, rows = filtered(
        request, meeting_rows(permissions.meetings_visible_internally(request.user)), MeetingFilter
    )
    # A past meeting also started in the past (it ends after it starts): said, so that the latest are read
    # from the index on the start without passing the upcoming ones.
    past = MeetingTable(rows.filter(start__lt=now, end__lt=now).order_by("-start", "pk"), caption=_("Past meetings"))
    upcoming = rows.filter(end__gte=now)
    # The keys of the next ones first, then their rows: the upcoming meetings are few among many, found through
    # the index on the end. Walking the index on the start in order, PostgreSQL would pass every past meeting
    # first (it cannot know that they all come first); the start as an expression (never empty, so the order
    # is the start's) keeps it on the short way.
    keys = upcoming.order_by(Coalesce("start", "end"), "pk").values("pk")[: UPCOMING_LIMIT + 1]
    first = list(rows.filter(pk__in=keys).order_by("start", "pk"))
    context = {
        "filter": filterset,
        "upcoming": first[:UPCOMING_LIMIT],
        # Counted only when there are more than the page lists.
        "upcoming_total": upcoming.count() if len(first) > UPCOMING_LIMIT else len(first),
        "past": paged(request, past),
        "can_create": permissions.is_staff_role(request.user),
        # The network filter searches as you type where the options endpoint answers (its rule).
        "search_options": permissions.is_staff_role(request.user),
        "is_office": permissions.is_office(request.user),
    }
    return render(request, "meetings/staff/meeting_list.html", context)


@requires(permissions.is_staff_role)
def meeting_create(request):
    form = MeetingForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        meeting = planning.create_meeting(form.save(commit=False))
        if meeting.state == Meeting.State.HELD:
            messages.success(request, _("The meeting is recorded as held; you can now write its minutes."))
        else:
            messages.success(request, _("The meeting is created."))
        return redirect("meetings:meeting", meeting.pk)
    return render(request, "meetings/staff/meeting_form.html", {"form": form})


@requires(permissions.is_staff_role)
def series_create(request):
    form = MeetingSeriesForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        created = planning.create_series(form.save(commit=False))
        messages.success(
            request,
            ngettext("%(count)d meeting created.", "%(count)d meetings created.", len(created))
            % {"count": len(created)},
        )
        return redirect("meetings:list")
    return render(request, "meetings/staff/series_form.html", {"form": form})


@requires(permissions.is_staff_role)
def location_create(request):
    form = LocationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        location = form.save()
        messages.success(request, _("The location “%(name)s” is saved.") % {"name": location})
        return redirect("meetings:list")
    return render(request, "meetings/staff/location_form.html", {"form": form})


@requires(permissions.signed_in)
def meeting_edit(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    before = planning.snapshot(meeting)
    form = MeetingForm(request.POST if request.method == "POST" else None, instance=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        meeting, notified = planning.save_meeting(form.save(commit=False), before)
        if notified:
            messages.success(request, _("The meeting is changed and everyone invited gets the update."))
        else:
            messages.success(request, _("The meeting is changed."))
        return redirect("meetings:meeting", meeting.pk)
    return render(request, "meetings/staff/meeting_form.html", {"form": form, "meeting": meeting})


def meeting_context(request, meeting, agenda_form=None, file_form=None):
    can_edit = permissions.can_edit_network(request.user, meeting.network)
    return {
        "meeting": meeting,
        "can_edit": can_edit,
        "agenda": agenda.numbered(meeting),
        "open_tasks": list(agenda.open_tasks_for(meeting)),
        "files": list(meeting.files.select_related("agenda_item")),
        "invitations": list(
            meeting.invitations.select_related(
                "membership__organisation", "membership__person", "membership__actor_group"
            ).order_by("email")
        ),
        "without_address": invitations.without_address(meeting) if can_edit else [],
        "summary": attendance_summary(meeting),
        "agenda_form": agenda_form or AgendaItemForm(prefix="agenda"),
        "file_form": file_form or FileForm(meeting=meeting, prefix="file"),
        "feed_url": feeds.private_feed_url(request.user, meeting.network),
    }


@requires(permissions.signed_in)
def meeting_detail(request, pk):
    meeting = get_meeting(request, pk)
    return render(request, "meetings/staff/meeting_detail.html", meeting_context(request, meeting))


@requires(permissions.signed_in)
@require_POST
def meeting_invite(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    try:
        sent, missing = invitations.invite(meeting)
    except ValidationError as error:
        report(request, error)
        return redirect("meetings:meeting", meeting.pk)
    messages.success(
        request, ngettext("%(count)d invitation queued.", "%(count)d invitations queued.", sent) % {"count": sent}
    )
    if missing:
        messages.warning(
            request,
            ngettext(
                "%(count)d member has no e-mail address: see the list below and the printable letter.",
                "%(count)d members have no e-mail address: see the list below and the printable letters.",
                len(missing),
            )
            % {"count": len(missing)},
        )
    return redirect("meetings:meeting", meeting.pk)


@requires(permissions.signed_in)
def invitation_letters(request, pk):
    """Printable invitation letters for the members without an e-mail address (PDF)."""
    meeting = get_meeting(request, pk, edit=True)
    missing = invitations.without_address(meeting)
    if not missing:
        messages.info(request, _("Every member can be invited by e-mail; there is no letter to print."))
        return redirect("meetings:meeting", meeting.pk)
    response = HttpResponse(invitations.letters_pdf(meeting, missing), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="einladung-{meeting.pk}-briefe.pdf"'
    return response


def confirm_page(request, *, title, question, consequence, action, back, button):
    context = {
        "title": title,
        "question": question,
        "consequence": consequence,
        "action": action,
        "back": back,
        "button": button,
    }
    return render(request, "meetings/staff/confirm.html", context)


@requires(permissions.signed_in)
def meeting_cancel(request, pk):
    """Asks first; on confirmation cancels and tells everyone invited (a CANCEL of their calendar entry)."""
    meeting = get_meeting(request, pk, edit=True)
    if request.method == "POST":
        invitations.cancel_meeting(meeting)
        messages.success(request, _("The meeting is cancelled; everyone invited is told."))
        return redirect("meetings:meeting", meeting.pk)
    invited = meeting.invitations.count()
    return confirm_page(
        request,
        title=_("Cancel the meeting?"),
        question=_("Do you want to cancel “%(name)s”?") % {"name": meeting},
        consequence=ngettext(
            "%(count)d person invited gets a cancellation by e-mail. You can reinstate the meeting later.",
            "%(count)d people invited get a cancellation by e-mail. You can reinstate the meeting later.",
            invited,
        )
        % {"count": invited},
        action=request.path,
        back=reverse("meetings:meeting", args=[meeting.pk]),
        button=_("Yes, cancel the meeting"),
    )


@requires(permissions.signed_in)
@require_POST
def meeting_reinstate(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    invitations.reinstate_meeting(meeting)
    messages.success(request, _("The meeting takes place again; everyone who was told of the cancellation is told."))
    return redirect("meetings:meeting", meeting.pk)


@requires(permissions.signed_in)
@require_POST
def agenda_add(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    form = AgendaItemForm(request.POST, prefix="agenda")
    if not form.is_valid():
        context = meeting_context(request, meeting, agenda_form=form)
        return render(request, "meetings/staff/meeting_detail.html", context, status=400)
    try:
        agenda.add_item(meeting, form.save(commit=False))
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("The agenda item is added."))
    return redirect("meetings:meeting", meeting.pk)


@requires(permissions.signed_in)
def agenda_edit(request, pk, item_pk):
    """Change an item and record its result; possible until the minutes are approved."""
    meeting = get_meeting(request, pk, edit=True)
    item = get_object_or_404(AgendaItem, meeting=meeting, pk=item_pk)
    item.meeting = meeting
    form = AgendaItemChangeForm(request.POST if request.method == "POST" else None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            agenda.save_item(form.save(commit=False))
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("The agenda item is saved."))
            return redirect(request.POST.get("next") or "meetings:minutes", meeting.pk)
    context = {"meeting": meeting, "item": item, "form": form, "locked": meeting.minutes_approved}
    return render(request, "meetings/staff/agenda_item_form.html", context, status=400 if form.errors else 200)


@requires(permissions.signed_in)
@require_POST
def agenda_move(request, pk, item_pk):
    meeting = get_meeting(request, pk, edit=True)
    try:
        agenda.move_item(meeting, item_pk, request.POST.get("direction"))
    except AgendaItem.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        report(request, error)
    return redirect("meetings:meeting", meeting.pk)


@requires(permissions.signed_in)
@require_POST
def agenda_delete(request, pk, item_pk):
    meeting = get_meeting(request, pk, edit=True)
    try:
        agenda.remove_item(meeting, item_pk)
    except AgendaItem.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("The agenda item is removed."))
    return redirect("meetings:meeting", meeting.pk)


@requires(permissions.signed_in)
@require_POST
def file_upload(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    form = FileForm(request.POST, request.FILES, meeting=meeting, prefix="file")
    if not form.is_valid():
        context = meeting_context(request, meeting, file_form=form)
        return render(request, "meetings/staff/meeting_detail.html", context, status=400)
    form.save()
    messages.success(request, _("The file is uploaded."))
    return redirect("meetings:meeting", meeting.pk)


@requires(permissions.signed_in)
@require_POST
def file_delete(request, pk, file_pk):
    meeting = get_meeting(request, pk, edit=True)
    events.remove_file(get_object_or_404(File, meeting=meeting, pk=file_pk))
    messages.success(request, _("The file is removed."))
    return redirect("meetings:meeting", meeting.pk)


@public
def file_download(request, pk, file_pk):
    """Public files of public meetings for everybody; the others for those who see the network inside."""
    document = get_object_or_404(File.objects.select_related("meeting__network"), meeting_id=pk, pk=file_pk)
    shown_publicly = document.public and document.meeting.is_public
    if not shown_publicly and not permissions.can_view_internal(request.user, document.meeting.network):
        raise Http404
    filename = os.path.basename(document.file.name)
    return FileResponse(document.file.open("rb"), content_type=document.mime_type, filename=filename)


@requires(permissions.signed_in)
def network_attendance(request, slug):
    network = get_object_or_404(Network, slug=slug)
    if not permissions.can_view_internal(request.user, network):
        raise PermissionDenied
    held = network.meetings.filter(state=Meeting.State.HELD).count()
    context = {
        "network": network,
        "held": held,
        "rows": attendance_by_member(network),
        "statuses": Attendance.Status,
        "feed_url": feeds.private_feed_url(request.user, network),
    }
    return render(request, "meetings/staff/network_attendance.html", context)


@requires(permissions.signed_in)
@require_POST
def feed_key_renew(request, slug):
    """A new private calendar address for the signed-in person; the old one stops working."""
    network = get_object_or_404(Network, slug=slug)
    if not permissions.can_view_internal(request.user, network):
        raise PermissionDenied
    feeds.renew(request.user, network)
    messages.success(request, _("Your calendar address is renewed; the old one no longer works."))
    return redirect("meetings:network_attendance", network.slug)
