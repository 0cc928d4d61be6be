"""A meeting's agenda: adding, changing, ordering and removing items, their results, and what the
next meeting inherits – postponed items and the open follow-up tasks.

Items can change until the minutes are approved; every change here holds the meeting's row lock, so
two people ordering the same agenda cannot give two items one position.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from register.models import AgendaItem, FollowUp, Meeting, number_agenda

LOCKED = _("The minutes of this meeting are approved; its agenda can no longer change.")


def locked_meeting(meeting):
    """The meeting's row, locked for this transaction; refuses when the minutes are approved."""
    locked = Meeting.objects.select_for_update(of=("self",)).select_related("network").get(pk=meeting.pk)
    if locked.minutes_approved_at:
        raise ValidationError(LOCKED, code="locked")
    return locked


def next_position(meeting):
    return (meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1


def add_item(meeting, item):
    """Append an unsaved item (from the form) to the meeting's agenda."""
    with transaction.atomic():
        meeting = locked_meeting(meeting)
        item.meeting = meeting
        item.position = next_position(meeting)
        item.full_clean()
        item.save()
    return item


def save_item(item):
    """Save a changed item (title, number, public, result, minutes of the item)."""
    with transaction.atomic():
        locked_meeting(item.meeting)
        item.full_clean()
        item.save()
        if item.result == AgendaItem.Result.POSTPONED:
            carry_postponed(item.meeting.network)
    return item


def move_item(meeting, item_pk, direction):
    """Swap the item with its neighbour above ("up") or below; False when the item is already at the end."""
    with transaction.atomic():
        meeting = locked_meeting(meeting)
        items = list(meeting.agenda_items.all())
        index = next((i for i, item in enumerate(items) if item.pk == item_pk), None)
        if index is None:
            raise AgendaItem.DoesNotExist
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(items):
            return False
        first, second = items[index], items[other]
        first_position, second_position = first.position, second.position
        # Through a free position, so that the unique (meeting, position) constraint holds at every step.
        first.position = items[-1].position + 1
        first.save()
        second.position = first_position
        second.save()
        first.position = second_position
        first.save()
    return True


def remove_item(meeting, item_pk):
    with transaction.atomic():
        meeting = locked_meeting(meeting)
        item = meeting.agenda_items.get(pk=item_pk)
        item.delete()
    return item


def numbered(meeting, public_only=False):
    """The agenda in order, each item with ``display_number``; public items only for public pages.
    An item keeps its number in the public version, so that both versions speak of the same "item 3"."""
    items = number_agenda(list(meeting.agenda_items.all()))
    return [item for item in items if item.public] if public_only else items


def next_meeting(meeting):
    """The network's next meeting after this one that is not cancelled and still open to changes."""
    return (
        Meeting.objects.filter(network_id=meeting.network_id, start__gt=meeting.start, minutes_approved_at__isnull=True)
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("start", "pk")
        .first()
    )


def carry_postponed(network):
    """Put every postponed item of the network that has not moved yet onto the next meeting after it.

    Called when an item is postponed and when meetings are planned, so the order of the two does not
    matter. Returns the new items."""
    created = []
    postponed = (
        AgendaItem.objects.filter(meeting__network=network, result=AgendaItem.Result.POSTPONED, carried_to=None)
        .select_related("meeting")
        .order_by("meeting__start", "position")
    )
    for item in postponed:
        target = next_meeting(item.meeting)
        if target is None:
            continue
        locked = Meeting.objects.select_for_update(of=("self",)).get(pk=target.pk)
        created.append(
            AgendaItem.objects.create(
                meeting=locked,
                position=next_position(locked),
                name=item.name,
                public=item.public,
                carried_from=item,
            )
        )
    return created


def open_tasks_for(meeting):
    """Follow-up tasks of earlier meetings of the network that were still open when this meeting began.

    They stand on this meeting's agenda (and in its invitation and minutes) until they are done."""
    return (
        FollowUp.objects.filter(meeting__network_id=meeting.network_id, meeting__start__lt=meeting.start)
        .filter(Q(done_at__isnull=True) | Q(done_at__gt=meeting.start))
        .select_related("organisation", "person", "meeting")
        .order_by("due_date", "pk")
    )
