"""Messages from the public to the office: the contact form and the accessibility feedback form.

The message goes through the outbox (``meetings.mail``) like every mail, so a failure of the mail
server is shown and retried there. It goes to the chosen network's contact mailbox if there is one,
else to the office's public address from the site identity, else to the office administrators.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from meetings.mail import queue_mail
from register.models import SiteIdentity
from register.permissions import OFFICE_GROUP


class NoRecipient(Exception):
    """Nobody can receive messages yet: neither the site identity nor any office administrator has an address."""


def office_recipients():
    """Where the office receives messages: its public address, else the addresses of its administrators."""
    identity = SiteIdentity.current()
    if identity.email:
        return [identity.email]
    users = get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__name=OFFICE_GROUP), is_active=True)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def can_receive():
    return bool(office_recipients())


def recipients_for(network):
    if network is not None and network.contact_email:
        return [network.contact_email]
    return office_recipients()


def send_message(kind, data, language):
    """Queue the message for its recipients, in the office's language; returns the outgoing mails.

    ``kind`` is "barrier" (accessibility feedback) or "contact"; ``data`` the cleaned form.
    """
    network = data.get("network")
    recipients = recipients_for(network)
    if not recipients:
        raise NoRecipient
    context = {
        "kind": kind,
        "data": data,
        "network": network,
        "language": translation.get_language_info(language)["name"],
        "sent_at": timezone.localtime(),
        "identity": SiteIdentity.current(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("portal/mail/message_subject.txt", context).split())
        body = render_to_string("portal/mail/message.txt", context)
    return [queue_mail(recipient, subject, body, language=settings.LANGUAGE_CODE) for recipient in recipients]
