from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0022_site_page_english_into_translations"),
    ]

    operations = [
        migrations.RemoveField(model_name="sitepage", name="title_en"),
        migrations.RemoveField(model_name="sitepage", name="body_en"),
    ]
