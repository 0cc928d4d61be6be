from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One applied import: which file, by whom, and what it did."""

    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=40)
    source_name = models.CharField(_("file"), max_length=300)
    sha256 = models.CharField(_("checksum"), max_length=64)
    summary = models.JSONField(_("summary"), default=dict)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.source_name} ({self.started_at:%d.%m.%Y %H:%M})"
