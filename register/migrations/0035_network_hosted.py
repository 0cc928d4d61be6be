"""Networks keep whether a body hosts them (``Network.hosted``): the OParl lists of the home body find the
networks nobody hosts by an index instead of reading every network and host (5–7 ms at 10,000 networks)."""

from django.db import migrations, models


def mark_hosted(apps, schema_editor):
    Network = apps.get_model("register", "Network")
    Network.objects.filter(hosts__isnull=False).update(hosted=True)


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0034_membership_may_carry_flag"),
    ]

    operations = [
        migrations.AddField(
            model_name="network",
            name="hosted",
            field=models.BooleanField(default=False, editable=False, verbose_name="hosted by a body"),
        ),
        migrations.RunPython(mark_hosted, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="network",
            index=models.Index(condition=models.Q(("hosted", False)), fields=["id"], name="network_not_hosted"),
        ),
    ]
