"""Who may do what in the register: office administrators, network coordinators and members."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import AuditedModel
from .networks import Network


class Assignment(AuditedModel):
    """A user's role for one network. Office administrators need none: they may do everything."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("network coordinator")
        MEMBER = "member", _("member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="assignments"
    )
    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["network", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network"],
                name="assignment_one_role_per_network",
                violation_error_message=_("This user already has a role in this network."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.network} ({self.get_role_display()})"
