"""The county and its 23 municipalities as reference data."""

import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})

DATA = Path(__file__).resolve().parent.parent / "data" / "municipalities.csv"


def load(apps, schema_editor):
    Body = apps.get_model("register", "Body")
    Municipality = apps.get_model("register", "Municipality")
    county, _created = Body.objects.get_or_create(
        ags="06432",
        defaults={"name": "Landkreis Darmstadt-Dieburg", "short_name": "LaDaDi", "slug": "landkreis-darmstadt-dieburg"},
    )
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            slug = slugify(row["name"].translate(GERMAN_LETTERS))
            Municipality.objects.update_or_create(
                ags=row["ags"], defaults={"name": row["name"], "kind": row["kind"], "slug": slug, "county": county}
            )


def unload(apps, schema_editor):
    apps.get_model("register", "Municipality").objects.filter(ags__startswith="06432").delete()


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
