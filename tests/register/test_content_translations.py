"""Texts staff write, in the other languages of the site (register.translations)."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from register.models import FocusArea, Network, Topic, Translation
from register.translations import apply_memory, attach, translate, translated, translations_by_text


def of_networks():
    """The translations of networks (the migrations bring those of the site pages)."""
    return Translation.objects.filter(content_type__model="network")


@pytest.fixture
def networks(db):
    return [
        Network.objects.create(name=f"Arbeitskreis {n}", slug=f"ak-{n}", purpose=f"Austausch zu Thema {n}")
        for n in range(5)
    ]


def test_a_translation_is_read_in_its_language_and_german_is_marked_where_there_is_none(networks):
    network = networks[0]
    translate(network, "purpose", "en", "Exchange on topic 0")
    with translation.override("en"):
        text = translated(network, "purpose")
        assert (text, text.lang, text.untranslated) == ("Exchange on topic 0", "en", False)
    with translation.override("ar"):
        text = translated(Network.objects.get(pk=network.pk), "purpose")
        assert (text, text.lang, text.untranslated) == ("Austausch zu Thema 0", "de", True)
    text = translated(Network.objects.get(pk=network.pk), "purpose")
    assert (text, text.untranslated) == ("Austausch zu Thema 0", False)


def test_a_translation_is_outdated_once_the_german_changes(networks):
    network = networks[0]
    row = translate(network, "purpose", "tr", "Konu 0 üzerine değişim")
    assert not row.is_outdated(network.purpose)
    network.purpose = "Austausch zu Thema null"
    network.save()
    assert row.is_outdated(network.purpose)
    translate(network, "purpose", "tr", "")
    assert not of_networks().exists()


def test_a_list_reads_its_translations_with_one_query(networks):
    for network in networks:
        translate(network, "purpose", "en", network.purpose.replace("Austausch zu Thema", "Exchange on topic"))
    records = list(Network.objects.order_by("pk"))
    with translation.override("en"), CaptureQueriesContext(connection) as queries:
        attach(records)
        texts = [translated(record, "purpose") for record in records]
    assert len(queries) == 1
    assert texts == [f"Exchange on topic {n}" for n in range(5)]


def test_the_texts_many_records_share_are_translated_with_one_query_whatever_their_number(networks):
    areas = FocusArea.objects.bulk_create(
        FocusArea(network=network, name=name) for network in networks for name in ("Bildung", "Wohnen")
    )
    translate(areas[2], "name", "en", "Education")  # Bildung of the second network
    translate(areas[4], "name", "en", "Schooling")  # a later record's other translation of the same text
    translate(areas[5], "name", "ar", "السكن")
    with CaptureQueriesContext(connection) as queries:
        assert translations_by_text(FocusArea, "name", "en") == {"Bildung": "Education"}  # the first record's
        assert translations_by_text(FocusArea, "name", "ar") == {"Wohnen": "السكن"}
        assert translations_by_text(FocusArea, "name", "de") == {}
    assert len(queries) == 2


def test_the_database_refuses_a_second_translation_and_one_into_german(networks):
    translate(networks[0], "purpose", "en", "Exchange")
    row = of_networks().get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Translation.objects.create(
            content_type=row.content_type, object_id=row.object_id, field="purpose", language="en", text="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Translation.objects.create(
            content_type=row.content_type, object_id=row.object_id, field="name", language="de", text="x"
        )


def test_a_memory_translates_every_record_that_holds_its_german_and_keeps_what_exists(networks):
    topic = Topic.objects.create(name="Gesundheit")
    translate(networks[1], "purpose", "en", "Kept as the office wrote it")
    memory = {
        "en": {"Gesundheit": "Health", "Austausch zu Thema 1": "Exchange on topic 1"},
        "uk": {"Gesundheit": "Здоров’я"},
    }
    assert apply_memory(memory) == 2
    with translation.override("uk"):
        assert translated(topic, "name") == "Здоров’я"
    with translation.override("en"):
        assert translated(Topic.objects.get(), "name") == "Health"
        assert translated(networks[1], "purpose") == "Kept as the office wrote it"


def test_a_deleted_record_takes_its_translations_with_it(networks):
    translate(networks[0], "purpose", "en", "Exchange")
    networks[0].delete()
    assert not of_networks().exists()
