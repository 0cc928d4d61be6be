"""Invitations and their text: plain-text subjects, one place name, one number per item, members
without e-mail, letters, sign-in sheets without needs, cancelling after asking and reinstating."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import exports, invitations, registrations
from meetings.models import OutgoingMail
from register.models import AgendaItem, Location, Meeting

from .conftest import make_event
from .pdf import headings


@pytest.fixture
def kranichstein(db):
    return Location.objects.create(name="Kreisverwaltung Darmstadt-Dieburg", locality="Darmstadt-Kranichstein")


@pytest.mark.django_db
def test_subjects_and_calendar_text_are_plain_and_name_the_place_once(
    network, kranichstein, django_capture_on_commit_callbacks
):
    start = timezone.now() + datetime.timedelta(days=9)
    meeting = Meeting.objects.create(
        network=network,
        name="Termin, Ort & Ablauf",
        start=start,
        end=start + datetime.timedelta(hours=2),
        location=kranichstein,
    )
    AgendaItem.objects.create(meeting=meeting, position=1, number="1", name="Begrüßung")
    AgendaItem.objects.create(meeting=meeting, position=2, name="Bericht")
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(meeting)
    message = mail.outbox[0]
    assert "Termin, Ort & Ablauf" in message.subject and "&amp;" not in message.subject
    assert "&amp;" not in message.body
    assert message.body.count("Darmstadt-Kranichstein") == 1
    assert "1  Begrüßung" in message.body and "2  Bericht" in message.body and "1. 1" not in message.body
    ics = Calendar.from_ical(OutgoingMail.objects.first().ics)
    event = next(iter(ics.walk("VEVENT")))
    assert str(event["LOCATION"]) == "Kreisverwaltung Darmstadt-Dieburg, Darmstadt-Kranichstein"
    assert "&amp;" not in str(event["SUMMARY"])


@pytest.mark.django_db
def test_event_mail_subject_is_plain_text(kranichstein, django_capture_on_commit_callbacks):
    event = make_event(title="Forum für Eltern & Kinder", location=kranichstein)
    with django_capture_on_commit_callbacks(execute=True):
        registrations.request_registration(event, name="Rosa", email="rosa@example.org", language="de")
    assert mail.outbox[0].subject.endswith("Forum für Eltern & Kinder")
    assert mail.outbox[0].body.count("Darmstadt-Kranichstein") == 1


@pytest.mark.django_db
def test_public_agenda_shows_each_number_once(client, meeting):
    meeting.is_public = True
    meeting.save()
    AgendaItem.objects.create(meeting=meeting, position=1, number="1", name="Begrüßung", public=True)
    page = client.get(reverse("meetings:public_meeting", args=[meeting.pk])).content.decode()
    assert '<span class="agenda-number">1</span> <span>Begrüßung</span>' in page  # German page: unmarked
    assert "1 1" not in page


@pytest.mark.django_db
def test_members_without_email_are_listed_with_phone_and_get_a_letter(client, coordinator, meeting):
    silent = meeting.network.memberships.get(position=3)
    silent.organisation.phone = "06151 123456"
    silent.organisation.street_address = "Marktplatz 1"
    silent.organisation.postal_code = "64807"
    silent.organisation.locality = "Dieburg"
    silent.organisation.save()
    client.force_login(coordinator)
    response = client.post(reverse("meetings:meeting_invite", args=[meeting.pk]), follow=True)
    page = response.content.decode()
    assert "1 Mitglied hat keine E-Mail-Adresse" in page
    assert "1 Mitglied ohne E-Mail-Adresse" in page and 'href="tel:06151123456"' in page
    assert "Marktplatz 1, 64807 Dieburg" in page
    letters = client.get(reverse("meetings:invitation_letters", args=[meeting.pk]))
    assert letters["Content-Type"] == "application/pdf"
    assert headings(letters.content).count("Einladung: Sitzung") == 1, "one letter per member without e-mail"


@pytest.mark.django_db
def test_sign_in_sheet_shows_no_needs_and_the_confidential_list_is_separate(client, office, event, monkeypatch):
    registrations.enrol(
        event, name="Rosa Beispiel", email="rosa@example.org", language="de", needs={"need_sign_language": True}
    )
    rendered = {}
    real = exports.render_to_string

    def capture(template, context):
        rendered[template] = real(template, context)
        return rendered[template]

    monkeypatch.setattr(exports, "render_to_string", capture)
    client.force_login(office)
    sheet = client.get(reverse("meetings:participants_pdf", args=[event.slug]))
    assert sheet["Content-Type"] == "application/pdf"
    html = rendered["meetings/staff/sign_in_sheet.html"]
    assert "Rosa Beispiel" in html and "Gebärdensprach" not in html and "Bedarf" not in html
    confidential = client.get(reverse("meetings:needs_pdf", args=[event.slug]))
    assert confidential["Cache-Control"] == "no-store"
    html = rendered["meetings/staff/needs_sheet.html"]
    assert "Vertraulich" in html and "Gebärdensprachdolmetschung" in html


@pytest.mark.django_db
def test_cancelling_a_meeting_asks_first_and_can_be_undone(
    client, coordinator, meeting, django_capture_on_commit_callbacks
):
    invitations.invite(meeting)
    client.force_login(coordinator)
    url = reverse("meetings:meeting_cancel", args=[meeting.pk])
    question = client.get(url)
    assert "Ja, Sitzung absagen" in question.content.decode()
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.INVITED, "asking cancels nothing"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.CANCELLED and len(mail.outbox) == 2
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:meeting_reinstate", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.INVITED and meeting.sequence == 2
    assert len(mail.outbox) == 2 and all(m.subject.startswith("Findet doch statt") for m in mail.outbox)
    reinstated = Calendar.from_ical(OutgoingMail.objects.order_by("-pk").first().ics)
    assert str(reinstated["METHOD"]) == "REQUEST"
    assert next(iter(reinstated.walk("VEVENT")))["SEQUENCE"] == 2


@pytest.mark.django_db
def test_cancelling_an_event_asks_first_and_can_be_undone(client, office, event, django_capture_on_commit_callbacks):
    registrations.enrol(event, name="Rosa", email="rosa@example.org", language="de")
    client.force_login(office)
    url = reverse("meetings:event_cancel", args=[event.slug])
    assert "Ja, Veranstaltung absagen" in client.get(url).content.decode()
    event.refresh_from_db()
    assert not event.cancelled
    client.post(url)
    event.refresh_from_db()
    assert event.cancelled
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:event_reinstate", args=[event.slug]))
    event.refresh_from_db()
    assert not event.cancelled
    assert [m.to for m in mail.outbox] == [["rosa@example.org"]]
    assert mail.outbox[0].subject.startswith("Findet doch statt")


@pytest.mark.django_db
def test_feed_keys_are_per_person_and_end_with_the_role(client, meeting, member, coordinator):
    from meetings import feeds
    from register.models import Assignment

    feed = reverse("meetings:network_feed", args=[meeting.network.slug])

    def sees_internal(key):
        return bool(Calendar.from_ical(client.get(feed, {"key": key}).content).walk("VEVENT"))

    mine, theirs = feeds.key_for(member, meeting.network), feeds.key_for(coordinator, meeting.network)
    assert mine.key != theirs.key and sees_internal(mine.key) and sees_internal(theirs.key)

    client.force_login(member)
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert mine.key in page and theirs.key not in page, "each person sees their own address"
    client.post(reverse("meetings:feed_key_renew", args=[meeting.network.slug]))
    assert not sees_internal(mine.key), "the renewed address replaces the old one"
    renewed = feeds.key_for(member, meeting.network)

    Assignment.objects.get(user=member, network=meeting.network).delete()
    assert not sees_internal(renewed.key), "a member who leaves loses access"
    renewed.refresh_from_db()
    assert renewed.revoked_at is not None

    coordinator.is_active = False
    coordinator.save()
    assert not sees_internal(theirs.key)


@pytest.mark.django_db
def test_a_cancelled_meeting_is_not_sent_out_by_the_service_or_the_page(client, coordinator, meeting):
    meeting.state = Meeting.State.CANCELLED
    meeting.save()
    with pytest.raises(ValidationError):
        invitations.invite(meeting)
    client.force_login(coordinator)
    response = client.post(reverse("meetings:meeting_invite", args=[meeting.pk]), follow=True)
    assert (
        "Eine abgesagte oder bereits stattgefundene Sitzung kann nicht versendet werden." in response.content.decode()
    )
    assert not OutgoingMail.objects.exists() and not meeting.invitations.exists()
