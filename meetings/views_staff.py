"""Staff pages for meetings: list, create (single or series), agenda, files, invitations, attendance."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from register import permissions
from register.models import AgendaItem, File, Meeting, Network

from . import invitations
from .calendar import private_feed_url
from .forms import AgendaItemForm, AttendanceForm, FileForm, LocationForm, MeetingForm, MeetingSeriesForm
from .models import Attendance, Invitation
from .stats import attendance_by_member, attendance_summary


def get_meeting(request, pk, edit=False):
    meeting = get_object_or_404(Meeting.objects.select_related("network", "location"), pk=pk)
    allowed = permissions.can_edit_network if edit else permissions.can_view_internal
    if not allowed(request.user, meeting.network):
        raise PermissionDenied
    return meeting


@login_required
def meeting_list(request):
    networks = permissions.networks_visible_internally(request.user)
    meetings = (
        Meeting.objects.filter(network__in=networks)
        .select_related("network", "location")
        .annotate(
            invited=Count("invitations", distinct=True),
            accepted=Count("invitations", filter=Q(invitations__response=Invitation.Response.ACCEPTED), distinct=True),
        )
    )
    now = timezone.now()
    context = {
        "upcoming": meetings.filter(end__gte=now).order_by("start"),
        "past": meetings.filter(end__lt=now).order_by("-start")[:50],
        "can_create": permissions.networks_editable(request.user).exists(),
        "is_office": permissions.is_office(request.user),
    }
    return render(request, "meetings/staff/meeting_list.html", context)


@login_required
def meeting_create(request):
    if not permissions.networks_editable(request.user).exists():
        raise PermissionDenied
    form = MeetingForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        meeting = form.save()
        messages.success(request, _("The meeting is created."))
        return redirect("meetings:meeting", meeting.pk)
    return render(request, "meetings/staff/meeting_form.html", {"form": form})


@login_required
def series_create(request):
    if not permissions.networks_editable(request.user).exists():
        raise PermissionDenied
    form = MeetingSeriesForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            series = form.save()
            created = series.generate()
        messages.success(
            request,
            ngettext("%(count)d meeting created.", "%(count)d meetings created.", len(created))
            % {"count": len(created)},
        )
        return redirect("meetings:list")
    return render(request, "meetings/staff/series_form.html", {"form": form})


@login_required
def location_create(request):
    if not permissions.networks_editable(request.user).exists():
        raise PermissionDenied
    form = LocationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        location = form.save()
        messages.success(request, _("The location “%(name)s” is saved.") % {"name": location})
        return redirect("meetings:list")
    return render(request, "meetings/staff/location_form.html", {"form": form})


@login_required
def meeting_edit(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    before = {field: getattr(meeting, field) for field in invitations.SIGNIFICANT_FIELDS}
    form = MeetingForm(request.POST if request.method == "POST" else None, instance=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            meeting = form.save()
            notify = (
                meeting.state == Meeting.State.INVITED
                and meeting.invitations.exists()
                and invitations.changed_significantly(meeting, before)
            )
            if notify:
                invitations.send_update(meeting)
        if notify:
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
        "agenda": list(meeting.agenda_items.all()),
        "files": list(meeting.files.select_related("agenda_item")),
        "invitations": list(
            meeting.invitations.select_related(
                "membership__organisation", "membership__person", "membership__actor_group"
            ).order_by("email")
        ),
        "summary": attendance_summary(meeting),
        "agenda_form": agenda_form or AgendaItemForm(prefix="agenda"),
        "file_form": file_form or FileForm(meeting=meeting, prefix="file"),
        "feed_url": private_feed_url(meeting.network),
    }


@login_required
def meeting_detail(request, pk):
    meeting = get_meeting(request, pk)
    return render(request, "meetings/staff/meeting_detail.html", meeting_context(request, meeting))


@login_required
@require_POST
def meeting_invite(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    if meeting.state in {Meeting.State.CANCELLED, Meeting.State.HELD}:
        messages.error(request, _("A cancelled or held meeting cannot be sent out."))
        return redirect("meetings:meeting", meeting.pk)
    sent, without_address = invitations.invite(meeting)
    messages.success(
        request, ngettext("%(count)d invitation queued.", "%(count)d invitations queued.", sent) % {"count": sent}
    )
    if without_address:
        names = ", ".join(str(membership.member) for membership in without_address)
        messages.warning(request, _("No e-mail address known for: %(names)s") % {"names": names})
    return redirect("meetings:meeting", meeting.pk)


@login_required
@require_POST
def meeting_cancel(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    invitations.cancel_meeting(meeting)
    messages.success(request, _("The meeting is cancelled; everyone invited is told."))
    return redirect("meetings:meeting", meeting.pk)


@login_required
@require_POST
def meeting_held(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    if meeting.state == Meeting.State.CANCELLED or meeting.start > timezone.now():
        messages.error(request, _("Only a meeting that has begun and is not cancelled can be marked as held."))
    else:
        meeting.state = Meeting.State.HELD
        meeting.save()
        messages.success(request, _("The meeting is marked as held."))
    return redirect("meetings:meeting", meeting.pk)


@login_required
@require_POST
def agenda_add(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    form = AgendaItemForm(request.POST, prefix="agenda")
    if not form.is_valid():
        context = meeting_context(request, meeting, agenda_form=form)
        return render(request, "meetings/staff/meeting_detail.html", context, status=400)
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        item = form.save(commit=False)
        item.meeting = meeting
        item.position = (meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1
        item.save()
    messages.success(request, _("The agenda item is added."))
    return redirect("meetings:meeting", meeting.pk)


@login_required
@require_POST
def agenda_move(request, pk, item_pk):
    meeting = get_meeting(request, pk, edit=True)
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        items = list(meeting.agenda_items.all())
        index = next((i for i, item in enumerate(items) if item.pk == item_pk), None)
        if index is None:
            raise Http404
        other = index - 1 if request.POST.get("direction") == "up" else index + 1
        if 0 <= other < len(items):
            first, second = items[index], items[other]
            first_position, second_position = first.position, second.position
            first.position = items[-1].position + 1
            first.save()
            second.position = first_position
            second.save()
            first.position = second_position
            first.save()
    return redirect("meetings:meeting", meeting.pk)


@login_required
@require_POST
def agenda_delete(request, pk, item_pk):
    meeting = get_meeting(request, pk, edit=True)
    get_object_or_404(AgendaItem, meeting=meeting, pk=item_pk).delete()
    messages.success(request, _("The agenda item is removed."))
    return redirect("meetings:meeting", meeting.pk)


@login_required
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


@login_required
@require_POST
def file_delete(request, pk, file_pk):
    meeting = get_meeting(request, pk, edit=True)
    # The stored file stays while the deletion can be undone; purge_registrations removes it later.
    get_object_or_404(File, meeting=meeting, pk=file_pk).delete()
    messages.success(request, _("The file is removed."))
    return redirect("meetings:meeting", meeting.pk)


def file_download(request, pk, file_pk):
    document = get_object_or_404(File.objects.select_related("meeting__network"), meeting_id=pk, pk=file_pk)
    public = document.public and document.meeting.is_public
    if not public and not permissions.can_view_internal(request.user, document.meeting.network):
        raise Http404
    filename = os.path.basename(document.file.name)
    return FileResponse(document.file.open("rb"), content_type=document.mime_type, filename=filename)


@login_required
def attendance(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    memberships = (
        meeting.network.memberships.active(on=timezone.localdate(meeting.start))
        .select_related("organisation", "person", "actor_group")
        .order_by("position", "pk")
    )
    form = AttendanceForm(request.POST if request.method == "POST" else None, meeting=meeting, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The attendance is saved."))
        return redirect("meetings:meeting", meeting.pk)
    return render(request, "meetings/staff/attendance.html", {"meeting": meeting, "form": form})


@login_required
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
        "feed_url": private_feed_url(network),
    }
    return render(request, "meetings/staff/network_attendance.html", context)
