"""Follow-up tasks from the minutes and the "Beschlusskontrolle": a network's decisions and open tasks
across its meetings."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register.models import AgendaItem, FollowUp, Network

from . import agenda


def add(task):
    """Save a new task (from the form) of a meeting whose minutes are still open."""
    with transaction.atomic():
        agenda.locked_meeting(task.meeting)
        task.full_clean()
        task.save()
    return task


def remove(task):
    with transaction.atomic():
        agenda.locked_meeting(task.meeting)
        task.delete()


def mark_done(task, note=""):
    """Done tasks leave the agenda of the next meetings; the minutes keep them."""
    if task.done_at:
        raise ValidationError(_("This task is already done."), code="done")
    task.done_at = timezone.now()
    task.done_note = note.strip()
    task.save()
    return task


def reopen(task):
    task.done_at = None
    task.done_note = ""
    task.save()
    return task


def tasks_of(networks, state="open"):
    """The tasks of these networks' meetings: "open", "done" or "all", the earliest due first."""
    tasks = FollowUp.objects.filter(meeting__network__in=networks).select_related(
        "meeting__network", "agenda_item", "organisation", "person"
    )
    if state == "open":
        tasks = tasks.filter(done_at__isnull=True)
    elif state == "done":
        tasks = tasks.filter(done_at__isnull=False)
    return tasks.order_by("done_at", "due_date", "meeting__start", "pk")


def open_tasks_per_network(networks):
    """[(network, number of open tasks)] of the networks that have any, by name; two queries."""
    counts = dict(
        FollowUp.objects.filter(meeting__network__in=networks, done_at__isnull=True)
        .values_list("meeting__network")
        .annotate(open=Count("pk"))
        .values_list("meeting__network", "open")
    )
    return [(network, counts[network.pk]) for network in Network.objects.filter(pk__in=counts).order_by("name")]


def decisions_of(networks):
    """Every item with a result of the networks' meetings, the latest first."""
    return (
        AgendaItem.objects.filter(meeting__network__in=networks)
        .exclude(result="")
        .filter(Q(result__in=AgendaItem.VOTED) | ~Q(resolution_text=""))
        .select_related("meeting__network")
        .order_by("-meeting__start", "position")
    )
