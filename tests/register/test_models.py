"""Rules of the domain, held by the models and the database."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from register.history import audit_context, history_of
from register.models import (
    ActorGroup,
    ChangeRecord,
    FocusArea,
    Membership,
    Municipality,
    Network,
    Organisation,
    Person,
    SiteIdentity,
    Topic,
)


@pytest.fixture
def network(db):
    return Network.objects.create(name="Arbeitskreis Test", slug="ak-test")


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="Verein e.V.", slug="verein")


def test_the_county_and_its_23_municipalities_are_reference_data(db):
    assert Municipality.objects.count() == 23
    assert Municipality.objects.filter(county__name="Landkreis Darmstadt-Dieburg").count() == 23
    assert Municipality.objects.get(name="Groß-Zimmern").ags == "06432011"


def test_membership_needs_exactly_one_member(network, organisation):
    group = ActorGroup.objects.create(name="Gruppe", slug="gruppe")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(network=network)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(network=network, organisation=organisation, actor_group=group)


def test_membership_cannot_end_before_it_starts(network, organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            network=network,
            organisation=organisation,
            start_date=datetime.date(2024, 5, 1),
            end_date=datetime.date(2024, 4, 30),
        )


def test_one_open_membership_per_member_and_role(network, organisation):
    Membership.objects.create(network=network, organisation=organisation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(network=network, organisation=organisation)
    # An ended membership does not block a new one.
    Membership.objects.filter(network=network).update(end_date=datetime.date(2024, 1, 1))
    Membership.objects.create(network=network, organisation=organisation)


def test_deputy_pairing_rules(network, organisation):
    person = Person.objects.create(given_name="Aylin", family_name="Demir")
    member = Membership.objects.create(network=network, organisation=organisation)
    other = Network.objects.create(name="Anderes Netzwerk", slug="anderes")
    deputy = Membership(network=other, person=person, role=Membership.Role.DEPUTY, deputy_of=member)
    with pytest.raises(ValidationError) as error:
        deputy.full_clean()
    assert "deputy_of" in error.value.message_dict
    deputy = Membership(network=network, person=person, role=Membership.Role.MEMBER, deputy_of=member)
    with pytest.raises(ValidationError) as error:
        deputy.full_clean()
    assert "role" in error.value.message_dict
    Membership(network=network, person=person, role=Membership.Role.DEPUTY, deputy_of=member).full_clean()


def test_only_persons_sit_on_behalf_of_an_organisation(network, organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(network=network, organisation=organisation, on_behalf_of=organisation)


def test_publishing_a_person_needs_recorded_consent(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(family_name="Schmidt", consent_to_publish=True)


def test_organisation_cannot_be_a_unit_of_its_own_unit(organisation):
    unit = Organisation.objects.create(name="Beratung", slug="beratung", parent=organisation)
    organisation.parent = unit
    with pytest.raises(ValidationError):
        organisation.full_clean()


def test_active_memberships(network, organisation):
    today = datetime.date.today()
    Membership.objects.create(network=network, organisation=organisation, end_date=today - datetime.timedelta(days=1))
    current = Membership.objects.create(network=network, organisation=organisation, role=Membership.Role.GUEST)
    assert list(Membership.objects.active()) == [current]


def test_every_change_is_recorded_with_author_and_old_and_new_values(network):
    user = get_user_model().objects.create_user("koordination")
    with audit_context(user=user, source="test"):
        network.purpose = "Austausch"
        network.save()
        network.save()  # nothing changed: no record
    update = history_of(network).filter(action="update").get()
    assert update.user == user and update.source == "test"
    assert update.changes == {"purpose": ["", "Austausch"]}
    assert history_of(network).filter(action="create").exists()


def test_loaded_records_make_the_history_values_only_when_saved(network, monkeypatch):
    Network.objects.create(name="Arbeitskreis Zwei", slug="ak-zwei")
    made = []
    original = Network.audit_values
    monkeypatch.setattr(Network, "audit_values", lambda self: made.append(self.pk) or original(self))
    loaded = list(Network.objects.order_by("pk"))
    assert made == []  # a list that only reads makes no history values
    loaded[0].name = "Arbeitskreis Umbenannt"
    loaded[0].save()
    assert history_of(network).filter(action="update").get().changes == {
        "name": ["Arbeitskreis Test", "Arbeitskreis Umbenannt"]
    }


def test_a_value_changed_in_place_is_recorded(db):
    site = SiteIdentity.load()
    site.save()
    site = SiteIdentity.load()
    site.languages.append("xx-test")  # a JSON list, changed in place rather than replaced
    site.save()
    changes = history_of(site).filter(action="update").latest("pk").changes
    assert "xx-test" not in changes["languages"][0] and "xx-test" in changes["languages"][1]


def test_many_to_many_changes_and_deletes_are_recorded(network):
    topic = Topic.objects.create(name="Gesundheit", slug="gesundheit")
    network.topics.add(topic)
    added = history_of(network).get(action="add")
    assert added.changes == {"topics": [None, ["Gesundheit"]]}
    pk = network.pk
    network.delete()
    deleted = ChangeRecord.objects.get(object_id=pk, action="delete", content_type__model="network")
    assert deleted.changes["name"] == ["Arbeitskreis Test", None]


def test_partly_loaded_records_can_be_read_and_saved(network):
    partial = Network.objects.only("name").get(pk=network.pk)
    partial.name = "Arbeitskreis Neu"
    partial.save()
    assert history_of(network).filter(action="update").get().changes == {
        "name": ["Arbeitskreis Test", "Arbeitskreis Neu"]
    }


def test_the_names_of_focus_areas_are_each_listed_once_in_order_with_one_query(network, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert FocusArea.objects.names() == []
    others = Network.objects.bulk_create(Network(name=f"Netzwerk {n}", slug=f"netzwerk-{n}") for n in range(20))
    FocusArea.objects.bulk_create(
        FocusArea(network=other, name=name) for other in [network, *others] for name in ("Wohnen", "Arbeit")
    )
    FocusArea.objects.create(network=network, name="Ärztliche Versorgung")
    with django_assert_num_queries(1):
        names = FocusArea.objects.names()
    assert names == list(FocusArea.objects.order_by("name").values_list("name", flat=True).distinct())
    assert set(names) == {"Arbeit", "Wohnen", "Ärztliche Versorgung"} and len(names) == 3


def test_networks_hosted_by_a_body_include_joint_ones_and_no_others(network):
    from register.models import Body, NetworkHost

    county, city, other = (Body.objects.create(name=name, slug=name.lower()) for name in ("Kreis", "Stadt", "Land"))
    joint = Network.objects.create(name="Gemeinsam", slug="gemeinsam")
    NetworkHost.objects.create(network=network, body=county, position=1)
    NetworkHost.objects.create(network=joint, body=city, position=1)
    NetworkHost.objects.create(network=joint, body=county, position=2)
    assert set(Network.objects.hosted_by(county)) == {network, joint}
    assert list(Network.objects.hosted_by(city.pk)) == [joint]
    assert not Network.objects.hosted_by(other).exists()
    assert Network.objects.filter(name="Gemeinsam").hosted_by(county).get() == joint


def test_active_condition_is_the_rule_of_active_memberships(network):
    from django.db.models import Count

    from register.models import active_condition

    today = datetime.date(2026, 6, 1)
    for number, (start, end) in enumerate(
        [
            (None, None),
            (today, None),
            (None, today),
            (today + datetime.timedelta(days=1), None),
            (None, datetime.date(2026, 5, 31)),
        ]
    ):
        organisation = Organisation.objects.create(name=f"Verein {number}", slug=f"verein-{number}")
        Membership.objects.create(network=network, organisation=organisation, start_date=start, end_date=end)
    counted = Network.objects.annotate(active=Count("memberships", filter=active_condition(today, "memberships__")))
    assert counted.get(pk=network.pk).active == Membership.objects.active(today).count() == 3


def test_the_label_of_a_choice_is_looked_up_among_choices_gathered_once_and_shown_in_the_language_of_the_moment():
    from register.models import base

    role = Membership._meta.get_field("role")
    base._labels_of(role)
    before = base._labels_of.cache_info()
    seat = Membership(role=Membership.Role.MEMBER)
    with translation.override("de"):
        assert seat.get_role_display() == "Mitglied"
    with translation.override("en"):
        assert seat.get_role_display() == "member"
    assert Membership(role="unknown").get_role_display() == "unknown"  # a value that is no choice: as it is
    after = base._labels_of.cache_info()
    assert after.hits == before.hits + 3 and after.misses == before.misses
