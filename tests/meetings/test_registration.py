"""Registration for public events: places, waiting list, promotion, mails, spam protection."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings import registrations
from meetings.models import OutgoingMail, Registration

from .conftest import make_event

FORM = {
    "name": "Rosa Beispiel",
    "email": "rosa@example.org",
    "organisation": "",
    "need_sign_language": "on",
    "needs_details": "",
    "consent": "on",
    "homepage": "",
}


def sign_up(event, number, **kwargs):
    return registrations.enrol(event, name=f"Person {number}", email=f"p{number}@example.org", language="de", **kwargs)


@pytest.mark.django_db
def test_places_then_waiting_list_then_promotion_with_mail(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = sign_up(event, 1)
        second = sign_up(event, 2)
        third = sign_up(event, 3)
        fourth = sign_up(event, 4)
    assert [r.status for r in (first, second, third, fourth)] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert len(mail.outbox) == 4
    assert "waiting list" in mail.outbox[2].subject.lower() or "warteliste" in mail.outbox[2].subject.lower()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = registrations.cancel(first)
    assert [r.pk for r in promoted] == [third.pk]
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == Registration.Status.CONFIRMED and third.promoted_at is not None
    assert fourth.status == Registration.Status.WAITING
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["p1@example.org", "p3@example.org"]
    promotion = next(message for message in mail.outbox if message.to == ["p3@example.org"])
    assert promotion.attachments, "the promotion mail carries the calendar entry"


@pytest.mark.django_db
def test_cancelling_a_waiting_place_promotes_nobody(event):
    sign_up(event, 1)
    sign_up(event, 2)
    waiting = sign_up(event, 3)
    assert registrations.cancel(waiting) == []
    assert event.registrations.filter(status="confirmed").count() == 2


@pytest.mark.django_db
def test_same_address_twice_is_refused(event):
    sign_up(event, 1)
    with pytest.raises(registrations.RegistrationRefused, match="bereits angemeldet"):
        registrations.enrol(event, name="Again", email="P1@example.org", language="de")
    assert event.registrations.count() == 1


@pytest.mark.django_db
def test_deadline_and_cancelled_event_close_registration(location):
    past_deadline = make_event(registration_deadline=timezone.now() - datetime.timedelta(hours=1))
    cancelled = make_event(cancelled=True)
    for event in (past_deadline, cancelled):
        with pytest.raises(registrations.RegistrationRefused):
            sign_up(event, 9)
        assert not event.registrations.exists()


def confirm_by_mail(client, message):
    """Follow the link of a confirmation mail and press the button, as the person would."""
    link = next(line for line in message.body.splitlines() if "/termine/anmeldung/" in line).strip()
    path = link.removeprefix("http://testserver")
    assert client.get(path).status_code == 200
    return client.post(path + "bestaetigen/")


@pytest.mark.django_db
def test_form_registers_with_needs_and_language_after_confirmation(client, event, django_capture_on_commit_callbacks):
    url = reverse("meetings:register", args=[event.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, FORM)
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:registration_sent", args=[event.slug])
    assert registration.status == "pending" and registration.confirmed_at is None, "nothing counts before the mail"
    assert registration.need_sign_language and not registration.need_wheelchair_space
    assert registration.language == "de" and registration.consent_at is not None
    assert mail.outbox[0].subject.startswith("Bitte bestätigen Sie Ihre Anmeldung")
    assert registrations.places_left(event) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm_by_mail(client, mail.outbox[0])
    assert response["Location"] == reverse("meetings:registration", args=[registration.cancel_token])
    registration.refresh_from_db()
    assert registration.status == "confirmed" and registration.confirmed_at is not None
    assert mail.outbox[1].subject.startswith("Anmeldung bestätigt")
    assert registration.cancel_token in mail.outbox[1].body


@pytest.mark.django_db
def test_the_answer_is_the_same_whether_or_not_the_address_is_registered(
    client, event, django_capture_on_commit_callbacks
):
    registrations.enrol(event, name="Rosa Beispiel", email="rosa@example.org", language="de")
    fresh = {**FORM, "email": "neu@example.org"}
    url = reverse("meetings:register", args=[event.slug])
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, FORM, follow=True)
        unknown = client.post(url, fresh, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.content.decode().replace("neu@", "rosa@") == unknown.content.decode().replace("neu@", "rosa@")
    assert Registration.objects.filter(email="rosa@example.org").count() == 1, "nothing changed for the known one"
    to_known = next(message for message in mail.outbox if message.to == ["rosa@example.org"])
    assert "bereits angemeldet" in to_known.body, "the owner of the address learns it, in their mailbox"


@pytest.mark.django_db
def test_unconfirmed_requests_and_their_needs_are_deleted_after_48_hours(event, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    pending = registrations.request_registration(
        event, name="Jemand", email="fremd@example.org", language="de", needs={"need_sign_language": True}
    )
    assert pending.status == "pending"
    time_machine.shift(datetime.timedelta(hours=49))
    import io

    from django.core.management import call_command

    call_command("purge_registrations", stdout=io.StringIO())
    assert not Registration.objects.filter(pk=pending.pk).exists()


@pytest.mark.django_db
def test_english_registration_gets_english_mail(client, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en" + reverse("meetings:register", args=[event.slug]), FORM)
    assert Registration.objects.get().language == "en"
    assert mail.outbox[0].subject.startswith("Please confirm your registration")
    assert "/en/termine/anmeldung/" in mail.outbox[0].body


@pytest.mark.django_db
def test_missing_consent_and_bad_address_save_nothing(client, event):
    url = reverse("meetings:register", args=[event.slug])
    response = client.post(url, {**FORM, "email": "not-an-address", "consent": ""})
    assert response.status_code == 200
    assert not Registration.objects.exists() and not OutgoingMail.objects.exists()
    html = response.content.decode()
    assert 'aria-describedby="id_email_helptext id_email_error"' in html
    assert 'aria-describedby="id_consent_error"' in html
    assert "Bitte stimmen Sie der Speicherung Ihrer Angaben zu" in html


@pytest.mark.django_db
def test_honeypot_saves_nothing(client, event):
    response = client.post(reverse("meetings:register", args=[event.slug]), {**FORM, "homepage": "http://spam"})
    assert response.status_code == 200
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_rate_limit_per_address(client, location):
    event = make_event(capacity=None, location=location)
    url = reverse("meetings:register", args=[event.slug])
    for number in range(5):
        assert client.post(url, {**FORM, "email": f"r{number}@example.org"}).status_code == 302
    response = client.post(url, {**FORM, "email": "r6@example.org"})
    assert response.status_code == 429
    assert Registration.objects.count() == 5
    other = client.post(url, {**FORM, "email": "r7@example.org"}, REMOTE_ADDR="10.0.0.7")
    assert other.status_code == 302


@pytest.mark.django_db
def test_closed_registration_shows_why(client, location):
    event = make_event(registration_deadline=timezone.now() - datetime.timedelta(days=1))
    response = client.get(reverse("meetings:register", args=[event.slug]))
    assert "Die Anmeldung endete am" in response.content.decode()
    client.post(reverse("meetings:register", args=[event.slug]), FORM)
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_cancel_link_asks_then_cancels_and_promotes(client, event, django_capture_on_commit_callbacks):
    first = sign_up(event, 1)
    sign_up(event, 2)
    waiting = sign_up(event, 3)
    url = reverse("meetings:registration_cancel", args=[first.cancel_token])
    assert client.get(url).status_code == 200
    first.refresh_from_db()
    assert first.status == "confirmed", "following the link alone changes nothing"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == "cancelled" and waiting.status == "confirmed"
    assert any(message.to == ["p3@example.org"] for message in mail.outbox)


@pytest.mark.django_db
def test_purge_deletes_old_registrations_only(location):
    from django.core.management import call_command

    keep = make_event()
    sign_up(keep, 1)
    old = make_event()
    sign_up(old, 2)
    long_ago = timezone.now() - datetime.timedelta(days=60)
    type(old).objects.filter(pk=old.pk).update(start=long_ago, end=long_ago + datetime.timedelta(hours=2))
    sent = OutgoingMail.objects.create(
        recipient="a@example.org", subject="s", body="b", status="sent", sent_at=long_ago
    )
    failed = OutgoingMail.objects.create(recipient="b@example.org", subject="s", body="b", status="failed")
    OutgoingMail.objects.filter(pk__in=[sent.pk, failed.pk]).update(created=long_ago)
    call_command("purge_registrations")
    assert list(Registration.objects.values_list("email", flat=True)) == ["p1@example.org"]
    # Failed mails go too: they hold names and addresses as much as sent ones (issue 15, finding 14).
    assert not OutgoingMail.objects.filter(pk__in=[sent.pk, failed.pk]).exists()


@pytest.mark.django_db(transaction=True)
def test_registration_request_only_queues_the_mail_the_worker_sends_it(client, settings, event):
    """With the embedded default (tasks in the database), the request stores the mail; the worker sends it."""
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    response = client.post(reverse("meetings:register", args=[event.slug]), FORM)
    assert response.status_code == 302
    queued = OutgoingMail.objects.get()
    assert queued.status == OutgoingMail.Status.QUEUED and not mail.outbox
    call_command("db_worker", batch=True, no_startup_delay=True, queue_name="*", verbosity=0)
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.SENT
    assert mail.outbox[0].to == ["rosa@example.org"]


@pytest.mark.django_db
def test_an_unconfirmed_request_can_be_deleted_by_its_link(client, event):
    pending = registrations.request_registration(event, name="Jemand", email="jemand@example.org", language="de")
    response = client.post(reverse("meetings:registration_cancel", args=[pending.cancel_token]))
    assert response["Location"] == event.get_absolute_url()
    assert not Registration.objects.filter(pk=pending.pk).exists()
