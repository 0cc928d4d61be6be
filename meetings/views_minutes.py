"""Staff pages of the minutes: attendance from the seats, the draft item by item with results and
follow-up tasks, members' comments, approval; and the "Beschlusskontrolle" of a network."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from register import permissions
from register.guards import requires
from register.models import FollowUp, Network

from . import followups, minutes
from .forms import AttendanceForm, CommentForm, FollowUpForm, MinutesIntroForm
from .views_staff import confirm_page, get_meeting, report


@requires(permissions.signed_in)
def attendance(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    form = AttendanceForm(
        request.POST if request.method == "POST" else None, meeting=meeting, seats=minutes.seats(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            minutes.save_attendance(meeting, form.statuses())
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("The attendance is saved."))
            return redirect("meetings:minutes", meeting.pk)
    return render(request, "meetings/staff/attendance.html", {"meeting": meeting, "form": form})


@requires(permissions.signed_in)
@require_POST
def meeting_held(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    try:
        minutes.mark_held(meeting)
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("The meeting is marked as held."))
    return redirect("meetings:meeting", meeting.pk)


def minutes_context(request, meeting, intro_form=None, task_form=None, comment_form=None):
    can_edit = permissions.can_edit_network(request.user, meeting.network)
    return {
        **minutes.context(meeting, public_only=False),
        "can_edit": can_edit and not meeting.minutes_approved,
        "intro_form": intro_form or MinutesIntroForm(instance=meeting, prefix="intro"),
        "task_form": task_form or FollowUpForm(meeting=meeting, prefix="task"),
        "comment_form": comment_form or CommentForm(meeting=meeting, prefix="comment"),
        "comments": list(minutes.comments(meeting)),
        "may_comment": meeting.minutes_status == "shared",
    }


@requires(permissions.signed_in)
def minutes_page(request, pk):
    """The minutes: for coordinators the draft to write, for members the draft to comment on."""
    meeting = get_meeting(request, pk)
    return render(request, "meetings/staff/minutes.html", minutes_context(request, meeting))


@requires(permissions.signed_in)
@require_POST
def minutes_intro(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    form = MinutesIntroForm(request.POST, instance=meeting, prefix="intro")
    if meeting.minutes_approved:
        messages.error(request, _("The minutes are approved and can no longer change."))
    elif form.is_valid():
        form.save()
        messages.success(request, _("The opening of the minutes is saved."))
    else:
        return render(
            request, "meetings/staff/minutes.html", minutes_context(request, meeting, intro_form=form), status=400
        )
    return redirect("meetings:minutes", meeting.pk)


@requires(permissions.signed_in)
@require_POST
def task_add(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    form = FollowUpForm(request.POST, meeting=meeting, prefix="task")
    if not form.is_valid():
        context = minutes_context(request, meeting, task_form=form)
        return render(request, "meetings/staff/minutes.html", context, status=400)
    try:
        followups.add(form.save(commit=False))
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("The task is added."))
    return redirect("meetings:minutes", meeting.pk)


@requires(permissions.signed_in)
@require_POST
def task_delete(request, pk, task_pk):
    meeting = get_meeting(request, pk, edit=True)
    try:
        followups.remove(get_object_or_404(FollowUp, meeting=meeting, pk=task_pk))
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("The task is removed."))
    return redirect("meetings:minutes", meeting.pk)


@requires(permissions.signed_in)
@require_POST
def task_done(request, task_pk):
    """Mark a task done, or open it again; from the Beschlusskontrolle or a meeting's page."""
    task = get_object_or_404(FollowUp.objects.select_related("meeting__network"), pk=task_pk)
    if not permissions.can_edit_network(request.user, task.meeting.network):
        raise PermissionDenied
    if request.POST.get("reopen"):
        followups.reopen(task)
        messages.success(request, _("The task is open again."))
    else:
        try:
            followups.mark_done(task, request.POST.get("note", ""))
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("The task is marked as done."))
    return redirect(safe_next(request) or reverse("meetings:tracking", args=[task.meeting.network.slug]))


def safe_next(request):
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else ""


@requires(permissions.signed_in)
@require_POST
def comment_add(request, pk):
    meeting = get_meeting(request, pk)
    form = CommentForm(request.POST, meeting=meeting, prefix="comment")
    if not form.is_valid():
        context = minutes_context(request, meeting, comment_form=form)
        return render(request, "meetings/staff/minutes.html", context, status=400)
    try:
        minutes.add_comment(meeting, request.user, form.cleaned_data["text"], form.cleaned_data["agenda_item"])
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(request, _("Thank you, your comment is saved for the office."))
    return redirect("meetings:minutes", meeting.pk)


@requires(permissions.signed_in)
@require_POST
def minutes_share(request, pk):
    meeting = get_meeting(request, pk, edit=True)
    try:
        sent = minutes.share_draft(meeting)
    except ValidationError as error:
        report(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "The draft is shared; %(count)d member is asked for comments.",
                "The draft is shared; %(count)d members are asked for comments.",
                sent,
            )
            % {"count": sent},
        )
    return redirect("meetings:minutes", meeting.pk)


@requires(permissions.signed_in)
def minutes_approve(request, pk):
    """Asks first: approval locks the agenda and publishes the public part."""
    meeting = get_meeting(request, pk, edit=True)
    if request.method == "POST":
        try:
            minutes.approve(meeting)
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("The minutes are approved and published."))
        return redirect("meetings:minutes", meeting.pk)
    return confirm_page(
        request,
        title=_("Approve the minutes?"),
        question=_("Do you want to approve the minutes of “%(name)s”?") % {"name": meeting},
        consequence=_(
            "The agenda, the results and the tasks can no longer change. The public items are published as a "
            "web page and a PDF, and everyone responsible for a task is told by e-mail."
        ),
        action=request.path,
        back=reverse("meetings:minutes", args=[meeting.pk]),
        button=_("Yes, approve the minutes"),
    )


@requires(permissions.signed_in)
def minutes_pdf(request, pk):
    """The full minutes with the internal items, for the members (PDF)."""
    meeting = get_meeting(request, pk)
    response = HttpResponse(minutes.pdf(meeting, public_only=False), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="protokoll-{meeting.pk}-intern.pdf"'
    return response


@requires(permissions.signed_in)
def tracking(request, slug):
    """Beschlusskontrolle: the network's open tasks and its decisions across all meetings."""
    network = get_object_or_404(Network, slug=slug)
    if not permissions.can_view_internal(request.user, network):
        raise PermissionDenied
    networks = Network.objects.filter(pk=network.pk)
    state = request.GET.get("state", "open")
    if state not in {"open", "done", "all"}:
        state = "open"
    context = {
        "network": network,
        "state": state,
        "tasks": list(followups.tasks_of(networks, state)),
        "decisions": list(followups.decisions_of(networks)[:200]),
        "can_edit": permissions.can_edit_network(request.user, network),
    }
    return render(request, "meetings/staff/tracking.html", context)
