"""Staff pages whose size would grow with the register: choosing organisations, people, bodies, municipalities."""

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from register.models import ActorGroup, Body, Municipality, Organisation
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


def test_the_organisation_and_person_forms_choose_organisations_bodies_and_municipalities_by_search(
    client, office, caritas, diakonie, person, monkeypatch
):
    """A country's 120,000 organisations, 8,000 municipalities and 400 bodies made the organisation form ten
    megabytes: beyond ``FULL_LIST`` each select offers only what is chosen, the workspace's options endpoint
    finds the others (a municipality with its county: several towns share a name), and the form takes them."""
    county = Body.objects.get(short_name="LaDaDi")
    dieburg, otzberg = Municipality.objects.get(name="Dieburg"), Municipality.objects.get(name="Otzberg")
    diakonie.parent, diakonie.body, diakonie.municipality = caritas, county, dieburg
    diakonie.save()
    client.force_login(office)
    edit = reverse("workspace:organisation_edit", args=[diakonie.pk])

    def select(page, kind):
        return page.split(f'data-options="{kind}"')[1].split("</select>")[0]

    page = client.get(edit).content.decode()
    assert f'data-options-url="{reverse("workspace:options", args=["KIND"])}"' in page and "tom-select" in page
    assert "Otzberg (Landkreis Darmstadt-Dieburg)</option>" in select(page, "municipalities")
    monkeypatch.setattr(SearchSelect, "FULL_LIST", 1)
    with CaptureQueriesContext(connection) as first:
        page = client.get(edit).content.decode()
    assert select(page, "municipalities").count("<option") == 2  # "– none –" and Dieburg
    assert f'<option value="{dieburg.pk}" selected>Dieburg (Landkreis Darmstadt-Dieburg)</option>' in page
    assert select(page, "bodies").count("<option") == 2 and select(page, "organisations").count("<option") == 2
    Municipality.objects.bulk_create(
        Municipality(name=f"Gemeinde {number}", slug=f"gemeinde-{number}", ags=f"99{number:06d}", county=county)
        for number in range(30)
    )
    with CaptureQueriesContext(connection) as second:
        assert "Gemeinde" not in client.get(edit).content.decode()
    assert len(second) == len(first)

    options = reverse("workspace:options", args=["municipalities"])
    found = client.get(options, {"q": "otzberg"}).json()["results"]
    assert found == [{"value": str(otzberg.pk), "text": "Otzberg (Landkreis Darmstadt-Dieburg)"}]
    assert len(client.get(options, {"q": "gemeinde"}).json()["results"]) == 20
    bodies = client.get(reverse("workspace:options", args=["bodies"]), {"q": "ladadi"}).json()["results"]
    assert bodies == [{"value": str(county.pk), "text": str(county)}]
    data = {"name": diakonie.name, "slug": diakonie.slug, "category": "welfare", "legal_form": ""}
    data |= {
        "parent": "",
        "body": county.pk,
        "municipality": otzberg.pk,
        "version": client.get(edit).context["form"]["version"].value(),
    }
    response = client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors
    diakonie.refresh_from_db()
    assert diakonie.municipality == otzberg and diakonie.parent is None

    page = client.get(reverse("workspace:person_edit", args=[person.pk])).content.decode()
    assert select(page, "organisations").count("<option") == 2 and "tom-select" in page
    assert f'<option value="{caritas.pk}" selected>Caritasverband Darmstadt e.V.</option>' in page


def test_the_actor_group_and_bulk_member_forms_choose_several_by_search(
    client, office, own_network, caritas, diakonie, person, monkeypatch
):
    """120,000 organisations were as many checkboxes: a search select of several entries instead, which
    offers beyond ``FULL_LIST`` only the chosen ones and takes any the search finds."""
    client.force_login(office)
    create = reverse("workspace:actor_group_create")
    page = client.get(create).content.decode()
    assert 'data-options="organisations"' in page and 'data-options="people"' in page and "tom-select" in page
    assert " multiple" in re.search(r'<select[^>]*data-options="organisations"[^>]*>', page).group()
    monkeypatch.setattr(SearchSelect, "FULL_LIST", 1)
    offered = client.get(create).content.decode().split('data-options="organisations"')[1].split("</select>")[0]
    assert "Caritasverband" not in offered and "Diakonie" not in offered
    data = {"name": "Wohlfahrtsverbände", "description": "", "organisations": [caritas.pk, diakonie.pk]}
    response = client.post(create, {**data, "persons": [person.pk]})
    assert response.status_code == 302
    group = ActorGroup.objects.get(name="Wohlfahrtsverbände")
    assert set(group.organisations.all()) == {caritas, diakonie} and list(group.persons.all()) == [person]
    page = client.get(reverse("workspace:actor_group_edit", args=[group.pk])).content.decode()
    chosen = page.split('data-options="organisations"')[1].split("</select>")[0]
    assert chosen.count(" selected>") == 2
    bulk = client.get(reverse("workspace:membership_bulk_add", args=[own_network.pk])).content.decode()
    assert 'data-options="organisations"' in bulk and "Caritasverband" not in bulk


