"""A default privacy statement that the office adapts in the admin."""

from django.db import migrations

TITLE_DE = "Datenschutzerklärung"
BODY_DE = """Diese Erklärung informiert Sie nach Artikel 13 der Datenschutz-Grundverordnung (DSGVO) darüber, welche personenbezogenen Daten beim Besuch dieses Verzeichnisses verarbeitet werden.

## Verantwortliche Stelle

Kreisausschuss des Landkreises Darmstadt-Dieburg
Büro für Migration und Inklusion
Jägertorstraße 207
64289 Darmstadt

## Datenschutzbeauftragte Person

Sie erreichen die behördliche Datenschutzbeauftragte Person des Landkreises Darmstadt-Dieburg unter der oben genannten Anschrift mit dem Zusatz „Datenschutzbeauftragte Person“.

## Zweck und Rechtsgrundlage

Das Büro für Migration und Inklusion betreibt dieses Verzeichnis, um über die Netzwerke zu Migration, Integration und Inklusion im Landkreis zu informieren. Das ist eine Aufgabe im öffentlichen Interesse. Rechtsgrundlage ist Artikel 6 Absatz 1 Buchstabe e DSGVO in Verbindung mit § 3 des Hessischen Datenschutz- und Informationsfreiheitsgesetzes (HDSIG).

## Server-Protokolle

Bei jedem Aufruf einer Seite speichert der Server vorübergehend: die IP-Adresse Ihres Geräts, Datum und Uhrzeit, die aufgerufene Adresse, den Statuscode, die übertragene Datenmenge sowie die Angaben Ihres Browsers zu Browser und Betriebssystem. Diese Daten brauchen wir, um die Seiten auszuliefern und die Sicherheit des Angebots zu gewährleisten. Die Protokolle werden nach höchstens sieben Tagen gelöscht. Eine Zusammenführung mit anderen Daten findet nicht statt.

## Keine Analyse, keine fremden Inhalte

Wir setzen keine Werkzeuge zur Reichweitenmessung oder zum Tracking ein. Alle Seiten, Schriften und Bilder werden von unserem eigenen Server geladen; es werden keine Inhalte anderer Anbieter eingebunden. Das öffentliche Verzeichnis setzt keine Cookies.

## Personen im Verzeichnis

Das Verzeichnis nennt Organisationen und Funktionen. Namen von Personen veröffentlichen wir nur, wenn die betreffende Person eingewilligt hat. Eine Einwilligung können Sie jederzeit mit Wirkung für die Zukunft widerrufen.

## Ihre Rechte

Sie haben das Recht auf Auskunft (Artikel 15 DSGVO), Berichtigung (Artikel 16), Löschung (Artikel 17), Einschränkung der Verarbeitung (Artikel 18) und Widerspruch (Artikel 21). Wenden Sie sich dafür an die verantwortliche Stelle.

## Beschwerderecht

Sie können sich bei der Aufsichtsbehörde beschweren: Der Hessische Beauftragte für Datenschutz und Informationsfreiheit, Postfach 3163, 65021 Wiesbaden."""

TITLE_EN = "Privacy statement"
BODY_EN = """This statement tells you, as required by Article 13 of the General Data Protection Regulation (GDPR), which personal data are processed when you use this directory.

## Controller

Kreisausschuss des Landkreises Darmstadt-Dieburg
Büro für Migration und Inklusion
Jägertorstraße 207
64289 Darmstadt, Germany

## Data protection officer

You can reach the data protection officer of the Landkreis Darmstadt-Dieburg at the address above, marked "Datenschutzbeauftragte Person".

## Purpose and legal basis

The Büro für Migration und Inklusion runs this directory to inform the public about the networks on migration, integration and inclusion in the county. This is a task carried out in the public interest. The legal basis is Article 6(1)(e) GDPR together with § 3 of the Hessian Data Protection and Freedom of Information Act (HDSIG).

## Server logs

With every page you open, the server briefly stores: the IP address of your device, date and time, the address requested, the status code, the amount of data sent, and what your browser reports about itself and your operating system. We need these data to deliver the pages and to keep the service secure. The logs are deleted after seven days at the latest. They are not combined with any other data.

## No analytics, no third-party content

We use no tools for audience measurement or tracking. All pages, fonts and images come from our own server; no content of other providers is embedded. The public directory sets no cookies.

## People in the directory

The directory names organisations and functions. We publish the names of people only when they have consented. You can withdraw your consent at any time with effect for the future.

## Your rights

You have the right of access (Article 15 GDPR), rectification (Article 16), erasure (Article 17), restriction of processing (Article 18) and to object (Article 21). Please contact the controller.

## Right to lodge a complaint

You can complain to the supervisory authority: Der Hessische Beauftragte für Datenschutz und Informationsfreiheit, Postfach 3163, 65021 Wiesbaden, Germany."""


def create_privacy_statement(apps, schema_editor):
    SitePage = apps.get_model("portal", "SitePage")
    SitePage.objects.get_or_create(
        key="privacy",
        defaults={"title_de": TITLE_DE, "body_de": BODY_DE, "title_en": TITLE_EN, "body_en": BODY_EN},
    )


def remove_privacy_statement(apps, schema_editor):
    apps.get_model("portal", "SitePage").objects.filter(key="privacy").delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_site_page")]

    operations = [migrations.RunPython(create_privacy_statement, remove_privacy_statement)]
