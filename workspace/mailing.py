"""Per network: its mailing list as a spreadsheet, and a message to everyone on it through the outbox."""

from django.db import transaction
from django.db.models import Count, Q

from meetings.mail import by_language, fetch_translations, language_of, queue_templated
from meetings.models import OutgoingMail
from register import mailing, spreadsheets

from .models import NetworkMessage


def export(network, fmt):
    """The mailing list as CSV or XLSX bytes, written by the one spreadsheet writer (no formulas)."""
    listed, _left_out = mailing.mailing_list(network)
    headers, rows = mailing.rows(listed)
    if fmt == "xlsx":
        return spreadsheets.xlsx_bytes([spreadsheets.Sheet(network.short_name or network.name[:31], headers, rows)])
    return spreadsheets.csv_bytes(headers, rows)


def send(network, subject, body, user):
    """Queue one mail per address on the list, each in the preferred language of its person (the
    message as staff wrote it, the frame and the network's name in that language); returns the message
    with its mails."""
    listed, _left_out = mailing.mailing_list(network)
    with transaction.atomic():
        message = NetworkMessage.objects.create(network=network, subject=subject, body=body, sent_by=user)
        mails = []
        for entry in by_language(listed, lambda entry: language_of(entry.person)):
            language = language_of(entry.person)
            fetch_translations(language, [network])
            context = {"network": network, "subject": subject, "body": body, "person": entry.person}
            mails.append(queue_templated(entry.person.email, "network_message", context, language))
        message.mails.set(mails)
    return message


def messages_with_status(network):
    """The network's messages, newest first, each with the number of its mails queued, sent and failed."""
    return network.messages.select_related("sent_by").annotate(
        total=Count("mails"),
        queued=Count("mails", filter=Q(mails__status=OutgoingMail.Status.QUEUED)),
        sent=Count("mails", filter=Q(mails__status=OutgoingMail.Status.SENT)),
        failed=Count("mails", filter=Q(mails__status=OutgoingMail.Status.FAILED)),
    )
