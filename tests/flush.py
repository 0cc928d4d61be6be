"""How a transactional test leaves the database: every table empty, every key counter back at the start.

Django's ``TransactionTestCase`` empties all 97 tables with one TRUNCATE (0.8 s on PostgreSQL: each table gets new
files, whether it held rows or not) and leaves the key counters where they were. Here only the tables that hold
rows are emptied, by DELETE, and the counters start again: on PostgreSQL 0.04 s after most tests, 0.16 s after one
with the demo. As after Django's flush, post_migrate then writes the content types and permissions again (0.1 s) –
with the same keys each time, as do the data migrations' rows (tests/conftest.py), so the next test starts from
the same state and the demo's copy fits it (tests/demo_copy.py)."""

import functools
import importlib

from django.apps import apps
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, connections, transaction

# The rows that data migrations write: written again for the test after a transactional one (tests/conftest.py).
DATA_MIGRATIONS = [
    ("register.migrations.0002_reference_data", "load"),
    ("matching.migrations.0002_default_abbreviations", "add_defaults"),
    ("matching.migrations.0003_review_queue_kept_merges_without_loss_learning", "add_defaults"),
    ("register.migrations.0011_site_identity_for_the_county", "create_identity"),
    ("register.migrations.0025_site_page_english_into_translations", "create_site_pages"),
]


@functools.cache
def counters(using):
    """The statements that start the key counters of all tables again (found once: 0.07 s on PostgreSQL)."""
    connection = connections[using]
    return connection.ops.sequence_reset_by_name_sql(no_style(), connection.introspection.sequence_list())


def empty_database(using):
    connection = connections[using]
    quote = connection.ops.quote_name
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"EXISTS (SELECT 1 FROM {quote(table)})" for table in tables))
        # The foreign keys are checked when the transaction commits: the order of the tables does not matter.
        for table, has_rows in zip(tables, cursor.fetchone(), strict=True):
            if has_rows:
                cursor.execute(f"DELETE FROM {quote(table)}")
        for statement in counters(using):
            cursor.execute(statement)
    emit_post_migrate_signal(verbosity=0, interactive=False, db=using)


def fixture_teardown(test_case):
    """In place of ``TransactionTestCase._fixture_teardown`` (tests/conftest.py)."""
    for using in test_case._databases_names(include_mirrors=False):
        empty_database(using)


def write_reference_data():
    """The rows of the data migrations (municipalities, abbreviations, site identity and pages), into empty tables."""
    from register.models.site import identity_changed

    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
    # As after a migration: the identity counts as committed, so pages read it from the cache.
    connection.run_on_commit = [entry for entry in connection.run_on_commit if entry[1] is not identity_changed]
