"""A network keeps the earliest date its published texts name; the office's start page finds the texts that
name a past date by it."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.dates import networks_with_stale_prose
from register.models import ChangeRecord, Network
from register.prose_dates import dates_in

MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]  # fmt: skip


def in_words(day):
    """The day as an English text writes it, without a full stop: "3 March 2025"."""
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def test_dates_are_read_in_figures_and_in_words():
    text = "Am 3.4.2025 und am 12. März 2026, zuletzt on 7 May 2024; not a date: 31.02.2025 or 12 apples 2025."
    assert [(day.isoformat(), words) for day, words in dates_in(text)] == [
        ("2024-05-07", "7 May 2024"),
        ("2025-04-03", "3.4.2025"),
        ("2026-03-12", "12. März 2026"),
    ]


@pytest.mark.django_db
def test_a_network_keeps_the_earliest_date_of_its_texts_on_every_save():
    today = timezone.localdate()
    later, earlier = today + datetime.timedelta(days=40), today - datetime.timedelta(days=400)
    network = Network.objects.create(name="Netzwerk Termine", slug="termine", description="Nächstes Treffen.")
    assert network.first_date_in_texts is None
    network.description = f"Nächstes Treffen am {later:%d.%m.%Y}."
    network.save()
    assert Network.objects.get(pk=network.pk).first_date_in_texts == later
    network.history = f"Gegründet {in_words(earlier)}."
    network.save(update_fields=["history"])  # the derived date is saved with the texts
    assert Network.objects.get(pk=network.pk).first_date_in_texts == earlier
    network.history = ""
    network.save()
    assert Network.objects.get(pk=network.pk).first_date_in_texts == later
    # Derived from the texts, whose changes the history already records: no line of its own.
    lines = ChangeRecord.objects.filter(object_id=network.pk, content_type__model="network")
    assert all("first_date_in_texts" not in line.changes for line in lines)


@pytest.mark.django_db
def test_a_network_loaded_without_its_texts_saves_without_reading_them(monkeypatch):
    day = timezone.localdate() - datetime.timedelta(days=3)
    network = Network.objects.create(name="Netzwerk Teile", slug="teile", purpose=f"Treffen {day:%d.%m.%Y}.")
    partial = Network.objects.only("pk", "name").get(pk=network.pk)
    partial.name = "Netzwerk Teile neu"
    read = []
    monkeypatch.setattr(Network, "refresh_from_db", lambda self, **kwargs: read.append(kwargs))
    with CaptureQueriesContext(connection) as queries:
        partial.save()
    assert read == []  # a deferred text would be read on its own
    assert queries.captured_queries[0]["sql"].startswith('UPDATE "register_network" SET "name" = ')
    monkeypatch.undo()
    assert Network.objects.get(pk=network.pk).first_date_in_texts == day


@pytest.mark.django_db
def test_the_start_page_lists_texts_that_name_a_past_date_also_in_words():
    today = timezone.localdate()
    past, coming = today - datetime.timedelta(days=30), today + datetime.timedelta(days=30)
    in_words_past = Network.objects.create(name="A", slug="a", description=f"Next meeting on {in_words(past)}.")
    in_figures = Network.objects.create(name="B", slug="b", easy_language=f"Treffen am {past:%d.%m.%y}.")
    Network.objects.create(name="C", slug="c", description=f"Next meeting on {in_words(coming)}.")
    Network.objects.create(name="D", slug="d", description="Seit 12 Jahren im Landkreis.")
    flagged = networks_with_stale_prose()
    assert [network.pk for network in flagged] == [in_words_past.pk, in_figures.pk]
    assert flagged[0].stale_dates == [in_words(past)]
    assert flagged[1].stale_dates == [f"{past:%d.%m.%y}"]
    # The day after the coming date, its text is stale too.
    assert len(networks_with_stale_prose(today=coming + datetime.timedelta(days=1))) == 3


@pytest.mark.django_db
def test_the_migration_fills_the_date_of_every_network():
    day = timezone.localdate() - datetime.timedelta(days=10)
    dated = Network.objects.create(name="Datiert", slug="datiert", description=f"Am {day:%d.%m.%Y}.")
    plain = Network.objects.create(name="Ohne", slug="ohne", description="Ohne Datum.")
    Network.objects.update(first_date_in_texts=None)  # as before the migration
    migration = importlib.import_module("register.migrations.0031_network_first_date_in_texts")
    migration.fill(apps, None)
    assert Network.objects.get(pk=dated.pk).first_date_in_texts == day
    assert Network.objects.get(pk=plain.pk).first_date_in_texts is None
