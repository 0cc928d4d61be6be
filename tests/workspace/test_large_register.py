"""Staff pages whose size would grow with the register: the choice of an organisation on the network form."""

from django.urls import reverse

from register.models import Organisation
from register.widgets import SearchSelect


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


def test_a_search_with_very_many_hits_is_counted_up_to_a_cap(client, office, monkeypatch):
    """The search finds by name, short name, locality and the name of the organisation above (bulk-written rows
    too: the database keeps the folded names); beyond the cap the list says "more than" and still pages."""
    from register.tables import CappedPaginator

    parent = Organisation.objects.create(name="Caritasverband Darmstadt e.V.", slug="caritas-dach")
    Organisation.objects.bulk_create(
        [
            Organisation(name=f"Beratungsstelle {number:02d}", slug=f"stelle-{number}", parent=parent)
            for number in range(12)
        ]
        + [Organisation(name="Fachdienst Süd", slug="sued", short_name="FDS", locality="Groß-Umstadt")]
    )
    client.force_login(office)
    url = reverse("workspace:organisations")
    for query, count in [("caritas", 13), ("fds", 1), ("gross-umstadt", 1), ("BERATUNGSSTELLE 07", 1), ("sued", 1)]:
        assert f"{count} Eintr" in client.get(url, {"q": query}).content.decode(), query
    monkeypatch.setattr(CappedPaginator, "CAP", 5)
    monkeypatch.setattr("register.tables.PER_PAGE", 4)
    page = client.get(url, {"q": "caritas"}).content.decode()
    assert "Mehr als 5 Einträge" in page and "Seite 1 von 2" in page
    assert "Mehr als" not in client.get(url).content.decode()  # without a search every entry is counted
    second = client.get(url, {"q": "caritas", "page": 2}).content.decode()
    assert "Beratungsstelle" in second
