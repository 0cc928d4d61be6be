"""The review pages: office staff only, thin views, constant queries, forms that say what is wrong."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching.models import Abbreviation, MatchDecision, Merge, Suggestion
from matching.services import refresh_suggestions
from register.history import audit_context
from register.models import Membership, Network, Organisation

PAGES = ["matching:queue", "matching:merges", "matching:abbreviations"]


def organisation(name, parent=None):
    with audit_context(source="test"):
        return Organisation.objects.create(name=name, slug=f"org-{Organisation.objects.count()}", parent=parent)


@pytest.fixture
def pair(db):
    network = Network.objects.create(name="Arbeitskreis Migration und Gesundheit", short_name="MiGe", slug="mige")
    organisation("Caritas Verband Darmstadt e.V.")
    second = organisation("Caritasverband Darmstadt e.V.")
    Membership.objects.create(network=network, organisation=second)
    refresh_suggestions()
    return Suggestion.objects.get()


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_the_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_other_signed_in_users_are_refused(client, member_user, name):
    client.force_login(member_user)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_office_staff_see_the_pages(office_client, name):
    response = office_client.get(reverse(name))
    assert response.status_code == 200
    assert b"<h1>" in response.content


def test_the_pair_page_is_for_the_office_only(client, member_user, pair):
    url = reverse("matching:pair", args=[pair.pk])
    assert client.get(url).status_code == 302
    client.force_login(member_user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "reject"}).status_code == 403
    assert not MatchDecision.objects.exists()


def test_the_queue_needs_a_constant_number_of_queries(office_client, pair, django_assert_max_num_queries):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert office_client.get(reverse("matching:queue")).status_code == 200
        return len(captured)

    office_client.get(reverse("matching:queue"))  # the shared base template may set itself up once
    few = queries()
    for number in range(15):
        organisation(f"Förderverein Willkommenskultur Nummer {number} e.V.")
        organisation(f"Foerderverein Willkommenskultur Nummer {number}")
    refresh_suggestions()
    assert Suggestion.objects.count() == 16
    assert queries() == few
    with django_assert_max_num_queries(15):
        response = office_client.get(reverse("matching:queue"))
    assert "Caritasverband Darmstadt e.V." in response.content.decode()


def test_the_pair_page_explains_the_suggestion(office_client, pair):
    response = office_client.get(reverse("matching:pair", args=[pair.pk]))
    content = response.content.decode()
    assert "Caritas Verband Darmstadt e.V." in content and "MiGe" in content
    assert pair.explanation[0] in content


def test_rejecting_a_pair_is_remembered(office_client, office_user, pair):
    response = office_client.post(reverse("matching:pair", args=[pair.pk]), {"decision": "reject"})
    assert response.status_code == 302
    decision = MatchDecision.objects.get()
    assert decision.decision == "rejected" and decision.decided_by == office_user
    assert refresh_suggestions() == (0, 0, 0)
    assert not Suggestion.objects.exists()


def test_a_merge_without_choosing_the_survivor_says_so_and_writes_nothing(office_client, pair):
    response = office_client.post(reverse("matching:pair", args=[pair.pk]), {"decision": "merge"})
    assert response.status_code == 200
    assert "keep" in response.context["form"].errors
    assert Organisation.objects.count() == 2 and not Merge.objects.exists()


def test_merging_and_undoing_through_the_pages(office_client, pair):
    first_pk = pair.first_id
    response = office_client.post(reverse("matching:pair", args=[pair.pk]), {"decision": "merge", "keep": "second"})
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=first_pk).exists()
    merge = Merge.objects.get()
    page = office_client.get(reverse("matching:merges")).content.decode()
    assert "Caritas Verband Darmstadt e.V." in page
    assert office_client.get(reverse("matching:merge_undo", args=[merge.pk])).status_code == 405
    response = office_client.post(reverse("matching:merge_undo", args=[merge.pk]), follow=True)
    assert [str(message) for message in response.context["messages"]] == [
        "Die Zusammenführung von „Caritas Verband Darmstadt e.V.“ wurde rückgängig gemacht."
    ]
    assert Organisation.objects.filter(pk=first_pk).exists()


def test_recording_a_unit(office_client, db):
    parent = organisation("Internationaler Bund")
    unit = organisation("Internationaler Bund Jugendmigrationsdienst")
    refresh_suggestions()
    suggestion = Suggestion.objects.get()
    side = "first" if suggestion.first_id == unit.pk else "second"
    response = office_client.post(reverse("matching:pair", args=[suggestion.pk]), {"decision": "unit", "unit": side})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.parent == parent


def test_the_abbreviation_list_is_editable(office_client, db):
    assert Abbreviation.objects.filter(short_form="DRK").exists()
    url = reverse("matching:abbreviations")
    response = office_client.post(
        url, {"short_form": "LaDaDi", "long_form": "Landkreis Darmstadt-Dieburg", "kind": "abbreviation"}
    )
    assert response.status_code == 302
    response = office_client.post(
        url, {"short_form": "LaDaDi", "long_form": "Landkreis Darmstadt-Dieburg", "kind": "abbreviation"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    response = office_client.post(url, {"short_form": "X", "long_form": "X", "kind": "abbreviation"})
    assert response.context["form"].errors
    entry = Abbreviation.objects.get(short_form="LaDaDi")
    office_client.post(reverse("matching:abbreviation_delete", args=[entry.pk]))
    assert not Abbreviation.objects.filter(short_form="LaDaDi").exists()


def test_organisations_in_several_networks_have_their_own_paged_page(office_client, django_assert_max_num_queries):
    """Units count for the organisation above them; one network is not several; the page costs the same
    queries whatever the register's size, 50 a page."""
    first = Network.objects.create(name="Arbeitskreis Migration und Gesundheit", short_name="MiGe", slug="mige")
    second = Network.objects.create(name="Migrationsausschuss Landkreis", short_name="MiLa", slug="mila")
    parent = organisation("Caritasverband Darmstadt e.V.")
    unit = organisation("Migrationsdienst", parent=parent)
    alone = organisation("Frauen helfen Frauen e.V.")
    Membership.objects.create(network=first, organisation=parent)
    Membership.objects.create(network=second, organisation=unit)
    Membership.objects.create(network=first, organisation=alone)
    url = reverse("matching:several")
    office_client.get(url)  # the shared base template may set itself up once
    with CaptureQueriesContext(connection) as captured:
        page = office_client.get(url).content.decode()
    assert "Caritasverband Darmstadt e.V." in page and "MiGe, MiLa" in page
    assert "Frauen helfen Frauen" not in page and "Migrationsdienst" not in page
    for number in range(60):
        many = organisation(f"Verein Nummer {number:02d}")
        Membership.objects.create(network=first, organisation=many)
        Membership.objects.create(network=second, organisation=many)
    with django_assert_max_num_queries(len(captured)):
        page = office_client.get(url).content.decode()
    assert "61 Organisationen sitzen in mehr als einem Netzwerk." in page
    assert "Verein Nummer 48" in page and "Verein Nummer 49" not in page  # Caritas first, then 49 of them
    page = office_client.get(url, {"page": 2}).content.decode()
    assert "Verein Nummer 49" in page and "Verein Nummer 59" in page and "Caritasverband" not in page


def test_the_queue_names_the_networks_of_the_entries_it_shows(office_client, pair):
    page = office_client.get(reverse("matching:queue")).content.decode()
    assert "Caritasverband Darmstadt e.V.</span><br><small>MiGe</small>" in page
