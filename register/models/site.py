"""Who runs this installation and the pages the law asks of its site: kept in the database, edited by the office."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .base import AuditedModel
from .places import Body

# How long one process may reuse the identity it read; any change of the register renews the key.
CACHE_SECONDS = 3600


def site_languages():
    """Every language of the site beside German (settings.LANGUAGES): offered until the office says otherwise."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


class SiteIdentity(AuditedModel):
    """The office that runs the site and the body the register belongs to; exactly one row.

    The header and footer of every page, the contact page, mails, calendar files, JSON-LD and OParl
    name the office from here, so that another county or city runs the product by editing this in
    the workspace, not the code.
    """

    office_name = models.CharField(
        _("name of the office"), max_length=200, help_text=_("e.g. Büro für Migration und Inklusion")
    )
    home_body = models.ForeignKey(
        Body,
        verbose_name=_("home body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "The regional authority the register belongs to: named beside the office, its municipalities are "
            "offered first in filters, and entries without a body of their own belong to it in OParl."
        ),
    )
    street_address = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    locality = models.CharField(_("locality"), max_length=120, blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    email = models.EmailField(
        _("public e-mail"),
        blank=True,
        help_text=_(
            "Named on the contact page and in open data; messages from the contact and accessibility forms "
            "go here (without it, to the office administrators)."
        ),
    )
    website = models.URLField(_("website of the office"), blank=True)
    languages = models.JSONField(
        _("languages offered to visitors"),
        default=site_languages,
        blank=True,
        help_text=_(
            "Besides German, which is always offered. A language that is not ticked is missing from the "
            "language switch, and its addresses lead to the German page."
        ),
    )
    logo = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    logo_type = models.CharField(_("logo file type"), max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("site identity")
        verbose_name_plural = _("site identity")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(office_name=""),
                name="site_identity_office_name_required",
                violation_error_message=_("Give the name of the office that runs the site."),
            ),
        ]

    def __str__(self):
        return self.name_with_body or str(_("site identity"))

    def clean(self):
        super().clean()
        unknown = [code for code in self.languages or () if code not in site_languages()]
        if unknown:
            raise ValidationError(
                {"languages": _("The site has no language %(codes)s.") % {"codes": ", ".join(map(str, unknown))}}
            )

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        """The identity from the cache, read from the database once per change of the register.

        A transaction that changed the identity reads its own view of it, uncached, until it commits;
        every other reader shares the cached, committed identity (no query). (The name of the home body
        is cached with it: a transaction that renames the body sees the new name after it commits.)
        """
        if _changed_here():
            return cls.load()
        identity = cls.cached()
        if identity is None:
            identity = cls.load()
            cache.set(_cache_key(), identity, CACHE_SECONDS)
        return identity

    @classmethod
    def cached(cls):
        """The identity as the cache holds it, or None: never a query (for the error pages, which must
        render when the database does not answer). None in a transaction that changed it."""
        return None if _changed_here() else cache.get(_cache_key())

    @classmethod
    def load(cls):
        """The stored identity with its home body, without the logo's bytes (one query); an empty one
        before it is set."""
        return cls.objects.select_related("home_body").defer("logo").filter(pk=1).first() or cls(pk=1)

    def audit_values(self):
        values = super().audit_values()
        if "logo" in values:  # the history names the picture by its fingerprint, not its bytes
            logo = bytes(self.logo or b"")
            values["logo"] = hashlib.sha256(logo).hexdigest()[:16] if logo else None
        return values

    @property
    def offered_languages(self):
        """The codes of the languages visitors may choose, German first, in the order of settings.LANGUAGES."""
        chosen = set(self.languages or ())
        return [code for code, _name in settings.LANGUAGES if code == settings.LANGUAGE_CODE or code in chosen]

    @property
    def body_name(self):
        return self.home_body.name if self.home_body_id else ""

    @property
    def name_with_body(self):
        """The office as mails sign it, e.g. "Büro für Migration und Inklusion, Landkreis Darmstadt-Dieburg"."""
        return ", ".join(part for part in [self.office_name, self.body_name] if part)

    @property
    def address_lines(self):
        return [line for line in [self.street_address, f"{self.postal_code} {self.locality}".strip()] if line]

    @property
    def has_logo(self):
        return bool(self.logo_type)

    @property
    def logo_version(self):
        """Changes with every save, so that a new logo is not hidden by a browser's cache."""
        return f"{self.modified:%Y%m%d%H%M%S}" if self.modified else "0"


