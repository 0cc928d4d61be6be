"""The similar networks (``analysis.overlap``) look for the words of a proposed name and purpose in the
names and purposes of all networks, and for the short names it uses. Without indexes the database tests
every network where few share a word (nation: 45 ms for a network with words of its own)."""

import django.db.models.functions.text
from django.db import migrations, models

# As Django writes ``icontains``: UPPER(column::text) LIKE UPPER(pattern).
TRIGRAM_INDEXES = {"network_name_trgm": "name", "network_purpose_trgm": "purpose"}


def add_trigram_indexes(apps, schema_editor):
    """On PostgreSQL only (pg_trgm); SQLite reads the whole table (a county's few networks)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, column in TRIGRAM_INDEXES.items():
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS {name} ON register_network USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in TRIGRAM_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0032_municipality_first_word"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="network",
            index=models.Index(django.db.models.functions.text.Upper("short_name"), name="network_short_name_upper"),
        ),
        migrations.RunPython(add_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
