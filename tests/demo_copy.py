"""The demo data for the ``demo`` fixture: loaded for real once per test process and starting state, then
written back from a copy of the rows it wrote (a quarter of the time or less; 250 tests ask for it).

The copy holds, for every table, the rows the load added or changed and the keys of the rows it
changed or removed, and the work the load leaves for the test's transaction to do when it commits.
It is written back only onto the state it was taken from: a database whose every table has the same
number of rows and the same highest key. Tests start from one of two: the rows of the migrations (most
tests, in the transaction they roll back), or the same rows written again after a transactional test
emptied the tables and started the keys again (tests/flush.py). In any other state (a fixture wrote first)
the demo is loaded for real, and a copy is taken from there. A transactional test commits the load
or its copy, and what the load left for the commit runs then.
"""

import copy

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from importing.demo import load_demo

_copies = {}  # {the state it was taken from: DemoCopy}


def load():
    """Load the demo into the test database; returns the import plan, as ``load_demo()`` does."""
    with transaction.atomic():
        state = signature()
        if state in _copies:
            _copies[state].write()
            return copy.deepcopy(_copies[state].plan)
        before, waiting = all_rows(), len(connection.run_on_commit)
        plan = load_demo()
        callbacks = [(callback, robust) for _savepoints, callback, robust in connection.run_on_commit[waiting:]]
        _copies[state] = DemoCopy(before, all_rows(), plan, callbacks)
        return plan


def tables():
    """{table: (its key column, the columns a row is written with, whether its keys count up)}: the columns
    of its model but the generated ones; a table without a model (none the demo writes) with all its columns."""
    models = models_by_table()
    found = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            model = models.get(table)
            if model is None:
                found[table] = (None, "*", False)
            else:
                pk = model._meta.pk
                columns = [field.column for field in model._meta.local_concrete_fields if not field.generated]
                found[table] = (pk.column, columns, pk.get_internal_type() in COUNTERS)
    return found


COUNTERS = {"AutoField", "BigAutoField", "SmallAutoField"}


def models_by_table():
    return {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}


def signature():
    """Per table: its number of rows and its highest key, in one query."""
    quote = connection.ops.quote_name
    parts = []
    for table, (key, _columns, counts_up) in tables().items():
        parts.append(f"(SELECT COUNT(*) FROM {quote(table)})")
        parts.append(f"(SELECT MAX({quote(key)}) FROM {quote(table)})" if counts_up else "NULL")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}")
        return tuple(cursor.fetchone())


def all_rows():
    """{table: (key column, column names, {key: row})}; a table without a model: its rows in a list."""
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for table, (key, columns, _counts_up) in tables().items():
            names = ", ".join(quote(column) for column in columns) if key else "*"
            cursor.execute(f"SELECT {names} FROM {quote(table)}")
            rows = cursor.fetchall()
            found[table] = (key, columns, {row[columns.index(key)]: row for row in rows} if key else rows)
    return found


def insert(cursor, table, columns, rows):
    """Write the rows: PostgreSQL by COPY, SQLite many rows per INSERT, as many as it takes parameters. (An
    INSERT per row took 0.8 s on PostgreSQL for the 11,000 rows of the demo, many rows per INSERT 0.7 s: the
    driver writes every value into the statement; COPY 0.15 s.)"""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy_in:
            for row in rows:
                copy_in.write_row(row)
        return
    row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = max(1, connection.features.max_query_params // len(columns))
    for start in range(0, len(rows), size):
        batch = rows[start : start + size]
        values = [value for row in batch for value in row]
        cursor.execute(f"INSERT INTO {quote(table)} ({names}) VALUES {', '.join([row_marks] * len(batch))}", values)


class DemoCopy:
    def __init__(self, before, after, plan, callbacks):
        self.plan = copy.deepcopy(plan)
        self.callbacks = copy.deepcopy(callbacks)
        self.changes = []
        for table, (key, columns, rows) in after.items():
            old = before[table][2]
            if not key:
                assert rows == old, f"the demo wrote to {table}, which has no model"
                continue
            removed = [pk for pk, row in old.items() if rows.get(pk) != row]
            added = [row for pk, row in rows.items() if old.get(pk) != row]
            if removed or added:
                self.changes.append((table, key, columns, removed, added))
        models = models_by_table()
        self.sequences = connection.ops.sequence_reset_sql(
            no_style(), [models[table] for table, _key, _columns, _removed, added in self.changes if added]
        )

    def write(self):
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table, key, columns, removed, added in self.changes:
                if removed:
                    marks = ", ".join(["%s"] * len(removed))
                    cursor.execute(f"DELETE FROM {quote(table)} WHERE {quote(key)} IN ({marks})", removed)
                if added:
                    insert(cursor, table, columns, added)
            for statement in self.sequences:  # PostgreSQL: the next keys come after the copied ones
                cursor.execute(statement)
        # What the load left for the test's transaction to do when it commits (renew the cached pages'
        # tags, note the change for the map): pages are not cached while it waits, as after the load.
        for callback, robust in copy.deepcopy(self.callbacks):
            transaction.on_commit(callback, robust=robust)
