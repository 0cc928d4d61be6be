"""The ``demo`` fixture's copy of the demo data writes what loading it for real writes."""

import pytest
from django.db import connection, transaction

from register.models import Network, Organisation

from . import demo_copy

pytestmark = pytest.mark.django_db


def test_the_copy_writes_every_row_the_load_writes_and_new_rows_follow_it():
    demo_copy._copy = None
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
    assert demo_copy._copy.state != state
    demo_copy.load()
    assert demo_copy._copy.state == state
    assert Organisation.objects.filter(slug="vorher-angelegt").exists()
    assert Network.objects.count() == 7
