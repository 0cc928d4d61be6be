"""Builders shared by the table import tests: users of each role, networks and files."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from register.models import Assignment, Network, Organisation
from register.permissions import OFFICE_GROUP

ORG_HEADERS = ["Name", "Übergeordnete Organisation", "Kategorie", "Rechtsform", "Kommune", "Website", "E-Mail"]


def xlsx(rows, title="Tabelle"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes(rows, delimiter=";", encoding="utf-8-sig"):
    return "\r\n".join(delimiter.join(row) for row in rows).encode(encoding) + b"\r\n"


def upload_file(name, data):
    return SimpleUploadedFile(name, data)


def make_user(username, *, office=False, coordinator_of=(), member_of=()):
    user = User.objects.create_user(username, password="a-long-test-password")
    if office:
        user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    for network in coordinator_of:
        Assignment.objects.create(user=user, network=network, role=Assignment.Role.COORDINATOR)
    for network in member_of:
        Assignment.objects.create(user=user, network=network, role=Assignment.Role.MEMBER)
    return user


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their English source; the German catalogue has its own test."""
    with translation.override("en"):
        yield


@pytest.fixture
def networks(db):
    return {
        "mila": Network.objects.create(name="Arbeitskreis Migration im Landkreis", short_name="MiLa", slug="mila"),
        "kab": Network.objects.create(name="Kreisausländerbeirat", short_name="KAB", slug="kab"),
    }


@pytest.fixture
def office(db):
    return make_user("office", office=True)


@pytest.fixture
def coordinator(networks):
    return make_user("coordinator", coordinator_of=[networks["mila"]])


@pytest.fixture
def member(networks):
    return make_user("member", member_of=[networks["mila"]])


@pytest.fixture
def caritas(db):
    caritas = Organisation.objects.create(name="Caritasverband Darmstadt e.V.", slug="caritas")
    caritas.aliases.create(name="Caritas Darmstadt")
    return caritas
