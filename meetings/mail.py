"""The outbox: mails are stored first, then sent by a task, so that no request waits for the mail server."""

import logging
from email.mime.text import MIMEText

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone, translation

from register.models import SiteIdentity

from .models import OutgoingMail

logger = logging.getLogger(__name__)


def queue_mail(recipient, subject, body, ics="", method="", language=None):
    """Store a mail and send it once the current transaction commits."""
    mail = OutgoingMail.objects.create(
        recipient=recipient, subject=subject, body=body, ics=ics, ics_method=method if ics else ""
    )
    transaction.on_commit(lambda: enqueue(mail))
    return mail


def render_plain(name, context):
    """Render a text template without HTML escaping: mails are plain text ("Ort & Ablauf", not "&amp;")."""
    return get_template(name).template.render(Context(context, autoescape=False))


def queue_templated(recipient, template, context, language, ics="", method=""):
    """Render subject and body from ``meetings/mail/<template>_subject.txt`` / ``.txt`` in the given language."""
    context = {"site": SiteIdentity.current(), **context}  # the signature names the office
    with translation.override(language):
        subject = " ".join(render_plain(f"meetings/mail/{template}_subject.txt", context).split())
        body = render_plain(f"meetings/mail/{template}.txt", context)
    return queue_mail(recipient, subject, body, ics=ics, method=method)


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
    message = EmailMessage(mail.subject, mail.body, to=[mail.recipient])
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
    mail.save(update_fields=["status", "error", "attempts", "sent_at"])
    return True
