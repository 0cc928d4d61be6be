"""The actors of the networks: organisations (with their units), actor groups and people."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import languages as language_list
from ..folding import folded, joined
from ..text import split_legal_form
from .base import AuditedModel
from .fields import NameField, PreferredLanguageField
from .places import Body, Municipality


class Category(models.TextChoices):
    AUTHORITY = "authority", _("Public authority")
    WELFARE = "welfare", _("Welfare organisation")
    ASSOCIATION = "association", _("Association or initiative")
    EDUCATION = "education", _("Education and research")
    HEALTH = "health", _("Health")
    RELIGION = "religion", _("Religious community")
    ECONOMY = "economy", _("Chambers, employers and unions")
    POLITICS = "politics", _("Political body")
    PRACTICE = "practice", _("Practice")
    OTHER = "other", _("Other")


class LegalForm(models.TextChoices):
    REGISTERED_ASSOCIATION = "ev", _("registered association (e.V.)")
    NONPROFIT_COMPANY = "ggmbh", _("non-profit limited company (gGmbH)")
    COMPANY = "gmbh", _("limited company (GmbH)")
    FOUNDATION = "foundation", _("foundation")
    PUBLIC_LAW = "public_law", _("public-law body")
    UNKNOWN = "", _("unknown")

    @classmethod
    def stated_in(cls, name):
        """The legal form a name states by the register's one reading of it (``register.text``); a
        foundation by the word "Stiftung", which stays in the name for the matcher."""
        stated, _rest = split_legal_form(name)
        if stated in STATED_FORMS:
            return STATED_FORMS[stated]
        return cls.FOUNDATION if FOUNDATION_WORD.search(name) else cls.UNKNOWN


# The stated forms (``register.text.LEGAL_FORMS``) as the choices of an organisation: a gUG is a non-profit
# and a UG a limited company of the GmbH kind; KdöR and AöR are public-law bodies.
STATED_FORMS = {
    "ev": LegalForm.REGISTERED_ASSOCIATION,
    "ggmbh": LegalForm.NONPROFIT_COMPANY,
    "gug": LegalForm.NONPROFIT_COMPANY,
    "gmbh": LegalForm.COMPANY,
    "ug": LegalForm.COMPANY,
    "kdoer": LegalForm.PUBLIC_LAW,
    "aoer": LegalForm.PUBLIC_LAW,
}
FOUNDATION_WORD = re.compile(r"Stiftung")


class OrganisationQuerySet(models.QuerySet):
    def current(self):
        """Those not archived: what public pages, choices and lists offer."""
        return self.filter(archived_at__isnull=True)


class Organisation(AuditedModel):
    """An organisation or one of its units (Fachdienst, Beratungsstelle, …) that can be a member."""

    # What ``contact_public`` releases; name, description and languages are public anyway.
    CONTACT_FIELDS = ("street_address", "postal_code", "locality", "phone", "email", "website")

    name = NameField(_("name"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    short_name = NameField(_("short name"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        help_text=_("The organisation this one is a unit of."),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices, blank=True)
    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("The authority this organisation belongs to, if it is part of one."),
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    anonymised = models.BooleanField(
        _("anonymised entry"),
        default=False,
        help_text=_("The entry stands for an individual practitioner who is not named."),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    street_address = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    locality = models.CharField(_("locality"), max_length=120, blank=True)
    # Name, short name and locality folded (``register.folding``), kept by the database: the staff's search
    # reads this column, not the functions over every row.
    folded_names = models.GeneratedField(
        expression=folded(joined("name", Value(" "), "short_name", Value(" "), "locality")),
        output_field=models.TextField(),
        db_persist=True,
    )
    languages = models.CharField(
        _("languages spoken"),
        max_length=200,
        blank=True,
        validators=[language_list.validate],
        help_text=_("The languages in which the organisation advises or can be reached."),
    )
    contact_public = models.BooleanField(
        _("contact details public"),
        default=False,
        help_text=_(
            "Address, phone, e-mail and website appear on public pages and in open data only when this is "
            "ticked, by the office or by the organisation through its self-service link."
        ),
    )
    confirmed_at = models.DateTimeField(
        _("last confirmed"), null=True, blank=True, help_text=_("When the entry was last checked as current.")
    )
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Where the entry came from."))
    archived_at = models.DateTimeField(
        _("archived"),
        null=True,
        blank=True,
        help_text=_("An archived organisation is kept with its history but no longer offered or shown publicly."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="organisation_unique_name_in_parent",
                violation_error_message=_("This organisation already has a unit of that name."),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="organisation_unique_top_level_name",
                violation_error_message=_("An organisation of that name already exists."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="organisation_not_own_parent",
                violation_error_message=_("An organisation cannot be a unit of itself."),
            ),
        ]
        # Lists in name order (JSON API) and the organisations of a body by key (OParl), page by page.
        indexes = [
            models.Index(fields=["name", "id"], name="organisation_name_id"),
            models.Index(fields=["body", "id"], name="organisation_body_id"),
            # The start page's entries not confirmed for a year, oldest first (never confirmed last).
            models.Index(fields=["confirmed_at", "name"], name="organisation_confirmed_name"),
            # The office's translations still to do, by name (``register.translations.sort_name``).
            models.Index(Lower("name"), "id", name="organisation_lower_name_id"),
        ]

    def __str__(self):
        return self.full_name

    def clean(self):
        seen = {self.pk} if self.pk else set()
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk in seen:
                raise ValidationError({"parent": _("This would make the organisation a unit of its own unit.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    @property
    def ancestors(self):
        """The organisations above this one, top first."""
        chain, node = [], self.parent
        while node is not None:
            chain.insert(0, node)
            node = node.parent
        return chain

    @property
    def full_name(self):
        """Name with the organisations above it, as entries on the county's page write it."""
        return " - ".join([a.name for a in self.ancestors] + [self.name])

    @property
    def public_contact(self):
        """The contact fields the public may see: all of them (possibly empty) if released, else none."""
        if not self.contact_public:
            return {}
        return {name: getattr(self, name) for name in self.CONTACT_FIELDS}

    @property
    def language_names(self):
        return language_list.names(self.languages)


