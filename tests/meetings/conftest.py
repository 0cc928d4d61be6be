"""Fixtures of the meetings tests: a network with members, an event with few places, users per role."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.utils import timezone, translation

from register.models import Assignment, Event, Location, Meeting, Membership, Network, Organisation, Person
from register.permissions import OFFICE_GROUP

SITE = "http://testserver"
numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def meetings_setup(settings):
    settings.SITE_URL = SITE
    cache.clear()
    translation.activate("de")
    yield
    cache.clear()
    translation.activate("de")


def make_user(role=None, network=None):
    user = User.objects.create_user(f"meetings-user{next(numbers)}", password="a long test password")
    if role == "office":
        user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    elif role:
        Assignment.objects.create(user=user, network=network, role=role)
    return user


@pytest.fixture
def location(db):
    return Location.objects.create(
        name="Kreisverwaltung",
        street_address="Jägertorstraße 207",
        postal_code="64289",
        locality="Darmstadt",
        step_free=True,
        accessible_toilet=True,
        hearing_loop=False,
        public_transport="Tram 4, Haltestelle Kranichstein",
    )


@pytest.fixture
def network(db):
    number = next(numbers)
    network = Network.objects.create(name=f"Arbeitskreis {number}", slug=f"arbeitskreis-{number}")
    organisation = Organisation.objects.create(
        name=f"Beratungsstelle {number}", slug=f"beratung-{number}", email=f"beratung{number}@example.org"
    )
    person = Person.objects.create(given_name="Ada", family_name="Muster", email=f"ada{number}@example.org")
    silent = Organisation.objects.create(name=f"Ohne Adresse {number}", slug=f"ohne-{number}")
    Membership.objects.create(network=network, organisation=organisation, position=1)
    Membership.objects.create(network=network, person=person, position=2)
    Membership.objects.create(network=network, organisation=silent, position=3)
    return network


@pytest.fixture
def meeting(network, location):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=14)
    return Meeting.objects.create(
        network=network, name="Sitzung", start=start, end=start + datetime.timedelta(hours=2), location=location
    )


def make_event(capacity=20, **kwargs):
    number = next(numbers)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=30)
    values = {
        "title": f"Forum {number}",
        "slug": f"forum-{number}",
        "start": start,
        "end": start + datetime.timedelta(hours=2, minutes=30),
        "capacity": capacity,
        "is_public": True,
    }
    values.update(kwargs)
    return Event.objects.create(**values)


@pytest.fixture
def event(db, location):
    return make_event(capacity=2, location=location)


@pytest.fixture
def office(db):
    return make_user("office")


@pytest.fixture
def coordinator(network):
    return make_user(Assignment.Role.COORDINATOR, network)


@pytest.fixture
def member(network):
    return make_user(Assignment.Role.MEMBER, network)


@pytest.fixture
def outsider(db):
    return make_user()