def test_the_council_form_finds_the_councils_of_municipalities_by_search(
    client, office, own_network, caritas, diakonie, monkeypatch
):
    """A delegating council is an organisation of its municipality: 119,521 of them at nation scale made the
    form ten megabytes. The select offers what is chosen; the search finds only organisations of a municipality."""
    dieburg = Municipality.objects.get(name="Dieburg")
    council = Organisation.objects.create(name="Ausländerbeirat Dieburg", slug="ab-dieburg", municipality=dieburg)
    Organisation.objects.filter(pk=diakonie.pk).update(municipality=dieburg)
    monkeypatch.setattr(SearchSelect, "FULL_LIST", 1)
    client.force_login(office)
    url = reverse("workspace:council_create", args=[own_network.pk])
    page = client.get(url).content.decode()
    offered = page.split('data-options="municipal-organisations"')[1].split("</select>")[0]
    assert "<option" in offered and "Diakonie" not in offered and "Ausländerbeirat Dieburg" not in offered
    assert f'data-options-url="{reverse("workspace:options", args=["KIND"])}"' in page
    options = reverse("workspace:options", args=["municipal-organisations"])
    assert [entry["text"] for entry in client.get(options, {"q": "ausländerbeirat"}).json()["results"]] == [
        "Ausländerbeirat Dieburg"
    ]
    assert client.get(options, {"q": "caritas"}).json()["results"] == []  # no municipality: not a council
    assert client.post(url, {"organisation": caritas.pk, "kind": "foreign_residents_council"}).status_code == 200
    assert client.post(url, {"organisation": council.pk, "kind": "foreign_residents_council"}).status_code == 302
    assert own_network.delegating_councils.get().organisation == council


def chosen_options(page, kind):
    """The texts of the chosen options of the search select of ``kind`` on ``page``."""
    select = page.split(f'data-options="{kind}"')[1].split("</select>")[0]
    return [html.unescape(text) for text in re.findall(r" selected>([^<]*)</option>", select)]


def found(client, kind, query):
    return [
        entry["text"] for entry in client.get(reverse("workspace:options", args=[kind]), {"q": query}).json()["results"]
    ]


def test_a_chosen_entry_reads_as_the_search_found_it(client, office, caritas, person, monkeypatch):
    """The search names a municipality with its county, a unit with the organisation above it, a person with
    function and organisation; once chosen and saved, each form shows the same words."""
    from needs.models import Need, Offer
    from register.models import Topic

    monkeypatch.setattr(SearchSelect, "FULL_LIST", 1)
    unit = Organisation.objects.create(name="Migrationsdienst", slug="caritas-mig", parent=caritas)
    otzberg = Municipality.objects.get(name="Otzberg")
    topic = Topic.objects.create(name="Beratung", slug="beratung")
    need = Need.objects.create(title="Beratung", description="-", topic=topic)
    need.municipalities.set([otzberg])
    offer = Offer.objects.create(name="Kurs", organisation=unit, kind="course", topic=topic)
    offer.municipalities.set([otzberg])
    group = ActorGroup.objects.create(name="Fachkräfte", slug="fachkraefte")
    group.persons.set([person])
    client.force_login(office)
    municipality = found(client, "municipalities", "otzberg")
    assert municipality == ["Otzberg (Landkreis Darmstadt-Dieburg)"]
    need_page = client.get(reverse("needs:need_edit", args=[need.pk])).content.decode()
    assert chosen_options(need_page, "municipalities") == municipality
    offer_page = client.get(reverse("needs:offer_edit", args=[offer.pk])).content.decode()
    assert chosen_options(offer_page, "municipalities") == municipality
    assert chosen_options(offer_page, "organisations") == found(client, "organisations", "migrationsdienst")
    offers = client.get(reverse("needs:offers"), {"municipality": otzberg.pk}).content.decode()
    assert chosen_options(offers, "municipalities") == municipality
    group_page = client.get(reverse("workspace:actor_group_edit", args=[group.pk])).content.decode()
    assert chosen_options(group_page, "people") == found(client, "people", person.family_name)
