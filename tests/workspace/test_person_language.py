"""A person's preferred language: set in the person form, shown on the person page, in the data export,
and the language of the network messages and self-service links they get."""

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import OutgoingMail
from register.models import ChangeRecord, Membership, Person
from register.translations import translate
from tests.forms import form_data
from workspace import gdpr, mailing, selfservice
from workspace.models import SelfServiceLink

pytestmark = pytest.mark.django_db


def test_a_new_person_reads_the_sites_language_and_only_a_language_of_the_site_is_accepted(person):
    assert person.language == "de"
    person.language = "ru"  # a language the site does not offer
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "language" in error.value.message_dict


def test_staff_set_the_language_in_the_person_form_and_the_page_and_export_show_it(client, office, person):
    client.force_login(office)
    url = reverse("workspace:person_edit", args=[person.pk])
    form = client.get(url)
    data = form_data(form)
    assert data["language"] == "de" and '<option value="uk" lang="uk">Українська</option>' in form.content.decode()
    assert client.post(url, {**data, "language": "uk"}).status_code == 302
    person.refresh_from_db()
    assert person.language == "uk"

    page = client.get(reverse("workspace:person", args=[person.pk])).content.decode()
    assert "Bevorzugte Sprache" in page and '<dd lang="uk">Українська</dd>' in page
    export = json.loads(client.get(reverse("workspace:person_export", args=[person.pk]) + "?format=json").content)
    assert export["person"]["language"] == "uk"


def test_erasure_forgets_the_chosen_language(person):
    person.language = "fa"
    person.save()
    gdpr.erase(person)
    person.refresh_from_db()
    assert person.language == "de"


def test_a_network_message_reaches_each_person_in_their_language(
    own_network, caritas, person, office, django_capture_on_commit_callbacks
):
    person.language = "en"
    person.save()
    Membership.objects.create(network=own_network, organisation=caritas, contact=person)
    readers = {"uk": [], "de": []}
    for language, count in (("uk", 3), ("de", 2)):
        for number in range(count):
            reader = Person.objects.create(
                given_name="Leser", family_name=f"{language}{number}", email=f"{language}{number}@example.org"
            )
            reader.language = language
            reader.save()
            Membership.objects.create(network=own_network, person=reader)
            readers[language].append(reader)
    translate(own_network, "name", "uk", "Власна робоча група")
    translate(own_network, "name", "en", "Our own working group")
    with django_capture_on_commit_callbacks(execute=True):
        mailing.send(own_network, "Nächste Sitzung", "Bitte vormerken.", office)
    received = {message.to[0]: message for message in mail.outbox}
    assert len(received) == 6
    english = received[person.email]
    assert english.subject == "Our own working group: Nächste Sitzung", "the words staff wrote stay as written"
    assert "You receive this message as a member or contact person of “Our own working group”" in english.body
    for reader in readers["uk"]:
        assert received[reader.email].subject == "Власна робоча група: Nächste Sitzung"
        assert received[reader.email].extra_headers["Content-Language"] == "uk"
    for reader in readers["de"]:
        assert received[reader.email].subject == f"{own_network.name}: Nächste Sitzung"
        assert "Sie erhalten diese Nachricht" in received[reader.email].body
    assert dict(OutgoingMail.objects.values_list("recipient", "language"))[person.email] == "en"


def test_the_self_service_link_is_written_in_the_language_of_the_person_with_the_address(
    client, office, caritas, person, django_capture_on_commit_callbacks
):
    person.language = "en"
    person.save()
    client.force_login(office)
    send = reverse("workspace:organisation_send_link", args=[caritas.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send, {"email": person.email.upper()})
        client.post(send, {"email": "info@caritas-beispiel.de"})
        client.post(send, {"email": "info@caritas-beispiel.de", "language": "en"})
    english, german, chosen = mail.outbox
    assert (
        english.subject.startswith("Please check your entry") and "/en/arbeitsbereich/selbstauskunft/" in english.body
    )
    assert german.subject.startswith("Bitte prüfen Sie") and "/en/" not in german.body
    assert chosen.subject.startswith("Please check your entry")
    assert list(SelfServiceLink.objects.order_by("pk").values_list("language", flat=True)) == ["en", "de", "en"]
    assert selfservice.language_for(caritas, "nobody@example.org") == "de"


def test_the_owner_of_the_address_chooses_the_language_on_the_self_service_page(
    client, caritas, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        link = selfservice.send_link(caritas, person.email, None)
    url = selfservice.url_for(link).removeprefix("http://testserver")
    page = client.get(url)
    data = form_data(page, containing="mail_language")
    assert data["mail_language"] == "de" and "Sprache unserer E-Mails an Sie" in page.content.decode()
    assert client.post(url, {**data, "mail_language": "tr"}).status_code == 200
    person.refresh_from_db()
    link.refresh_from_db()
    assert person.language == "tr" and link.language == "tr" and link.used_at is not None
    change = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Person), object_id=person.pk
    ).latest("pk")
    assert change.source == "self-service" and change.changes["language"][1] == "tr"


def test_a_login_for_someone_in_the_register_is_offered_in_their_language(
    client, office, person, django_user_model, django_capture_on_commit_callbacks
):
    person.language = "en"
    person.save()
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workspace:user_create"),
            {"username": "mirjam", "first_name": "Mirjam", "last_name": "Okonkwo", "email": person.email},
        )
        client.post(
            reverse("workspace:user_create"),
            {"username": "nora", "first_name": "Nora", "last_name": "Neu", "email": "nora@example.org"},
        )
    english = OutgoingMail.objects.get(recipient=person.email)
    assert english.language == "en" and english.body.startswith("Hello Mirjam Okonkwo")
    assert "/en/arbeitsbereich/" in english.body
    german = OutgoingMail.objects.get(recipient="nora@example.org")
    assert german.language == "de" and german.body.startswith("Guten Tag Nora Neu")
