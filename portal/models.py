"""What the public search knows: one document per network, organisation, actor group and focus area."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
