"""Survey invitations and reminders go out in the preferred language of each person, with the link to
the questionnaire in that language."""

import pytest
from django.core import mail
from django.utils import formats, translation

from meetings.models import OutgoingMail
from needs import mailing
from register.models import Membership, Person
from tests.needs.needs_builders import make_network, make_survey

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_day")]


def test_each_person_is_invited_in_their_language(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "http://testserver"
    network = make_network("Arbeitskreis Sprachen")
    for language in ("de", "en", "uk"):
        person = Person.objects.create(given_name="Test", family_name=language, email=f"{language}@example.org")
        person.language = language
        person.save()
        Membership.objects.create(network=network, person=person)
    survey = make_survey([network])
    with django_capture_on_commit_callbacks(execute=True):
        mailing.send_invitations.enqueue(survey.pk)
    received = {message.to[0]: message for message in mail.outbox}
    german, english, ukrainian = (received[f"{code}@example.org"] for code in ("de", "en", "uk"))
    assert german.subject == "Umfrage: Bedarfe 2026" and "/en/" not in german.body
    assert "Needs 2026" not in german.body, "one language per mail, not German and English one after the other"
    assert english.subject == "Survey: Needs 2026" and "http://testserver/en/bedarfe/antworten/" in english.body
    with translation.override("en"):
        closes = formats.date_format(survey.closes_on, "SHORT_DATE_FORMAT")
    assert closes in english.body
    assert "http://testserver/uk/bedarfe/antworten/" in ukrainian.body
    assert ukrainian.extra_headers["Content-Language"] == "uk"
    languages = dict(OutgoingMail.objects.values_list("recipient", "language"))
    assert languages == {"de@example.org": "de", "en@example.org": "en", "uk@example.org": "uk"}
