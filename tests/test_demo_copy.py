"""The ``demo`` fixture's copy of the demo data writes what loading it for real writes; a transactional test
leaves the database empty and the keys starting again, so the next one starts from the same state."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from register.models import Municipality, Network, Organisation

from . import demo_copy
from .flush import empty_database, write_reference_data

pytestmark = pytest.mark.django_db


def test_the_copy_writes_every_row_the_load_writes_and_new_rows_follow_it():
    demo_copy._copies.clear()
    rollback = transaction.savepoint()
    waiting = len(connection.run_on_commit)
    loaded_plan = demo_copy.load()  # for real: the copy is taken
    loaded = demo_copy.all_rows()
    loaded_callbacks = [type(entry[1]) for entry in connection.run_on_commit[waiting:]]
    assert loaded_callbacks  # the page cache's tags to renew, the map's change to note
    transaction.savepoint_rollback(rollback)
    assert not Network.objects.exists()

    waiting = len(connection.run_on_commit)
    copied_plan = demo_copy.load()  # from the copy
    assert demo_copy.all_rows() == loaded
    assert [type(entry[1]) for entry in connection.run_on_commit[waiting:]] == loaded_callbacks
    assert copied_plan.summary() == loaded_plan.summary()
    assert Network.objects.count() == 7
    added = Organisation.objects.create(name="Neu nach der Kopie", slug="neu-nach-der-kopie")
    assert added.pk > max(Organisation.objects.exclude(pk=added.pk).values_list("pk", flat=True))


def test_on_another_state_the_demo_is_loaded_for_real_and_copied_anew():
    rollback = transaction.savepoint()
    demo_copy.load()
    transaction.savepoint_rollback(rollback)
    Organisation.objects.create(name="Vorher angelegt", slug="vorher-angelegt")  # as a fixture before the demo
    state = demo_copy.signature()
    assert state not in demo_copy._copies
    demo_copy.load()
    assert state in demo_copy._copies
    assert Organisation.objects.filter(slug="vorher-angelegt").exists()
    assert Network.objects.count() == 7


def start_again():
    """What happens between two transactional tests: the tables emptied, the data migrations' rows written."""
    empty_database("default")
    write_reference_data()


@pytest.mark.django_db(transaction=True)
def test_emptying_leaves_no_row_and_the_keys_start_again():
    demo_copy.load()
    before = {model: set(model.objects.values_list("pk", flat=True)) for model in (ContentType, Municipality)}
    empty_database("default")
    assert not Network.objects.exists() and not Organisation.objects.exists() and not Municipality.objects.exists()
    assert Organisation.objects.create(name="Erste", slug="erste").pk == 1
    write_reference_data()
    assert set(Municipality.objects.values_list("pk", flat=True)) == before[Municipality]
    assert set(ContentType.objects.values_list("pk", flat=True)) == before[ContentType]  # post_migrate wrote them


@pytest.mark.django_db(transaction=True)
def test_in_a_transactional_test_the_copy_commits_what_the_load_commits():
    start_again()
    state = demo_copy.signature()
    demo_copy._copies.pop(state, None)
    demo_copy.load()  # for real, committed
    loaded = without_times(demo_copy.all_rows())
    start_again()
    assert demo_copy.signature() == state
    demo_copy.load()  # from the copy, committed: what the load left for the commit ran as well
    assert not connection.in_atomic_block and not connection.run_on_commit
    assert without_times(demo_copy.all_rows()) == loaded


def without_times(rows):
    """The rows, without their points in time and the seconds the map's figures took (new each time)."""

    def kept(columns, row):
        return tuple(
            None if isinstance(value, dt.datetime) or column == "seconds" else value
            for column, value in zip(columns, row, strict=True)
        )

    return {
        table: {key: kept(columns, row) for key, row in found.items()}
        for table, (_key, columns, found) in rows.items()
        if isinstance(found, dict)
    }
