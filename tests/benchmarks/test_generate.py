"""The benchmark data generator: the same seed gives the same data, in the counts the scale asks for."""

import io

from django.db import transaction

from benchmarks.generate import SCALES, generate
from meetings.models import Registration
from register.models import ActorGroup, Body, Meeting, Membership, Network, Organisation, OrganisationAlias

TINY = SCALES["tiny"]


def snapshot():
    """Everything generated, by natural keys (primary keys and timestamps differ between runs)."""
    generated = Organisation.objects.filter(source="generated")
    return {
        "bodies": sorted(Body.objects.filter(slug__startswith="gen-").values_list("slug", "name", "ags")),
        "organisations": sorted(
            generated.values_list("slug", "name", "parent__slug", "category", "municipality__slug", "email")
        ),
        "aliases": sorted(OrganisationAlias.objects.values_list("organisation__slug", "name", "kind")),
        "groups": sorted(ActorGroup.objects.values_list("slug", "name")),
        "networks": sorted(Network.objects.filter(source="generated").values_list("slug", "name", "classification")),
        "memberships": sorted(
            Membership.objects.filter(source="generated").values_list(
                "network__slug", "organisation__slug", "actor_group__slug", "role", "position", "end_date"
            ),
            key=repr,
        ),
        "meetings": sorted(
            (str(uid), network, start.isoformat(), name)
            for uid, network, start, name in Meeting.objects.filter(network__source="generated").values_list(
                "uid", "network__slug", "start", "name"
            )
        ),
        "registrations": sorted(
            Registration.objects.values_list("event__slug", "email", "name", "status", "cancel_token")
        ),
    }


def generate_and_roll_back():
    with transaction.atomic():
        counts = generate("tiny", seed=7, out=io.StringIO())
        data = snapshot()
        transaction.set_rollback(True)
    return counts, data


def test_tiny_scale_is_deterministic_and_has_the_counts(demo):
    first_counts, first = generate_and_roll_back()
    second_counts, second = generate_and_roll_back()

    assert first == second
    assert first_counts == second_counts
    assert first_counts["bodies"] == len(first["bodies"]) == TINY.bodies
    assert first_counts["organisations"] == len(first["organisations"]) == TINY.organisations
    assert first_counts["networks"] == len(first["networks"]) == TINY.networks
    assert first_counts["memberships"] == len(first["memberships"]) == TINY.memberships
    assert first_counts["meetings"] == len(first["meetings"]) == TINY.meetings
    assert first_counts["registrations"] == len(first["registrations"]) == TINY.registrations
    assert first_counts["municipalities"] == TINY.bodies * TINY.municipalities_per_body


def test_tiny_scale_has_units_duplicates_aliases_and_actor_groups(demo):
    with transaction.atomic():
        generate("tiny", seed=7, out=io.StringIO())
        generated = Organisation.objects.filter(source="generated")
        assert generated.filter(parent__isnull=False).exists()
        assert generated.filter(slug__startswith="gen-dup-").exists()
        assert OrganisationAlias.objects.filter(organisation__source="generated").exists()
        assert Membership.objects.filter(source="generated", actor_group__isnull=False).exists()
        # every seat has exactly one member and generated names look German, not numbered
        seats = Membership.objects.filter(source="generated").values_list("organisation", "actor_group", "person")
        assert seats and all(sum(member is not None for member in seat) == 1 for seat in seats)
        assert not generated.filter(name__regex=r"\(\d+\)$").exists()
        # a second call leaves the data alone
        before = Organisation.objects.count()
        generate("tiny", seed=7, out=io.StringIO())
        assert Organisation.objects.count() == before
        transaction.set_rollback(True)


def test_different_seeds_give_different_data(demo):
    with transaction.atomic():
        generate("tiny", seed=1, out=io.StringIO())
        first = snapshot()["organisations"]
        transaction.set_rollback(True)
    with transaction.atomic():
        generate("tiny", seed=2, out=io.StringIO())
        second = snapshot()["organisations"]
        transaction.set_rollback(True)
    assert first != second


def test_the_counts_of_the_translations_to_do_take_in_the_generated_records(demo):
    from register.translations import count_work, stored_work, target_languages

    languages = target_languages()
    stored_work(languages)  # counted with the demo data
    with transaction.atomic():
        generate("tiny", seed=7, out=io.StringIO())
        assert stored_work(languages) == count_work(languages)  # (written without model signals)
        transaction.set_rollback(True)
