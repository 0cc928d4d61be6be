"""What the workspace keeps beside the register: its settings, self-service links and proposed corrections."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register.models import Network, Organisation
from register.models.fields import PreferredLanguageField

# The public fields of an organisation that the organisation may correct itself.
SELF_SERVICE_FIELDS = [
    "name",
    "short_name",
    "description",
    "website",
    "email",
    "phone",
    "street_address",
    "postal_code",
    "locality",
    "languages",
    "contact_public",
]


def new_nonce():
    return secrets.token_urlsafe(24)


class WorkspaceSettings(models.Model):
    """The office's settings for the workspace; there is exactly one row."""

    require_two_factor = models.BooleanField(
        _("require two-factor login for staff"),
        default=False,
        help_text=_("Office administrators and network coordinators must then sign in with a one-time code."),
    )
    retention_months = models.PositiveSmallIntegerField(
        _("retention period in months"),
        default=24,
        help_text=_("People without an active membership are anonymised this long after their last membership."),
    )
    self_service_days = models.PositiveSmallIntegerField(
        _("self-service links valid for days"),
        default=14,
    )

    class Meta:
        verbose_name = _("workspace settings")
        verbose_name_plural = _("workspace settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_months__gte=1),
                name="workspace_settings_retention_positive",
                violation_error_message=_("Keep data for at least one month."),
            ),
            models.CheckConstraint(
                condition=Q(self_service_days__gte=1, self_service_days__lte=90),
                name="workspace_settings_link_days_range",
                violation_error_message=_("A self-service link is valid for 1 to 90 days."),
            ),
        ]

    def __str__(self):
        return str(_("workspace settings"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The settings; until the office saves them, the defaults (one query, no write)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class SelfServiceLink(models.Model):
    """A signed link the office sends to an organisation; it expires and can be used once."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="self_service_links"
    )
    email = models.EmailField(_("sent to"))
    language = PreferredLanguageField(
        _("language"), help_text=_("The mail and the page it links to are in this language.")
    )
    nonce = models.CharField(_("nonce"), max_length=64, default=new_nonce, unique=True, editable=False)
    created = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("self-service link")
        verbose_name_plural = _("self-service links")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created")),
                name="self_service_link_expires_after_creation",
                violation_error_message=_("A link must expire after it was created."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.email}"

    def save(self, *args, **kwargs):
        if self.expires_at is None:
            days = WorkspaceSettings.load().self_service_days
            self.expires_at = (self.created or timezone.now()) + timedelta(days=days)
        super().save(*args, **kwargs)

    @property
    def is_usable(self):
        return self.used_at is None and self.expires_at > timezone.now()


class Correction(models.Model):
    """Changes to an organisation's public data that wait for the office's approval."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="corrections"
    )
    link = models.OneToOneField(
        SelfServiceLink,
        verbose_name=_("self-service link"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="correction",
    )
    proposed = models.JSONField(_("proposed values"), default=dict)
    previous = models.JSONField(_("values when proposed"), default=dict)
    note = models.TextField(_("note from the organisation"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PENDING)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("proposed correction")
        verbose_name_plural = _("proposed corrections")
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="pending") | Q(decided_at__isnull=False),
                name="correction_decision_has_time",
                violation_error_message=_("A decided correction needs the time of the decision."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_state_display()})"

    def rows(self):
        """(field label, current value, proposed value) for display."""
        rows = []
        for name, value in self.proposed.items():
            field = Organisation._meta.get_field(name)
            rows.append((field.verbose_name, self.previous.get(name, ""), value))
        return rows


class NetworkMessage(models.Model):
    """A message to everyone on a network's mailing list; each recipient's mail goes through the outbox."""

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="messages")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    mails = models.ManyToManyField("meetings.OutgoingMail", verbose_name=_("mails"), related_name="+")

    class Meta:
        verbose_name = _("message to a network")
        verbose_name_plural = _("messages to networks")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return self.subject
