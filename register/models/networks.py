"""Networks (working groups, advisory boards, forums, councils) and what describes them."""

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower, Upper
from django.utils.translation import gettext_lazy as _

from ..prose_dates import PROSE_FIELDS, first_date_in
from .actors import Organisation
from .base import AuditedModel
from .fields import NameField
from .places import Body, Municipality


class Topic(AuditedModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TargetGroup(AuditedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


class NetworkQuerySet(models.QuerySet):
    def hosted_by(self, body):
        """The networks that ``body`` (a body or its pk) hosts, alone or jointly with others."""
        return self.filter(pk__in=NetworkHost.objects.filter(body=body).values("network_id"))


class Network(AuditedModel):
    """A network the office hosts or takes part in (OParl Organization)."""

    class Classification(models.TextChoices):
        WORKING_GROUP = "working_group", _("Working group")
        EXPERT_BOARD = "expert_board", _("Advisory board")
        COUNCIL = "council", _("Elected advisory council")
        FORUM = "forum", _("Forum")
        PROGRAMME = "programme", _("Funding programme and exchange")
        OTHER = "other", _("Other network")

    class OrganizationType(models.TextChoices):
        """OParl's ``organizationType`` (the API writes OParl's own words, ``api.oparl.objects``)."""

        COMMITTEE = "committee", _("committee (Gremium)")
        OTHER = "other", _("other (Sonstiges)")

    class Cadence(models.TextChoices):
        YEARLY = "yearly", _("once a year")
        REGULAR = "regular", _("regularly")
        CONTINUOUS = "continuous", _("continuously")
        AS_NEEDED = "as_needed", _("as needed")
        UNKNOWN = "", _("not stated")

    name = NameField(_("name"), max_length=200, unique=True)
    short_name = NameField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    classification = models.CharField(
        _("kind"), max_length=20, choices=Classification.choices, default=Classification.OTHER
    )
    organization_type = models.CharField(
        _("OParl organisation type"), max_length=20, choices=OrganizationType.choices, default=OrganizationType.OTHER
    )
    purpose = models.CharField(_("purpose in one line"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("The full text as published."))
    easy_language = models.TextField(
        _("summary in plain language"), blank=True, help_text=_("Leichte Sprache, written by the office.")
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="networks")
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True, related_name="networks"
    )
    since_year = models.PositiveSmallIntegerField(_("since"), null=True, blank=True)
    history = models.TextField(_("history"), blank=True)
    establishing_decision = models.CharField(_("established by"), max_length=300, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    advises = models.CharField(_("advises"), max_length=300, blank=True)
    convened_by = models.CharField(_("convened by"), max_length=200, blank=True)
    administrative_support = models.CharField(_("administrative support"), max_length=300, blank=True)
    is_organ_of_body = models.BooleanField(_("organ of the county"), null=True, blank=True)
    votes_in_committees = models.BooleanField(_("vote in committees"), null=True, blank=True)
    open_to_public = models.BooleanField(_("open to the public"), default=False)
    cadence = models.CharField(_("meets"), max_length=20, choices=Cadence.choices, blank=True)
    contact_function = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("A function, not a person.")
    )
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("A shared mailbox of the function, not a private address.")
    )
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_url = models.URLField(_("contact web page"), blank=True)
    contact_public = models.BooleanField(
        _("contact details public"),
        default=False,
        help_text=_("E-mail, phone and web page of the contact appear on public pages only when this is ticked."),
    )
    seats_members = models.PositiveSmallIntegerField(_("seats for members"), null=True, blank=True)
    seats_deputies = models.PositiveSmallIntegerField(_("seats for deputies"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term in years"), null=True, blank=True)
    composition = models.CharField(_("composition"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    source = models.CharField(_("source"), max_length=300, blank=True)
    # Kept by save() from the published texts, so that the office's start page finds the texts that name a
    # past date with an index instead of reading every network's texts.
    first_date_in_texts = models.DateField(_("earliest date named in its texts"), null=True, editable=False)
    # Whether a body hosts it, kept by save() and by every change of its hosts (``keep_hosted``), so that the
    # networks nobody hosts (the home body's in OParl) are found without reading every network and host.
    hosted = models.BooleanField(_("hosted by a body"), default=False, editable=False)
    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("entry as a member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network",
        help_text=_("The organisation entry that stands for this network where it is a member of other networks."),
    )

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(since_year__isnull=True) | Q(since_year__gte=1900, since_year__lte=2100),
                name="network_since_plausible",
                violation_error_message=_("Give the year as four digits."),
            ),
            models.CheckConstraint(
                condition=Q(term_years__isnull=True) | Q(term_years__gte=1),
                name="network_term_positive",
                violation_error_message=_("A term lasts at least one year."),
            ),
        ]
        # The JSON API lists networks in this order, page by page. (The directory's orders "newest first" and
        # "oldest first" have indexes on PostgreSQL only, migration 0027: SQLite knows no NULLS LAST in an index.)
        indexes = [
            models.Index(fields=["position", "name", "id"], name="network_position_name_id"),
            # The home page's count by kind and the directory's filter by kind.
            models.Index(fields=["classification"], name="network_classification"),
            models.Index(fields=["first_date_in_texts"], name="network_first_date_in_texts"),
            models.Index(fields=["id"], condition=Q(hosted=False), name="network_not_hosted"),
            # The similar networks look for the short names a proposed name uses (``analysis.overlap``);
            # their words in names and purposes by trigrams, on PostgreSQL only (migration 0033).
            models.Index(Upper("short_name"), name="network_short_name_upper"),
            # The office's translations still to do, by name, and their seats by network (``register.translations``).
            models.Index(Lower("name"), "id", name="network_lower_name_id"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.get_deferred_fields() & set(PROSE_FIELDS):  # texts not loaded are not saved either
            self.first_date_in_texts = first_date_in(self)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and set(update_fields) & set(PROSE_FIELDS):
                kwargs["update_fields"] = {*update_fields, "first_date_in_texts"}
        # Where the column is written: the hosts as they are now, not as they were when the record was read.
        if kwargs.get("update_fields") is None and "hosted" not in self.get_deferred_fields():
            self.hosted = self.pk is not None and NetworkHost.objects.filter(network_id=self.pk).exists()
        super().save(*args, **kwargs)

    @property
    def public_contact(self):
        """The contact's e-mail, phone and web page if released for the public, else an empty dict."""
        if not self.contact_public:
            return {}
        values = {"email": self.contact_email, "phone": self.contact_phone, "url": self.contact_url}
        return {name: value for name, value in values.items() if value}


class FocusAreaManager(models.Manager):
    def names(self):
        """The distinct names of all focus areas, A–Z (one query).

        Many networks share a few names (at nation scale 30,000 focus areas, 18 names). Rather than read
        every row (``DISTINCT``), the query steps through the index on the name from each name to the
        next greater one: a query per name inside the database, whatever the number of networks.
        """
        table, name = self.model._meta.db_table, self.model._meta.get_field("name").column
        connection = connections[self.db]
        table, name = connection.ops.quote_name(table), connection.ops.quote_name(name)
        sql = (
            f"WITH RECURSIVE names(name) AS (SELECT MIN({name}) FROM {table} UNION ALL "
            f"SELECT (SELECT MIN({name}) FROM {table} WHERE {name} > names.name) FROM names "
            "WHERE names.name IS NOT NULL) SELECT name FROM names WHERE name IS NOT NULL ORDER BY name"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return [row[0] for row in cursor.fetchall()]


class FocusArea(AuditedModel):
    """One of a network's stated focus areas (Arbeitsschwerpunkte), in the order published."""

    network = models.ForeignKey(
        Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="focus_areas"
    )
    name = models.CharField(_("name"), max_length=300)
    position = models.PositiveIntegerField(_("position"), default=0)
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = FocusAreaManager()

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["network", "position"]
        # The directory lists the distinct names and filters networks by one of them.
        indexes = [
            models.Index(fields=["name", "network"], name="focus_area_name_network"),
            # The office's translations still to do, by name (``register.translations.sort_name``).
            models.Index(Lower("name"), "id", name="focus_area_lower_name_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "name"],
                name="focus_area_unique_per_network",
                violation_error_message=_("The network already has this focus area."),
            ),
        ]

    def __str__(self):
        return self.name


class NetworkHost(AuditedModel):
    """Who runs a network: a body and the unit of it that does the work."""

    network = models.ForeignKey(Network, verbose_name=_("network"), on_delete=models.CASCADE, related_name="hosts")
    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="hosted_networks")
    unit = models.CharField(_("unit"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("host")
        verbose_name_plural = _("hosts")
        ordering = ["network", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "body", "unit"],
                name="host_unique_per_network",
                violation_error_message=_("This host is already named for the network."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} ({self.body})" if self.unit else str(self.body)


def keep_hosted(sender, instance, raw=False, **kwargs):
    """A host saved or deleted: mark its network as hosted or not (``Network.hosted``). A host never moves
    to another network (its forms and the admin edit the hosts of one network)."""
    if not raw:
        hosts = NetworkHost.objects.filter(network=OuterRef("pk"))
        Network.objects.filter(pk=instance.network_id).update(hosted=Exists(hosts))


class Programme(AuditedModel):
    """A funding programme with its funder and the municipalities it funds."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    funder = models.ForeignKey(
        Organisation, verbose_name=_("funder"), on_delete=models.PROTECT, related_name="funded_programmes"
    )
    description = models.TextField(_("description"), blank=True)
    network = models.OneToOneField(
        Network,
        verbose_name=_("exchange network"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programme",
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("funded municipalities"), through="ProgrammeSite", related_name="programmes"
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProgrammeSite(AuditedModel):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="sites"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="programme_sites"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("funded municipality")
        verbose_name_plural = _("funded municipalities")
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "municipality"],
                name="programme_site_unique",
                violation_error_message=_("The municipality is already funded by this programme."),
            ),
        ]

    def __str__(self):
        return f"{self.municipality} ({self.programme})"


class LegislativeTerm(AuditedModel):
    """A term of office of a body or an elected network (OParl LegislativeTerm).

    A term starts empty: memberships belong to one term and end with it; a new term carries nothing
    over. Seats per term default to the network's composition rules.
    """

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="legislative_terms")
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="legislative_terms",
    )
    name = models.CharField(_("name"), max_length=200)
    election_date = models.DateField(_("election"), null=True, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    seats_members = models.PositiveSmallIntegerField(
        _("seats for members"), null=True, blank=True, help_text=_("Empty: as the network's composition rules say.")
    )
    seats_deputies = models.PositiveSmallIntegerField(
        _("seats for deputies"), null=True, blank=True, help_text=_("Empty: as the network's composition rules say.")
    )

    class Meta:
        verbose_name = _("legislative term")
        verbose_name_plural = _("legislative terms")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="term_ends_after_start",
                violation_error_message=_("A term cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(election_date__isnull=True) | Q(election_date__lte=models.F("start_date")),
                name="term_elected_before_start",
                violation_error_message=_("The election is held before the term starts."),
            ),
            models.UniqueConstraint(
                fields=["network", "start_date"],
                name="term_unique_start_per_network",
                violation_error_message=_("The network already has a term that starts on this day."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.network_id or not self.start_date:
            return
        others = LegislativeTerm.objects.filter(network_id=self.network_id).exclude(pk=self.pk)
        overlapping = others.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
        if self.end_date:
            overlapping = overlapping.filter(start_date__lte=self.end_date)
        clash = overlapping.first()
        if clash:
            raise ValidationError(
                {
                    "start_date": _("The terms of a network cannot overlap: “%(name)s” runs at the same time.")
                    % {"name": clash.name}
                }
            )

    @property
    def member_seats(self):
        return self.seats_members if self.seats_members is not None else getattr(self.network, "seats_members", None)

    @property
    def deputy_seats(self):
        return self.seats_deputies if self.seats_deputies is not None else getattr(self.network, "seats_deputies", None)

    def contains(self, day):
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)