class OrganisationAlias(AuditedModel):
    """Another name under which an organisation is known: an abbreviation or a former name."""

    class Kind(models.TextChoices):
        VARIANT = "variant", _("spelling variant")
        ABBREVIATION = "abbreviation", _("abbreviation")
        FORMER = "former", _("former name")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="aliases"
    )
    name = NameField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.VARIANT)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="alias_unique_per_organisation",
                violation_error_message=_("The organisation already has this alias."),
            ),
        ]

    def __str__(self):
        return self.name


class ActorGroup(AuditedModel):
    """A seat that stands for a class of actors, e.g. "Integrationsbeauftragte der kreisangehörigen Kommunen"."""

    name = NameField(_("name"), max_length=300, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="actor_groups"
    )
    persons = models.ManyToManyField("Person", verbose_name=_("persons"), blank=True, related_name="actor_groups")
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("actor group")
        verbose_name_plural = _("actor groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Consent (Art. 6(1)(a) GDPR)")
    PUBLIC_TASK = "public_task", _("Public task (Art. 6(1)(e) GDPR)")
    CONTRACT = "contract", _("Contract (Art. 6(1)(b) GDPR)")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation (Art. 6(1)(c) GDPR)")


def default_purpose():
    """What a person's data is kept for unless the office says otherwise: the office's network work."""
    from .site import SiteIdentity

    office = SiteIdentity.current().name_with_body
    if not office:
        return gettext("Coordination of the networks")
    return gettext("Coordination of the networks of %(office)s") % {"office": office}


class Person(AuditedModel):
    """A person who works in a network. Personal data: purpose-bound, public only with consent."""

    given_name = NameField(_("given name"), max_length=120, blank=True)
    family_name = NameField(_("family name"), max_length=120, blank=True)
    title = NameField(_("title"), max_length=60, blank=True, help_text=_("e.g. Dr."))
    function = NameField(
        _("function"), max_length=200, blank=True, help_text=_("e.g. Geschäftsstelle des Kreisausländerbeirats")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = PreferredLanguageField(
        _("preferred language"), help_text=_("The office's mails to this person go out in this language.")
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=20, choices=LegalBasis.choices, default=LegalBasis.PUBLIC_TASK
    )
    purpose = models.CharField(
        _("purpose"), max_length=300, default=default_purpose, help_text=_("What the data is kept for.")
    )
    consent_to_publish = models.BooleanField(
        _("consents to publication"),
        default=False,
        help_text=_("Only then are name and function shown on public pages and in open data."),
    )
    consent_recorded_at = models.DateTimeField(_("consent recorded"), null=True, blank=True)
    consent_note = models.CharField(_("how consent was given"), max_length=300, blank=True)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["family_name", "given_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_to_publish=False) | Q(consent_recorded_at__isnull=False),
                name="person_publication_needs_recorded_consent",
                violation_error_message=_("Record when consent was given before publishing a person."),
            ),
            models.CheckConstraint(
                condition=~Q(legal_basis="consent") | Q(consent_recorded_at__isnull=False),
                name="person_consent_basis_needs_record",
                violation_error_message=_("Consent as legal basis needs the date it was given."),
            ),
        ]

    def __str__(self):
        if self.erased_at:
            return str(_("erased person"))
        name = " ".join(part for part in [self.title, self.given_name, self.family_name] if part)
        return name or self.function or str(_("unnamed person"))

    @property
    def is_public(self):
        return self.consent_to_publish and self.erased_at is None
