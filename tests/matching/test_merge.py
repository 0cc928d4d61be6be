"""Merging moves memberships, units, aliases, links and history to the survivor, and can be undone."""

import pytest
from django.core.exceptions import ValidationError

from matching.merging import make_unit, merge, reject, undo
from matching.models import MatchDecision, Merge
from matching.services import decided_pairs, refresh_suggestions
from register.history import audit_context, history_of
from register.models import ActorGroup, ChangeRecord, Membership, Network, Organisation, OrganisationAlias, Person


def organisation(name, parent=None, **values):
    with audit_context(source="test"):
        return Organisation.objects.create(
            name=name, slug=f"org-{Organisation.objects.count()}", parent=parent, **values
        )


@pytest.fixture
def register(db):
    mila = Network.objects.create(name="Arbeitskreis Migration im Landkreis", short_name="MiLa", slug="mila")
    mige = Network.objects.create(name="Arbeitskreis Migration und Gesundheit", short_name="MiGe", slug="mige")
    survivor = organisation("Caritasverband Darmstadt e.V.", short_name="Caritas")
    merged = organisation("Caritas Verband Darmstadt e.V.", short_name="CV")
    unit = organisation("Migrationsdienst", parent=merged)
    shared_seat = Membership.objects.create(network=mige, organisation=survivor)
    same_seat = Membership.objects.create(network=mige, organisation=merged, label="Caritas Verband Darmstadt e.V.")
    deputy = Membership.objects.create(network=mige, person=Person.objects.create(family_name="Muster"), role="deputy")
    deputy.deputy_of = same_seat
    deputy.save()
    own_seat = Membership.objects.create(network=mila, organisation=merged, label="Caritas Verband")
    OrganisationAlias.objects.create(organisation=merged, name="Caritas DA", kind="abbreviation")
    group = ActorGroup.objects.create(name="Wohlfahrtsverbände", slug="wohlfahrt")
    group.organisations.add(merged)
    person = Person.objects.create(family_name="Beispiel", organisation=merged)
    return {
        "survivor": survivor,
        "merged": merged,
        "unit": unit,
        "shared_seat": shared_seat,
        "same_seat": same_seat,
        "deputy": deputy,
        "own_seat": own_seat,
        "group": group,
        "person": person,
    }


def test_merge_moves_everything_to_the_survivor(register, office_user):
    survivor, merged = register["survivor"], register["merged"]
    merged_pk = merged.pk
    history_before = ChangeRecord.objects.filter(object_id=merged_pk, content_type__model="organisation").count()
    record = merge(survivor, merged, user=office_user)

    assert not Organisation.objects.filter(pk=merged_pk).exists()
    register["own_seat"].refresh_from_db()
    assert register["own_seat"].organisation == survivor
    # The same seat written twice is one seat; its deputy now stands in for the survivor's seat.
    assert not Membership.objects.filter(pk=register["same_seat"].pk).exists()
    register["deputy"].refresh_from_db()
    assert register["deputy"].deputy_of == register["shared_seat"]
    register["unit"].refresh_from_db()
    assert register["unit"].parent == survivor
    assert set(survivor.aliases.values_list("name", "kind")) == {
        ("Caritas DA", "abbreviation"),
        ("Caritas Verband Darmstadt e.V.", "variant"),
        ("CV", "abbreviation"),
    }
    assert list(register["group"].organisations.all()) == [survivor]
    register["person"].refresh_from_db()
    assert register["person"].organisation == survivor
    survivor_history = history_of(survivor)
    assert survivor_history.filter(changes__has_key="name").count() >= 2  # its own creation and the merged one's
    assert history_before and survivor_history.filter(user=None, source="test").exists()
    deleted = ChangeRecord.objects.get(object_id=merged_pk, action="delete", content_type__model="organisation")
    assert deleted.user == office_user
    assert record.merged_key == merged_pk
    assert MatchDecision.objects.get().decision == MatchDecision.Decision.CONFIRMED


def test_undo_restores_the_organisation_and_moves_everything_back(register, office_user):
    survivor, merged = register["survivor"], register["merged"]
    merged_pk, merged_slug = merged.pk, merged.slug
    own_history = set(history_of(merged).values_list("pk", flat=True))
    record = merge(survivor, merged, user=office_user)
    restored = undo(record, user=office_user)

    assert restored.pk == merged_pk and restored.slug == merged_slug and restored.short_name == "CV"
    register["own_seat"].refresh_from_db()
    assert register["own_seat"].organisation_id == merged_pk
    same_seat = Membership.objects.get(pk=register["same_seat"].pk)
    assert same_seat.organisation_id == merged_pk and same_seat.label == "Caritas Verband Darmstadt e.V."
    register["deputy"].refresh_from_db()
    assert register["deputy"].deputy_of_id == same_seat.pk
    register["unit"].refresh_from_db()
    assert register["unit"].parent_id == merged_pk
    assert list(survivor.aliases.all()) == []
    assert list(restored.aliases.values_list("name", flat=True)) == ["Caritas DA"]
    assert list(register["group"].organisations.all()) == [restored]
    register["person"].refresh_from_db()
    assert register["person"].organisation_id == merged_pk
    assert own_history <= set(history_of(restored).values_list("pk", flat=True))
    record.refresh_from_db()
    assert record.undone_at and record.undone_by == office_user
    assert not MatchDecision.objects.exists()
    with pytest.raises(ValidationError):
        undo(record)


def test_units_of_the_same_name_block_the_merge_and_nothing_is_written(register):
    organisation("Migrationsdienst", parent=register["survivor"])
    changes = ChangeRecord.objects.count()
    with pytest.raises(ValidationError, match="Migrationsdienst"):
        merge(register["survivor"], register["merged"])
    assert ChangeRecord.objects.count() == changes
    assert Organisation.objects.filter(pk=register["merged"].pk).exists()
    assert not Merge.objects.exists()


def test_a_unit_cannot_be_merged_with_its_parent(register):
    with pytest.raises(ValidationError):
        merge(register["merged"], register["unit"])


def test_rejected_pairs_are_remembered_and_not_proposed_again(register):
    created, _updated, _removed = refresh_suggestions()
    assert created == 1
    reject(register["merged"], register["survivor"])
    assert decided_pairs() == {(register["survivor"].pk, register["merged"].pk)}
    assert refresh_suggestions() == (0, 0, 0)


def test_is_a_unit_of_moves_the_organisation_under_its_parent(register, office_user):
    service = organisation("Caritasverband Darmstadt e.V. - Schuldnerberatung")
    make_unit(service, register["survivor"], user=office_user)
    service.refresh_from_db()
    assert service.parent == register["survivor"]
    assert MatchDecision.objects.get().decision == MatchDecision.Decision.UNIT_OF
    with pytest.raises(ValidationError):
        make_unit(register["survivor"], service)


def test_suggestions_are_refreshed_idempotently(register):
    assert refresh_suggestions() == (1, 0, 0)
    assert refresh_suggestions() == (0, 0, 0)
    merged = register["merged"]
    merged.name, merged.short_name = "Ganz anderer Verein", ""
    merged.save()
    merged.aliases.all().delete()
    assert refresh_suggestions() == (0, 0, 1)
