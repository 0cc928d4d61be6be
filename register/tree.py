"""The tree of organisations and their units, read in one query however deep it goes.

Units can have units of their own, and nothing bounds how deep: reading level by level costs one
query per level. A recursive query (``WITH RECURSIVE``, the same on SQLite and PostgreSQL) walks the
tree inside the database instead. ``UNION`` (not ``UNION ALL``) drops rows already found, so a loop in
the data (which ``Organisation.clean`` refuses) ends the walk rather than running on.
"""

from django.db import connections, router
from django.db.models.expressions import RawSQL

from .models import Organisation


def _parts():
    connection = connections[router.db_for_read(Organisation)]
    quote = connection.ops.quote_name
    return connection, quote(Organisation._meta.db_table)


def _parameter_marks(ids):
    """One parameter mark per id ("%s, %s, …"): the ids go to the database as parameters, not as text."""
    return ", ".join(["%s"] * len(ids))


def _above_sql(ids, columns):
    """The SQL (and its parameters) of the rows (``columns`` of id, parent_id, name) of ``ids`` and of
    every organisation above them."""
    _connection, table = _parts()
    sql = (
        f"WITH RECURSIVE up(id, parent_id, name) AS ("
        f"SELECT id, parent_id, name FROM {table} WHERE id IN ({_parameter_marks(ids)}) UNION "
        f"SELECT o.id, o.parent_id, o.name FROM {table} o JOIN up ON o.id = up.parent_id) "
        f"SELECT {columns} FROM up"
    )
    return sql, list(ids)


def with_ancestors(ids):
    """{pk: (parent pk, name)} of the organisations ``ids`` and of every organisation above them:
    one query (none for no ids)."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    connection, _table = _parts()
    sql, params = _above_sql(ids, "id, parent_id, name")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {pk: (parent_id, name) for pk, parent_id, name in cursor.fetchall()}


def ancestors_subquery(ids):
    """An expression for ``pk__in``: the ids of the organisations ``ids`` and of every organisation
    above them, so that one query reads them all (as model instances, for example)."""
    return RawSQL(*_above_sql(sorted(set(ids)) or [None], "id"))


def units_subquery(ids):
    """An expression for ``pk__in``: the ids of the organisations ``ids`` and of every unit below them."""
    _connection, table = _parts()
    ids = sorted(set(ids)) or [None]
    sql = (
        f"WITH RECURSIVE below(id) AS ("
        f"SELECT id FROM {table} WHERE id IN ({_parameter_marks(ids)}) UNION "
        f"SELECT o.id FROM {table} o JOIN below ON o.parent_id = below.id) "
        "SELECT id FROM below"
    )
    return RawSQL(sql, ids)


def units_below(roots):
    """{pk: root} of the organisations ``roots`` and of every unit below them, each with the one of
    ``roots`` it is (a unit of) a unit of: one query (none for no roots). Meant for top organisations,
    whose trees do not overlap; a root below another root counts for itself."""
    roots = sorted(set(roots))
    if not roots:
        return {}
    connection, table = _parts()
    sql = (
        f"WITH RECURSIVE below(id, root) AS ("
        f"SELECT id, id FROM {table} WHERE id IN ({_parameter_marks(roots)}) UNION "
        f"SELECT o.id, below.root FROM {table} o JOIN below ON o.parent_id = below.id) "
        "SELECT id, root FROM below"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, roots)
        rows = sorted(cursor.fetchall())
    found = {root: root for root in roots}
    for pk, root in rows:
        found.setdefault(pk, root)
    return found
