"""Per network: its mailing list as a spreadsheet, and a message to everyone on it through the outbox."""

from django.db import transaction
from django.db.models import Count, Q

from meetings.mail import queue_templated
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
    """Queue one mail per address on the list; returns the message with its mails."""
    listed, _left_out = mailing.mailing_list(network)
    with transaction.atomic():
        message = NetworkMessage.objects.create(network=network, subject=subject, body=body, sent_by=user)
        mails = [
            queue_templated(
                entry.person.email,
                "network_message",
                {"network": network, "subject": subject, "body": body, "person": entry.person},
                "de",
            )
            for entry in listed
        ]
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
