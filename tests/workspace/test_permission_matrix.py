"""Each role × each action × own/other network: allowed or denied, and a denied write changes nothing."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from register.models import Assignment, ChangeRecord, Membership, Network, Organisation

# Literal dates below: the clock is pinned to tests.conftest.FIXED_DAY (time-machine) for every test here.
pytestmark = pytest.mark.usefixtures("fixed_day")

ROLES = ["office", "coordinator", "member", "outsider", "anonymous"]

# Who may do what, written out by hand (not derived from the code under test).
EXPECTED = {
    # action: (roles allowed in their own network, roles allowed in another network)
    "view_network": ({"office", "coordinator", "member"}, {"office"}),
    "edit_network": ({"office", "coordinator"}, {"office"}),
    "add_membership": ({"office", "coordinator"}, {"office"}),
    "bulk_add": ({"office", "coordinator"}, {"office"}),
    "edit_membership": ({"office", "coordinator"}, {"office"}),
    "end_membership": ({"office", "coordinator"}, {"office"}),
    "undo_membership_change": ({"office", "coordinator"}, {"office"}),
    "give_role": ({"office"}, {"office"}),
}
# Actions on the shared register (no network): only the office.
REGISTER_EXPECTED = {
    "create_network": {"office"},
    "create_organisation": {"office"},
    "edit_organisation": {"office"},
    "view_person": {"office"},
    "export_person": {"office"},
    "erase_person": {"office"},
    "settings": {"office"},
    "create_login": {"office"},
    "edit_site_identity": {"office"},
    "edit_site_page": {"office"},
    "edit_location": {"office", "coordinator"},
}


@pytest.fixture
def users(office, coordinator, member, outsider):
    return {"office": office, "coordinator": coordinator, "member": member, "outsider": outsider, "anonymous": None}


def login(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])


def view_network(client, network, membership, diakonie):
    return client.get(reverse("workspace:network", args=[network.pk])), None


def edit_network(client, network, membership, diakonie):
    data = {"name": "Neuer Name", "classification": "working_group", "organization_type": "other"}
    response = client.post(reverse("workspace:network_edit", args=[network.pk]), data)
    return response, lambda: Network.objects.filter(name="Neuer Name").exists()


def add_membership(client, network, membership, diakonie):
    data = {"organisation": diakonie.pk, "role": "guest"}
    response = client.post(reverse("workspace:membership_add", args=[network.pk]), data)
    return response, lambda: Membership.objects.filter(network=network, organisation=diakonie, role="guest").exists()


def bulk_add(client, network, membership, diakonie):
    data = {"organisations": [diakonie.pk], "role": "advisory"}
    response = client.post(reverse("workspace:membership_bulk_add", args=[network.pk]), data)
    return response, lambda: Membership.objects.filter(network=network, role="advisory").exists()


def edit_membership(client, network, membership, diakonie):
    data = {"organisation": membership.organisation_id, "role": "chair", "label": "geändert"}
    response = client.post(reverse("workspace:membership", args=[membership.pk]), data)
    return response, lambda: Membership.objects.get(pk=membership.pk).label == "geändert"


def end_membership(client, network, membership, diakonie):
    response = client.post(reverse("workspace:membership_end", args=[membership.pk]), {"end_date": "2026-01-31"})
    return response, lambda: Membership.objects.get(pk=membership.pk).end_date is not None


def undo_membership_change(client, network, membership, diakonie):
    record = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Membership), object_id=membership.pk, action="update"
    ).first()
    response = client.post(reverse("workspace:change_undo", args=[record.pk]))
    return response, lambda: Membership.objects.get(pk=membership.pk).label == "vorher"


def give_role(client, network, membership, diakonie):
    from django.contrib.auth import get_user_model

    target = get_user_model().objects.create_user("neu", "neu@example.org", "x-long-password-1")
    response = client.post(
        reverse("workspace:assignment_add", args=[network.pk]), {"user": target.pk, "role": "member"}
    )
    return response, lambda: Assignment.objects.filter(user=target, network=network).exists()


ACTIONS = {
    f.__name__: f
    for f in [
        view_network,
        edit_network,
        add_membership,
        bulk_add,
        edit_membership,
        end_membership,
        undo_membership_change,
        give_role,
    ]
}


@pytest.mark.parametrize("scope", ["own", "other"])
@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_network_action(client, users, role, action, scope, own_network, other_network, caritas, diakonie):
    network = own_network if scope == "own" else other_network
    membership = Membership.objects.create(network=network, organisation=caritas, role="member")
    membership.label = "vorher"
    membership.save()
    membership.label = "nachher"
    membership.save()  # the change that undo_membership_change reverts
    login(client, users, role)
    response, changed = ACTIONS[action](client, network, membership, diakonie)
    allowed = role in EXPECTED[action][0 if scope == "own" else 1]
    if role == "anonymous":
        assert response.status_code == 302 and reverse("workspace:login") in response["Location"]
    elif allowed:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200 and changed is not None:
            form = response.context.get("form")
            pytest.fail(f"write not done: {form.errors if form else response.content[:300]}")
    else:
        assert response.status_code == 403
    if changed is not None:
        assert changed() is (allowed and role != "anonymous")


def register_action(client, name, person, caritas):
    if name == "create_network":
        data = {"name": "Netz Neu", "classification": "forum", "organization_type": "other"}
        return client.post(reverse("workspace:network_create"), data), lambda: Network.objects.filter(
            name="Netz Neu"
        ).exists()
    if name == "create_organisation":
        data = {"name": "Neuer Verein", "category": "association"}
        return client.post(reverse("workspace:organisation_create"), data), lambda: Organisation.objects.filter(
            name="Neuer Verein"
        ).exists()
    if name == "edit_organisation":
        data = {"name": "Caritas umbenannt", "category": "welfare"}
        response = client.post(reverse("workspace:organisation_edit", args=[caritas.pk]), data)
        return response, lambda: Organisation.objects.filter(name="Caritas umbenannt").exists()
    if name == "view_person":
        return client.get(reverse("workspace:person", args=[person.pk])), None
    if name == "export_person":
        return client.get(reverse("workspace:person_export", args=[person.pk]) + "?format=json"), None
    if name == "erase_person":
        response = client.post(reverse("workspace:person_erase", args=[person.pk]), {"confirm": "on"})
        return response, lambda: type(person).objects.get(pk=person.pk).erased_at is not None
    if name == "settings":
        data = {"require_two_factor": "on", "retention_months": 12, "self_service_days": 7}
        from workspace.models import WorkspaceSettings

        return client.post(reverse("workspace:settings"), data), lambda: WorkspaceSettings.load().retention_months == 12
    if name == "create_login":
        data = {
            "username": "neu",
            "email": "neu@example.org",
            "password1": "Ein-langes-Passwort-7",
            "password2": "Ein-langes-Passwort-7",
        }
        from django.contrib.auth import get_user_model

        return client.post(
            reverse("workspace:user_create"), data
        ), lambda: get_user_model().objects.filter(username="neu").exists()
    if name == "edit_site_identity":
        from register.models import SiteIdentity

        data = {"office_name": "Anderes Büro"}
        response = client.post(reverse("workspace:site_identity"), data)
        return response, lambda: SiteIdentity.load().office_name == "Anderes Büro"
    if name == "edit_site_page":
        from register.models import SitePage

        data = {"title_de": "Impressum", "body_de": "Neuer Text."}
        response = client.post(reverse("workspace:site_page", args=["imprint"]), data)
        return response, lambda: SitePage.objects.get(key="imprint").body_de == "Neuer Text."
    if name == "edit_location":
        from register.models import Location

        location = Location.objects.create(name="Rathaus")
        data = {"name": "Rathaus", "street_address": "Marktplatz 1", "address_public": "on"}
        response = client.post(reverse("workspace:location_edit", args=[location.pk]), data)
        return response, lambda: Location.objects.get(pk=location.pk).street_address == "Marktplatz 1"
    raise AssertionError(name)


@pytest.mark.parametrize("action", list(REGISTER_EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_register_action(client, users, role, action, person, caritas):
    login(client, users, role)
    response, changed = register_action(client, action, person, caritas)
    allowed = role in REGISTER_EXPECTED[action]
    if role == "anonymous":
        assert response.status_code == 302 and reverse("workspace:login") in response["Location"]
    elif allowed:
        assert response.status_code in (200, 302)
        if response.status_code == 200 and changed is not None:
            pytest.fail(str(response.context["form"].errors))
    else:
        assert response.status_code == 403
    if changed is not None:
        assert changed() is (allowed and role != "anonymous")


def test_office_manages_logins_but_cannot_lock_itself_out(client, office, member):
    client.force_login(office)
    url = reverse("workspace:user_edit", args=[member.pk])
    response = client.post(url, {"email": "member@example.org", "is_active": "on", "is_office": "on"})
    assert response.status_code == 302
    assert member.groups.filter(name="office").exists()
    response = client.post(url, {"email": "member@example.org"})
    member.refresh_from_db()
    assert not member.is_active and not member.groups.filter(name="office").exists()
    own = client.post(reverse("workspace:user_edit", args=[office.pk]), {"email": "office@example.org"})
    assert own.status_code == 200 and own.context["form"].non_field_errors()
    office.refresh_from_db()
    assert office.is_active and office.groups.filter(name="office").exists()
    client.force_login(member)
    assert client.get(url).status_code == 302  # inactive: signed out
