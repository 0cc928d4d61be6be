"""The office's open work of translations, found by the database (register.translations: ``count_work``,
``OpenWork``, ``next_work``, ``Digest``)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from register.deferred import gathered
from register.models import (
    ActorGroup,
    AgendaItem,
    Event,
    Location,
    Meeting,
    Membership,
    Network,
    Organisation,
    Person,
    Topic,
    TranslationWork,
)
from register.models.translations import Digest, digest
from register.translations import (
    FIELDS,
    MISSING,
    OPEN,
    OUTDATED,
    SORTED_BY,
    OpenWork,
    apply_memory,
    count_work,
    fields_of,
    next_work,
    recount,
    stored_work,
    target_languages,
    translatable_models,
    translate,
)

TEXTS = [
    "",
    "Austausch",
    "Größe, Übersicht und Maß – „Zitat“",
    "Ärztinnen\nund Ärzte",
    "التبادل حول الصحة",
    "Обмін 🌍 交流",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_database_digests_a_text_as_python_does(db, text):
    network = Network.objects.create(name="Arbeitskreis", slug="ak", purpose=text)
    stored = Network.objects.filter(pk=network.pk).annotate(stored=Digest("purpose"), given=Digest(Value(text)))
    assert list(stored.values_list("stored", "given")) == [(digest(text), digest(text))]


def work_of(language, kinds=None, states=OPEN):
    """The whole list of open work: (record, fields) in the order of the list."""
    listing = OpenWork(language, kinds, states, count_work([language], kinds)[language])
    return [(entry.record, entry.fields) for entry in listing[0 : listing.count()]]


def test_a_translation_of_non_ascii_german_is_current_until_the_german_changes(db):
    network = Network.objects.create(name="Ärzte für Übergänge", slug="ak", purpose="Größe 🌍 „Maß“")
    translate(network, "name", "uk", "Лікарі")
    translate(network, "purpose", "uk", "Розмір")
    assert work_of("uk", ["network"]) == []
    assert work_of("en", ["network"]) == [(network, [("name", MISSING), ("purpose", MISSING)])]
    network.purpose = "Größe 🌍 „Maße“"
    network.save()
    assert work_of("uk", ["network"]) == [(network, [("purpose", OUTDATED)])]
    assert work_of("uk", ["network"], [MISSING]) == []
    counts = count_work(["uk", "en"], ["network"])
    assert counts["uk"][Network].records_in(OPEN) == counts["uk"][Network].with_outdated == 1
    assert (counts["uk"][Network].missing, counts["uk"][Network].outdated) == (0, 1)
    assert (counts["en"][Network].missing, counts["en"][Network].outdated, counts["en"][Network].records) == (2, 0, 1)


def test_the_counts_say_per_language_how_many_texts_and_records_need_work(db):
    full = Network.objects.create(name="Netz A", slug="a", purpose="Zweck A", history="Geschichte A")
    half = Network.objects.create(name="Netz B", slug="b", purpose="Zweck B")
    done = Network.objects.create(name="Netz C", slug="c", description="  ")  # white space is no text
    for network in (full, half, done):
        translate(network, "name", "en", network.name)
    translate(full, "purpose", "en", "Purpose A")
    translate(half, "purpose", "en", "Purpose B")
    translate(full, "name", "ar", "أ")
    half.purpose = "Zweck B, neu"
    half.save()
    counts = count_work(["en", "ar", "tr"], ["network"])
    assert list(counts["en"]) == [Network]
    english, arabic, turkish = (counts[language][Network] for language in ("en", "ar", "tr"))
    # English: full lacks its history; half's purpose is outdated; done is done.
    assert (english.records, english.missing, english.outdated) == (2, 1, 1)
    assert (english.with_missing, english.with_outdated) == (1, 1)
    # Arabic: only full's name is translated.
    assert (arabic.records, arabic.missing, arabic.outdated, arabic.with_missing) == (3, 5, 0, 3)
    assert (turkish.records, turkish.missing, turkish.outdated) == (3, 6, 0)
    assert [record for record, _fields in work_of("en", ["network"])] == [full, half]
    assert work_of("en", ["network"], [OUTDATED]) == [(half, [("purpose", OUTDATED)])]
    assert work_of("en", ["network"], [MISSING]) == [(full, [("history", MISSING)])]


@pytest.fixture
def named(db):
    """A record of every translatable model, with names of several parts (as their ``str`` writes them)."""
    top = Organisation.objects.create(name="Landkreis", slug="landkreis")
    office = Organisation.objects.create(name="Amt", slug="amt", parent=top)
    team = Organisation.objects.create(name="Team", slug="team", parent=office, description="Beratung")
    unit = Organisation.objects.create(name="Stelle", slug="stelle", parent=team, description="Hilfe")
    network = Network.objects.create(name="Arbeitskreis Gesundheit", slug="ak", purpose="Austausch")
    group = ActorGroup.objects.create(name="Selbsthilfe", slug="selbsthilfe")
    people = [
        Person.objects.create(title="Dr.", given_name="Jana", family_name="Öztürk"),
        Person.objects.create(family_name="Muster"),
        Person.objects.create(function="Behindertenbeauftragte*r"),
        Person.objects.create(),
        Person.objects.create(given_name="Erika", erased_at=timezone.now()),
    ]
    members = [{"organisation": unit}, {"organisation": top}, {"actor_group": group}]
    members += [{"person": person} for person in people]
    for position, member in enumerate(members):
        Membership.objects.create(network=network, role="deputy", position=position, label="Mitglied", **member)
    Topic.objects.create(name="Gesundheit", slug="gesundheit")
    place = Location.objects.create(name="Kreishaus", room="Saal 2", description="Eingang rechts")
    Location.objects.create(name="Rathaus", locality="Dieburg", parking="Hof")
    start = timezone.now() + datetime.timedelta(days=7)
    end = start + datetime.timedelta(hours=2)
    Event.objects.create(title="Forum", slug="forum", start=start, end=end, location=place, host="Amt")
    meeting = Meeting.objects.create(network=network, name="Sitzung", start=start, end=end, location=place)
    AgendaItem.objects.create(meeting=meeting, position=1, number="TOP 1", name="Bericht")
    AgendaItem.objects.create(meeting=meeting, position=2, name="Verschiedenes")
    return network


def test_the_list_is_in_the_order_of_the_models_then_by_name_page_by_page(named):
    for number, name in enumerate(("beratung", "Zahn", "arbeit", "Beratung")):
        Network.objects.create(name=name, slug=f"netz-{number}", purpose="Zweck")
    # Nothing is translated into Arabic: every record with a German text is in the list.
    order = list(FIELDS)

    def sort_key(record):
        value = record
        for part in SORTED_BY.get(record._meta.label_lower, "name").split("__"):
            value = getattr(value, part)
        return (order.index(record._meta.label_lower), value.lower(), record.pk)

    expected = sorted(
        (
            record
            for model in translatable_models()
            for record in model.objects.all()
            if any((getattr(record, field) or "").strip() for field in fields_of(model))
        ),
        key=sort_key,
    )
    listing = OpenWork("ar", None, OPEN, count_work(["ar"])["ar"])
    assert listing.count() == len(expected) > 20
    pages = [listing[start : start + 4] for start in range(0, listing.count(), 4)]
    assert [entry.record for page in pages for entry in page] == expected
    kinds = [entry.kind for page in pages for entry in page]
    assert kinds[:6] == ["network"] * 5 + ["topic"] and kinds[-4:] == ["sitepage"] * 4
    names = [str(entry.record) for entry in pages[0] + pages[1][:1]]
    assert names == ["arbeit", "Arbeitskreis Gesundheit", "beratung", "Beratung", "Zahn"]


def test_the_next_record_follows_the_list_across_kinds_and_from_its_start_again(named):
    networks = [record for record, _fields in work_of("en", ["network", "topic", "organisation"])]
    assert [type(record) for record in networks] == [Network, Topic, Organisation, Organisation]
    network, topic, team, unit = networks
    kinds = ["network", "topic", "organisation"]
    assert next_work(network, "en", kinds) == topic
    assert next_work(topic, "en", kinds) == team
    assert next_work(team, "en", kinds) == unit
    assert next_work(unit, "en", kinds) == network  # from the start again
    assert next_work(unit, "en", ["organisation"]) == team
    translate(team, "description", "en", "Advice")
    assert next_work(unit, "en", ["organisation"]) is None  # nothing else is left
    assert next_work(network, "en", ["organisation"]) == unit
    assert next_work(network, "en", ["network"], [OUTDATED]) is None


def assert_stored_as_counted():
    """The stored counts of every model and language are those counted afresh."""
    languages = target_languages()
    assert TranslationWork.objects.count() == len(languages) * len(translatable_models())  # read, not counted
    assert stored_work(languages) == count_work(languages)


def test_the_stored_counts_follow_each_change_of_a_record_and_its_translations(named):
    network = named
    stored_work(["en"])  # counted once, then kept
    assert_stored_as_counted()
    before = stored_work(["en"])["en"][Network]
    translate(network, "name", "en", "Health working group")
    translate(network, "purpose", "en", "Exchange")
    translate(network, "purpose", "ar", "تبادل")
    assert_stored_as_counted()
    assert stored_work(["en"])["en"][Network].missing == before.missing - 2
    # Its German changes: a translation becomes outdated, a new text is missing, a removed one is no work.
    network.purpose = "Austausch, neu"
    network.description = "Ein Netzwerk"
    network.save()
    assert_stored_as_counted()
    assert stored_work(["en"])["en"][Network].outdated == before.outdated + 1
    network.purpose = "  "
    network.save()
    assert_stored_as_counted()
    # A translation made anew, one removed.
    network.purpose = "Austausch"
    network.save()
    translate(network, "purpose", "en", "Exchange")
    translate(network, "name", "en", "")
    assert_stored_as_counted()
    # A record read in part and saved; a record saved unchanged.
    unit = Organisation.objects.only("pk", "name").get(name="Stelle")
    unit.description = "Hilfe und Beratung"
    unit.save()
    Organisation.objects.get(name="Team").save()
    assert_stored_as_counted()
    # Records created one by one and in bulk; translations in bulk.
    Topic.objects.create(name="Pflege", slug="pflege")
    Organisation.create_in_bulk(
        [Organisation(name=f"Verein {n}", slug=f"verein-{n}", description="Hilfe") for n in range(3)]
    )
    assert_stored_as_counted()
    assert apply_memory({"en": {"Hilfe": "Help", "Pflege": "Care"}, "tr": {"Bericht": "Rapor"}}) > 0
    assert_stored_as_counted()
    # Records deleted, with their translations and what they take with them.
    translate(Topic.objects.get(name="Gesundheit"), "name", "en", "Health")
    Topic.objects.get(name="Gesundheit").delete()
    Membership.objects.filter(network=network).first().delete()
    assert_stored_as_counted()
    network.delete()  # its members, meetings and agenda items
    assert_stored_as_counted()


def test_a_record_saved_without_a_change_of_its_german_asks_nothing_more(named):
    stored_work(target_languages())
    topic = Topic.objects.get(name="Gesundheit")
    topic.slug = "gesundheit-neu"
    with CaptureQueriesContext(connection) as context:
        topic.save()
    assert not [query for query in context.captured_queries if "register_translation" in query["sql"]]
    assert_stored_as_counted()


def test_the_counts_are_counted_anew_on_demand(named):
    stored_work(["en"])
    Topic.objects.bulk_create([Topic(name="Ohne Signal", slug="ohne-signal")])  # no model signals
    assert stored_work(["en"]) != count_work(["en"])
    recount([Topic])
    assert_stored_as_counted()
    Topic.objects.bulk_create([Topic(name="Noch eins", slug="noch-eins")])
    call_command("recount_translation_work", stdout=io.StringIO())
    assert_stored_as_counted()


def test_the_counts_are_written_once_at_the_end_of_an_import(named):
    stored_work(target_languages())
    with transaction.atomic(), gathered():
        with CaptureQueriesContext(connection) as context:
            for n in range(3):
                topic = Topic.objects.create(name=f"Thema {n}", slug=f"thema-{n}")
                translate(topic, "name", "en", f"Topic {n}")
            Location.objects.get(name="Rathaus").delete()
        assert not [query for query in context.captured_queries if "register_translationwork" in query["sql"]]
    assert_stored_as_counted()
