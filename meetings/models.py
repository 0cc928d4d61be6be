"""What meetings and events need beyond the register: series, attendance, invitations, registrations, mail."""

import datetime
import secrets

from dateutil.rrule import MONTHLY, WEEKLY, rrule
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register.models import Event, Meeting, Membership, Network
from register.models.fields import NameField, PreferredLanguageField
from register.models.places import Location

# Registrations are deleted this many days after their event ended (data minimisation, Art. 5(1)(e) GDPR).
REGISTRATION_RETENTION_DAYS = 30
# A registration whose address was not confirmed is deleted, with the needs it states, after this many hours.
CONFIRMATION_HOURS = 48


def new_token():
    return secrets.token_urlsafe(24)


class MeetingSeries(models.Model):
    """Recurring dates of a network; generates one Meeting per date."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("weekly")
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="series")
    name = models.CharField(_("title"), max_length=200)
    first_start = models.DateTimeField(_("first date"))
    duration_minutes = models.PositiveIntegerField(_("duration in minutes"))
    frequency = models.CharField(_("repeats"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    interval = models.PositiveSmallIntegerField(
        _("every"), default=1, help_text=_("1 = every week or month, 2 = every second, …")
    )
    count = models.PositiveSmallIntegerField(_("number of dates"))
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    meetings = models.ManyToManyField(Meeting, verbose_name=_("meetings"), blank=True, related_name="series")
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["network", "first_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1, count__lte=52),
                name="meeting_series_count_range",
                violation_error_message=_("A series has between 1 and 52 dates."),
            ),
            models.CheckConstraint(
                condition=Q(interval__gte=1, interval__lte=12),
                name="meeting_series_interval_range",
                violation_error_message=_("Repeat every 1 to 12 weeks or months."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1),
                name="meeting_series_duration_positive",
                violation_error_message=_("A meeting must last at least one minute."),
            ),
        ]

    def __str__(self):
        return self.name

    def dates(self):
        """The start of every date in local time; wall-clock time stays the same across daylight saving."""
        local = timezone.localtime(self.first_start).replace(tzinfo=None)
        frequency = WEEKLY if self.frequency == self.Frequency.WEEKLY else MONTHLY
        interval = self.interval * 3 if self.frequency == self.Frequency.QUARTERLY else self.interval
        zone = timezone.get_current_timezone()
        return [
            timezone.make_aware(start, zone)
            for start in rrule(frequency, dtstart=local, interval=interval, count=self.count)
        ]

    def generate(self):
        """Create the meetings of the series (call once, inside a transaction). Dates already past are
        recorded as held, so that a series can also be entered afterwards."""
        created = []
        now = timezone.now()
        for start in self.dates():
            meeting = Meeting.objects.create(
                network=self.network,
                name=self.name,
                start=start,
                end=start + datetime.timedelta(minutes=self.duration_minutes),
                location=self.location,
                state=Meeting.State.HELD if start < now else Meeting.State.PLANNED,
            )
            created.append(meeting)
        self.meetings.add(*created)
        return created


class Attendance(models.Model):
    """Whether a member took part in a meeting."""

    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        REPRESENTED = "represented", _("represented by the deputy")
        EXCUSED = "excused", _("excused")
        ABSENT = "absent", _("absent")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(_("attendance"), max_length=12, choices=Status.choices)
    deputy = models.ForeignKey(
        Membership,
        verbose_name=_("represented by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="represented",
    )
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "membership"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"],
                name="attendance_once_per_member",
                violation_error_message=_("Attendance for this member is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(deputy__isnull=True) | Q(status="represented"),
                name="attendance_deputy_only_when_represented",
                violation_error_message=_("Only a member represented by the deputy names a deputy."),
            ),
        ]

    def __str__(self):
        return f"{self.membership.member} – {self.get_status_display()}"


class Invitation(models.Model):
    """A member invited to a meeting by e-mail, with the answer given through the RSVP link."""

    class Response(models.TextChoices):
        PENDING = "pending", _("no answer yet")
        ACCEPTED = "accepted", _("will attend")
        DECLINED = "declined", _("cannot attend")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    token = models.CharField(_("answer key"), max_length=64, unique=True, default=new_token, editable=False)
    response = models.CharField(_("answer"), max_length=10, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    sent_sequence = models.PositiveIntegerField(_("last calendar revision sent"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"],
                name="invitation_once_per_member",
                violation_error_message=_("This member is already invited."),
            ),
        ]

    def __str__(self):
        return f"{self.email} – {self.meeting}"


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        """Registrations that count: the address is confirmed and they are not cancelled."""
        return self.filter(status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING])

    def unconfirmed_expired(self, now=None):
        now = now or timezone.now()
        return self.filter(
            status=Registration.Status.PENDING, created__lt=now - datetime.timedelta(hours=CONFIRMATION_HOURS)
        )

    def waiting_in_order(self):
        return self.filter(status=Registration.Status.WAITING).order_by("created", "pk")


class Registration(models.Model):
    """A person registered for a public event: a confirmed place or a place on the waiting list."""

    class Status(models.TextChoices):
        PENDING = "pending", _("e-mail address not yet confirmed")
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("waiting list")
        CANCELLED = "cancelled", _("cancelled")

    NEEDS = [
        "need_sign_language",
        "need_wheelchair_space",
        "need_hearing_loop",
        "need_easy_language",
        "need_personal_assistance",
        "need_food",
    ]

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations")
    name = NameField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = NameField(_("organisation"), max_length=200, blank=True)
    language = PreferredLanguageField(
        _("language"), help_text=_("The language of the page used; the mails go out in it.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    need_sign_language = models.BooleanField(_("sign-language interpreter"), default=False)
    need_wheelchair_space = models.BooleanField(_("wheelchair space"), default=False)
    need_hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    need_easy_language = models.BooleanField(_("easy language"), default=False)
    need_personal_assistance = models.BooleanField(_("personal assistance"), default=False)
    need_food = models.BooleanField(_("dietary requirements"), default=False)
    needs_details = models.TextField(_("details about your needs"), blank=True)
    consent_at = models.DateTimeField(_("consent given"))
    cancel_token = models.CharField(_("cancellation key"), max_length=64, unique=True, default=new_token)
    created = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("e-mail address confirmed"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="registration_once_per_email",
                violation_error_message=_("This e-mail address is already registered for the event."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(status="cancelled") | Q(confirmed_at__isnull=False),
                name="registration_counts_only_when_confirmed",
                violation_error_message=_("A place or the waiting list needs a confirmed e-mail address."),
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | Q(status="cancelled"),
                name="registration_cancelled_consistent",
                violation_error_message=_("Only a cancelled registration has a cancellation date."),
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]

    def __str__(self):
        return f"{self.name} – {self.event}"

    @property
    def needs(self):
        """The verbose names of the needs stated."""
        return [str(self._meta.get_field(name).verbose_name) for name in self.NEEDS if getattr(self, name)]


class OutgoingMail(models.Model):
    """A mail in the outbox. A task sends it; failures stay visible to staff and can be retried."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    language = PreferredLanguageField(_("language"), help_text=_("The language the mail is written in."))
    ics = models.TextField(_("calendar entry"), blank=True)
    ics_method = models.CharField(_("calendar method"), max_length=20, blank=True)
    # A personal link (a survey's, a self-service link) is a key: the text is kept only until it is sent.
    personal_link = models.BooleanField(_("holds a personal link"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(status="sent"),
                name="outgoing_mail_sent_consistent",
                violation_error_message=_("Only a sent mail has a sending date."),
            ),
            models.CheckConstraint(
                condition=Q(ics="") | ~Q(ics_method=""),
                name="outgoing_mail_ics_has_method",
                violation_error_message=_("A calendar entry needs its method."),
            ),
        ]
        indexes = [models.Index(F("status"), name="outgoing_mail_status")]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"


class MinutesComment(models.Model):
    """A member's comment on the draft minutes of a meeting, for the office before approval."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="minutes_comments"
    )
    agenda_item = models.ForeignKey(
        "register.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="minutes_comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="minutes_comments",
    )
    text = models.TextField(_("comment"))
    created = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on the minutes")
        verbose_name_plural = _("comments on the minutes")
        ordering = ["meeting", "created", "pk"]

    def __str__(self):
        return self.text[:60]


class FeedKeyQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class FeedKey(models.Model):
    """A person's private key to a network's calendar feed with its internal meetings.

    Each key belongs to one user and one network; it works only while the user may still see the
    network's internal view, and it is revoked when that role ends or when the user asks."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="feed_keys"
    )
    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="feed_keys")
    key = models.CharField(_("key"), max_length=64, unique=True, default=new_token, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = FeedKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar feed key")
        verbose_name_plural = _("calendar feed keys")
        ordering = ["network", "user", "-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network"],
                condition=Q(revoked_at__isnull=True),
                name="feed_key_one_valid_per_user_and_network",
                violation_error_message=_("This person already has a valid key for this network's calendar."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.network}"
