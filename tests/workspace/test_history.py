"""History on each object, and undoing one change."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from register.models import Body, ChangeRecord, Membership, Municipality, Organisation
from workspace.history import UndoError, undo


def records(obj, action=None):
    found = ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    return found.filter(action=action) if action else found


def test_undo_ending_a_membership(client, coordinator, own_network, membership):
    client.force_login(coordinator)
    client.post(reverse("workspace:membership_end", args=[membership.pk]), {"end_date": "2025-03-31"})
    ending = records(membership, "update").get()
    assert ending.user == coordinator and ending.changes == {"end_date": [None, "2025-03-31"]}

    response = client.post(reverse("workspace:change_undo", args=[ending.pk]))

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date is None
    reverting = records(membership, "update").order_by("pk").last()
    assert reverting.reverts == ending and reverting.changes == {"end_date": ["2025-03-31", None]}
    # A second undo of the same change is refused, and nothing changes.
    client.post(reverse("workspace:change_undo", args=[ending.pk]))
    assert records(membership).count() == 3


def test_undo_refuses_when_changed_again_since(caritas):
    caritas.phone = "1"
    caritas.save()
    first = records(caritas, "update").get()
    caritas.phone = "2"
    caritas.save()
    try:
        with translation.override("en"):
            undo(first)
    except UndoError as error:
        assert str(error) == "These fields were changed again since, undo the later change first: public phone"
    else:
        raise AssertionError("undo must refuse")
    caritas.refresh_from_db()
    assert caritas.phone == "2"


def test_undo_creation_removes_and_undo_deletion_restores(own_network, caritas):
    membership = Membership.objects.create(network=own_network, organisation=caritas, start_date=date(2024, 1, 1))
    undo(records(membership, "create").get())
    assert not Membership.objects.filter(pk=membership.pk).exists()
    deletion = records(membership, "delete").get()
    undo(deletion)
    restored = Membership.objects.get(pk=membership.pk)
    assert restored.start_date == date(2024, 1, 1) and restored.organisation == caritas


def test_undo_of_protected_creation_explains(own_network, caritas, membership):
    try:
        with translation.override("en"):
            undo(records(caritas, "create").get())
    except UndoError as error:
        assert str(error) == "The record is still in use by other records and cannot be removed."
    else:
        raise AssertionError("undo must refuse")
    assert Organisation.objects.filter(pk=caritas.pk).exists()


def test_history_is_shown_on_the_object(client, office, caritas):
    caritas.locality = "Dieburg"
    caritas.save()
    client.force_login(office)
    page = client.get("/en" + reverse("workspace:organisation", args=[caritas.pk]))
    rows = page.context["history"]
    assert rows[0]["changes"] == [("locality", "", "Dieburg")]
    assert rows[0]["record"].user is None and rows[0]["can_undo"]
    assert "Dieburg" in page.content.decode()


def test_history_names_linked_records_and_choices(client, coordinator, own_network, membership, person):
    client.force_login(coordinator)
    # A coordinator chooses only people of their networks or who consented.
    type(person).objects.filter(pk=person.pk).update(consent_to_publish=True, consent_recorded_at=timezone.now())
    client.post(
        reverse("workspace:membership_add", args=[own_network.pk]),
        {"person": person.pk, "role": "deputy", "deputy_of": membership.pk},
    )
    page = client.get(reverse("workspace:network", args=[own_network.pk]))
    created = page.context["history"][0]["changes"]
    assert (_("person"), None, "Mirjam Okonkwo-Baumgärtner") in created
    assert (_("role"), None, _("deputy")) in created
    assert (_("deputy of"), None, str(membership)) in created


def history_section(html):
    return html[html.index('aria-labelledby="history-heading"') :].split("</section>", 1)[0]


def test_the_english_workspace_shows_british_dates_and_words(client, coordinator, own_network, caritas):
    membership = Membership.objects.create(
        network=own_network, organisation=caritas, start_date=date(2025, 1, 31), voting_right=True
    )
    client.force_login(coordinator)
    url = reverse("workspace:membership", args=[membership.pk])
    english, german = (history_section(client.get(path).content.decode()) for path in ("/en" + url, url))
    assert "31/01/2025" in english and "01/31/2025" not in english and "2025-01-31" not in english
    assert "31.01.2025" in german
    assert '→ <span class="visually-hidden">after: </span>Yes' in english
    assert '→ <span class="visually-hidden">nachher: </span>Ja' in german
    assert ">True<" not in english and ">True<" not in german


def test_a_coordinator_cannot_undo_a_move_into_their_network(
    client, office, coordinator, own_network, other_network, caritas
):
    """The office moved a membership from a network the coordinator does not run into theirs: undoing the move
    would send it back there, so the undo touches both networks and needs the right in both."""
    from register.history import audit_context

    membership = Membership.objects.create(network=other_network, organisation=caritas)
    with audit_context(user=office, source="workspace"):
        membership.network = own_network
        membership.save()
    move = records(membership, "update").get()
    assert move.changes["network_id"] == [str(other_network.pk), str(own_network.pk)]

    client.force_login(coordinator)
    assert client.post(reverse("workspace:change_undo", args=[move.pk])).status_code == 403
    membership.refresh_from_db()
    assert membership.network == own_network and not move.reverted_by.exists()
    # The office, which may edit both networks, can undo it.
    client.force_login(office)
    assert client.post(reverse("workspace:change_undo", args=[move.pk])).status_code == 302
    membership.refresh_from_db()
    assert membership.network == other_network


def test_a_coordinator_still_undoes_a_move_between_their_own_networks(
    client, coordinator, own_network, other_network, caritas
):
    from register.models import Assignment

    Assignment.objects.create(user=coordinator, network=other_network, role=Assignment.Role.COORDINATOR)
    membership = Membership.objects.create(network=other_network, organisation=caritas)
    membership.network = own_network
    membership.save()
    client.force_login(coordinator)
    assert (
        client.post(reverse("workspace:change_undo", args=[records(membership, "update").get().pk])).status_code == 302
    )
    membership.refresh_from_db()
    assert membership.network == other_network


def test_columns_the_database_computes_are_no_changes_of_their_own(caritas):
    """The folded names of an organisation and the first word of a municipality's name follow the
    names: the history names the name alone, and undoing it restores both."""
    county = Body.objects.create(name="Kreis", slug="kreis")
    place = Municipality.objects.create(name="Bad Felsau", slug="bad-felsau", ags="00000001", county=county)
    assert set(records(place, "create").get().changes) == {"name", "slug", "kind", "ags", "county_id"}
    caritas = Organisation.objects.get(pk=caritas.pk)
    caritas.name = "Caritasverband Dieburg e.V."
    caritas.save()
    renaming = records(caritas, "update").get()
    assert renaming.changes == {"name": ["Caritasverband Darmstadt e.V.", "Caritasverband Dieburg e.V."]}
    undo(renaming)
    assert Organisation.objects.filter(folded_names__startswith="caritasverband darmstadt").get() == caritas
