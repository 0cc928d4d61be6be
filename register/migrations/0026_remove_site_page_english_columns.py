from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0025_site_page_english_into_translations"),
    ]

    operations = [
        migrations.RemoveField(model_name="sitepage", name="title_en"),
        migrations.RemoveField(model_name="sitepage", name="body_en"),
        # German only now: the columns need not say so.
        migrations.AlterField(
            model_name="sitepage", name="title_de", field=models.CharField(max_length=200, verbose_name="title")
        ),
        migrations.AlterField(model_name="sitepage", name="body_de", field=models.TextField(verbose_name="text")),
    ]
