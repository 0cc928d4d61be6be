"""Minutes written in the product: attendance from the seats, a draft the members comment on, then
approval, which locks the agenda, publishes the public part (HTML and PDF) and tells those
responsible for follow-up tasks.
"""

import collections

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from register.models import File, Meeting

from . import agenda, exports
from .calendar import absolute, location_text
from .mail import queue_templated
from .models import Attendance, MinutesComment


def seats(meeting):
    """The seats of the network on the meeting's day: members first, each with its deputies."""
    day = timezone.localdate(meeting.start)
    memberships = list(
        meeting.network.memberships.active(on=day)
        .select_related("organisation", "person", "actor_group", "on_behalf_of")
        .order_by("position", "pk")
    )
    deputies = collections.defaultdict(list)
    for membership in memberships:
        if membership.deputy_of_id:
            deputies[membership.deputy_of_id].append(membership)
    main = [m for m in memberships if not m.deputy_of_id]
    for membership in main:
        membership.deputy_list = deputies.get(membership.pk, [])
    return main


def seat_name(membership, public_only):
    """How minutes name a seat. Public minutes name a person only with their consent to publication;
    otherwise their function or "a person", with the organisation they sit for."""
    person = membership.person
    if person is None or not public_only or person.is_public:
        name = str(membership.member)
    elif person.function and person.erased_at is None:
        name = person.function
    else:
        name = str(_("a person (not named)"))
    if person is not None and membership.on_behalf_of_id:
        name += f" ({membership.on_behalf_of.full_name})"
    return name


def attendance_lists(meeting, public_only=False):
    """Present, represented (with the deputy), excused and absent, as recorded for the meeting; each row
    with ``name`` and ``deputy_name`` as the minutes may show them."""
    rows = meeting.attendances.select_related(
        "membership__organisation",
        "membership__person",
        "membership__actor_group",
        "membership__on_behalf_of",
        "deputy__organisation",
        "deputy__person",
        "deputy__actor_group",
        "deputy__on_behalf_of",
    ).order_by("membership__position", "membership__pk")
    lists = {status: [] for status in Attendance.Status.values}
    for row in rows:
        row.name = seat_name(row.membership, public_only)
        row.deputy_name = seat_name(row.deputy, public_only) if row.deputy_id else ""
        lists[row.status].append(row)
    return lists


def check_can_record(meeting):
    if meeting.state == Meeting.State.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no minutes."), code="cancelled")
    if meeting.minutes_approved_at:
        raise ValidationError(agenda.LOCKED, code="locked")
    if meeting.start > timezone.now():
        raise ValidationError(_("The minutes can be written once the meeting has begun."), code="future")


def mark_held(meeting):
    """Record that the meeting took place (results and minutes need it)."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).get(pk=meeting.pk)
        if meeting.state == Meeting.State.CANCELLED or meeting.start > timezone.now():
            raise ValidationError(_("Only a meeting that has begun and is not cancelled can be marked as held."))
        if meeting.state != Meeting.State.HELD:
            meeting.state = Meeting.State.HELD
            meeting.save()
    return meeting


def save_attendance(meeting, statuses):
    """``statuses``: {membership: (status or "", deputy membership or None)}; unset rows are removed."""
    with transaction.atomic():
        locked = agenda.locked_meeting(meeting)
        existing = {row.membership_id: row for row in locked.attendances.all()}
        for membership, (status, deputy) in statuses.items():
            row = existing.get(membership.pk)
            if not status:
                if row:
                    row.delete()
                continue
            deputy = deputy if status == Attendance.Status.REPRESENTED else None
            if row is None:
                Attendance.objects.create(meeting=locked, membership=membership, status=status, deputy=deputy)
            elif (row.status, row.deputy_id) != (status, getattr(deputy, "pk", None)):
                row.status, row.deputy = status, deputy
                row.save(update_fields=["status", "deputy", "modified"])
        if locked.state != Meeting.State.HELD and locked.start <= timezone.now():
            locked.state = Meeting.State.HELD
            locked.save()


def context(meeting, public_only):
    """What the minutes show. ``public_only`` leaves out every non-public item and its tasks."""
    items = agenda.numbered(meeting, public_only=public_only)
    tasks = list(meeting.follow_ups.select_related("organisation", "person", "agenda_item").order_by("pk"))
    by_item = collections.defaultdict(list)
    general = []
    for task in tasks:
        (by_item[task.agenda_item_id] if task.agenda_item_id else general).append(task)
    for item in items:
        item.tasks = by_item.get(item.pk, [])
    return {
        "meeting": meeting,
        "location_line": location_text(meeting.location),
        "agenda": items,
        "general_tasks": general,
        "open_tasks": list(agenda.open_tasks_for(meeting)),
        "attendance": attendance_lists(meeting, public_only),
        "public_only": public_only,
    }


def pdf(meeting, public_only=True):
    """The minutes as a PDF (WeasyPrint)."""
    return exports.pdf("meetings/minutes_print.html", context(meeting, public_only))


def share_draft(meeting):
    """Share the draft with the network's members who sign in, for their comments. Returns mails queued."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update(of=("self",)).select_related("network").get(pk=meeting.pk)
        check_can_record(meeting)
        if meeting.state != Meeting.State.HELD:
            raise ValidationError(_("Mark the meeting as held before sharing its minutes."), code="not_held")
        meeting.minutes_shared_at = timezone.now()
        meeting.save()
        url = absolute(reverse("meetings:minutes", args=[meeting.pk]))
        readers = (
            get_user_model()
            .objects.filter(is_active=True, assignments__network=meeting.network)
            .exclude(email="")
            .distinct()
        )
        sent = 0
        for user in readers:
            queue_templated(
                user.email,
                "minutes_draft",
                {"meeting": meeting, "minutes_url": url},
                translation.get_language() or "de",
            )
            sent += 1
    return sent


