"""The staff's search of organisations (``register.filters.search``) looks for each folded word anywhere in
``folded_names``, the organisation's own and its parent's. Without an index the database tests every
organisation (nation: 120,000; a search for "caritas" took 100 ms to count and 40 ms for a page)."""

from django.db import migrations

TRIGRAM_INDEX = "organisation_folded_names_trgm"


def add_trigram_index(apps, schema_editor):
    """On PostgreSQL only (pg_trgm); SQLite reads the whole table (a county's few hundred organisations)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON register_organisation USING gin (folded_names gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0037_translations_by_lower_name"),
    ]

    operations = [
        migrations.RunPython(add_trigram_index, drop_trigram_index, elidable=False),
    ]
