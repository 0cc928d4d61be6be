"""The site identity of the county the reference data is for: the Büro für Migration und Inklusion of
the Landkreis Darmstadt-Dieburg, with the address its privacy statement names. Another county edits
it in the workspace (Website → Site identity)."""

from django.conf import settings
from django.db import migrations

COUNTY_AGS = "06432"


def office_email():
    """The address a deployment set before the identity lived in the database; none for the default ``@localhost`` one."""
    email = getattr(settings, "OFFICE_EMAIL", "")
    return "" if email.endswith("@localhost") else email


def create_identity(apps, schema_editor):
    SiteIdentity = apps.get_model("register", "SiteIdentity")
    Body = apps.get_model("register", "Body")
    if SiteIdentity.objects.exists():
        return
    SiteIdentity.objects.create(
        pk=1,
        office_name="Büro für Migration und Inklusion",
        home_body=Body.objects.filter(ags=COUNTY_AGS).first(),
        street_address="Jägertorstraße 207",
        postal_code="64289",
        locality="Darmstadt",
        email=office_email(),
    )


def remove_identity(apps, schema_editor):
    apps.get_model("register", "SiteIdentity").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("register", "0010_contact_details_and_site_identity")]

    operations = [migrations.RunPython(create_identity, remove_identity)]
