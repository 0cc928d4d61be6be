"""Invitations and reminders go out through the outbox and a real SMTP server, in batches, to the right people only."""

import email
import re
import socket
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse

from meetings.models import OutgoingMail
from needs import mailing
from needs.models import HeldResponse, Response, SurveyInvitation
from register.models import Membership, Organisation, Person
from register.permissions import OFFICE_GROUP
from tests.needs.needs_builders import make_network, make_survey

# Literal dates below: the clock is pinned to tests.conftest.FIXED_DAY (time-machine) for every test here.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_day")]

LINK = re.compile(r"http://testserver(/bedarfe/antworten/[A-Za-z0-9_-]+/)")


class Sink:
    """Keeps every message the SMTP server accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 – aiosmtpd's hook name
        self.messages.append(
            (list(envelope.rcpt_tos), email.message_from_bytes(envelope.content, policy=default_policy))
        )
        return "250 Message accepted"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_HOST_USER="",
        SITE_URL="http://testserver",
    ):
        yield sink
    controller.stop()


def people(network, count, prefix, **extra):
    persons = Person.objects.bulk_create(
        [
            Person(given_name="Test", family_name=f"{prefix}{i}", email=f"{prefix}{i}@example.org", **extra)
            for i in range(count)
        ]
    )
    Membership.objects.bulk_create([Membership(network=network, person=person) for person in persons])
    return persons


def test_500_invitations_through_smtp_and_reminders_only_to_those_who_have_not_answered(
    client, smtp, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(mailing, "BATCH_SIZE", 120)
    first, second, other = make_network("Arbeitskreis A"), make_network("Fachbeirat B"), make_network("Forum C")
    invited = people(first, 300, "a") + people(second, 199, "b")
    # The contact person of an organisation's seat is invited too.
    contact = Person.objects.create(given_name="Kontakt", family_name="Person", email="kontakt@example.org")
    organisation = Organisation.objects.create(name="Verein Test", slug="verein-test")
    Membership.objects.create(network=second, organisation=organisation, contact=contact)
    invited.append(contact)
    # Someone in both networks is invited once; people outside the networks, without e-mail,
    # erased or whose seat has ended are not invited.
    Membership.objects.create(network=second, person=invited[0], role=Membership.Role.DEPUTY)
    people(other, 5, "c")
    Membership.objects.create(network=first, person=Person.objects.create(given_name="Ohne", family_name="Mail"))
    ended = people(first, 1, "ended")[0]
    Membership.objects.filter(person=ended).update(start_date="2020-01-01", end_date="2021-01-01")
    erased = people(first, 1, "erased")[0]
    Person.objects.filter(pk=erased.pk).update(erased_at="2024-01-01T00:00:00Z")
    assert len(invited) == 500
    survey = make_survey([first, second], kinds=("single",))

    with django_capture_on_commit_callbacks(execute=True):
        mailing.send_invitations.enqueue(survey.pk)

    assert len(smtp.messages) == 500
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT, body="").count() == 500
    recipients = [rcpt for rcpts, _message in smtp.messages for rcpt in rcpts]
    assert sorted(recipients) == sorted(person.email for person in invited)
    links = {}
    for rcpts, message in smtp.messages:
        body = message.get_body().get_content()
        assert "Bedarfe 2026" in message["Subject"]
        found = set(LINK.findall(body))
        assert len(found) == 1
        links[rcpts[0]] = found.pop()
    assert len(set(links.values())) == 500
    assert SurveyInvitation.objects.filter(sent_on__isnull=False).count() == 500

    # Three people answer through the link in their e-mail.
    answered = [invited[0].email, invited[299].email, invited[450].email]
    for address in answered:
        assert client.post(client.get(links[address])["Location"], {"action": "submit"}).status_code == 302
    assert Response.objects.count() + HeldResponse.objects.count() == 3
    smtp.messages.clear()

    with django_capture_on_commit_callbacks(execute=True):
        mailing.send_reminders.enqueue(survey.pk)

    reminded = sorted(rcpt for rcpts, _message in smtp.messages for rcpt in rcpts)
    assert reminded == sorted(person.email for person in invited if person.email not in answered)
    # The reminder carries the same personal link as the invitation.
    for rcpts, message in smtp.messages[:5]:
        assert LINK.findall(message.get_body().get_content())[0] == links[rcpts[0]]
    assert SurveyInvitation.objects.filter(reminders=1).count() == 497
    assert SurveyInvitation.objects.filter(answered=True, reminders=0).count() == 3


def test_sending_twice_invites_only_newcomers(smtp, django_capture_on_commit_callbacks):
    network = make_network("Arbeitskreis D")
    people(network, 3, "d")
    survey = make_survey([network])
    with django_capture_on_commit_callbacks(execute=True):
        mailing.send_invitations.enqueue(survey.pk)
    people(network, 2, "e")
    with django_capture_on_commit_callbacks(execute=True):
        mailing.send_invitations.enqueue(survey.pk)
    recipients = [rcpts[0] for rcpts, _message in smtp.messages]
    assert len(recipients) == 5 and len(set(recipients)) == 5


def test_link_in_the_mail_opens_the_form(client, smtp, django_capture_on_commit_callbacks):
    network = make_network("Arbeitskreis E")
    people(network, 1, "f")
    survey = make_survey([network])
    with django_capture_on_commit_callbacks(execute=True):
        mailing.send_invitations.enqueue(survey.pk)
    link = LINK.findall(smtp.messages[0][1].get_body().get_content())[0]
    assert link.startswith(reverse("needs:respond", args=["x"]).rsplit("x/", 1)[0])
    page = client.get(link, follow=True)
    assert page.status_code == 200 and "Frage 1" in page.content.decode()
    # The address the form is sent to no longer holds the personal token.
    assert page.redirect_chain == [(reverse("needs:answer", args=[survey.pk]), 302)]


def test_a_failed_invitation_shows_in_the_outbox_and_goes_out_when_sent_again(
    client, smtp, settings, django_user_model, django_capture_on_commit_callbacks
):
    network = make_network("Arbeitskreis G")
    person = people(network, 1, "g")[0]
    survey = make_survey([network])
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, free_port()  # nobody listens there
    with django_capture_on_commit_callbacks(execute=True):
        mailing.send_invitations.enqueue(survey.pk)
    failed = OutgoingMail.objects.get()
    assert failed.recipient == person.email and failed.status == OutgoingMail.Status.FAILED and failed.error
    assert "Bedarfe 2026" in failed.subject and LINK.search(failed.body)
    assert SurveyInvitation.objects.get().sent_on is not None  # queued once: sending again does not queue it twice

    office = django_user_model.objects.create_user("office", password="a long test password")
    office.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    client.force_login(office)
    assert person.email in client.get(reverse("meetings:outbox")).content.decode()
    settings.EMAIL_PORT = port
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:outbox_retry", args=[failed.pk]))
    failed.refresh_from_db()
    assert failed.status == OutgoingMail.Status.SENT and failed.attempts == 2
    assert failed.body == ""  # the personal link is not kept once the mail is out
    assert [rcpts for rcpts, _message in smtp.messages] == [[person.email]]
