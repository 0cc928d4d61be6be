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


class SearchText(models.TextField):
    """Folded words separated by spaces; on PostgreSQL searched through a trigram index."""


@SearchText.register_lookup
class SimilarWord(models.Lookup):
    """The value is like one word of the text (pg_trgm's word similarity, ``value <% text``); PostgreSQL only."""

    lookup_name = "similar_word"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{rhs} <%% {lhs}", [*rhs_params, *lhs_params]


class SearchDocument(models.Model):
    """What the public search knows of one network, organisation, actor group or focus area.

    Derived from the register and kept current by ``portal.indexing`` whenever an entry is saved
    or deleted; ``manage.py rebuild_search_index`` builds it anew (after writes that bypass model
    signals, such as ``bulk_create``). Which networks an entry sits in is not kept here: it depends
    on the day (memberships start and end) and is read at search time.
    """

    class Kind(models.TextChoices):
        NETWORK = "network", _("network")
        ORGANISATION = "organisation", _("organisation")
        ACTOR_GROUP = "actor_group", _("actor group")
        FOCUS_AREA = "focus_area", _("focus area")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    object_id = models.BigIntegerField(_("entry"))
    name = models.CharField(_("name"), max_length=1000, help_text=_("Organisations with the organisations above them."))
    sort_key = models.CharField(_("sort key"), max_length=1000)
    primary = models.TextField(_("words of the names"))
    secondary = models.TextField(_("words of purpose, topics and network"), blank=True)
    words = SearchText(_("all words"))
    category = models.CharField(_("category"), max_length=20, blank=True)
    municipality_id = models.BigIntegerField(
        _("municipality"), null=True, blank=True, help_text=_("Its own or that of the nearest organisation above it.")
    )
    chain = models.CharField(
        _("organisations above"), max_length=500, blank=True, help_text=_("|top|…|this| – the ids from the top down.")
    )
    chain_tags = models.TextField(
        _("categories and municipalities above"), blank=True, help_text=_("category@municipality of each of them.")
    )
    network_id = models.BigIntegerField(_("network"), null=True, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]
        indexes = [models.Index(fields=["kind", "sort_key"], name="search_document_sorted")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"
