"""Dates of the networks: meetings with agenda and files, and public events."""

import uuid

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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

    def get_absolute_url(self):
        return reverse("portal:event", args=[self.slug])


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
        ]
        indexes = [models.Index(fields=["network", "start"], name="meeting_network_start")]

    def __str__(self):
        return f"{self.name} ({self.start:%d.%m.%Y})"


class AgendaItem(AuditedModel):
    """An item of a meeting's agenda, in order (OParl AgendaItem)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    number = models.CharField(_("number"), max_length=20, blank=True)
    position = models.PositiveIntegerField(_("position"))
    name = models.CharField(_("title"), max_length=300)
    public = models.BooleanField(_("public"), default=True)
    result = models.TextField(_("result"), blank=True)

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
        ]

    def __str__(self):
        return f"{self.number} {self.name}".strip()


class File(AuditedModel):
    """A document of a meeting: invitation, minutes or an attachment (OParl File)."""

    class Role(models.TextChoices):
        INVITATION = "invitation", _("invitation")
        MINUTES = "minutes", _("minutes")
        ATTACHMENT = "attachment", _("attachment")

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="files")
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

    def __str__(self):
        return self.name
