"""Networks keep the earliest date their published texts name (``Network.first_date_in_texts``): the office's
start page finds the texts that name a past date by it."""

from django.db import migrations, models

from register.prose_dates import PROSE_FIELDS, first_date_in


def fill(apps, schema_editor):
    Network = apps.get_model("register", "Network")
    networks = list(Network.objects.only("pk", *PROSE_FIELDS))
    for network in networks:
        network.first_date_in_texts = first_date_in(network)
    Network.objects.bulk_update(
        [network for network in networks if network.first_date_in_texts], ["first_date_in_texts"], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0030_network_classification_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="network",
            name="first_date_in_texts",
            field=models.DateField(editable=False, null=True, verbose_name="earliest date named in its texts"),
        ),
        migrations.AddIndex(
            model_name="network",
            index=models.Index(fields=["first_date_in_texts"], name="network_first_date_in_texts"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
