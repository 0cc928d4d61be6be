"""Every mail goes out in its recipient's language, and the calendar feeds in the language of their address.

The catalogues of Arabic, Turkish, Ukrainian and Farsi are being filled: the expected text of a gettext
string is read from the catalogue under ``translation.override``; what only the right language can hold
is the translation of a text staff wrote (``register.translations.translate``), which the tests create.
"""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from icalendar import Calendar

from meetings import invitations, registrations
from meetings.mail import by_language, queue_templated
from meetings.models import Invitation, OutgoingMail, Registration
from register.models import AgendaItem, Meeting, Membership, Person
from register.translations import translate

from .conftest import make_event
from .test_registration import FORM


def in_language(language, text):
    with translation.override(language):
        return gettext(text)


@pytest.fixture
def meeting_with_translations(network, location):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=14)
    meeting = Meeting.objects.create(
        network=network, name="Sitzung", start=start, end=start + datetime.timedelta(hours=2), location=location
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, name="Bericht der Geschäftsstelle")
    translate(network, "name", "uk", "Робоча група з інтеграції")
    translate(network, "name", "en", "Integration working group")
    translate(item, "name", "uk", "Звіт офісу")
    translate(item, "name", "en", "Report of the office")
    return meeting


def mails_by_recipient():
    return {message.to[0]: message for message in mail.outbox}


@pytest.mark.django_db
def test_a_person_who_reads_ukrainian_gets_the_invitation_in_ukrainian(
    meeting_with_translations, django_capture_on_commit_callbacks
):
    meeting = meeting_with_translations
    person = Person.objects.get(memberships__network=meeting.network)
    person.language = "uk"
    person.save()
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(meeting)
    message = mails_by_recipient()[person.email]
    assert message.extra_headers["Content-Language"] == "uk"
    assert "Робоча група з інтеграції" in message.body and "Звіт офісу" in message.body
    assert in_language("uk", "Good day,") in message.body
    assert "Bericht der Geschäftsstelle" not in message.body and meeting.network.name not in message.body
    with translation.override("uk"):
        date = formats.date_format(timezone.localtime(meeting.start), "SHORT_DATE_FORMAT")
    assert date in message.subject
    stored = OutgoingMail.objects.get(recipient=person.email)
    assert stored.language == "uk" and stored.body == message.body, "the outbox keeps the text that was sent"
    entry = next(iter(Calendar.from_ical(stored.ics).walk("VEVENT")))
    assert "Робоча група з інтеграції" in str(entry["SUMMARY"])
    assert "/uk/termine/antwort/" in message.body, "the answer page opens in the person's language"


@pytest.mark.django_db
def test_each_recipient_of_a_mixed_list_reads_their_own_language(
    meeting_with_translations, django_capture_on_commit_callbacks
):
    meeting = meeting_with_translations
    network = meeting.network
    ada = Person.objects.get(memberships__network=network)
    ada.language = "uk"
    ada.save()
    ben = Person.objects.create(given_name="Ben", family_name="Beispiel", email="ben@example.org", language="en")
    cem = Person.objects.create(given_name="Cem", family_name="Muster", email="cem@example.org", language="de")
    Membership.objects.create(network=network, person=ben, position=4)
    Membership.objects.create(network=network, person=cem, position=5)
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(meeting)
    received = mails_by_recipient()
    organisation_address = next(address for address in received if address.startswith("beratung"))
    assert "Робоча група з інтеграції" in received[ada.email].body
    assert "Integration working group" in received[ben.email].body
    assert in_language("en", "Good day,") in received[ben.email].body
    assert "Report of the office" in received[ben.email].body
    for german in (received[cem.email], received[organisation_address]):
        assert network.name in german.body and "Bericht der Geschäftsstelle" in german.body
        assert in_language("de", "Good day,") in german.body and german.extra_headers["Content-Language"] == "de"
    languages = dict(OutgoingMail.objects.values_list("recipient", "language"))
    assert languages == {ada.email: "uk", ben.email: "en", cem.email: "de", organisation_address: "de"}

    # A change goes to each in their language again, to the address they were invited at.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invitations.send_update(meeting)
    received = mails_by_recipient()
    assert "Integration working group" in received[ben.email].body
    assert "Робоча група з інтеграції" in received[ada.email].body
    assert in_language("de", "Good day,") in received[cem.email].body


