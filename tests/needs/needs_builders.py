"""Small builders for the needs-assessment tests: networks with people, surveys with questions."""

import datetime
import itertools

from django.utils import timezone

from needs.links import token_for
from needs.mailing import create_invitations
from needs.models import Choice, Question, Survey
from register.models import Membership, Municipality, Network, Organisation, Person

_counter = itertools.count(1)


def make_municipality(county, name):
    """The municipality of that name; the county's 23 come with the migrations."""
    existing = Municipality.objects.filter(name=name).first()
    return existing or Municipality.objects.create(
        name=name, slug=f"m-{next(_counter)}", ags=f"99{next(_counter):06d}", county=county
    )


def make_organisation(name, category="welfare"):
    return Organisation.objects.create(name=name, slug=f"org-{next(_counter)}", category=category)


def make_network(name):
    return Network.objects.create(name=name, slug=f"net-{next(_counter)}")


def add_people(network, count, organisation=None, prefix="person"):
    people = []
    for _ in range(count):
        number = next(_counter)
        person = Person.objects.create(
            given_name="Test",
            family_name=f"{prefix}{number}",
            email=f"{prefix}{number}@example.org",
            organisation=organisation,
        )
        Membership.objects.create(network=network, person=person, on_behalf_of=organisation)
        people.append(person)
    return people


def make_survey(networks, anonymous=True, kinds=("single",), opens=None, closes=None):
    today = timezone.localdate()
    survey = Survey.objects.create(
        title_de="Bedarfe 2026",
        title_en="Needs 2026",
        anonymous=anonymous,
        opens_on=opens or today - datetime.timedelta(days=1),
        closes_on=closes or today + datetime.timedelta(days=14),
    )
    survey.networks.set(networks)
    for position, kind in enumerate(kinds):
        question = Question.objects.create(
            survey=survey,
            position=position,
            kind=kind,
            text_de=f"Frage {position + 1}",
            text_en=f"Question {position + 1}",
        )
        if kind in ("single", "multiple"):
            for index, label in enumerate(["Ja", "Nein", "Weiß nicht"]):
                Choice.objects.create(question=question, position=index, label_de=label, label_en=label + " (en)")
    return survey


def invite(survey):
    """Create the invitations and return {person pk: token}."""
    create_invitations(survey)
    return {invitation.person_id: token_for(invitation.key) for invitation in survey.invitations.all()}


def open_link(client, token):
    """Open a personal link as the invitation mails it; returns the address the answers are sent to."""
    from django.urls import reverse

    response = client.get(reverse("needs:respond", args=[token]))
    assert response.status_code == 302, response.status_code
    assert token not in response["Location"]
    return response["Location"]
