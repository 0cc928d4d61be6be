"""Finding 10: names are stored in Unicode NFC and refuse invisible, bidirectional-override and
control characters with a clear message, in every write path (model, workspace form, API, import,
public registration)."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from importing.models import TabularImport
from importing.tasks import check_upload
from register.models import Event, Network, Organisation, Person
from register.models.fields import unwanted_characters
from register.permissions import OFFICE_GROUP

pytestmark = pytest.mark.django_db

HIDDEN = [
    "Caritas\u200bverband",  # zero-width space: an invisible duplicate
    "Diakonie\u202eeikonaiD",  # right-to-left override
    "Zeile eins\r\nZeile zwei",  # CR/LF broke the subject of the self-service mail
    "Tab\tulator",
    "Null\x00byte",
]


@pytest.fixture
def office():
    user = User.objects.create_user("buero", "buero@example.org", "a long test password")
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    return user


@pytest.mark.parametrize("name", HIDDEN)
def test_the_model_refuses_names_with_characters_nobody_can_see(name):
    organisation = Organisation(name=name, slug="x")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    message = " ".join(error.value.message_dict["name"])
    assert "U+" in message and "nicht sehen" in message
    person = Person(given_name="Mirjam", family_name=name)
    with pytest.raises(ValidationError):
        person.full_clean()


def test_the_message_names_the_characters():
    with pytest.raises(ValidationError) as error:
        Organisation(name="Caritas\u200bverband", slug="x").full_clean()
    assert "U+200B ZERO WIDTH SPACE" in error.value.message_dict["name"][0]


def test_names_are_stored_in_nfc_however_they_are_written():
    decomposed = "Cafe\u0301 International"  # e + combining acute accent
    saved = Organisation.objects.create(name=decomposed, slug="cafe")  # saved without validation
    saved.refresh_from_db()
    assert saved.name == "Café International" and len(saved.name) == len("Café International")
    checked = Organisation(name=decomposed, slug="cafe-2", parent=saved)
    checked.full_clean()  # validation hands on the normalised value
    assert checked.name == "Café International"


def test_scripts_that_need_joiners_keep_them():
    assert unwanted_characters("انجمن فرهنگی\u200cایرانی") == []
    assert unwanted_characters("Caritas\u200cverband") == ["\u200c"]


def test_the_workspace_form_says_what_is_wrong_and_saves_nothing(client, office):
    client.force_login(office)
    response = client.post(
        reverse("workspace:organisation_create"), {"name": "Caritas\u200bverband Darmstadt", "category": "welfare"}
    )
    assert response.status_code == 200
    assert "U+200B" in " ".join(response.context["form"].errors["name"])
    assert not Organisation.objects.exists()


def test_the_api_refuses_them(office):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(office, scope=ApiToken.Scope.WRITE)[1]}")
    response = api.post(
        "/api/v1/organisations/", {"name": "Caritas\u202everband", "category": "welfare"}, format="json"
    )
    assert response.status_code == 409 and "U+202E" in str(response.json())
    assert not Organisation.objects.exists()
    network = Network.objects.create(name="Netzwerk", slug="netzwerk")
    response = api.patch(f"/api/v1/networks/{network.pk}/", {"name": "Netz\nwerk"}, format="json")
    assert response.status_code == 400


def test_the_import_reports_the_row_and_column(office):
    content = "Name;Kategorie\nCaritas\u200bverband Darmstadt;Wohlfahrtsverband\n".encode("utf-8-sig")
    upload = TabularImport.objects.create(
        user=office, kind="organisations", file_name="liste.csv", content=content, size=len(content), sha256="x"
    )
    check_upload.call(upload.pk)
    upload.refresh_from_db()
    assert upload.status == TabularImport.Status.INVALID
    assert any("U+200B" in problem["message"] for problem in upload.problems), upload.problems


def test_the_public_registration_refuses_a_line_break_in_the_name(client):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.now() + timedelta(days=20)
    Event.objects.create(title="Inklusionsforum", slug="forum", start=start, end=start + timedelta(hours=2))
    response = client.post(
        reverse("meetings:register", args=["forum"]),
        {"name": "Anna\r\nBcc: alle@example.org", "email": "anna@example.org", "consent": "on"},
    )
    assert response.status_code == 200 and "name" in response.context["form"].errors
