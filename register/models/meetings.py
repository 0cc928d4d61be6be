"""Dates of the networks: meetings with agenda and files, and public events."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .actors import Organisation, Person
from .base import AuditedModel
from .fields import NameField
from .networks import Network
from .places import Location


class Event(AuditedModel):
    """A public date such as the yearly Inklusionsforum, possibly with registration."""

    title = NameField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    host = models.CharField(_("invited by"), max_length=200, blank=True)
    contact_function = models.CharField(_("contact"), max_length=200, blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="event_ends_after_start",
                violation_error_message=_("The event must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_positive",
                violation_error_message=_("Give at least one place, or leave the number of places empty."),
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__isnull=True) | Q(registration_deadline__lte=F("end")),
                name="event_deadline_before_end",
                violation_error_message=_("Registration must close before the event ends."),
            ),
        ]
        indexes = [models.Index(fields=["start", "id"], name="event_start_id")]  # lists page by page

    def __str__(self):
        return self.title

    @property
    def is_over(self):
        """Whether the event has ended (on the server's clock)."""
        return self.end <= timezone.now()


class Meeting(AuditedModel):
    """A meeting of a network (OParl Meeting)."""

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        INVITED = "invited", _("invited")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="meetings")
    name = NameField(_("title"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PLANNED)
    is_public = models.BooleanField(_("public"), default=False)
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    state_before_cancel = models.CharField(
        _("state before the cancellation"), max_length=20, choices=State.choices, blank=True, editable=False
    )
    minutes_intro = models.TextField(
        _("opening of the minutes"), blank=True, help_text=_("Who chaired, who took the minutes, general remarks.")
    )
    minutes_shared_at = models.DateTimeField(_("draft minutes shared"), null=True, blank=True, editable=False)
    minutes_approved_at = models.DateTimeField(_("minutes approved"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(minutes_approved_at__isnull=True) | Q(state="held"),
                name="meeting_minutes_approved_only_when_held",
                violation_error_message=_("Only the minutes of a meeting that was held can be approved."),
            ),
        ]
        indexes = [
            models.Index(fields=["network", "start"], name="meeting_network_start"),
            # The staff's list of past meetings, latest first: its page is read from the index.
            models.Index(models.F("start").desc(), models.F("id").asc(), name="meeting_start_id"),
            # The upcoming meetings (not yet ended): a few among many, found and counted without reading the rest.
            models.Index(fields=["end"], name="meeting_end"),
        ]

    def __str__(self):
        return f"{self.name} ({timezone.localtime(self.start):%d.%m.%Y})"

    @property
    def is_over(self):
        return self.end <= timezone.now()

    @property
    def minutes_approved(self):
        return self.minutes_approved_at is not None

    @property
    def minutes_status(self):
        """ "approved", "shared" (a draft the members may comment on), "draft" or "" before the meeting is held."""
        if self.minutes_approved_at:
            return "approved"
        if self.minutes_shared_at:
            return "shared"
        return "draft" if self.state == self.State.HELD else ""


class AgendaItem(AuditedModel):
    """An item of a meeting's agenda, in order, with its result (OParl AgendaItem).

    Items are internal unless marked public. They can be changed until the meeting's minutes are
    approved; the result says what became of the item, ``resolution_text`` holds the decision's words
    and ``notes`` the minutes of the discussion."""

    class Result(models.TextChoices):
        DECIDED = "decided", pgettext_lazy("agenda item result", "decided")
        REJECTED = "rejected", pgettext_lazy("agenda item result", "rejected")
        NOTED = "noted", pgettext_lazy("agenda item result", "taken note")
        DISCUSSED = "discussed", pgettext_lazy("agenda item result", "discussed")
        POSTPONED = "postponed", pgettext_lazy("agenda item result", "postponed")

    VOTED = (Result.DECIDED, Result.REJECTED)

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    number = models.CharField(
        _("number"), max_length=20, blank=True, help_text=_("Leave empty to number the items in order.")
    )
    position = models.PositiveIntegerField(_("position"))
    name = models.CharField(_("title"), max_length=300)
    public = models.BooleanField(
        _("public"), default=False, help_text=_("Only public items appear on public pages and in the minutes.")
    )
    notes = models.TextField(_("minutes of the item"), blank=True)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, blank=True)
    resolution_text = models.TextField(_("text of the decision"), blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_abstaining = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text=_("The item of an earlier meeting that was postponed to this one."),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_item_unique_position",
                violation_error_message=_("Two agenda items cannot have the same position."),
            ),
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True, votes_against__isnull=True, votes_abstaining__isnull=True)
                | Q(result__in=["decided", "rejected"]),
                name="agenda_item_votes_only_for_decisions",
                violation_error_message=_("Votes can only be recorded for an item that was decided or rejected."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.name}".strip()

    def clean(self):
        if self.meeting_id and self.meeting.minutes_approved_at:
            raise ValidationError(_("The minutes of this meeting are approved; its agenda can no longer change."))
        if self.result not in self.VOTED and any(
            value is not None for value in (self.votes_for, self.votes_against, self.votes_abstaining)
        ):
            raise ValidationError({"result": _("Votes can only be recorded for an item that was decided or rejected.")})

    @property
    def has_votes(self):
        return any(value is not None for value in (self.votes_for, self.votes_against, self.votes_abstaining))

    @property
    def result_text(self):
        """The result in words, with the vote where there was one: "decided (5 for, 1 against, 0 abstentions)"."""
        if not self.result:
            return ""
        text = str(self.get_result_display())
        if self.has_votes:
            text += " " + str(_("(%(for)s for, %(against)s against, %(abstaining)s abstentions)")) % {
                "for": self.votes_for or 0,
                "against": self.votes_against or 0,
                "abstaining": self.votes_abstaining or 0,
            }
        return text


