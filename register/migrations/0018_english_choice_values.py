"""Stored choice values in English for every model, as the other models have them already.

Networks' kind and OParl type and delegating councils' kind were stored in German. The rows and the
values in the change history (so that an older change can still be undone) are converted; backwards
the German values come back.
"""

from django.db import migrations, models

# (model, field): {German value: English value}
RENAMED = {
    ("network", "classification"): {
        "arbeitskreis": "working_group",
        "fachbeirat": "expert_board",
        "beirat": "council",
        "forum": "forum",
        "programm": "programme",
        "sonstiges": "other",
    },
    ("network", "organization_type"): {"Gremium": "committee", "Sonstiges": "other"},
    ("delegatingcouncil", "kind"): {
        "auslaenderbeirat": "foreign_residents_council",
        "integrationskommission": "integration_commission",
        "other": "other",
    },
}


def convert(apps, forwards):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ChangeRecord = apps.get_model("register", "ChangeRecord")
    for (model_name, field), values in RENAMED.items():
        mapping = values if forwards else {new: old for old, new in values.items()}
        model = apps.get_model("register", model_name)
        for old, new in mapping.items():
            if old != new:
                model.objects.filter(**{field: old}).update(**{field: new})
        content_type = ContentType.objects.filter(app_label="register", model=model_name).first()
        if content_type is None:
            continue
        for record in ChangeRecord.objects.filter(content_type=content_type).iterator():
            pair = record.changes.get(field)
            if not isinstance(pair, list) or not any(isinstance(value, str) and value in mapping for value in pair):
                continue
            record.changes[field] = [mapping.get(value, value) if isinstance(value, str) else value for value in pair]
            record.save(update_fields=["changes"])


def to_english(apps, schema_editor):
    convert(apps, forwards=True)


def to_german(apps, schema_editor):
    convert(apps, forwards=False)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('register', '0017_network_organisation_and_history_notes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='delegatingcouncil',
            name='kind',
            field=models.CharField(choices=[('foreign_residents_council', "foreign residents' council (Ausländerbeirat, § 84 HGO)"), ('integration_commission', 'integration commission (§ 89 HGO)'), ('other', 'other body')], default='foreign_residents_council', max_length=30, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='network',
            name='classification',
            field=models.CharField(choices=[('working_group', 'Working group'), ('expert_board', 'Advisory board'), ('council', 'Elected advisory council'), ('forum', 'Forum'), ('programme', 'Funding programme and exchange'), ('other', 'Other network')], default='other', max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='network',
            name='organization_type',
            field=models.CharField(choices=[('committee', 'committee (Gremium)'), ('other', 'other (Sonstiges)')], default='other', max_length=20, verbose_name='OParl organisation type'),
        ),
        migrations.RunPython(to_english, to_german),
    ]
