"""Optimistic locking: a save from a form loaded before someone else's save is refused, never applied silently."""

import datetime

import pytest
from django.urls import reverse

from register.locking import StaleEdit, changed_since, version_of
from register.models import ActorGroup, Body, LegislativeTerm, Organisation
from tests.forms import form_data
from workspace import selfservice
from workspace.forms import OrganisationForm
from workspace.models import Correction, SelfServiceLink

# Literal dates below: the clock is pinned to tests.conftest.FIXED_DAY (time-machine) for every test here.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_day")]


def opened(client, url):
    """The edit page's form as the browser would send it unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response)


def test_the_second_save_is_refused_with_both_versions_and_nothing_is_lost(client, office, caritas):
    client.force_login(office)
    url = reverse("workspace:organisation_edit", args=[caritas.pk])
    first, second = opened(client, url), opened(client, url)

    first["phone"] = "06151 111"
    assert client.post(url, first).status_code == 302
    second["email"] = "info@caritas-beispiel.de"
    refused = client.post(url, second)

    assert refused.status_code == 200
    caritas.refresh_from_db()
    assert caritas.phone == "06151 111" and caritas.email == ""  # the first save stands, nothing of the second
    page = refused.content.decode()
    assert "Jemand anderes hat diesen Eintrag gespeichert" in page
    rows = {row["name"]: row for row in refused.context["form"].stale}
    assert set(rows) == {"phone", "email"}
    assert rows["phone"]["mine"] == "–" and rows["phone"]["stored"] == "06151 111"
    assert rows["phone"]["choice"] == "stored"  # left alone by the second person: the newer value is kept
    assert rows["email"]["mine"] == "info@caritas-beispiel.de" and rows["email"]["choice"] == "mine"

    # Saving the refused page as it stands keeps both changes: nobody types anything again.
    again = form_data(refused)
    assert client.post(url, again).status_code == 302
    caritas.refresh_from_db()
    assert caritas.phone == "06151 111" and caritas.email == "info@caritas-beispiel.de"


def test_the_stored_value_can_be_taken_for_a_field_one_changed(client, office, caritas):
    client.force_login(office)
    url = reverse("workspace:organisation_edit", args=[caritas.pk])
    first, second = opened(client, url), opened(client, url)
    first["locality"] = "Darmstadt"
    client.post(url, first)
    second["locality"] = "Dieburg"
    second["short_name"] = "Caritas"
    refused = client.post(url, second)
    again = form_data(refused)
    assert again["take-locality"] == "mine"
    again["take-locality"] = "stored"
    assert client.post(url, again).status_code == 302
    caritas.refresh_from_db()
    assert caritas.locality == "Darmstadt" and caritas.short_name == "Caritas"


def test_a_third_save_in_between_is_refused_again(client, office, caritas):
    client.force_login(office)
    url = reverse("workspace:organisation_edit", args=[caritas.pk])
    first, second = opened(client, url), opened(client, url)
    first["phone"] = "1"
    client.post(url, first)
    refused = client.post(url, {**second, "phone": "2"})
    caritas.refresh_from_db()
    caritas.locality = "Babenhausen"
    caritas.save()
    assert client.post(url, form_data(refused)).status_code == 200
    caritas.refresh_from_db()
    assert caritas.phone == "1" and caritas.locality == "Babenhausen"


def test_a_save_between_check_and_write_is_refused(office, caritas):
    loaded = OrganisationForm(instance=Organisation.objects.get(pk=caritas.pk))
    data = {**loaded.initial, "version": loaded.initial["version"], "phone": "2", "languages": []}
    data = {key: "" if value is None else value for key, value in data.items()}
    form = OrganisationForm(data, instance=Organisation.objects.get(pk=caritas.pk))
    assert form.is_valid(), form.errors
    other = Organisation.objects.get(pk=caritas.pk)
    other.phone = "1"
    other.save()
    with pytest.raises(StaleEdit):
        form.save()
    caritas.refresh_from_db()
    assert caritas.phone == "1"


@pytest.mark.parametrize(
    "name",
    ["organisation", "person", "network", "membership", "end", "actor_group", "term", "site_page", "site_identity"],
)
def test_every_edit_form_carries_its_version(client, office, caritas, person, own_network, membership, name):
    client.force_login(office)
    group = ActorGroup.objects.create(name="Integrationsbeauftragte", slug="ib")
    term = LegislativeTerm.objects.create(
        body_id=Body.home_pk(), network=own_network, name="2026–2031", start_date=datetime.date(2026, 4, 1)
    )
    url = {
        "organisation": reverse("workspace:organisation_edit", args=[caritas.pk]),
        "person": reverse("workspace:person_edit", args=[person.pk]),
        "network": reverse("workspace:network_edit", args=[own_network.pk]),
        "membership": reverse("workspace:membership", args=[membership.pk]),
        "end": reverse("workspace:membership_end", args=[membership.pk]),
        "actor_group": reverse("workspace:actor_group_edit", args=[group.pk]),
        "term": reverse("workspace:term_edit", args=[term.pk]),
        "site_page": reverse("workspace:site_page", args=["imprint"]),
        "site_identity": reverse("workspace:site_identity"),
    }[name]
    assert form_data(client.get(url))["version"]


def test_a_stale_person_edit_is_refused(client, office, person):
    client.force_login(office)
    url = reverse("workspace:person_edit", args=[person.pk])
    first, second = opened(client, url), opened(client, url)
    client.post(url, {**first, "phone": "06151 1"})
    assert client.post(url, {**second, "function": "Leitung"}).status_code == 200
    person.refresh_from_db()
    assert person.phone == "06151 1" and person.function == "Migrationsberatung"


def test_a_stale_membership_edit_is_refused(client, office, membership, person):
    client.force_login(office)
    url = reverse("workspace:membership", args=[membership.pk])
    first, second = opened(client, url), opened(client, url)
    client.post(url, {**first, "contact": str(person.pk)})
    refused = client.post(url, {**second, "label": "Sitz 1"})
    assert refused.status_code == 200
    membership.refresh_from_db()
    assert membership.contact == person and membership.label == ""
    row = refused.context["form"].stale[0]
    assert row["name"] in {"contact", "label"}


def test_changed_since_compares_with_the_stored_record(caritas):
    caritas.phone = "1"
    caritas.save()
    assert changed_since(caritas, {"phone": "", "email": ""}) == ["phone"]
    assert changed_since(caritas, {"phone": "1"}) == []


def make_correction(organisation, **proposed):
    link = SelfServiceLink.objects.create(organisation=organisation, email="info@example.org")
    values = {name: getattr(organisation, name) for name in selfservice.SELF_SERVICE_FIELDS}
    values.update(proposed)
    values = {key: value if isinstance(value, bool) else (value or "") for key, value in values.items()}
    return selfservice.submit(link, values)


def test_approval_never_overwrites_a_newer_staff_value(client, office, caritas):
    correction = make_correction(caritas, phone="06151 222", locality="Darmstadt")
    caritas.refresh_from_db()
    caritas.phone = "06151 999"  # the office corrected it after the proposal
    caritas.save()
    client.force_login(office)
    detail = client.get(reverse("workspace:correction", args=[correction.pk]))
    data = form_data(detail, containing="version")
    decide = reverse("workspace:correction_decide", args=[correction.pk])

    response = client.post(decide, {**data, "decision": "approve"}, follow=True)
    page = response.content.decode()
    assert "Die Korrektur wurde nicht übernommen" in page and "öffentliche Telefonnummer" in page
    caritas.refresh_from_db()
    correction.refresh_from_db()
    assert caritas.phone == "06151 999" and caritas.locality == "" and correction.state == Correction.State.PENDING

    client.post(decide, {**data, "take-phone": "stored", "decision": "approve"})
    caritas.refresh_from_db()
    correction.refresh_from_db()
    assert caritas.phone == "06151 999" and caritas.locality == "Darmstadt"
    assert correction.state == Correction.State.APPROVED


def test_approval_from_a_page_opened_before_a_change_is_refused(client, office, caritas):
    correction = make_correction(caritas, locality="Darmstadt")
    client.force_login(office)
    data = form_data(client.get(reverse("workspace:correction", args=[correction.pk])))
    version = data["version"]
    assert version == version_of(Organisation.objects.get(pk=caritas.pk))
    caritas.refresh_from_db()
    caritas.email = "neu@caritas-beispiel.de"
    caritas.save()
    client.post(reverse("workspace:correction_decide", args=[correction.pk]), {**data, "decision": "approve"})
    caritas.refresh_from_db()
    assert caritas.locality == "" and caritas.email == "neu@caritas-beispiel.de"
    with pytest.raises(StaleEdit):
        selfservice.approve(correction, office, version)


def test_saving_a_network_with_its_topics_rewrites_its_search_entry_once(client, demo, office, search_rewrites):
    """The record, its topics and target groups are saved in one go: one rewrite, not one per list."""
    from portal.models import SearchDocument
    from register.models import Network, TargetGroup, Topic

    network = Network.objects.get(short_name="KAB")
    client.force_login(office)
    url = reverse("workspace:network_edit", args=[network.pk])
    data = opened(client, url)
    data["name"] = "Kreisbeirat für Migration und Integration"
    data["topics"] = [str(pk) for pk in Topic.objects.values_list("pk", flat=True)[:2]]
    data["target_groups"] = [str(pk) for pk in TargetGroup.objects.values_list("pk", flat=True)[:1]]
    search_rewrites.clear()
    assert client.post(url, data).status_code == 302
    assert search_rewrites == [SearchDocument.Kind.NETWORK, SearchDocument.Kind.FOCUS_AREA]
    entry = SearchDocument.objects.get(kind=SearchDocument.Kind.NETWORK, object_id=network.pk)
    assert entry.name == "Kreisbeirat für Migration und Integration"
    assert set(network.topics.values_list("pk", flat=True)) == {int(pk) for pk in data["topics"]}