def number_agenda(items):
    """Set ``display_number`` on each item: its own number, else its place among the items, counted from 1."""
    for index, item in enumerate(items, start=1):
        item.display_number = item.number or str(index)
    return items


class FollowUp(AuditedModel):
    """A task from a meeting's minutes: what is to be done, by whom (an organisation or a person), by when.

    Open tasks are carried into the agenda of the network's next meeting until they are done."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="follow_ups")
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    description = models.CharField(_("what is to be done"), max_length=500)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("responsible organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    due_date = models.DateField(_("due by"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_note = models.CharField(_("how it was done"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, person__isnull=True)
                | Q(organisation__isnull=True, person__isnull=False),
                name="follow_up_one_responsible",
                violation_error_message=_("Name who is responsible: an organisation or a person."),
            ),
        ]
        indexes = [models.Index(fields=["meeting", "done_at"], name="follow_up_meeting_done")]

    def __str__(self):
        return self.description

    def clean(self):
        if bool(self.organisation_id) == bool(self.person_id):
            raise ValidationError({"organisation": _("Name who is responsible: an organisation or a person.")})
        if self.agenda_item_id and self.agenda_item.meeting_id != self.meeting_id:
            raise ValidationError({"agenda_item": _("Choose an item of this meeting's agenda.")})

    @property
    def responsible(self):
        return self.organisation or self.person

    @property
    def is_overdue(self):
        return self.done_at is None and self.due_date is not None and self.due_date < timezone.localdate()


class File(AuditedModel):
    """A document of a meeting: invitation, minutes or an attachment (OParl File)."""

    class Role(models.TextChoices):
        INVITATION = "invitation", _("invitation")
        MINUTES = "minutes", _("minutes")
        ATTACHMENT = "attachment", _("attachment")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="files",
    )
    role = models.CharField(_("kind"), max_length=20, choices=Role.choices, default=Role.ATTACHMENT)
    name = models.CharField(_("name"), max_length=200)
    file = models.FileField(_("file"), upload_to="meetings/%Y/")
    mime_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    public = models.BooleanField(_("public"), default=False)

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["meeting", "role", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, event__isnull=True) | Q(meeting__isnull=True, event__isnull=False),
                name="file_of_a_meeting_or_an_event",
                violation_error_message=_("A file belongs to a meeting or to an event."),
            ),
        ]

    def __str__(self):
        return self.name
