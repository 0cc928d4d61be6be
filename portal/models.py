"""What the public search knows: one document per network, organisation, actor group and focus area,
the stems each is found by (``SearchTerm``), all stems (``SearchWord``) and the office's synonyms."""

from pathlib import Path

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from register import freshness


class SearchDocument(models.Model):
    """What the public search knows of one network, organisation, actor group or focus area.

    Derived from the register and kept current by ``portal.indexing`` whenever an entry is saved
    or deleted; ``manage.py rebuild_search_index`` builds it anew (after writes that bypass model
    signals, such as ``bulk_create``). The kinds and topics of the networks an entry sits in, and
    from when to when, are kept beside it (``SearchFacet``).
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
        indexes = [
            models.Index(fields=["kind", "sort_key"], name="search_document_sorted"),
            # The filters count the networks and focus areas of the networks they let through from it alone.
            models.Index(fields=["kind", "network_id"], name="search_document_network"),
            # The filters on organisations list and count them A–Z from these alone.
            models.Index(fields=["kind", "category", "sort_key"], name="search_document_category"),
            models.Index(fields=["kind", "municipality_id", "sort_key"], name="search_document_municipality"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"


class SearchFacet(models.Model):
    """What the search's filters on networks read: an organisation or actor group sits in a network of
    a kind, of a topic, or of both (``facet``: ``facet_name()``) from one day to another.

    An organisation sits where it, a person on its behalf or one of its units (at any depth) holds a
    seat: a unit's seat counts for the organisations above it. An actor group sits where it holds one.
    The days of an entry's seats with one facet are kept as periods that do not overlap, so that on any
    day an entry counts once (the filters count from the index alone). Whether a period covers today is
    read at search time, as ``Membership.objects.active()`` reads a seat: a seat that begins or ends
    needs no rewrite. Written with the entry and after every change of a membership or of a network's
    kind or topics (``portal.indexing``).

    Beside a network's entry (``kind`` network) stand, the same way, the categories and municipalities of
    its members, for the search's filters on organisations (``member_facet_name()``): a network has a
    member of a category, in a municipality, or of both in one, while an organisation holds a seat in it
    (itself or a person on its behalf) that is not archived and that is, or is a unit of, an organisation
    of that category, in that municipality (its own or that of the nearest organisation above it).
    Written with the network's entry and after every change of a membership or of an organisation's
    category, municipality, place in the tree or archiving.
    """

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets", db_index=False)
    kind = models.CharField(_("kind"), max_length=20, choices=SearchDocument.Kind.choices)  # the entry's
    facet = models.CharField(max_length=100)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        indexes = [
            # Counting the entries of a facet reads only this index; finding an entry's, the other.
            models.Index(fields=["facet", "kind", "start_date", "end_date"], name="search_facet_count"),
            models.Index(fields=["document", "facet", "start_date", "end_date"], name="search_facet_document"),
            # The networks with members of a category or in a municipality, read from this index alone.
            models.Index(
                fields=["facet", "start_date", "end_date", "document"],
                condition=models.Q(kind="network"),
                name="search_facet_members",
            ),
        ]

    def __str__(self):
        return self.facet


def facet_name(kind="", topic_id=None):
    """The facet of networks of a kind, of a topic or of both: "kind:council", "topic:12", "kind:council topic:12"."""
    return " ".join([*([f"kind:{kind}"] if kind else []), *([f"topic:{topic_id}"] if topic_id else [])])


def member_facet_name(category="", municipality_id=None):
    """The facet of networks with members of a category, in a municipality or both (one organisation of
    the category in the municipality): "category:welfare", "municipality:12", "category:welfare
    municipality:12"."""
    return " ".join(
        [
            *([f"category:{category}"] if category else []),
            *([f"municipality:{municipality_id}"] if municipality_id else []),
        ]
    )


class SearchTerm(models.Model):
    """One stem an entry is found by, where it stands (``field``) and how much that weighs.

    The stems are those of ``portal.analysis``; ``word`` is the word as written, to say why an
    entry was found.
    """

    class Field(models.TextChoices):
        EXACT = "exact", _("name")
        NAME = "name", _("name")
        UPPER = "upper", _("organisation above")
        TOPIC = "topic", _("topic")
        FOCUS = "focus", _("focus area")
        CATEGORY = "category", _("category")
        PLACE = "place", _("place")
        GROUP = "group", _("target group")
        ROLE = "role", _("contact")
        EVENT = "event", _("event")
        NETWORK = "network", _("network")
        DESCRIPTION = "description", _("description")

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="terms", db_index=False)
    term = models.CharField(_("stem"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"))
    field = models.CharField(_("where"), max_length=20, choices=Field.choices)
    word = models.CharField(_("word as written"), max_length=200)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        indexes = [
            # The ranking reads only this index for every stem of a query, heaviest places first.
            models.Index(fields=["term", "-weight", "document"], name="search_term_lookup"),
            models.Index(fields=["document", "term"], name="search_term_document"),
        ]

    def __str__(self):
        return self.term


class SearchWord(models.Model):
    """Every stem of the search terms once: what a query's words are looked up in (also for typos)."""

    term = models.CharField(_("stem"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.term


SHIPPED_SYNONYMS = Path(__file__).resolve().parent / "data" / "synonyms.txt"


class SearchSynonym(models.Model):
    """A group of words the search takes as meaning the same, kept by the office (German, English,
    the words migrants use): a query for one of them also finds entries with the others."""

    words = models.CharField(
        _("words"), max_length=1000, help_text=_("Separated by commas, e.g. Dolmetscher, Sprachmittlung, interpreter.")
    )

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["pk"]

    def __str__(self):
        return self.words

    @property
    def entries(self):
        return [entry.strip() for entry in self.words.split(",") if entry.strip()]

    @classmethod
    def as_text(cls):
        """The whole list, one group a line (as the office edits it)."""
        return "\n".join(", ".join(group.entries) for group in cls.objects.all())

    @classmethod
    def parse(cls, text):
        """The groups of a text, one a line; raises ValueError naming a line with fewer than two words."""
        groups = []
        for number, line in enumerate(text.splitlines(), 1):
            entries = [entry.strip() for entry in line.split(",") if entry.strip()]
            if not entries:
                continue
            if len(entries) < 2:
                raise ValueError(number)
            groups.append(", ".join(entries))
        return groups

    @classmethod
    def shipped(cls):
        """The groups shipped with the product (``portal/data/synonyms.txt``), the list's first content."""
        lines = SHIPPED_SYNONYMS.read_text(encoding="utf-8").splitlines()
        return [line.strip() for line in lines if line.strip() and not line.startswith("#")]

    @classmethod
    def replace_all(cls, groups):
        """Make these groups the office's list."""
        with transaction.atomic():
            cls.objects.all().delete()
            cls.objects.bulk_create(cls(words=group[:1000]) for group in groups)
            freshness.touch(freshness.SEARCH_SYNONYMS)  # bulk_create sends no signal
