"""The change history of the register: who changed what, when, from which value to which."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeRecord(models.Model):
    """One change of one record. ``changes`` maps a field to ``[old, new]`` as strings."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        ADD = "add", _("added to")
        REMOVE = "remove", _("removed from")
        NOTE = "note", _("noted")

    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="register_changes",
    )
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Import, self-service or user."))
    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("record"))
    object_repr = models.CharField(_("record as shown"), max_length=300)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reverts = models.ForeignKey(
        "self",
        verbose_name=_("undoes"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reverted_by",
    )

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-timestamp", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="change_record_object")]

    def __str__(self):
        return f"{self.timestamp:%d.%m.%Y %H:%M} {self.object_repr}: {self.get_action_display()}"