def add_comment(meeting, author, text, agenda_item=None):
    if meeting.minutes_approved_at:
        raise ValidationError(_("The minutes are approved; comments are closed."), code="locked")
    if not meeting.minutes_shared_at:
        raise ValidationError(_("The draft has not been shared for comments yet."), code="not_shared")
    return MinutesComment.objects.create(meeting=meeting, agenda_item=agenda_item, author=author, text=text.strip())


def approve(meeting):
    """Approve the minutes: the agenda is locked, the public part is published as a PDF file, postponed
    items move to the next meeting and everyone responsible for a task gets a mail listing theirs."""
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(of=("self",)).select_related("network", "location").get(pk=meeting.pk)
        )
        check_can_record(meeting)
        if meeting.state != Meeting.State.HELD:
            raise ValidationError(_("Mark the meeting as held before approving its minutes."), code="not_held")
        meeting.minutes_approved_at = timezone.now()
        meeting.save()
        agenda.carry_postponed(meeting.network)
        publish_pdf(meeting)
        notify_responsible(meeting)
    return meeting


def publish_pdf(meeting):
    """Store the public minutes as the meeting's minutes file (public when the meeting is public)."""
    with translation.override("de"):
        content = pdf(meeting, public_only=True)
        name = gettext("Minutes")
    stamp = timezone.localtime(meeting.start)
    filename = f"protokoll-{meeting.pk}-{stamp:%Y-%m-%d}.pdf"
    for old in meeting.files.filter(role=File.Role.MINUTES, agenda_item__isnull=True, name=name):
        stored = old.file
        old.delete()
        transaction.on_commit(lambda stored=stored: stored.delete(save=False))
    document = File(
        meeting=meeting,
        role=File.Role.MINUTES,
        name=name,
        mime_type="application/pdf",
        size=len(content),
        public=meeting.is_public,
    )
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


def responsible_address(task):
    if task.person_id:
        return task.person.email if task.person.erased_at is None else ""
    return task.organisation.email


def notify_responsible(meeting):
    """One mail per address with its open tasks; to a person in their preferred language, to an
    organisation in the site's."""
    tasks = meeting.follow_ups.filter(done_at__isnull=True).select_related("organisation", "person")
    grouped = collections.defaultdict(list)
    languages = {}
    for task in tasks:
        address = responsible_address(task)
        if address:
            grouped[address.lower()].append(task)
            if task.person_id:
                languages.setdefault(address.lower(), task.person.language)
    for address, items in grouped.items():
        language = languages.get(address, settings.LANGUAGE_CODE)
        queue_templated(address, "follow_up_assigned", {"meeting": meeting, "tasks": items}, language)
    return len(grouped)


def comments(meeting):
    return meeting.minutes_comments.select_related("author", "agenda_item").order_by("created", "pk")
