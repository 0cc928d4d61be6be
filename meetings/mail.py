"""The outbox: mails are stored first, then sent by a task, so that no request waits for the mail server.

Each mail is written in its recipient's language (``language_of``: a person's preferred language, the
language of the page someone registered on): ``queue_templated`` renders subject and body under that
language – the catalogue's texts, dates as the language writes them, and the texts staff wrote in the
translation into it (``{{ event|translated:"title" }}`` in the templates, ``register.translations``).
The outbox keeps the text as it was sent and the language it is in; the mail says it (Content-Language).
"""

import logging
from email.mime.text import MIMEText

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation

from register import translations
from register.models import Person, SiteIdentity
from register.models.fields import site_language

from .models import OutgoingMail

logger = logging.getLogger(__name__)


def language_of(person):
    """The language to write to ``person`` in: their preferred one; the site's for nobody."""
    return site_language(getattr(person, "language", None))


def person_with_address(email):
    """The person in the register with this address (the first one kept, when several share it), or None."""
    if not email:
        return None
    return Person.objects.filter(email__iexact=email, erased_at__isnull=True).order_by("pk").first()


def language_for_address(email, default=None):
    """The preferred language of the person in the register with this address; ``default`` or the
    site's language when nobody has it."""
    person = person_with_address(email)
    return language_of(person) if person is not None else site_language(default)


def by_language(items, language=language_of):
    """``items`` ordered by the language of each (stable): mails to many people are written one language
    after the other, so that the translations of the records they name are fetched once per language."""
    return sorted(items, key=lambda item: site_language(language(item)))


def fetch_translations(language, *groups):
    """Fetch the translations into ``language`` of the records a mail names, one query per list of records
    of one model (``{{ record|translated:"field" }}`` then reads them without asking the database)."""
    if language == translations.SOURCE:
        return  # the German text is the record's own
    for records in groups:
        records = [record for record in records if record is not None]
        if records and getattr(records[0], "_translations_language", None) != language:
            translations.attach(records, language)


def queue_mail(recipient, subject, body, ics="", method="", language=None, personal_link=False):
    """Store a mail and send it once the current transaction commits. ``language``: the language the
    text is written in (the current language when not given).

    ``personal_link``: the text holds a link that works as a key (a survey's, a self-service link); the
    outbox forgets the text once the mail is sent, so that the database keeps no usable copy.
    """
    mail = OutgoingMail.objects.create(
        recipient=recipient,
        subject=subject,
        body=body,
        language=site_language(language or translation.get_language()),
        ics=ics,
        ics_method=method if ics else "",
        personal_link=personal_link,
    )
    transaction.on_commit(lambda: enqueue(mail))
    return mail


def render_plain(name, context):
    """Render a text template without HTML escaping: mails are plain text ("Ort & Ablauf", not "&amp;")."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render_mail(template, context, language):
    """(subject, body) from ``meetings/mail/<template>_subject.txt`` / ``.txt`` in the given language."""
    context = {"site": SiteIdentity.current(), **context}  # the signature names the office
    with translation.override(site_language(language)):
        subject = " ".join(render_plain(f"meetings/mail/{template}_subject.txt", context).split())
        body = render_plain(f"meetings/mail/{template}.txt", context)
    return subject, body


def queue_templated(recipient, template, context, language, ics="", method="", personal_link=False):
    """Render the mail ``template`` in the given language (``render_mail``) and store it in the outbox."""
    language = site_language(language)
    subject, body = render_mail(template, context, language)
    return queue_mail(recipient, subject, body, ics=ics, method=method, language=language, personal_link=personal_link)


def outbox_counts():
    """(label, number of mails) for every status of the outbox, in one query."""
    counts = dict(OutgoingMail.objects.values_list("status").annotate(total=Count("pk")).values_list("status", "total"))
    return [(label, counts.get(value, 0)) for value, label in OutgoingMail.Status.choices]


def failed_mails(limit=200):
    return OutgoingMail.objects.filter(status=OutgoingMail.Status.FAILED)[:limit]


def enqueue(mail):
    from .tasks import deliver_mail

    deliver_mail.enqueue(mail.pk)


def retry(mail):
    """Put a failed mail back into the queue."""
    if mail.status != OutgoingMail.Status.FAILED:
        return False
    mail.status = OutgoingMail.Status.QUEUED
    mail.save(update_fields=["status"])
    transaction.on_commit(lambda: enqueue(mail))
    return True


def build_message(mail):
    message = EmailMessage(mail.subject, mail.body, to=[mail.recipient], headers={"Content-Language": mail.language})
    if mail.ics:
        part = MIMEText(mail.ics, "calendar", "utf-8")
        part.set_param("method", mail.ics_method)
        part.add_header("Content-Disposition", "attachment", filename="termin.ics")
        message.attach(part)
    return message


def send_now(mail):
    """Send one stored mail; records success or the error. Returns True when it went out."""
    if mail.status == OutgoingMail.Status.SENT:
        return True
    mail.attempts += 1
    try:
        build_message(mail).send()
    except Exception as error:  # noqa: BLE001 – any failure of the mail server must end up visible in the outbox
        logger.warning("Sending mail %s to %s failed: %s", mail.pk, mail.recipient, error)
        mail.status = OutgoingMail.Status.FAILED
        mail.error = f"{type(error).__name__}: {error}"[:2000]
        mail.save(update_fields=["status", "error", "attempts"])
        return False
    mail.status = OutgoingMail.Status.SENT
    mail.error = ""
    mail.sent_at = timezone.now()
    if mail.personal_link:
        mail.body = ""
    mail.save(update_fields=["status", "error", "attempts", "sent_at", "body"])
    return True
