"""Checks on entry: creating or renaming an organisation, a person or a network names similar entries
at once (form, API, import, self-service correction) and saves only after a confirmation with a reason."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.test import APIClient

from api.models import ApiToken
from importing.apply import import_page
from importing.page import PageError
from matching.checks import similar_organisations, similar_people
from register.history import history_of
from register.models import ChangeRecord, Network, Organisation, Person, Topic

ORGANISATION_FORM = {"name": "", "category": "association"}


@pytest.fixture
def pro_familia(db):
    return Organisation.objects.create(name="Pro Familia Darmstadt", slug="pro-familia", category="association")


def test_similar_organisations_are_found_whatever_the_spelling(pro_familia):
    found = similar_organisations("pro familia Darmstadt e.V.")
    assert [item.entry for item in found] == [pro_familia]
    assert found[0].kind == "duplicate" and found[0].reasons
    assert similar_organisations("Pro Familia Offenbach") == []
    assert similar_organisations("Pro Familia Darmstadt", exclude=pro_familia) == []


def test_creating_a_similar_organisation_asks_first_and_keeps_the_reason(office_client, pro_familia):
    url = reverse("workspace:organisation_create")
    response = office_client.post(url, {**ORGANISATION_FORM, "name": "pro familia Darmstadt e.V."})
    assert response.status_code == 200
    assert not Organisation.objects.filter(name="pro familia Darmstadt e.V.").exists()
    html = response.content.decode()
    assert "Pro Familia Darmstadt" in html and reverse("workspace:organisation", args=[pro_familia.pk]) in html
    assert 'name="similar_confirm"' in html and 'name="similar_reason"' in html

    response = office_client.post(
        url, {**ORGANISATION_FORM, "name": "pro familia Darmstadt e.V.", "similar_confirm": "on"}
    )
    assert response.status_code == 200 and not Organisation.objects.filter(name="pro familia Darmstadt e.V.").exists()

    reason = "Eigener Verein der Beratungsstelle, eigene Satzung"
    response = office_client.post(
        url,
        {**ORGANISATION_FORM, "name": "pro familia Darmstadt e.V.", "similar_confirm": "on", "similar_reason": reason},
    )
    created = Organisation.objects.get(name="pro familia Darmstadt e.V.")
    assert response.status_code == 302
    note = history_of(created).get(action=ChangeRecord.Action.NOTE)
    assert reason in note.changes["note"][1] and "Pro Familia Darmstadt" in note.changes["note"][1]


def test_an_organisation_with_nothing_similar_is_saved_at_once(office_client, pro_familia):
    response = office_client.post(
        reverse("workspace:organisation_create"), {**ORGANISATION_FORM, "name": "Wildwasser Darmstadt"}
    )
    assert response.status_code == 302 and Organisation.objects.filter(name="Wildwasser Darmstadt").exists()


def test_renaming_checks_too_and_offers_to_review_both(office_client, pro_familia):
    other = Organisation.objects.create(name="Beratungsstelle Darmstadt", slug="beratung", category="association")
    url = reverse("workspace:organisation_edit", args=[other.pk])
    response = office_client.post(url, {**ORGANISATION_FORM, "name": "Pro Familia Darmstadt e.V."})
    assert response.status_code == 200 and Organisation.objects.get(pk=other.pk).name == "Beratungsstelle Darmstadt"
    assert reverse("matching:keep_pair") in response.content.decode()
    # Saving without a change of name does not ask.
    response = office_client.post(url, {**ORGANISATION_FORM, "name": "Beratungsstelle Darmstadt", "phone": "06151 1"})
    assert response.status_code == 302


def test_people_are_checked_by_name_and_e_mail(office_client, db):
    existing = Person.objects.create(given_name="Mirjam", family_name="Okonkwo-Baumgärtner", email="m.o@example.org")
    assert [item.entry for item in similar_people("M.", "Okonkwo Baumgärtner")] == [existing]
    assert [item.entry for item in similar_people("Mirjam", "Okonkwo-Baumgartner")] == [existing]
    assert [item.entry for item in similar_people("", "Schmidt", "M.O@example.org")] == [existing]
    assert similar_people("Peter", "Okonkwo-Baumgärtner") == []
    form = {
        "given_name": "Mirjam",
        "family_name": "Okonkwo-Baumgärtner",
        "legal_basis": "public_task",
        "purpose": "Koordination",
        "language": "de",
    }
    response = office_client.post(reverse("workspace:person_create"), form)
    assert response.status_code == 200 and Person.objects.count() == 1
    assert reverse("workspace:person", args=[existing.pk]) in response.content.decode()
    response = office_client.post(
        reverse("workspace:person_create"),
        {**form, "similar_confirm": "on", "similar_reason": "Namensgleiche Kollegin"},
    )
    assert response.status_code == 302 and Person.objects.count() == 2


@pytest.fixture
def api_office(db, office_user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {ApiToken.issue(office_user, scope=ApiToken.Scope.WRITE)[1]}")
    return client


def test_the_api_answers_400_with_the_similar_entries_until_confirmed(api_office, pro_familia):
    payload = {"name": "pro familia Darmstadt e.V.", "category": "association"}
    response = api_office.post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["similar"][0]["name"] == "Pro Familia Darmstadt"
    response = api_office.post(
        "/api/v1/organisations/", {**payload, "confirm_similar": "Eigener Verein"}, format="json"
    )
    assert response.status_code == 201
    created = Organisation.objects.get(pk=response.json()["id"])
    assert "Eigener Verein" in history_of(created).get(action="note").changes["note"][1]


def test_the_api_checks_new_networks_against_similar_ones(api_office, db):
    Network.objects.create(name="Arbeitskreis Migration und Gesundheit (MiGe)", short_name="MiGe", slug="mige")
    payload = {"name": "Arbeitskreis Migration und Gesundheit im Ostkreis"}
    assert api_office.post("/api/v1/networks/", payload, format="json").status_code == 400
    response = api_office.post(
        "/api/v1/networks/", {**payload, "confirm_similar": "Eigener Kreis im Osten"}, format="json"
    )
    assert response.status_code == 201


def test_a_network_form_names_similar_networks_with_reasons(office_client, db):
    topics = [Topic.objects.create(name=name, slug=name.lower()) for name in ("Migration", "Gesundheit")]
    mige = Network.objects.create(
        name="Arbeitskreis Migration und Gesundheit (MiGe)",
        short_name="MiGe",
        slug="mige",
        purpose="Gemeinsamer Arbeitskreis von Landkreis und Stadt Darmstadt zu Migration und Gesundheit.",
    )
    mige.topics.set(topics)
    form = {
        "name": "Arbeitskreis Migration und Gesundheit im Ostkreis",
        "classification": "working_group",
        "organization_type": "other",
        "purpose": "Arbeitskreis von Landkreis und Stadt Darmstadt zu Migration und Gesundheit im Osten.",
        "topics": [topic.pk for topic in topics],
    }
    response = office_client.post(reverse("workspace:network_create"), form)
    assert response.status_code == 200 and Network.objects.count() == 1
    html = response.content.decode()
    assert "Arbeitskreis Migration und Gesundheit (MiGe)" in html
    assert "Gesundheit, Migration" in html  # the shared topics are named as a reason
    response = office_client.post(
        reverse("workspace:network_create"), {**form, "similar_confirm": "on", "similar_reason": "Andere Region"}
    )
    created = Network.objects.get(name=form["name"])
    assert "Andere Region" in history_of(created).get(action="note").changes["note"][1]


PAGE = """Netzwerke
Einleitung.
Arbeitskreis Migration und Gesundheit im Ostkreis
Ein Arbeitskreis.
"""


def test_a_page_import_needs_a_reason_for_networks_like_existing_ones(db):
    Network.objects.create(name="Arbeitskreis Migration und Gesundheit (MiGe)", short_name="MiGe", slug="mige")
    plan = import_page(PAGE.encode(), "ost.txt", dry_run=True)
    assert plan.count("propose", "network") == 1
    with pytest.raises(PageError):
        import_page(PAGE.encode(), "ost.txt")
    assert Network.objects.count() == 1
    import_page(PAGE.encode(), "ost.txt", similar_reason="Eigener Arbeitskreis des Ostkreises")
    created = Network.objects.get(name="Arbeitskreis Migration und Gesundheit im Ostkreis")
    assert "Eigener Arbeitskreis des Ostkreises" in history_of(created).get(action="note").changes["note"][1]


def test_a_self_service_correction_that_renames_names_similar_entries(office_client, pro_familia):
    from workspace.models import Correction

    other = Organisation.objects.create(name="Familienberatung", slug="familienberatung", category="association")
    correction = Correction.objects.create(
        organisation=other, proposed={"name": "pro familia Darmstadt"}, previous={"name": "Familienberatung"}
    )
    response = office_client.get(reverse("workspace:correction", args=[correction.pk]))
    html = response.content.decode()
    assert "Pro Familia Darmstadt" in html and reverse("matching:keep_pair") in html


def test_a_table_import_proposes_existing_people(db):
    from importing.tabular_plan import KnownEntries

    existing = Person.objects.create(given_name="Mirjam", family_name="Okonkwo", email="m@example.org")
    register = KnownEntries()
    values = {"given_name": "M.", "family_name": "Okonkwo", "email": ""}
    assert register.near_people(values) == [str(existing)]


def test_keeping_a_pair_by_hand_opens_its_review(office_client, pro_familia):
    other = Organisation.objects.create(name="Beratungsstelle Darmstadt", slug="beratung", category="association")
    response = office_client.post(reverse("matching:keep_pair"), {"first": other.pk, "second": pro_familia.pk})
    from matching.models import Suggestion

    suggestion = Suggestion.objects.get()
    assert suggestion.kept and response.url == reverse("matching:pair", args=[suggestion.pk])
    assert office_client.post(reverse("matching:keep_pair"), {"first": other.pk, "second": other.pk}).status_code == 404


def test_only_the_office_may_keep_pairs(client, pro_familia):
    user = User.objects.create_user("mitglied-x", password="ein-langes-passwort-9")
    client.force_login(user)
    response = client.post(reverse("matching:keep_pair"), {"first": pro_familia.pk, "second": pro_familia.pk})
    assert response.status_code == 403


def test_a_new_unit_is_compared_by_its_full_name_and_not_with_its_own_organisation(office_client, db):
    drk = Organisation.objects.create(name="DRK Kreisverband Dieburg", slug="drk", category="welfare")
    existing = Organisation.objects.create(name="DRK Kreisverband Dieburg - Migrationsdienst", slug="drk-md")
    found = similar_organisations("Deutsches Rotes Kreuz Kreisverband Dieburg - Migrationsdienst", exclude=[drk])
    assert [item.entry for item in found] == [existing]
    response = office_client.post(
        reverse("workspace:organisation_create"), {**ORGANISATION_FORM, "name": "Flüchtlingshilfe", "parent": drk.pk}
    )
    assert response.status_code == 302  # no warning about the organisation it belongs to
