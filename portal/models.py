"""Pages of the public portal whose text the office edits, such as the privacy statement."""

from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class SitePage(models.Model):
    """A text page of the portal, in German and (optionally) English, edited in the admin.

    The body is plain text: paragraphs are separated by a blank line, a paragraph that starts
    with "## " is a heading, lines that start with "- " form a list.
    """

    class Key(models.TextChoices):
        PRIVACY = "privacy", _("Privacy statement")

    key = models.CharField(pgettext_lazy("portal", "page"), max_length=40, choices=Key.choices, unique=True)
    title_de = models.CharField(_("title (German)"), max_length=200)
    body_de = models.TextField(_("text (German)"))
    title_en = models.CharField(
        _("title (English)"), max_length=200, blank=True, help_text=_("Empty: the German title is shown.")
    )
    body_en = models.TextField(
        _("text (English)"), blank=True, help_text=_("Empty: the German text is shown, marked as German.")
    )
    modified = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(title_de="") & ~models.Q(body_de=""),
                name="site_page_german_text_required",
                violation_error_message=_("Give the page a German title and text."),
            ),
        ]

    def __str__(self):
        return self.get_key_display()

    def localised(self, language=None):
        """The title and text for the given or current language, each with the language it is in."""
        language = (language or get_language() or "de")[:2]
        english = language == "en"
        return {
            "title": self.title_en if english and self.title_en else self.title_de,
            "title_lang": "en" if english and self.title_en else "de",
            "body": self.body_en if english and self.body_en else self.body_de,
            "body_lang": "en" if english and self.body_en else "de",
        }
