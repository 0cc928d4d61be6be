"""The change history in words a person reads: yes and no, local dates, lists as text, labels and names."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from register.history import described, record_change
from register.models import ChangeRecord, Membership, Network, Organisation, Person, Topic

# Literal dates below: the clock is pinned to tests.conftest.FIXED_DAY (time-machine) for every test here.
pytestmark = pytest.mark.usefixtures("fixed_day")


def history(*objects):
    found = ChangeRecord.objects.none()
    for obj in objects:
        found |= ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    return list(found.select_related("content_type").order_by("pk"))


def words(records, language):
    """{field label: (old, new)} of all changes, read in ``language``."""
    with translation.override(language):
        return {label: (old, new) for _record, changes in described(records) for label, old, new in changes}


def label(model, name, language):
    with translation.override(language):
        return str(model._meta.get_field(name).verbose_name)


@pytest.fixture
def changed(db):
    """A network whose kind, openness and topics changed, with a membership and a person with dates."""
    network = Network.objects.create(name="Arbeitskreis Süd", slug="ak-sued")
    network.open_to_public = True
    network.classification = Network.Classification.COUNCIL
    network.save()
    network.topics.add(
        Topic.objects.create(name="Migration", slug="migration"),
        Topic.objects.create(name="Gesundheit", slug="gesundheit"),
    )
    caritas = Organisation.objects.create(name="Caritasverband Darmstadt e.V.", slug="caritas")
    membership = Membership.objects.create(network=network, organisation=caritas, start_date=datetime.date(2025, 1, 31))
    person = Person.objects.create(family_name="Okonkwo", legal_basis="public_task")
    person.consent_recorded_at = datetime.datetime(2025, 3, 1, 9, 30, tzinfo=datetime.UTC)
    person.save()
    return network, membership, person


@pytest.mark.parametrize(
    ("language", "yes", "no", "kind", "day", "moment", "legal_basis"),
    [
        (
            "de",
            "Ja",
            "Nein",
            ("Sonstiges Netzwerk", "Gewählter Beirat"),
            "31.01.2025",
            "01.03.2025 10:30",
            "Öffentliche Aufgabe (Art. 6 Abs. 1 lit. e DSGVO)",
        ),
        (
            "en",
            "Yes",
            "No",
            ("Other network", "Elected advisory council"),
            "31/01/2025",
            "01/03/2025 10:30",
            "Public task (Art. 6(1)(e) GDPR)",
        ),
    ],
)
def test_a_change_reads_as_a_person_reads_it(changed, language, yes, no, kind, day, moment, legal_basis):
    network, membership, person = changed
    found = words(history(network, membership, person), language)
    assert found[label(Network, "open_to_public", language)] == (no, yes)
    assert found[label(Network, "classification", language)] == kind
    assert found[label(Network, "topics", language)] == (None, "Gesundheit, Migration")  # not "['Gesundheit', …]"
    assert found[label(Membership, "start_date", language)] == (None, day)  # never 01/31/2025 nor 2025-01-31
    assert found[label(Membership, "organisation", language)] == (None, "Caritasverband Darmstadt e.V.")
    assert found[label(Membership, "network", language)] == (None, "Arbeitskreis Süd")
    assert found[label(Person, "legal_basis", language)] == (None, legal_basis)
    assert found[label(Person, "consent_recorded_at", language)][1].startswith(moment)  # local time, Berlin


def test_values_of_a_field_that_no_longer_exists_and_notes_stay_as_recorded(changed):
    network, _membership, _person = changed
    record_change(network, "update", {"gone_field": ["a", "b"]})
    record_change(network, "note", {"note": [None, "Angelegt trotz ähnlichem Namen."]})
    found = words(history(network), "de")
    assert found["gone_field"] == ("a", "b")
    assert found["Vermerk"] == (None, "Angelegt trotz ähnlichem Namen.")


def test_linked_records_are_named_with_one_query_per_kind(changed, django_assert_num_queries):
    network, membership, _person = changed
    for number in range(5):
        other = Organisation.objects.create(name=f"Verein {number}", slug=f"verein-{number}")
        membership.organisation = other
        membership.save()
    records = history(network, membership)
    with django_assert_num_queries(2):  # the organisations and the network, whatever the number of records
        rows = described(records)
    named = {new for _record, changes in rows for _label, _old, new in changes}
    assert {f"Verein {number}" for number in range(5)} <= named
