"""The county and its 23 municipalities as reference data.

The rows are written into this migration, as they were when it was made: a migration is history, and
editing a data file must not change what it did. Later changes to the municipalities need a new
migration.
"""

from django.db import migrations
from django.utils.text import slugify

GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})

# (AGS, name, kind) of the municipalities of the Landkreis Darmstadt-Dieburg.
MUNICIPALITIES = (
    ("06432001", "Alsbach-Hähnlein", "municipality"),
    ("06432002", "Babenhausen", "town"),
    ("06432003", "Bickenbach", "municipality"),
    ("06432004", "Dieburg", "town"),
    ("06432005", "Eppertshausen", "municipality"),
    ("06432006", "Erzhausen", "municipality"),
    ("06432007", "Fischbachtal", "municipality"),
    ("06432008", "Griesheim", "town"),
    ("06432009", "Groß-Bieberau", "town"),
    ("06432010", "Groß-Umstadt", "town"),
    ("06432011", "Groß-Zimmern", "municipality"),
    ("06432012", "Messel", "municipality"),
    ("06432013", "Modautal", "municipality"),
    ("06432014", "Mühltal", "municipality"),
    ("06432015", "Münster (Hessen)", "municipality"),
    ("06432016", "Ober-Ramstadt", "town"),
    ("06432017", "Otzberg", "municipality"),
    ("06432018", "Pfungstadt", "town"),
    ("06432019", "Reinheim", "town"),
    ("06432020", "Roßdorf", "municipality"),
    ("06432021", "Schaafheim", "municipality"),
    ("06432022", "Seeheim-Jugenheim", "municipality"),
    ("06432023", "Weiterstadt", "town"),
)


def load(apps, schema_editor):
    Body = apps.get_model("register", "Body")
    Municipality = apps.get_model("register", "Municipality")
    county, _created = Body.objects.get_or_create(
        ags="06432",
        defaults={"name": "Landkreis Darmstadt-Dieburg", "short_name": "LaDaDi", "slug": "landkreis-darmstadt-dieburg"},
    )
    for ags, name, kind in MUNICIPALITIES:
        slug = slugify(name.translate(GERMAN_LETTERS))
        Municipality.objects.update_or_create(
            ags=ags, defaults={"name": name, "kind": kind, "slug": slug, "county": county}
        )


def unload(apps, schema_editor):
    apps.get_model("register", "Municipality").objects.filter(ags__startswith="06432").delete()


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
