"""Simple attendance statistics."""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .models import Attendance, Invitation


def attendance_summary(meeting):
    """Counts of attendance and answers for one meeting."""
    counts = dict(meeting.attendances.values_list("status").annotate(total=Count("pk")).values_list("status", "total"))
    answers = dict(
        meeting.invitations.values_list("response").annotate(total=Count("pk")).values_list("response", "total")
    )
    return {
        "present": counts.get(Attendance.Status.PRESENT, 0),
        "represented": counts.get(Attendance.Status.REPRESENTED, 0),
        "excused": counts.get(Attendance.Status.EXCUSED, 0),
        "absent": counts.get(Attendance.Status.ABSENT, 0),
        "accepted": answers.get(Invitation.Response.ACCEPTED, 0),
        "declined": answers.get(Invitation.Response.DECLINED, 0),
        "pending": answers.get(Invitation.Response.PENDING, 0),
    }


def attendance_by_member(network):
    """Per membership of the network: present, excused, absent and the share present, in one query."""
    rows = (
        network.memberships.select_related("organisation", "person", "actor_group")
        .annotate(
            present=Count(
                "attendances",
                filter=Q(attendances__status__in=[Attendance.Status.PRESENT, Attendance.Status.REPRESENTED]),
            ),
            excused=Count("attendances", filter=Q(attendances__status=Attendance.Status.EXCUSED)),
            absent=Count("attendances", filter=Q(attendances__status=Attendance.Status.ABSENT)),
        )
        .order_by("position", "pk")
    )
    result = []
    for membership in rows:
        recorded = membership.present + membership.excused + membership.absent
        share = round(100 * membership.present / recorded) if recorded else None
        result.append({"membership": membership, "recorded": recorded, "share": share})
    return result


def meeting_rows(meetings):
    """These meetings for the staff lists, with invitations sent and answers "will attend"."""
    return meetings.select_related("network", "location").annotate(
        # Counted per meeting shown (subqueries), not by grouping all meetings: a page of a long list
        # reads only its own rows.
        invited=_invitations(Invitation.objects.all()),
        accepted=_invitations(Invitation.objects.filter(response=Invitation.Response.ACCEPTED)),
    )


def _invitations(invitations):
    counted = invitations.filter(meeting=OuterRef("pk")).order_by().values("meeting").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)
