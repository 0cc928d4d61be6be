"""Search every table of the database for a piece of text."""

from django.db import connection


def tables_holding(*needles):
    """{table: [needle, …]} for every table in which any column of any row contains a needle."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from the database
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row if value is not None)
                hits = [needle for needle in needles if needle in text]
                if hits:
                    found.setdefault(table, set()).update(hits)
    return found
