"""The municipal councils that send delegates to an elected network (the Kreisausländerbeirat)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .actors import Organisation
from .base import AuditedModel
from .networks import Network


class DelegatingCouncilQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))


class DelegatingCouncil(AuditedModel):
    """A municipal Ausländerbeirat (or the body that replaces it) that sends delegates to a network.

    The council is an organisation of its municipality; its delegates sit in the network on its behalf
    (``Membership.on_behalf_of``).
    """

    class Kind(models.TextChoices):
        FOREIGN_RESIDENTS_COUNCIL = (
            "foreign_residents_council",
            _("foreign residents' council (Ausländerbeirat, § 84 HGO)"),
        )
        INTEGRATION_COMMISSION = "integration_commission", _("integration commission (§ 89 HGO)")
        OTHER = "other", _("other body")

    network = models.ForeignKey(
        Network, verbose_name=_("sends delegates to"), on_delete=models.CASCADE, related_name="delegating_councils"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="delegations",
        help_text=_("The council as an organisation of its municipality."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.FOREIGN_RESIDENTS_COUNCIL)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    dissolved_on = models.DateField(
        _("dissolved on"), null=True, blank=True, help_text=_("From this day the council sends nobody.")
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        help_text=_("The body that took over, e.g. an integration commission."),
    )

    objects = DelegatingCouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegating council")
        verbose_name_plural = _("delegating councils")
        ordering = ["organisation__municipality__name", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"],
                name="delegating_council_unique",
                violation_error_message=_("This council already sends delegates to the network."),
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(established_on__isnull=True)
                | Q(dissolved_on__gte=F("established_on")),
                name="delegating_council_dissolved_after_established",
                violation_error_message=_("A council cannot be dissolved before it was established."),
            ),
            models.CheckConstraint(
                condition=~Q(replaced_by=F("id")),
                name="delegating_council_not_replaced_by_itself",
                violation_error_message=_("A council cannot replace itself."),
            ),
        ]

    def __str__(self):
        return str(self.organisation)

    def clean(self):
        if self.organisation_id and not self.organisation.municipality_id:
            raise ValidationError(
                {"organisation": _("Give the council's municipality in its organisation entry first.")}
            )

    @property
    def municipality(self):
        return self.organisation.municipality

    def is_active(self, on=None):
        on = on or timezone.localdate()
        return self.dissolved_on is None or self.dissolved_on > on