@pytest.mark.django_db
def test_an_invitation_to_an_address_that_is_no_longer_the_persons_goes_out_in_german(meeting_with_translations):
    meeting = meeting_with_translations
    ada = Person.objects.get(memberships__network=meeting.network)
    ada.language = "en"
    ada.save()
    invitation = Invitation.objects.create(
        meeting=meeting, membership=ada.memberships.get(), email="alte-adresse@example.org"
    )
    assert invitations.recipient_language(invitation) == "de"
    invitation.email = ada.email
    assert invitations.recipient_language(invitation) == "en"


@pytest.mark.django_db
def test_a_registration_on_the_english_page_is_kept_in_english_with_the_english_title(
    client, django_capture_on_commit_callbacks
):
    event = make_event(title="Forum Mehrsprachigkeit")
    translate(event, "title", "en", "Forum on multilingualism")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en" + reverse("meetings:register", args=[event.slug]), FORM)
    registration = Registration.objects.get()
    assert registration.language == "en"
    confirm = mail.outbox[-1]
    assert confirm.subject == "Please confirm your registration: Forum on multilingualism"
    assert "Forum Mehrsprachigkeit" not in confirm.body and confirm.extra_headers["Content-Language"] == "en"

    # The later mails keep the language of the page used, and so does the calendar entry they carry.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registrations.confirm(registration)
    confirmed = OutgoingMail.objects.filter(recipient=registration.email).first()
    assert confirmed.language == "en" and "Forum on multilingualism" in confirmed.subject
    entry = next(iter(Calendar.from_ical(confirmed.ics).walk("VEVENT")))
    assert str(entry["SUMMARY"]) == "Forum on multilingualism"
    assert entry["SUMMARY"].params["LANGUAGE"] == "en"
    assert "/en/" in str(entry["URL"])


@pytest.mark.django_db
def test_a_cancelled_event_is_told_to_everyone_in_their_language(django_capture_on_commit_callbacks):
    event = make_event(title="Sprachcafé")
    translate(event, "title", "uk", "Мовне кафе")
    for number, language in enumerate(["de", "uk", "en", "uk"]):
        registrations.enrol(event, name=f"Person {number}", email=f"p{number}@example.org", language=language)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registrations.cancel_event(event)
    received = mails_by_recipient()
    assert "Мовне кафе" in received["p1@example.org"].subject and "Мовне кафе" in received["p3@example.org"].subject
    assert received["p0@example.org"].subject == "Abgesagt: Sprachcafé"
    assert received["p2@example.org"].subject == "Cancelled: Sprachcafé", "no English title: the German one"


@pytest.mark.django_db
def test_a_language_the_site_does_not_offer_is_written_in_the_sites_language(db):
    mail_row = queue_templated(
        "someone@example.org",
        "registration_known",
        {"registration": Registration(name="Rosa"), "event": make_event(title="Forum")},
        "xx",
    )
    assert mail_row.language == "de" and mail_row.subject == "Ihre Anmeldung: Forum"
    ordered = by_language([Person(language="uk"), Person(language="de"), Person(language="en")])
    assert [person.language for person in ordered] == ["de", "en", "uk"]


@pytest.mark.django_db
def test_the_public_feed_speaks_the_language_of_its_address(client, location):
    event = make_event(title="Forum Mehrsprachigkeit", description="Ein Abend für alle.", location=location)
    translate(event, "title", "en", "Forum on multilingualism")
    german_url = reverse("meetings:public_feed")

    def entry(url, **query):
        response = client.get(url, query)
        return response, next(iter(Calendar.from_ical(response.content).walk("VEVENT")))

    response, german = entry(german_url)
    assert str(german["SUMMARY"]) == "Forum Mehrsprachigkeit" and german["SUMMARY"].params["LANGUAGE"] == "de"
    assert response["Content-Language"] == "de"
    response, english = entry("/en" + german_url)
    assert str(english["SUMMARY"]) == "Forum on multilingualism" and english["SUMMARY"].params["LANGUAGE"] == "en"
    assert response["Content-Language"] == "en" and "/en/" in str(english["URL"])
    # The description is not translated: it stays German and says so.
    assert str(english["DESCRIPTION"]) == "Ein Abend für alle." and english["DESCRIPTION"].params["LANGUAGE"] == "de"
    _response, by_parameter = entry(german_url, lang="en")
    assert str(by_parameter["SUMMARY"]) == "Forum on multilingualism"
    _response, unknown = entry(german_url, lang="xx")
    assert str(unknown["SUMMARY"]) == "Forum Mehrsprachigkeit"
    calendar = Calendar.from_ical(client.get("/en" + german_url).content)
    assert str(calendar["X-WR-CALNAME"]) == in_language("en", "Public events")