def _cache_key():
    from register.freshness import data_version

    return f"vernetzt:site-identity:{data_version()}"


def _changed_here():
    """Whether the current transaction changed the identity and has not committed yet."""
    connection = transaction.get_connection()
    return connection.in_atomic_block and any(entry[1] is identity_changed for entry in connection.run_on_commit)


def identity_changed():
    """Marks a transaction that changed the identity; on commit the register's data version renews anyway."""


def _on_identity_change(sender, **kwargs):
    if not _changed_here():
        transaction.on_commit(identity_changed)


post_save.connect(_on_identity_change, sender=SiteIdentity, dispatch_uid="site-identity-save")
post_delete.connect(_on_identity_change, sender=SiteIdentity, dispatch_uid="site-identity-delete")


class SitePage(AuditedModel):
    """A text page of the site that the office edits: privacy statement, imprint, accessibility
    statement, contact. In German; its translations into the other languages of the site are kept
    as ``Translation`` rows (``register.translations``, fields ``title_de`` and ``body_de``).

    The body is plain text: paragraphs are separated by a blank line, a paragraph that starts
    with "## " is a heading, lines that start with "- " form a list.
    """

    class Key(models.TextChoices):
        PRIVACY = "privacy", _("Privacy statement")
        IMPRINT = "imprint", _("Imprint")
        ACCESSIBILITY = "accessibility", _("Accessibility statement")
        CONTACT = "contact", _("Contact")

    class Conformity(models.TextChoices):
        FULL = "full", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NONE = "none", _("not compliant")

    key = models.CharField(pgettext_lazy("portal", "page"), max_length=40, choices=Key.choices, unique=True)
    # In German, the language of the data; named so because the pages were written in two columns once.
    title_de = models.CharField(_("title"), max_length=200)
    body_de = models.TextField(_("text"))
    is_example = models.BooleanField(
        _("example text"),
        default=False,
        help_text=_(
            "The page holds example text, not yet the county's own: the public page says so. "
            "Untick when the text is checked and complete."
        ),
    )
    conformity = models.CharField(
        _("state of conformity"),
        max_length=20,
        choices=Conformity.choices,
        blank=True,
        help_text=_("Accessibility statement: how far the site meets the requirements."),
    )
    reviewed_on = models.DateField(
        _("statement prepared or last reviewed on"),
        null=True,
        blank=True,
        help_text=_("Accessibility statement: the date the statement was prepared or last reviewed."),
    )

    class Meta:
        db_table = "portal_sitepage"  # the table the portal created before the page moved here
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_de="") & ~Q(body_de=""),
                name="site_page_german_text_required",
                violation_error_message=_("Give the page a German title and text."),
            ),
            models.CheckConstraint(
                condition=~Q(key="accessibility") | (~Q(conformity="") & Q(reviewed_on__isnull=False)),
                name="site_page_accessibility_states_conformity",
                violation_error_message=_(
                    "An accessibility statement names its state of conformity and the date it was prepared."
                ),
            ),
        ]

    def __str__(self):
        return self.get_key_display()

    def localised(self, language=None):
        """The title and text for the given or current language, each with the language it is in
        (German where the page has no translation into that language)."""
        from register.translations import translated

        title, body = translated(self, "title_de", language), translated(self, "body_de", language)
        return {"title": title, "title_lang": title.lang, "body": body, "body_lang": body.lang}
