"""Small fixtures for the workspace: two networks, and one user per role."""

import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from register.models import Assignment, Membership, Network, Organisation, Person
from register.permissions import OFFICE_GROUP

PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def german():
    """German is the default language; a test that asked for English must not leak it into the next."""
    with translation.override("de"):
        yield


def make_user(django_user_model, username, **kwargs):
    return django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD, **kwargs)


@pytest.fixture
def own_network(db):
    return Network.objects.create(name="Arbeitskreis Eigen", slug="ak-eigen", seats_members=3, seats_deputies=2)


@pytest.fixture
def other_network(db):
    return Network.objects.create(name="Arbeitskreis Fremd", slug="ak-fremd")


@pytest.fixture
def office(django_user_model):
    user = make_user(django_user_model, "office")
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    return user


@pytest.fixture
def coordinator(django_user_model, own_network):
    user = make_user(django_user_model, "coordinator")
    Assignment.objects.create(user=user, network=own_network, role=Assignment.Role.COORDINATOR)
    return user


@pytest.fixture
def member(django_user_model, own_network):
    user = make_user(django_user_model, "member")
    Assignment.objects.create(user=user, network=own_network, role=Assignment.Role.MEMBER)
    return user


@pytest.fixture
def outsider(django_user_model):
    return make_user(django_user_model, "outsider")


@pytest.fixture
def caritas(db):
    return Organisation.objects.create(name="Caritasverband Darmstadt e.V.", slug="caritas", category="welfare")


@pytest.fixture
def diakonie(db):
    return Organisation.objects.create(name="Diakonie Darmstadt-Dieburg", slug="diakonie", category="welfare")


@pytest.fixture
def person(db, caritas):
    return Person.objects.create(
        given_name="Mirjam",
        family_name="Okonkwo-Baumgärtner",
        function="Migrationsberatung",
        organisation=caritas,
        email="m.okonkwo@caritas-beispiel.de",
        phone="06151 987654",
    )


@pytest.fixture
def membership(own_network, caritas):
    return Membership.objects.create(network=own_network, organisation=caritas, role=Membership.Role.MEMBER)


@pytest.fixture
def other_membership(other_network, diakonie):
    return Membership.objects.create(network=other_network, organisation=diakonie, role=Membership.Role.MEMBER)
