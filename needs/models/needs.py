"""The needs register and the offers of the member organisations that needs are held against."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from register.models import AuditedModel, Meeting, Municipality, Network, Organisation, TargetGroup, Topic

from .surveys import Survey


class Need(AuditedModel):
    """A need found in a survey, a meeting or by the office. Every change is in the history."""

    class Source(models.TextChoices):
        SURVEY = "survey", _("survey")
        MEETING = "meeting", _("meeting")
        MANUAL = "manual", _("entered by hand")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("high")
        MEDIUM = 2, _("medium")
        LOW = 3, _("low")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        IN_REVIEW = "in_review", _("in review")
        MEASURE_PLANNED = "measure_planned", _("measure planned")
        MET = "met", _("met")
        REJECTED = "rejected", _("rejected")

    OPEN_STATUSES = (Status.NEW, Status.IN_REVIEW, Status.MEASURE_PLANNED)

    title = models.CharField(_("short title"), max_length=200)
    description = models.TextField(_("description"))
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="needs")
    target_group = models.ForeignKey(
        TargetGroup,
        verbose_name=_("target group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
        help_text=_("Leave empty if the need concerns everyone."),
    )
    municipalities = models.ManyToManyField(Municipality, verbose_name=_("municipalities"), related_name="needs")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    survey = models.ForeignKey(
        Survey, verbose_name=_("from survey"), on_delete=models.SET_NULL, null=True, blank=True, related_name="needs"
    )
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("from meeting"), on_delete=models.SET_NULL, null=True, blank=True, related_name="needs"
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    responsible_networks = models.ManyToManyField(
        Network, verbose_name=_("responsible networks"), blank=True, related_name="needs"
    )

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["priority", "-created"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="survey") | Q(survey__isnull=False),
                name="need_survey_source_names_survey",
                violation_error_message=_("Name the survey the need comes from."),
            ),
            models.CheckConstraint(
                condition=~Q(source="meeting") | Q(meeting__isnull=False),
                name="need_meeting_source_names_meeting",
                violation_error_message=_("Name the meeting the need comes from."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("needs:need", args=[self.pk])

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


class Measure(AuditedModel):
    """What was done or planned about a need."""

    need = models.ForeignKey(Need, verbose_name=_("need"), on_delete=models.CASCADE, related_name="measures")
    description = models.TextField(_("measure"))
    network = models.ForeignKey(
        Network,
        verbose_name=_("taken by network"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
    )
    date = models.DateField(_("date"))
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["need", "date", "pk"]

    def __str__(self):
        return self.description[:80]


class Offer(AuditedModel):
    """A service of a member organisation: counselling, a course, a group, …"""

    class Kind(models.TextChoices):
        COUNSELLING = "counselling", _("counselling")
        COURSE = "course", _("course")
        GROUP = "group", _("group")
        MEETING_PLACE = "meeting_place", _("meeting place")
        INFORMATION = "information", _("information")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="offers"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="offers")
    target_group = models.ForeignKey(
        TargetGroup,
        verbose_name=_("target group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offers",
        help_text=_("Leave empty if the offer is open to everyone."),
    )
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("Comma-separated, e.g. Deutsch, Arabisch, Farsi.")
    )
    municipalities = models.ManyToManyField(Municipality, verbose_name=_("municipalities"), related_name="offers")
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("currently offered"), default=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="offer_unique_name_per_organisation",
                violation_error_message=_("The organisation already has an offer of this name."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    def get_absolute_url(self):
        return reverse("needs:offer_edit", args=[self.pk])

    @property
    def language_list(self):
        return [part.strip() for part in self.languages.split(",") if part.strip()]
