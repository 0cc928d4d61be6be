"""The site pages (privacy statement and the pages the law asks for) join the site identity in the
register: the portal shows them and the workspace edits them. The table stays as it is."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0011_site_identity_for_the_county"),
        ("portal", "0003_search_document"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SitePage",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(choices=[("privacy", "Privacy statement")], max_length=40, unique=True, verbose_name="page")),
                        ("title_de", models.CharField(max_length=200, verbose_name="title (German)")),
                        ("body_de", models.TextField(verbose_name="text (German)")),
                        ("title_en", models.CharField(blank=True, help_text="Empty: the German title is shown.", max_length=200, verbose_name="title (English)")),
                        ("body_en", models.TextField(blank=True, help_text="Empty: the German text is shown, marked as German.", verbose_name="text (English)")),
                        ("modified", models.DateTimeField(auto_now=True, verbose_name="last changed")),
                    ],
                    options={
                        "verbose_name": "site page",
                        "verbose_name_plural": "site pages",
                        "ordering": ["key"],
                        "db_table": "portal_sitepage",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(models.Q(("title_de", ""), _negated=True), models.Q(("body_de", ""), _negated=True)),
                                name="site_page_german_text_required",
                                violation_error_message="Give the page a German title and text.",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
