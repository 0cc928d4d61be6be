"""Staff pages whose size would grow with the register: the choice of an organisation on the network form."""

from django.urls import reverse

from register.models import Organisation
from workspace.forms import SearchSelect


def test_the_network_form_offers_only_the_chosen_organisation_beyond_the_full_list(
    client, office, own_network, caritas, diakonie, monkeypatch
):
    """Up to ``FULL_LIST`` entries the select lists them all (it works without JavaScript); beyond, only the
    empty choice and the chosen entry, and the form still accepts any organisation the search finds."""
    own_network.organisation = caritas
    own_network.save()
    client.force_login(office)
    url = reverse("workspace:network_edit", args=[own_network.pk])
    page = client.get(url).content.decode()
    assert "Diakonie Darmstadt-Dieburg" in page and 'data-options="organisations"' in page
    assert f'data-options-url="{reverse("workspace:options", args=["KIND"])}"' in page
    monkeypatch.setattr(SearchSelect, "FULL_LIST", 1)
    page = client.get(url).content.decode()
    assert "Diakonie Darmstadt-Dieburg" not in page
    assert f'<option value="{caritas.pk}" selected>Caritasverband Darmstadt e.V.</option>' in page
    data = {"name": own_network.name, "classification": "forum", "organization_type": "other"}
    assert client.post(url, {**data, "organisation": diakonie.pk}).status_code == 302
    own_network.refresh_from_db()
    assert own_network.organisation == diakonie
    # Nothing chosen: only the empty choice is offered.
    assert client.post(url, {**data, "organisation": ""}).status_code == 302
    page = client.get(url).content.decode()
    assert "<option" in page and not any(
        name in page.split('data-options="organisations"')[1].split("</select>")[0]
        for name in Organisation.objects.values_list("name", flat=True)
    )
