import register.models.site
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0023_meeting_start_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="translation",
            name="source_text",
            field=models.TextField(blank=True, default="", verbose_name="German text translated"),
        ),
        # An existing site keeps offering every language it offered so far.
        migrations.AddField(
            model_name="siteidentity",
            name="languages",
            field=models.JSONField(
                blank=True,
                default=register.models.site.site_languages,
                help_text=(
                    "Besides German, which is always offered. A language that is not ticked is missing from the "
                    "language switch, and its addresses lead to the German page."
                ),
                verbose_name="languages offered to visitors",
            ),
        ),
    ]
