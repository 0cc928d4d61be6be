"""Self-service for member organisations: a signed, expiring, single-use link and the correction it yields."""

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from meetings.mail import queue_mail
from register.absolute import absolute_url
from register.history import audit_context
from register.locking import StaleEdit, changed_since, version_of
from register.models import Organisation, Person, SiteIdentity
from register.models.fields import site_language

from .models import SELF_SERVICE_FIELDS, Correction, SelfServiceLink

SALT = "workspace.self-service"
# A hard upper bound on top of each link's own expiry.
MAX_AGE_DAYS = 90


class LinkUnusable(Exception):
    """The link is forged, expired or used; the message says which."""


def token_for(link):
    return signing.TimestampSigner(salt=SALT).sign(f"{link.pk}.{link.nonce}")


def url_for(link):
    """The link's address, to the page in the link's language."""
    with translation.override(link.language):
        return absolute_url(reverse("workspace:self_service", args=[token_for(link)]))


def language_for(organisation, email):
    """The language to write to ``email`` in: the preferred language of the person in the register with
    this address (one of the organisation's people first), else the site's language."""
    people = Person.objects.filter(email__iexact=email, erased_at__isnull=True).order_by("pk")
    person = people.filter(organisation=organisation).first() or people.first()
    return site_language(person.language if person else None)


@transaction.atomic
def send_link(organisation, email, user, language=None):
    """Create a link for the organisation and put the mail into the outbox, which sends it once the
    transaction commits and shows the office a failure to retry; returns the link. The mail and the
    page are in ``language``, by default that of the person with this address (``language_for``)."""
    language = site_language(language) if language else language_for(organisation, email)
    link = SelfServiceLink.objects.create(organisation=organisation, email=email, created_by=user, language=language)
    with translation.override(language):
        subject, body = link_mail(link)
    queue_mail(email, subject, body, language=language, personal_link=True)
    return link


def link_mail(link):
    """(subject, body) of the mail with the link, in the current language."""
    organisation = link.organisation
    subject = _("Please check your entry in the network register: %(name)s") % {"name": organisation.name}
    body = _(
        "Hello,\n\n"
        "we keep the register of the networks on migration, integration and inclusion (%(office)s). "
        "Please check the public data of %(name)s and correct what is out of date, and tell us "
        "whether its contact details may be published:\n\n"
        "%(url)s\n\n"
        "The link can be used once and is valid until %(expires)s. The office reviews your changes "
        "before they are published.\n"
    ) % {
        "office": SiteIdentity.current().name_with_body,
        "name": organisation.full_name,
        "url": url_for(link),
        "expires": formats.date_format(timezone.localtime(link.expires_at), "SHORT_DATETIME_FORMAT"),
    }
    return subject, body


def link_from_token(token):
    """The link a token names, if it may still be used; raises LinkUnusable otherwise."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE_DAYS * 24 * 3600)
        pk, nonce = value.split(".", 1)
        link = SelfServiceLink.objects.select_related("organisation").get(pk=int(pk), nonce=nonce)
    except (signing.BadSignature, ValueError, SelfServiceLink.DoesNotExist) as error:
        raise LinkUnusable(_("This link is not valid. Please ask the office for a new one.")) from error
    if link.used_at is not None:
        raise LinkUnusable(_("This link has already been used. Please ask the office for a new one."))
    if link.expires_at <= timezone.now():
        raise LinkUnusable(_("This link has expired. Please ask the office for a new one."))
    if link.organisation.archived_at is not None:
        raise LinkUnusable(_("This entry is no longer kept in the register. Please contact the office."))
    return link


def submit(link, values, note="", language=None):
    """Store the proposed values that differ from the entry; uses up the link. Returns the correction.

    ``language``: the language the owner of the address wants the office's mails in. It is theirs to
    choose, so it applies at once (no review): to the link and to the people in the register with this
    address (``choose_language``)."""
    with transaction.atomic():
        link = SelfServiceLink.objects.select_for_update().get(pk=link.pk)
        if link.used_at is not None:
            raise LinkUnusable(_("This link has already been used. Please ask the office for a new one."))
        if language:
            link.language = site_language(language)
            choose_language(link.email, link.language)
        organisation = link.organisation
        proposed, previous = {}, {}
        for name in SELF_SERVICE_FIELDS:
            current = getattr(organisation, name)
            current = current if isinstance(current, bool) else (current or "")
            if values[name] != current:
                proposed[name] = values[name]
                previous[name] = current
        link.used_at = timezone.now()
        link.save(update_fields=["used_at", "language"])
        return Correction.objects.create(
            organisation=organisation, link=link, proposed=proposed, previous=previous, note=note
        )


def choose_language(email, language):
    """The people in the register with this address read the office's mails in ``language`` from now on
    (recorded in their history as a change by self-service). Returns how many changed."""
    changed = 0
    with audit_context(source="self-service"):
        for person in Person.objects.filter(email__iexact=email, erased_at__isnull=True).exclude(language=language):
            person.language = language
            person.save()
            changed += 1
    return changed


def conflicts(correction, organisation=None):
    """The proposed fields the register changed after the organisation made its proposal."""
    organisation = organisation or correction.organisation
    return changed_since(organisation, {name: correction.previous.get(name, "") for name in correction.proposed})


def approve(correction, user, version=None, choices=None):
    """Apply the proposed values through the register (recorded as self-service); all or nothing.

    ``version``: the entry's version the office saw; a newer one refuses (StaleEdit). A field changed
    in the register since the proposal is applied only when ``choices`` says "proposed" for it, kept
    when it says "stored"; without a choice nothing is applied (StaleEdit)."""
    choices = choices or {}
    with transaction.atomic(), audit_context(user=user, source="self-service"):
        organisation = Organisation.objects.select_for_update().get(pk=correction.organisation_id)
        if version is not None and version != version_of(organisation):
            raise StaleEdit(_("The entry was changed after you opened this page. Please review the correction again."))
        changed = conflicts(correction, organisation)
        undecided = [name for name in changed if choices.get(name) not in ("proposed", "stored")]
        if undecided:
            labels = ", ".join(str(Organisation._meta.get_field(name).verbose_name) for name in undecided)
            raise StaleEdit(
                _(
                    "These fields were changed in the register after the proposal; "
                    "choose which value to keep: %(fields)s"
                )
                % {"fields": labels}
            )
        for name, value in correction.proposed.items():
            if name in changed and choices[name] == "stored":
                continue
            setattr(organisation, name, value)
        organisation.confirmed_at = timezone.now()
        organisation.full_clean()
        organisation.save()
        correction.state = Correction.State.APPROVED
        correction.decided_at = timezone.now()
        correction.decided_by = user
        correction.save()


def reject(correction, user):
    correction.state = Correction.State.REJECTED
    correction.decided_at = timezone.now()
    correction.decided_by = user
    correction.save()
