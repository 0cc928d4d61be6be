import pytest
from django.contrib.auth.models import Group, User


@pytest.fixture
def office_user(db):
    user = User.objects.create_user("buero", password="ein-langes-passwort-1")
    user.groups.add(Group.objects.get_or_create(name="office")[0])
    return user


@pytest.fixture
def member_user(db):
    return User.objects.create_user("mitglied", password="ein-langes-passwort-2")


@pytest.fixture
def office_client(client, office_user):
    client.force_login(office_user)
    return client


@pytest.fixture
def seed(db):
    """The county's page with its curated facts, without the office's decisions: its near-duplicates
    are still two entries each."""
    from importing.curated import SEED_PATH
    from importing.demo import import_with_curated

    return import_with_curated(SEED_PATH.read_bytes(), SEED_PATH.name, decisions=False)
