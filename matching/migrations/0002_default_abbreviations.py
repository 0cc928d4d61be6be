"""The default list of abbreviations, synonyms and former names of the social sector."""

from django.db import migrations

DEFAULTS = [
    ("DRK", "Deutsches Rotes Kreuz", "abbreviation"),
    ("AWO", "Arbeiterwohlfahrt", "abbreviation"),
    ("IB", "Internationaler Bund", "abbreviation"),
    ("BAMF", "Bundesamt für Migration und Flüchtlinge", "abbreviation"),
    ("VHS", "Volkshochschule", "abbreviation"),
    ("KfB", "Kreisagentur für Beschäftigung", "abbreviation"),
    ("Ev.", "Evangelisch", "abbreviation"),
    ("Evang.", "Evangelisch", "abbreviation"),
    ("Kath.", "Katholisch", "abbreviation"),
    ("Diakonie", "Diakonisches Werk", "synonym"),
    ("Paritätischer", "Paritätischer Wohlfahrtsverband", "synonym"),
    ("Caritas", "Caritasverband", "synonym"),
    ("DGB", "Deutscher Gewerkschaftsbund", "abbreviation"),
    ("IHK", "Industrie- und Handelskammer", "abbreviation"),
    ("HWK", "Handwerkskammer", "abbreviation"),
    ("DPWV", "Paritätischer Wohlfahrtsverband", "abbreviation"),
    ("ASB", "Arbeiter-Samariter-Bund", "abbreviation"),
    ("JMD", "Jugendmigrationsdienst", "abbreviation"),
    ("MBE", "Migrationsberatung für erwachsene Zuwanderer", "abbreviation"),
    ("SPZ", "Sozialpädiatrisches Zentrum", "abbreviation"),
    ("MGH", "Mehrgenerationenhaus", "abbreviation"),
    ("SkF", "Sozialdienst katholischer Frauen", "abbreviation"),
    ("SKM", "Sozialdienst katholischer Männer", "abbreviation"),
    ("KAB", "Kreisausländerbeirat", "abbreviation"),
    ("HMSI", "Hessisches Ministerium für Soziales und Integration", "abbreviation"),
    ("Jobcenter", "Kreisagentur für Beschäftigung", "synonym"),
    ("Arbeitsamt", "Agentur für Arbeit", "former"),
    ("Studentenwerk", "Studierendenwerk", "former"),
    ("Ausländerbeirat", "Integrationsbeirat", "former"),
]


def add_defaults(apps, schema_editor):
    Abbreviation = apps.get_model("matching", "Abbreviation")
    for short_form, long_form, kind in DEFAULTS:
        Abbreviation.objects.get_or_create(short_form=short_form, long_form=long_form, defaults={"kind": kind})


def remove_defaults(apps, schema_editor):
    Abbreviation = apps.get_model("matching", "Abbreviation")
    for short_form, long_form, _kind in DEFAULTS:
        Abbreviation.objects.filter(short_form=short_form, long_form=long_form).delete()


class Migration(migrations.Migration):
    dependencies = [("matching", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
