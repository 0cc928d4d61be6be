"""Archive instead of delete: gone from public pages, choices and API lists; history and past kept; restorable."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.models import SearchDocument
from register import archiving
from register.models import ChangeRecord, Membership, Organisation
from workspace import selfservice
from workspace.forms import MembershipForm, PersonForm
from workspace.models import SelfServiceLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(caritas):
    return Organisation.objects.create(name="Migrationsdienst", slug="caritas-migration", parent=caritas)


@pytest.fixture
def unit_membership(own_network, unit):
    return Membership.objects.create(network=own_network, organisation=unit, role=Membership.Role.MEMBER)


def test_the_office_archives_after_a_confirmation(client, office, caritas, unit, membership, unit_membership):
    client.force_login(office)
    url = reverse("workspace:organisation_archive", args=[caritas.pk])
    question = client.get(url)
    assert question.status_code == 200
    page = question.content.decode()
    assert "Ja, archivieren" in page and "2 offenen Mitgliedschaften" in page and "1 Untereinheit" in page
    assert Organisation.objects.get(pk=caritas.pk).archived_at is None  # asking changes nothing

    response = client.post(url, follow=True)
    assert "2 Mitgliedschaften wurden beendet" in response.content.decode()
    caritas.refresh_from_db()
    unit.refresh_from_db()
    assert caritas.archived_at is not None and unit.archived_at == caritas.archived_at
    membership.refresh_from_db()
    assert membership.end_date == timezone.localdate() - datetime.timedelta(days=1) and not membership.is_active
    # The history keeps every step.
    assert ChangeRecord.objects.filter(object_id=caritas.pk, changes__has_key="archived_at").exists()
    assert ChangeRecord.objects.filter(object_id=membership.pk, source=archiving.SOURCE).exists()


def test_an_archived_organisation_is_gone_from_public_pages_choices_and_api_lists(
    client, office, caritas, diakonie, own_network
):
    public = reverse("portal:organisation", args=[caritas.slug])
    assert client.get(public).status_code == 200
    assert SearchDocument.objects.filter(kind=SearchDocument.Kind.ORGANISATION, object_id=caritas.pk).exists()
    archiving.archive(caritas, office)

    assert client.get(public).status_code == 404
    assert not SearchDocument.objects.filter(kind=SearchDocument.Kind.ORGANISATION, object_id=caritas.pk).exists()
    choices = MembershipForm(network=own_network).fields
    assert caritas not in choices["organisation"].queryset and diakonie in choices["organisation"].queryset
    api = APIClient()
    listed = {row["id"] for row in api.get("/api/v1/organisations/").json()["results"]}
    assert caritas.pk not in listed and diakonie.pk in listed
    archived = api.get("/api/v1/organisations/", {"archived": "true"}).json()["results"]
    assert [row["id"] for row in archived] == [caritas.pk] and archived[0]["archived_at"]
    assert api.get(f"/api/v1/organisations/{caritas.pk}/").status_code == 200
    assert api.get("/api/v1/organisations/", {"archived": "ja"}).status_code == 400

    client.force_login(office)
    workspace_list = client.get(reverse("workspace:organisations")).content.decode()
    assert "Caritasverband" not in workspace_list and "Diakonie" in workspace_list
    assert "Caritasverband" in client.get(reverse("workspace:organisations"), {"archived": "1"}).content.decode()


def test_a_record_that_names_an_archived_organisation_can_still_be_saved(caritas, person, office):
    archiving.archive(caritas, office)
    person.refresh_from_db()
    form = PersonForm(instance=person)
    assert caritas in form.fields["organisation"].queryset
    assert caritas not in PersonForm().fields["organisation"].queryset


def test_restore_brings_back_the_entry_and_the_memberships_it_ended(client, office, caritas, unit, membership):
    ended_before = Membership.objects.create(
        network=membership.network,
        organisation=caritas,
        role=Membership.Role.GUEST,
        end_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    archiving.archive(caritas, office)
    with pytest.raises(ValidationError):
        archiving.restore(Organisation.objects.get(pk=unit.pk), office)  # its parent is archived

    client.force_login(office)
    response = client.post(reverse("workspace:organisation_restore", args=[caritas.pk]), follow=True)
    assert "1 Mitgliedschaft wurde wieder geöffnet" in response.content.decode()
    caritas.refresh_from_db()
    unit.refresh_from_db()
    membership.refresh_from_db()
    ended_before.refresh_from_db()
    assert caritas.archived_at is None and unit.archived_at is None
    assert membership.end_date is None and membership.is_active
    assert ended_before.end_date == timezone.localdate() - datetime.timedelta(days=30)  # its past stays


def test_a_membership_changed_after_the_archive_is_not_reopened(office, caritas, membership):
    archiving.archive(caritas, office)
    membership.refresh_from_db()
    membership.end_date = timezone.localdate() - datetime.timedelta(days=3)
    membership.save()
    assert archiving.restore(Organisation.objects.get(pk=caritas.pk), office) == 0
    membership.refresh_from_db()
    assert membership.end_date == timezone.localdate() - datetime.timedelta(days=3)


def test_a_self_service_link_of_an_archived_organisation_no_longer_works(client, office, caritas):
    link = SelfServiceLink.objects.create(organisation=caritas, email="info@example.org")
    url = reverse("workspace:self_service", args=[selfservice.token_for(link)])
    assert client.get(url).status_code == 200
    archiving.archive(caritas, office)
    assert client.get(url).status_code == 410


def test_only_the_office_archives(client, coordinator, caritas):
    client.force_login(coordinator)
    assert client.post(reverse("workspace:organisation_archive", args=[caritas.pk])).status_code == 403
    caritas.refresh_from_db()
    assert caritas.archived_at is None
