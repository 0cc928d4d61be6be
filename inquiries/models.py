"""Residents' inquiries to an elected council (the Kreisausländerbeirat) and the office.

An inquiry is personal data, and may be of a special category (health, religion, residence status;
Art. 9 GDPR). It is therefore not written to the register's change history, read only by the office
and the council member it is assigned to when it is special, and deleted with its replies and their
mails after its retention period. What stays for the annual report are anonymous counts by month,
topic and municipality (``InquiryCount``).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register import languages
from register.models import Municipality, Network

EASY_LANGUAGE = "de-x-ls"  # Leichte Sprache, as register.languages tags it

# Days an inquiry is kept after it was answered or closed; special categories are kept shorter.
RETENTION_DAYS = 180
SPECIAL_RETENTION_DAYS = 90
# An inquiry nobody closes is deleted this many days after it came in.
MAX_RETENTION_DAYS = 365


class Topic(models.TextChoices):
    RESIDENCE = "residence", _("Residence status and papers")
    WORK = "work", _("Work and training")
    LANGUAGE = "language", _("Language courses")
    SCHOOL = "school", _("School and childcare")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health")
    RELIGION = "religion", _("Religion and culture")
    DISCRIMINATION = "discrimination", _("Discrimination")
    OTHER = "other", _("Something else")


# Special categories of personal data (Art. 9 GDPR) and residence status, treated the same way.
SPECIAL_TOPICS = {Topic.RESIDENCE, Topic.HEALTH, Topic.RELIGION}


class Inquiry(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("new")
        IN_PROGRESS = "in_progress", _("in progress")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    network = models.ForeignKey(Network, verbose_name=_("to"), on_delete=models.CASCADE, related_name="inquiries")
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=10)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.OTHER)
    special = models.BooleanField(
        _("special category"),
        default=False,
        help_text=_("Health, religion or residence status: only the office and the assigned member read it."),
    )
    message = models.TextField(_("question"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
    )
    received = models.DateTimeField(_("received"), default=timezone.now)
    finished = models.DateTimeField(_("answered or closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-received", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(finished__isnull=True) | Q(status__in=["answered", "closed"]),
                name="inquiry_finished_only_when_answered_or_closed",
                violation_error_message=_("Only an answered or closed inquiry has an end date."),
            ),
        ]
        indexes = [models.Index(fields=["network", "status", "received"], name="inquiry_inbox")]

    def __str__(self):
        return _("Inquiry %(number)s") % {"number": self.pk}

    def save(self, *args, **kwargs):
        self.special = self.special or self.topic in SPECIAL_TOPICS
        if self.status in (self.Status.ANSWERED, self.Status.CLOSED):
            self.finished = self.finished or timezone.now()
        else:
            self.finished = None
        super().save(*args, **kwargs)

    @property
    def language_name(self):
        return languages.NAMES.get(self.language, self.language)

    @property
    def wants_easy_language(self):
        return self.language == EASY_LANGUAGE

    @property
    def delete_after(self):
        """The day from which the inquiry, its replies and their mails are deleted."""
        # Counted in days of the calendar here: a time of day carried over a change to summer time would
        # move late-evening inquiries a day later.
        latest = timezone.localdate(self.received) + datetime.timedelta(days=MAX_RETENTION_DAYS)
        if self.finished:
            days = SPECIAL_RETENTION_DAYS if self.special else RETENTION_DAYS
            latest = min(latest, timezone.localdate(self.finished) + datetime.timedelta(days=days))
        return latest


class Reply(models.Model):
    """An answer sent by e-mail through the outbox."""

    inquiry = models.ForeignKey(Inquiry, verbose_name=_("inquiry"), on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("answer"))
    sent = models.DateTimeField(_("sent"), default=timezone.now)
    mail = models.ForeignKey(
        "meetings.OutgoingMail", verbose_name=_("mail"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["inquiry", "sent", "pk"]

    def __str__(self):
        return _("Reply to %(inquiry)s") % {"inquiry": self.inquiry}


class InquiryCount(models.Model):
    """How many inquiries of a topic came from a municipality in a month: no person, no text."""

    network = models.ForeignKey(Network, verbose_name=_("to"), on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    count = models.PositiveIntegerField(_("inquiries"), default=0)

    class Meta:
        verbose_name = _("inquiry count")
        verbose_name_plural = _("inquiry counts")
        ordering = ["month", "topic"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "month", "topic", "municipality"],
                name="inquiry_count_unique",
                violation_error_message=_("These counts exist already."),
            ),
        ]

    def __str__(self):
        return f"{self.month:%m/%Y} {self.topic}: {self.count}"
