"""The seats that may carry a composition flag whatever the day (deputies, seats with a reason for sitting
over the rules), by network: the start page reads them for every council (``register.composition``)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0033_network_text_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(
                condition=models.Q(
                    ("role", "deputy"), models.Q(("over_seats_reason", ""), _negated=True), _connector="OR"
                ),
                fields=["network"],
                name="membership_may_carry_flag",
            ),
        ),
    ]
