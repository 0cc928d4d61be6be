"""Fixtures of the analysis tests."""

import pytest
from django.contrib.auth.models import Group, User

from register.permissions import OFFICE_GROUP
from tests.analysis.cooperation_builders import small_register


@pytest.fixture
def office_user(db):
    user = User.objects.create_user("office", password="secret-password-1")
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    return user


@pytest.fixture
def small(db):
    """A small register with cooperation answers, counted by hand in ``test_cooperation.py``."""
    return small_register()
