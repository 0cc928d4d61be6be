"""OParl names choices with the models' own labels in the language of the data, its own words for the type."""

from django.utils import translation

from register.models import Category, Meeting, Membership, Network, Organisation

from .conftest import SITE

OPARL = SITE + "/oparl/v1.1/"


def get(client, path):
    return client.get(f"/oparl/v1.1/{path}").json()


def german(choice):
    with translation.override("de"):
        return str(choice.label)


def test_classification_role_and_state_are_the_models_german_labels(client, register_data):
    network = register_data[0]
    Network.objects.filter(pk=network.pk).update(
        classification=Network.Classification.COUNCIL, organization_type=Network.OrganizationType.COMMITTEE
    )
    parent = Organisation.objects.filter(units__isnull=False).first()
    Organisation.objects.filter(pk=parent.pk).update(category=Category.AUTHORITY)
    Membership.objects.filter(network=network, person__isnull=False, role="chair").update(role=Membership.Role.DEPUTY)

    with translation.override("en"):  # the language of the request does not change the data
        data = get(client, f"organization/network-{network.pk}")
        institution = get(client, f"organization/institution-{parent.pk}")
    assert data["organizationType"] == "Gremium"  # OParl's own word
    assert data["classification"] == "Gewählter Beirat" == german(Network.Classification.COUNCIL)
    assert institution["classification"] == "Behörde und Verwaltung" == german(Category.AUTHORITY)
    deputy = Membership.objects.get(network=network, role=Membership.Role.DEPUTY)
    assert get(client, f"membership/{deputy.pk}")["role"] == "Stellvertretung"
    meeting = Meeting.objects.filter(network=network).first()
    Meeting.objects.filter(pk=meeting.pk).update(state=Meeting.State.HELD)
    assert get(client, f"meeting/{meeting.pk}")["meetingState"] == "durchgeführt" == german(Meeting.State.HELD)


def test_an_other_network_is_of_oparl_type_sonstiges(client, register_data):
    network = register_data[1]
    Network.objects.filter(pk=network.pk).update(organization_type=Network.OrganizationType.OTHER)
    assert get(client, f"organization/network-{network.pk}")["organizationType"] == "Sonstiges"
