"""Mail through a real SMTP server (aiosmtpd, started here): calendar parts agree in UID and SEQUENCE."""

import email
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import mail as django_mail
from icalendar import Calendar

from meetings import invitations, mail
from meetings.models import Invitation, OutgoingMail
from register.models import Meeting


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield collector
    controller.stop()


def calendar_parts(message):
    """(METHOD, VEVENT) of every text/calendar part of a received message."""
    parts = []
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            cal = Calendar.from_ical(part.get_payload(decode=True))
            assert part.get_param("method") == str(cal["METHOD"])
            parts.extend((str(cal["METHOD"]), component) for component in cal.walk("VEVENT"))
    return parts


@pytest.mark.django_db(transaction=True)
def test_invitation_update_and_cancellation_share_uid_with_rising_sequence(smtp, meeting):
    sent, without_address = invitations.invite(meeting)
    assert sent == 2 and [str(m.member) for m in without_address] == [
        f"Ohne Adresse {meeting.network.name.split()[-1]}"
    ]
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.INVITED

    meeting.start = meeting.start.replace(hour=10)
    meeting.end = meeting.start.replace(hour=12)
    meeting.save()
    invitations.send_update(meeting)
    invitations.cancel_meeting(meeting)

    assert len(smtp.messages) == 6
    by_recipient = {}
    for recipients, message in smtp.messages:
        assert len(recipients) == 1
        by_recipient.setdefault(recipients[0], []).append(message)
    assert set(by_recipient) == {invitation.email for invitation in Invitation.objects.all()}
    for recipient, messages in by_recipient.items():
        entries = [calendar_parts(message) for message in messages]
        assert all(len(entry) == 1 for entry in entries)
        methods = [entry[0][0] for entry in entries]
        events = [entry[0][1] for entry in entries]
        assert methods == ["REQUEST", "REQUEST", "CANCEL"]
        assert {str(event["UID"]) for event in events} == {f"{meeting.uid}@vernetzt"}
        assert [int(event["SEQUENCE"]) for event in events] == [0, 1, 2]
        assert events[1].decoded("DTSTART").hour == 10
        assert str(events[2]["STATUS"]) == "CANCELLED"
        assert str(events[0]["ATTENDEE"]).lower() == f"mailto:{recipient}"
        token = Invitation.objects.get(email=recipient).token
        assert f"/termine/antwort/{token}/" in messages[0].get_payload()[0].get_payload(decode=True).decode()
    assert OutgoingMail.objects.filter(status="sent").count() == 6


@pytest.mark.django_db(transaction=True)
def test_registration_confirmation_has_calendar_entry_and_cancel_link(smtp, event):
    from meetings import registrations

    registration = registrations.enrol(event, name="Rosa", email="rosa@example.org", language="de")
    ((recipients, message),) = smtp.messages
    assert recipients == ["rosa@example.org"]
    ((method, entry),) = calendar_parts(message)
    assert method == "PUBLISH"
    assert str(entry["UID"]) == f"{event.uid}@vernetzt"
    assert int(entry["SEQUENCE"]) == event.sequence
    body = message.get_payload()[0].get_payload(decode=True).decode()
    assert f"/termine/anmeldung/{registration.cancel_token}/abmelden/" in body


@pytest.mark.django_db(transaction=True)
def test_failed_send_is_visible_and_can_be_retried(settings, smtp, client):
    from .conftest import make_user

    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens there
    queued = mail.queue_mail("someone@example.org", "Betreff", "Text")
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.FAILED and queued.attempts == 1 and queued.error

    client.force_login(make_user("office"))
    page = client.get("/termine/postausgang/")
    assert "someone@example.org" in page.content.decode()

    settings.EMAIL_PORT = port
    response = client.post(f"/termine/postausgang/{queued.pk}/erneut/")
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.SENT and queued.attempts == 2 and queued.sent_at
    assert [recipients for recipients, _message in smtp.messages] == [["someone@example.org"]]
    assert not django_mail.outbox
