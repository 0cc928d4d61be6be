"""The site pages now belong to the register (register.0012_site_page_moves_here); the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_search_document"),
        ("register", "0012_site_page_moves_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="SitePage")], database_operations=[]),
    ]
