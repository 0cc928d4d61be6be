"""Fixtures of the API tests: small registers built for each test, users with a token per role."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from api.models import ApiToken
from register import deferred
from register.models import (
    ActorGroup,
    AgendaItem,
    Assignment,
    Body,
    Event,
    File,
    LegislativeTerm,
    Location,
    Meeting,
    Membership,
    Network,
    NetworkHost,
    Organisation,
    Person,
)
from register.permissions import OFFICE_GROUP

SITE = "http://127.0.0.1:8000"
numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def client():
    """A test client that asks on the canonical host (others are redirected there)."""
    return Client(HTTP_HOST=SITE.split("://", 1)[1])


def make_user(role=None, network=None, scope=ApiToken.Scope.WRITE):
    """A user of the role and the key of a token of theirs (for writing, unless ``scope`` says read)."""
    user = User.objects.create_user(f"user{next(numbers)}", password="a long test password")
    if role == "office":
        user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    elif role:
        Assignment.objects.create(user=user, network=network, role=role)
    return user, ApiToken.issue(user, scope=scope)[1]


def build_register(size=1):
    """``size`` networks, each with organisations (with a unit), an actor group, persons and a meeting."""
    with deferred.gathered():  # as an import: the search entries written once at the end
        return add_networks(size)


def add_networks(size):
    county = Body.objects.get(ags="06432")
    city, _created = Body.objects.get_or_create(
        name="Wissenschaftsstadt Darmstadt", defaults={"slug": "darmstadt", "ags": "06411000"}
    )
    place = Location.objects.create(name="Kreishaus", street_address="Jägertorstraße 207", locality="Darmstadt")
    made = []
    for index in range(size):
        n = next(numbers)
        network = Network.objects.create(
            name=f"Arbeitskreis {n}", slug=f"ak-{n}", classification="working_group", organization_type="committee"
        )
        NetworkHost.objects.create(network=network, body=city if index % 2 else county, position=0)
        parent = Organisation.objects.create(name=f"Verband {n}", slug=f"verband-{n}", category="welfare")
        unit = Organisation.objects.create(name=f"Beratung {n}", slug=f"beratung-{n}", parent=parent)
        group = ActorGroup.objects.create(name=f"Beauftragte {n}", slug=f"beauftragte-{n}")
        group.organisations.add(parent)
        public = Person.objects.create(
            given_name="Erika",
            family_name=f"Muster {n}",
            consent_to_publish=True,
            consent_recorded_at=timezone.now(),
        )
        hidden = Person.objects.create(given_name="Max", family_name=f"Verborgen {n}")
        Membership.objects.create(network=network, organisation=unit, role="member", voting_right=True)
        Membership.objects.create(network=network, actor_group=group, role="advisory")
        Membership.objects.create(
            network=network, person=public, role="chair", on_behalf_of=parent, start_date=datetime.date(2024, 1, 1)
        )
        Membership.objects.create(network=network, person=hidden, role="member")
        start = timezone.now() + datetime.timedelta(days=7)
        meeting = Meeting.objects.create(
            network=network,
            name=f"Sitzung {n}",
            start=start,
            end=start + datetime.timedelta(hours=2),
            location=place,
            is_public=True,
        )
        item = AgendaItem.objects.create(meeting=meeting, number="1", position=1, name="Begrüßung", public=True)
        AgendaItem.objects.create(meeting=meeting, number="2", position=2, name="Personalien", public=False)
        File.objects.create(
            meeting=meeting,
            agenda_item=item,
            name="Einladung",
            role="invitation",
            file="meetings/einladung.pdf",
            mime_type="application/pdf",
            size=1234,
            public=True,
        )
        Meeting.objects.create(
            network=network,
            name=f"Interne Sitzung {n}",
            start=start,
            end=start + datetime.timedelta(hours=1),
            is_public=False,
        )
        Event.objects.create(
            title=f"Forum {n}", slug=f"forum-{n}", network=network, start=start, end=start + datetime.timedelta(hours=3)
        )
        Event.objects.create(
            title=f"Vorbereitung {n}",
            slug=f"vorbereitung-{n}",
            network=network,
            start=start,
            end=start + datetime.timedelta(hours=1),
            is_public=False,
        )
        made.append(network)
    LegislativeTerm.objects.get_or_create(
        body=county, name="Wahlperiode 2021–2026", defaults={"start_date": datetime.date(2021, 4, 1)}
    )
    return made


@pytest.fixture
def register_data(db):
    return build_register(2)