@pytest.mark.django_db
def test_the_network_feed_translates_the_network_and_asks_the_same_number_of_times(client, meeting_with_translations):
    meeting = meeting_with_translations
    meeting.is_public = True
    meeting.save()
    url = "/en" + reverse("meetings:network_feed", args=[meeting.network.slug])
    calendar = Calendar.from_ical(client.get(url).content)
    entry = next(iter(calendar.walk("VEVENT")))
    assert str(calendar["X-WR-CALNAME"]) == "Integration working group"
    assert str(entry["SUMMARY"]) == "Sitzung – Integration working group"
    assert "LANGUAGE" not in entry["SUMMARY"].params, "the meeting's German name beside the English network name"
    for number in range(3):
        make_event(title=f"Forum {number}", network=meeting.network)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(3, 9):
        make_event(title=f"Forum {number}", network=meeting.network)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few), "the translations of all events come in one query"


@pytest.mark.django_db
def test_the_outbox_marks_the_language_of_each_subject(client, office):
    failed = OutgoingMail.objects.create(
        recipient="someone@example.org", subject="Запрошення", body="…", language="uk", status="failed"
    )
    client.force_login(office)
    page = client.get(reverse("meetings:outbox")).content.decode()
    assert f'<td lang="uk" dir="auto">{failed.subject}</td>' in page


@pytest.mark.django_db
def test_a_private_feed_follows_the_preferred_language_of_its_holder(client, meeting_with_translations, member):
    from meetings import feeds

    meeting = meeting_with_translations
    ada = Person.objects.get(memberships__network=meeting.network)
    member.email = ada.email
    member.save()
    ada.language = "uk"
    ada.save()
    with translation.override("en"):
        address = feeds.private_feed_url(member, meeting.network)
    assert "/en/" not in address, "the address names no language: the feed follows the person's choice"
    path = address.removeprefix("http://testserver")

    def summary(url):
        return str(next(iter(Calendar.from_ical(client.get(url).content).walk("VEVENT")))["SUMMARY"])

    assert summary(path) == "Sitzung – Робоча група з інтеграції"
    ada.language = "en"
    ada.save()
    assert summary(path) == "Sitzung – Integration working group"
    assert summary(path + "&lang=de") == f"Sitzung – {meeting.network.name}", "?lang= chooses another"
    # Without a key the unprefixed address stays German, whoever asks.
    meeting.is_public = True
    meeting.save()
    assert summary(reverse("meetings:network_feed", args=[meeting.network.slug])).endswith(meeting.network.name)


@pytest.mark.django_db
def test_translations_cost_no_query_per_recipient(network, location, django_capture_on_commit_callbacks):
    """A recipient reading Ukrainian costs the database as much as one reading German: the translations
    of the network and the agenda are fetched once per language, not once per mail."""

    def queries_to_invite(languages):
        start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=20)
        meeting = Meeting.objects.create(
            network=network, name="Sitzung", start=start, end=start + datetime.timedelta(hours=1), location=location
        )
        for position in range(3):
            item = AgendaItem.objects.create(meeting=meeting, position=position, name=f"Punkt {position}")
            translate(item, "name", "uk", f"Пункт {position}")
            translate(item, "name", "en", f"Item {position}")
        Membership.objects.filter(network=network).delete()
        for number, language in enumerate(languages):
            person = Person.objects.create(given_name="P", family_name=str(number), email=f"q{number}@example.org")
            person.language = language
            person.save()
            Membership.objects.create(network=network, person=person, position=number)
        with CaptureQueriesContext(connection) as queries:
            invitations.invite(meeting)
        return len(queries)

    translate(network, "name", "uk", "Робоча група")
    translate(network, "name", "en", "Working group")
    german = queries_to_invite(["de"] * 2), queries_to_invite(["de"] * 5)
    ukrainian = queries_to_invite(["uk"] * 2), queries_to_invite(["uk"] * 5)
    mixed = queries_to_invite(["uk", "en"]), queries_to_invite(["uk", "en", "uk", "en", "uk"])
    per_recipient = (german[1] - german[0]) / 3
    assert (ukrainian[1] - ukrainian[0]) / 3 == per_recipient
    assert (mixed[1] - mixed[0]) / 3 == per_recipient, "one language after the other, however they are listed"
    bodies = dict(OutgoingMail.objects.order_by("pk").values_list("recipient", "body"))
    assert "Пункт 1" in bodies["q4@example.org"] and "Item 1" in bodies["q3@example.org"]
