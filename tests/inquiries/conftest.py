import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from register.models import Assignment
from register.permissions import OFFICE_GROUP
from tests.register.kab_builders import make_kab

PASSWORD = "a-long-test-password-42"


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


@pytest.fixture
def kab(db):
    return make_kab()


def make_user(django_user_model, username, **kwargs):
    return django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD, **kwargs)


@pytest.fixture
def office(django_user_model):
    user = make_user(django_user_model, "buero", first_name="Bea", last_name="Büro")
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    return user


@pytest.fixture
def kab_member(django_user_model, kab):
    user = make_user(django_user_model, "mitglied", first_name="Mira", last_name="Mitglied")
    Assignment.objects.create(user=user, network=kab, role=Assignment.Role.MEMBER)
    return user


@pytest.fixture
def other_member(django_user_model, kab):
    user = make_user(django_user_model, "andere", first_name="Ali", last_name="Andere")
    Assignment.objects.create(user=user, network=kab, role=Assignment.Role.MEMBER)
    return user


@pytest.fixture
def outsider(django_user_model):
    return make_user(django_user_model, "aussen")
