"""Bodies, municipalities and places."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..folding import first_word, folded
from .base import AuditedModel
from .fields import NameField


class Body(AuditedModel):
    """A territorial authority (OParl Body): the county, the City of Darmstadt."""

    name = NameField(_("name"), max_length=200, unique=True)
    short_name = NameField(_("short name"), max_length=50, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    website = models.URLField(_("website"), blank=True)
    ags = models.CharField(
        _("official municipality key"),
        max_length=12,
        blank=True,
        help_text=_("Official municipality key (Amtlicher Gemeindeschlüssel)."),
    )

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def home_pk(cls):
        """The pk of the body the register belongs to, as the office set it in the site identity (or None)."""
        from .site import SiteIdentity

        return SiteIdentity.current().home_body_id


class Municipality(AuditedModel):
    """One of the municipalities (Städte und Gemeinden) belonging to a county."""

    class Kind(models.TextChoices):
        TOWN = "town", _("town")
        MUNICIPALITY = "municipality", _("municipality")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY)
    ags = models.CharField(_("official municipality key"), max_length=12, unique=True)
    county = models.ForeignKey(Body, verbose_name=_("county"), on_delete=models.PROTECT, related_name="municipalities")
    # The first word of the name folded (``register.folding``), kept by the database: the similar networks
    # look up the municipalities a text may name by the words of the text (``analysis.overlap``).
    first_word = models.GeneratedField(
        expression=first_word(folded("name")), output_field=models.TextField(), db_persist=True, db_index=True
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            # Germany has several towns of the same name, never two in one county.
            models.UniqueConstraint(
                fields=["county", "name"],
                name="municipality_unique_name_in_county",
                violation_error_message=_("The county already has a municipality of this name."),
            ),
        ]
        indexes = [models.Index(fields=["name", "id"], name="municipality_name_id")]  # lists page by page

    def __str__(self):
        return self.name


class MunicipalityStatistic(AuditedModel):
    """Population figures of a municipality on a given date, from a named source."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="statistics"
    )
    date = models.DateField(_("date"))
    population = models.PositiveIntegerField(_("population"))
    foreign_residents = models.PositiveIntegerField(_("foreign residents"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("municipality statistic")
        verbose_name_plural = _("municipality statistics")
        ordering = ["municipality", "-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "date"],
                name="statistic_unique_per_date",
                violation_error_message=_("There are already figures for this municipality on this date."),
            ),
            models.CheckConstraint(
                condition=Q(foreign_residents__lte=F("population")),
                name="statistic_foreign_within_population",
                violation_error_message=_("Foreign residents cannot exceed the population."),
            ),
        ]

    def __str__(self):
        return f"{self.municipality} {self.date:%d.%m.%Y}"


class Location(AuditedModel):
    """A place where meetings and events happen (OParl Location), with its accessibility."""

    name = NameField(_("name"), max_length=200)
    street_address = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    locality = models.CharField(_("locality"), max_length=120, blank=True)
    room = models.CharField(_("room"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    step_free = models.BooleanField(_("step-free access"), null=True, blank=True)
    accessible_toilet = models.BooleanField(_("accessible toilet"), null=True, blank=True)
    hearing_loop = models.BooleanField(_("hearing loop"), null=True, blank=True)
    public_transport = models.CharField(
        _("public transport"), max_length=300, blank=True, help_text=_("e.g. the nearest stop and its lines.")
    )
    accessible_parking = models.BooleanField(_("accessible parking spaces"), null=True, blank=True)
    parking = models.CharField(_("parking"), max_length=300, blank=True, help_text=_("Where visitors can park."))
    address_public = models.BooleanField(
        _("address public"),
        default=True,
        help_text=_(
            "Street address and access facts appear on public pages. Untick for a place that must not be "
            "published, such as a private home; the public then sees only the name and locality."
        ),
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="location_coordinates_valid",
                violation_error_message=_("Give both latitude and longitude, within their ranges, or neither."),
            ),
        ]

    def __str__(self):
        return ", ".join(part for part in [self.name, self.room, self.locality] if part)

    @property
    def address(self):
        return ", ".join(part for part in [self.street_address, f"{self.postal_code} {self.locality}".strip()] if part)

    @property
    def access_facts_known(self):
        """How many of the five access facts (entrance, toilet, hearing loop, parking, transport) are stated."""
        facts = [self.step_free, self.accessible_toilet, self.hearing_loop, self.accessible_parking]
        return sum(fact is not None for fact in facts) + bool(self.public_transport)

    @property
    def public_address(self):
        """The address as the public may see it: the full address if released, else only the locality."""
        return self.address if self.address_public else self.locality
