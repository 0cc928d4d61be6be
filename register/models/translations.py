"""Texts that staff write in German, in the other languages of the site.

One row per record, field and language: the register grows to any number of languages without a
new column. The German text stays in the record itself (the language of the data); a translation
remembers the German it was made from (the text, and its digest for a cheap comparison), so that it
is known to be outdated as soon as the German changes, and the office sees what changed.
"""

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import SHA256, Coalesce
from django.utils.translation import gettext_lazy as _

from .base import AuditedModel


def digest(text):
    """What a translation remembers of the German it was made from."""
    return hashlib.sha256((text or "").encode()).hexdigest()


class Digest(SHA256):
    """``digest`` of a text column, computed by the database (to find outdated translations there).

    SQLite has Django's ``SHA256`` function; on PostgreSQL the built-in ``SHA256`` of the text's UTF-8
    bytes, rather than Django's, which needs the pgcrypto extension."""

    def __init__(self, expression, **extra):
        super().__init__(Coalesce(expression, Value("")), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "ENCODE(SHA256(CONVERT_TO(%(expressions)s, 'UTF8')), 'hex')"
        return self.as_sql(compiler, connection, template=template, **extra_context)


class Translation(AuditedModel):
    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("record"))
    field = models.CharField(_("field"), max_length=60)
    language = models.CharField(_("language"), max_length=12)
    text = models.TextField(_("translation"))
    source_digest = models.CharField(_("digest of the German text translated"), max_length=64)
    # Empty for translations stored before the text was kept: then only the digest says it is outdated.
    source_text = models.TextField(_("German text translated"), blank=True, default="")

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="translation_once_per_field_and_language",
                violation_error_message=_("This text already has a translation into this language."),
            ),
            models.CheckConstraint(
                condition=~Q(language=settings.LANGUAGE_CODE),
                name="translation_not_into_the_language_of_the_data",
                violation_error_message=_("The German text is kept in the record itself."),
            ),
            models.CheckConstraint(
                condition=~Q(text=""),
                name="translation_not_empty",
                violation_error_message=_("An empty translation is no translation: delete it instead."),
            ),
        ]
        indexes = [models.Index(fields=["content_type", "language", "object_id"], name="translation_lookup")]

    def __str__(self):
        return f"{self.field} ({self.language})"

    def audit_values(self):
        # The digest follows from the German text the history already shows.
        values = super().audit_values()
        values.pop("source_digest", None)
        return values

    def is_outdated(self, german):
        """Whether the German text changed after this translation was made."""
        return self.source_digest != digest(german)


class TranslationWork(models.Model):
    """How much translation work one kind of record has into one language: derived data, kept up to date
    by ``register.translations`` as records and translations change (see ``stored_work``)."""

    content_type = models.ForeignKey(ContentType, verbose_name=_("kind of record"), on_delete=models.CASCADE)
    language = models.CharField(_("language"), max_length=12)
    records = models.IntegerField(_("records with a missing or outdated text"), default=0)
    missing = models.IntegerField(_("missing texts"), default=0)
    outdated = models.IntegerField(_("outdated texts"), default=0)
    with_missing = models.IntegerField(_("records with a missing text"), default=0)
    with_outdated = models.IntegerField(_("records with an outdated text"), default=0)

    class Meta:
        verbose_name = _("translation work")
        verbose_name_plural = _("translation work")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "language"],
                name="translation_work_once_per_kind_and_language",
                violation_error_message=_("The translation work of this kind and language is already counted."),
            ),
        ]

    def __str__(self):
        return f"{self.content_type.model} ({self.language})"
