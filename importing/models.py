from django.conf import settings
from django.db import models
from django.urls import reverse
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


class TabularImport(models.Model):
    """An uploaded Excel or CSV file of organisations, people or memberships, from check to apply.

    The file is kept in the row. ``problems`` lists every problem by row and column, ``plan`` what
    each row would do; both are written by the check and again when the import is applied.
    """

    class Kind(models.TextChoices):
        ORGANISATIONS = "organisations", _("organisations")
        PEOPLE = "people", _("people")
        MEMBERSHIPS = "memberships", _("memberships")

    class Status(models.TextChoices):
        CHECKING = "checking", _("being checked")
        READY = "ready", _("ready to apply")
        INVALID = "invalid", _("has problems")
        APPLYING = "applying", _("being applied")
        APPLIED = "applied", _("applied")
        FAILED = "failed", _("failed")
        EXPIRED = "expired", _("file deleted unapplied")

    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tabular_imports",
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("file"), max_length=300)
    content = models.BinaryField(_("content"))
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("checksum"), max_length=64)
    file_format = models.CharField(_("format"), max_length=10, blank=True)
    encoding = models.CharField(_("encoding"), max_length=40, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=1, blank=True)
    header_row = models.PositiveIntegerField(
        _("row of headings"), default=1, help_text=_("The row of the file that holds the column headings.")
    )
    first_rows = models.JSONField(
        _("first rows"),
        default=list,
        blank=True,
        help_text=_("The first rows of the file, kept when the headings were not found, to pick their row."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CHECKING)
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    plan = models.JSONField(_("plan"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    run = models.ForeignKey(
        ImportRun, verbose_name=_("applied import"), on_delete=models.SET_NULL, null=True, blank=True
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("table import")
        verbose_name_plural = _("table imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.get_kind_display()})"

    def get_absolute_url(self):
        return reverse("importing:tabular_detail", args=[self.pk])

    @property
    def is_running(self):
        return self.status in {self.Status.CHECKING, self.Status.APPLYING}

    @property
    def percent(self):
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class StatisticsImport(models.Model):
    """Population figures of the municipalities from a table of the statistical office, from check to apply.

    ``plan`` holds what each row of the county would write; ``problems`` every problem by row. The
    file itself is not kept (its name and checksum are), only what was read from it.
    """

    class Status(models.TextChoices):
        READY = "ready", _("ready to apply")
        INVALID = "invalid", _("has problems")
        APPLIED = "applied", _("applied")

    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, blank=True
    )
    file_name = models.CharField(_("file"), max_length=300)
    sha256 = models.CharField(_("checksum"), max_length=64)
    title = models.CharField(_("title of the table"), max_length=500, blank=True)
    date = models.DateField(_("figures of"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    plan = models.JSONField(_("plan"), default=list, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    skipped = models.PositiveIntegerField(_("rows skipped"), default=0)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    alert_sent = models.BooleanField(_("office alerted"), default=False)

    class Meta:
        verbose_name = _("population figures import")
        verbose_name_plural = _("population figures imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.file_name

    def get_absolute_url(self):
        return reverse("importing:statistics_detail", args=[self.pk])
