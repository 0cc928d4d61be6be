"""Fixtures of the needs-assessment tests."""

import pytest
from django.contrib.auth.models import Group, User

from register.models import Assignment, Body, Topic
from tests.needs.needs_builders import make_network


@pytest.fixture
def office_user(db):
    user = User.objects.create_user("office", password="a long test password")
    user.groups.add(Group.objects.get_or_create(name="office")[0])
    return user


@pytest.fixture
def member_user(db, network):
    user = User.objects.create_user("member", password="a long test password")
    Assignment.objects.create(user=user, network=network, role=Assignment.Role.MEMBER)
    return user


@pytest.fixture
def outsider_user(db):
    return User.objects.create_user("outsider", password="a long test password")


@pytest.fixture
def county(db):
    return Body.objects.get_or_create(slug="landkreis-test", defaults={"name": "Landkreis Test"})[0]


@pytest.fixture
def network(db):
    return make_network("Arbeitskreis Test")


@pytest.fixture
def topic(db):
    return Topic.objects.create(name="Beratung", slug="beratung")
