"""What the API keeps beside the register: tombstones of deleted and depublished objects."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tombstone(models.Model):
    """An OParl object that was deleted or depublished, so that syncing clients learn of it.

    OParl 1.1 forbids objects to simply vanish: the URL of a deleted object keeps answering with
    ``{"id", "type", "created", "modified", "deleted": true}``, and lists name it when the client
    asks with ``modified_since``. The register has no deleted flag, so the API keeps this record.
    """

    path = models.CharField(
        _("OParl path"), max_length=200, unique=True, help_text=_("The object's URL below /oparl/v1.1/.")
    )
    oparl_type = models.CharField(_("OParl type"), max_length=40, db_index=True)
    body_id = models.PositiveBigIntegerField(_("body"), null=True, blank=True, db_index=True)
    network_id = models.PositiveBigIntegerField(_("network"), null=True, blank=True, db_index=True)
    parents = models.CharField(
        _("shown in"),
        max_length=500,
        blank=True,
        help_text=_("Paths of the objects that listed or embedded this one, each between spaces."),
    )
    created = models.DateTimeField(_("created"))
    deleted_at = models.DateTimeField(_("deleted"), db_index=True)

    class Meta:
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")
        ordering = ["pk"]

    def __str__(self):
        return self.path
