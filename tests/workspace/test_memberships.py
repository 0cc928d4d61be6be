"""Networks and memberships: forms say what is wrong, a failed save writes nothing, lists stay cheap."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from register.models import ChangeRecord, Membership, Network, Organisation, Person


@pytest.fixture
def logged_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_create_network_gets_a_slug_and_is_recorded(client, office):
    client.force_login(office)
    data = {"name": "Runder Tisch Süd", "classification": "forum", "organization_type": "other", "seats_members": 5}
    response = client.post(reverse("workspace:network_create"), data)
    network = Network.objects.get(name="Runder Tisch Süd")
    assert response.status_code == 302 and network.slug == "runder-tisch-sued"
    record = ChangeRecord.objects.get(object_repr="Runder Tisch Süd", action="create")
    assert record.user == office and record.changes["seats_members"] == [None, "5"]


def test_network_form_reports_exact_error_and_saves_nothing(client, office, own_network):
    client.force_login(office)
    data = {"name": own_network.name, "classification": "forum", "organization_type": "other", "since_year": 85}
    response = client.post(reverse("workspace:network_create"), data)
    errors = response.context["form"].errors
    assert errors == {
        "__all__": [_("Give the year as four digits.")],
        "name": [
            Network._meta.get_field("name").error_messages["unique"]
            % {"model_name": _("network").capitalize(), "field_label": _("name")}
        ],
    }
    assert Network.objects.count() == 1


def consented(person):
    Person.objects.filter(pk=person.pk).update(consent_to_publish=True, consent_recorded_at=timezone.now())


def test_add_member_with_exactly_one_member(logged_in, own_network, caritas, person):
    consented(person)  # a coordinator chooses only people of the network or who consented
    url = reverse("workspace:membership_add", args=[own_network.pk])
    response = logged_in.post(url, {"organisation": caritas.pk, "person": person.pk, "role": "member"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        _("Choose exactly one member: an organisation, an actor group or a person.")
    ]
    assert not Membership.objects.exists()
    response = logged_in.post(url, {"organisation": caritas.pk, "role": "member", "voting_right": "true"})
    assert response.status_code == 302
    membership = Membership.objects.get()
    assert membership.voting_right is True and membership.source == "workspace: coordinator"


def test_duplicate_open_membership_is_refused(logged_in, own_network, membership):
    url = reverse("workspace:membership_add", args=[own_network.pk])
    response = logged_in.post(url, {"organisation": membership.organisation_id, "role": "member"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": [_("This organisation already holds this role in the network.")]
    }
    assert Membership.objects.count() == 1


def test_pair_deputy_and_on_behalf_of(logged_in, own_network, membership, person, diakonie):
    consented(person)  # a coordinator chooses only people of the network or who consented
    url = reverse("workspace:membership_add", args=[own_network.pk])
    bad = logged_in.post(
        url, {"organisation": diakonie.pk, "role": "deputy", "on_behalf_of": diakonie.pk, "deputy_of": membership.pk}
    )
    assert bad.context["form"].errors == {"on_behalf_of": [_("Only a person can sit on behalf of an organisation.")]}
    response = logged_in.post(
        url, {"person": person.pk, "role": "deputy", "on_behalf_of": diakonie.pk, "deputy_of": membership.pk}
    )
    assert response.status_code == 302
    deputy = Membership.objects.get(person=person)
    assert deputy.deputy_of == membership and deputy.on_behalf_of == diakonie
    wrong_role = logged_in.post(url, {"organisation": diakonie.pk, "role": "member", "deputy_of": membership.pk})
    assert "role" in wrong_role.context["form"].errors


def test_deputy_cannot_pair_with_other_network(logged_in, own_network, other_membership, person):
    response = logged_in.post(
        reverse("workspace:membership_add", args=[own_network.pk]),
        {"person": person.pk, "role": "deputy", "deputy_of": other_membership.pk},
    )
    assert "deputy_of" in response.context["form"].errors
    assert not Membership.objects.filter(person=person).exists()


def test_bulk_add_is_one_action_all_or_nothing(logged_in, own_network, caritas, diakonie):
    third = Organisation.objects.create(name="Verein Drei", slug="drei")
    url = reverse("workspace:membership_bulk_add", args=[own_network.pk])
    response = logged_in.post(url, {"organisations": [caritas.pk, diakonie.pk, third.pk], "role": "member"})
    assert response.status_code == 302
    assert Membership.objects.filter(network=own_network).count() == 3
    # Once members, they are no longer offered; a forged submission is refused as a whole.
    fourth = Organisation.objects.create(name="Verein Vier", slug="vier")
    response = logged_in.post(url, {"organisations": [fourth.pk, caritas.pk], "role": "member"})
    assert response.status_code == 200 and "organisations" in response.context["form"].errors
    assert not Membership.objects.filter(organisation=fourth).exists()


def test_end_membership_keeps_it_in_history(logged_in, own_network, membership):
    membership.start_date = date(2024, 5, 1)
    membership.save()
    url = reverse("workspace:membership_end", args=[membership.pk])
    response = logged_in.post(url, {"end_date": "2024-01-01"})
    assert response.context["form"].errors["end_date"] == ["Das Ende kann nicht vor dem Beginn (01.05.2024) liegen."]
    response = logged_in.post(url, {"end_date": "2025-06-30"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == date(2025, 6, 30) and not membership.is_active
    page = logged_in.get(reverse("workspace:network", args=[own_network.pk]))
    assert page.context["ended"] == [membership] and page.context["active"] == []
    assert any(row["record"].changes.get("end_date") == [None, "2025-06-30"] for row in page.context["history"])


def test_network_page_queries_are_constant(client, office, own_network, django_assert_max_num_queries):
    client.force_login(office)
    for number in range(30):
        organisation = Organisation.objects.create(name=f"Verein {number}", slug=f"verein-{number}")
        Membership.objects.create(network=own_network, organisation=organisation)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("workspace:network", args=[own_network.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("workspace:networks")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("workspace:organisations")).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("workspace:home")).status_code == 200


def test_member_sees_internal_view_read_only(client, member, own_network, membership):
    client.force_login(member)
    page = client.get(reverse("workspace:network", args=[own_network.pk]))
    assert page.status_code == 200 and not page.context["may_edit"]
    assert reverse("workspace:membership_end", args=[membership.pk]) not in page.content.decode()


def test_member_start_page_lists_own_networks_only(client, member, own_network, other_network):
    client.force_login(member)
    response = client.get(reverse("workspace:home"))
    assert response.context["summary"] is None
    assert list(response.context["networks"]) == [own_network]
    assert "Arbeitskreis Fremd" not in response.content.decode()


def test_network_list_counts_the_memberships_active_today_by_the_models_rule(client, office, own_network):
    client.force_login(office)
    today = timezone.localdate()
    dates = {
        "current": (today - timedelta(days=30), None),
        "undated": (None, None),
        "ends today": (None, today),
        "starts tomorrow": (today + timedelta(days=1), None),
        "ended yesterday": (None, today - timedelta(days=1)),
    }
    for name, (start, end) in dates.items():
        organisation = Organisation.objects.create(name=name, slug=name.replace(" ", "-"))
        Membership.objects.create(network=own_network, organisation=organisation, start_date=start, end_date=end)
    table = client.get(reverse("workspace:networks")).context["table"]
    rows = {row.record.pk: row.record for row in table.rows}
    assert rows[own_network.pk].open_memberships == Membership.objects.active().filter(network=own_network).count() == 3
