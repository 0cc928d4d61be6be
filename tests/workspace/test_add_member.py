"""The "add member" flow: one page, new organisation and contact person in the same submit, and the options."""

import pytest
from django.urls import reverse
from django.utils import timezone

from register.models import Assignment, ChangeRecord, Membership, Organisation, Person


@pytest.fixture
def unit(caritas):
    return Organisation.objects.create(name="Asylverfahrensberatung", slug="avb", parent=caritas)


def add(client, network, **data):
    return client.post(reverse("workspace:membership_add", args=[network.pk]), {"role": "member", **data})


def test_new_organisation_and_new_contact_in_one_submit(client, office, own_network):
    client.force_login(office)
    page = client.get(reverse("workspace:membership_add", args=[own_network.pk])).content.decode()
    assert '<option value="" selected>– keine –</option>' in page  # the empty choice of organisation and person
    response = add(
        client,
        own_network,
        **{"new_organisation-name": "Frauenhaus Dieburg", "new_organisation-category": "welfare"},
        **{"new_contact-given_name": "Ayşe", "new_contact-family_name": "Demir", "new_contact-email": "a@example.org"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(network=own_network)
    assert membership.organisation.name == "Frauenhaus Dieburg" and membership.organisation.slug
    assert str(membership.contact) == "Ayşe Demir" and membership.contact.organisation == membership.organisation
    assert ChangeRecord.objects.filter(object_id=membership.contact.pk, action="create").exists()


def test_nothing_is_written_when_one_part_fails(client, office, own_network, caritas):
    client.force_login(office)
    before = (Organisation.objects.count(), Person.objects.count())
    # The new contact is valid, the new organisation's name is taken (and an organisation was chosen too).
    response = add(
        client,
        own_network,
        organisation=caritas.pk,
        **{"new_organisation-name": "Caritasverband Darmstadt e.V.", "new_contact-family_name": "Demir"},
    )
    assert response.status_code == 200
    assert "Es wurde nichts gespeichert" in response.content.decode()
    assert response.context["adding"].membership.errors["organisation"]
    assert (Organisation.objects.count(), Person.objects.count()) == before
    assert not Membership.objects.exists()


def test_chosen_organisation_and_contact(client, office, own_network, unit, person):
    client.force_login(office)
    page = client.get(reverse("workspace:membership_add", args=[own_network.pk])).content.decode()
    assert "Asylverfahrensberatung – Caritasverband Darmstadt e.V." in page
    assert 'data-options="organisations"' in page and 'data-options="people"' in page
    assert add(client, own_network, organisation=unit.pk, contact=person.pk).status_code == 302
    assert Membership.objects.get().contact == person


def test_coordinator_sees_only_people_of_their_networks_and_who_consented(
    client, coordinator, own_network, other_network, caritas, diakonie, person
):
    seated = Person.objects.create(given_name="Sitz", family_name="Eigen")
    elsewhere = Person.objects.create(given_name="Sitz", family_name="Fremd")
    public = Person.objects.create(
        given_name="Offen", family_name="Zustimmung", consent_to_publish=True, consent_recorded_at=timezone.now()
    )
    Membership.objects.create(network=own_network, organisation=caritas, contact=seated)
    Membership.objects.create(network=other_network, organisation=diakonie, contact=elsewhere)
    client.force_login(coordinator)
    page = client.get(reverse("workspace:membership_add", args=[own_network.pk])).content.decode()
    assert "Sitz Eigen" in page and "Offen Zustimmung" in page
    assert "Sitz Fremd" not in page and "Okonkwo" not in page
    assert "new_organisation-name" not in page and "new_contact-family_name" in page  # the office keeps organisations
    names = [r["text"] for r in client.get(reverse("workspace:options", args=["people"])).json()["results"]]
    assert any("Sitz Eigen" in n for n in names) and any("Offen Zustimmung" in n for n in names)
    assert not any("Fremd" in n or "Okonkwo" in n for n in names)
    # Nor can the form be sent with a person the coordinator may not see.
    response = add(client, own_network, organisation=caritas.pk, role="guest", contact=elsewhere.pk)
    assert response.status_code == 200 and response.context["form"].errors["contact"]
    assert public.pk


def test_options_search_folded_limited_and_constant(client, office, unit, django_assert_max_num_queries):
    Organisation.objects.bulk_create(
        [Organisation(name=f"Beratungsstelle Süd {i}", slug=f"bs-{i}", parent=unit) for i in range(40)]
    )
    client.force_login(office)
    url = reverse("workspace:options", args=["organisations"])
    with django_assert_max_num_queries(6):
        results = client.get(url, {"q": "beratungsstelle sued"}).json()["results"]
    assert len(results) == 20
    assert results[0]["text"].startswith("Beratungsstelle Süd") and results[0]["text"].endswith(
        "– Asylverfahrensberatung – Caritasverband Darmstadt e.V."
    )
    found = client.get(url, {"q": "asylverfahren"}).json()["results"]
    assert found[0]["text"] == "Asylverfahrensberatung – Caritasverband Darmstadt e.V."
    assert client.get(reverse("workspace:options", args=["secrets"])).status_code == 404


def test_options_refused_to_readers(client, member, own_network):
    client.force_login(member)
    assert Assignment.objects.filter(user=member).exists()
    assert client.get(reverse("workspace:options", args=["people"])).status_code == 403


def test_coordinator_enters_a_new_contact_person(client, coordinator, own_network, caritas):
    client.force_login(coordinator)
    Membership.objects.create(network=own_network, organisation=caritas)  # the organisation sits in the network
    response = add(client, own_network, organisation=caritas.pk, role="guest", **{"new_contact-family_name": "Neu"})
    assert response.status_code == 302
    assert Membership.objects.get(role="guest").contact.family_name == "Neu"
    refused = add(client, own_network, role="guest", **{"new_organisation-name": "Nicht von mir"})
    assert refused.status_code == 200 and not Organisation.objects.filter(name="Nicht von mir").exists()


@pytest.mark.parametrize("size", [3, 60])
def test_add_member_page_queries_constant(client, office, own_network, unit, django_assert_max_num_queries, size):
    Organisation.objects.bulk_create(
        [Organisation(name=f"Stelle {i}", slug=f"st-{i}", parent=unit) for i in range(size)]
    )
    Person.objects.bulk_create([Person(family_name=f"Person {i}", organisation=unit) for i in range(size)])
    client.force_login(office)
    # 14, and one bounded query per search field (5) whether its list is short enough to offer whole.
    with django_assert_max_num_queries(19):
        page = client.get(reverse("workspace:membership_add", args=[own_network.pk])).content.decode()
    assert f"Stelle {size - 1} – Asylverfahrensberatung – Caritasverband Darmstadt e.V." in page
