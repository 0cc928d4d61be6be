"""The survey's invitation is a SurveyInvitation: "Invitation" is the meeting's (meetings.Invitation)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0002_held_responses_and_final_shuffle"),
        ("register", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel(old_name="Invitation", new_name="SurveyInvitation"),
        migrations.AlterModelOptions(
            name="surveyinvitation",
            options={
                "ordering": ["survey", "pk"],
                "verbose_name": "survey invitation",
                "verbose_name_plural": "survey invitations",
            },
        ),
        migrations.AlterField(
            model_name="surveyinvitation",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="survey_invitations",
                to="register.person",
                verbose_name="person",
            ),
        ),
    ]
