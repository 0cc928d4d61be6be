"""The pages the law asks of a public body's site – imprint, accessibility statement, contact – as
example text for the Landkreis Darmstadt-Dieburg, marked as such until the office replaces it.

Only what the project already states is given as fact (the office and its address, from the privacy
statement). Everything the county has to fill in says so. The English text is a translation.
"""

import datetime
import importlib

from django.db import migrations

IMPRINT_DE = """Angaben nach § 5 Digitale-Dienste-Gesetz (DDG) und § 18 Medienstaatsvertrag (MStV).

## Herausgeber

Kreisausschuss des Landkreises Darmstadt-Dieburg
Büro für Migration und Inklusion
Jägertorstraße 207
64289 Darmstadt

Der Landkreis Darmstadt-Dieburg ist eine Körperschaft des öffentlichen Rechts. Er wird durch den Kreisausschuss vertreten.

## Kontakt

Telefon und E-Mail-Adresse: noch nicht eingetragen – das Büro ergänzt sie hier und unter „Website“ im Arbeitsbereich.
Sie können uns jederzeit über das Kontaktformular schreiben (Seite „Kontakt“).

## Verantwortlich für den Inhalt

Noch nicht eingetragen: Name und Anschrift der nach § 18 Absatz 2 MStV verantwortlichen Person.

## Herkunft der Angaben

Die Beschreibungen der Netzwerke und die Listen ihrer Mitglieder stammen von der Seite „Netzwerkarbeit“ des Büros für Migration und Inklusion. Organisationen können ihre Angaben über einen Link, den sie vom Büro erhalten, selbst berichtigen.

## Haftung für Links

Für die Inhalte verlinkter Seiten anderer Anbieter sind deren Betreiber verantwortlich. Wenn uns ein Rechtsverstoß auf einer verlinkten Seite bekannt wird, entfernen wir den Link."""

IMPRINT_EN = """Information under section 5 of the German Digital Services Act (DDG) and section 18 of the Interstate Media Treaty (MStV).

## Publisher

Kreisausschuss des Landkreises Darmstadt-Dieburg
Büro für Migration und Inklusion
Jägertorstraße 207
64289 Darmstadt, Germany

The Landkreis Darmstadt-Dieburg is a public-law corporation. It is represented by the Kreisausschuss (county executive committee).

## Contact

Phone and e-mail address: not entered yet – the office adds them here and under "Website" in the workspace.
You can write to us at any time through the contact form (page "Contact").

## Responsible for the content

Not entered yet: name and address of the person responsible under section 18(2) MStV.

## Source of the information

The descriptions of the networks and the lists of their members come from the page "Netzwerkarbeit" of the Büro für Migration und Inklusion. Organisations can correct their entries themselves through a link they receive from the office.

## Liability for links

The operators of linked pages of other providers are responsible for their content. If we learn of an infringement on a linked page, we remove the link."""

ACCESSIBILITY_DE = """Der Landkreis Darmstadt-Dieburg ist bemüht, dieses Netzwerkverzeichnis im Einklang mit dem Hessischen Behinderten-Gleichstellungsgesetz (HessBGG) und der Hessischen Verordnung über barrierefreie Informationstechnik (HVBIT) zur Umsetzung der Richtlinie (EU) 2016/2102 barrierefrei zugänglich zu machen.

## Geltungsbereich

Diese Erklärung gilt für die öffentlichen Seiten dieses Netzwerkverzeichnisses: die Netzwerke, Organisationen, Veranstaltungen, die Suche und die Netzwerkkarte.

## Stand der Vereinbarkeit mit den Anforderungen

Die Anforderungen ergeben sich aus §§ 3 und 4 HVBIT. Die Angabe oben beruht auf einer Selbstbewertung: Jede öffentliche Seite wird bei jeder Änderung der Software automatisch mit axe-core nach den Regeln der WCAG 2.1, Stufen A und AA, geprüft, in einem Desktop-Browser und auf einem Smartphone-Bildschirm, auf Deutsch und auf Englisch, und mit der Tastatur bedient.

## Nicht barrierefreie Inhalte

Die folgenden Inhalte sind nicht oder nur eingeschränkt barrierefrei:

- Die grafische Netzwerkkarte lässt sich mit einem Screenreader nur eingeschränkt nutzen. Dieselben Verbindungen stehen in einer Tabelle unter der Karte.
- Die Beschreibungen der Netzwerke sind auf Deutsch; auf den englischen Seiten sind sie als deutscher Text gekennzeichnet. Eine Zusammenfassung in Leichter Sprache gibt es bisher nur für einzelne Netzwerke.
- Dokumente, die Netzwerke zu ihren Sitzungen hochladen (zum Beispiel Protokolle als PDF), sind nicht in jedem Fall barrierefrei. Auf Wunsch senden wir Ihnen den Inhalt in einer zugänglichen Form.
- Videos in Deutscher Gebärdensprache gibt es bisher nicht.

## Barriere melden

Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen, oder brauchen Sie einen Inhalt in einer anderen Form? Schreiben Sie uns über das Formular „Barriere melden“ oder an die unter „Kontakt“ genannte Anschrift. Wir antworten Ihnen so schnell wie möglich, spätestens innerhalb von sechs Wochen.

## Durchsetzungsverfahren

Wenn Sie innerhalb von sechs Wochen keine zufriedenstellende Antwort von uns erhalten, können Sie die Durchsetzungsstelle des Landes Hessen einschalten (§ 6 HVBIT). Sie prüft Ihr Anliegen und vermittelt zwischen Ihnen und uns; das Verfahren ist für Sie kostenlos.

Durchsetzungs- und Überwachungsstelle Barrierefreie Informationstechnik des Landes Hessen
bei der Landesbeauftragten für barrierefreie IT
Regierungspräsidium Gießen
Landgraf-Philipp-Platz 1–7
35390 Gießen
Antragsformular: https://lbit.hessen.de/Durchsetzungs-und-Ueberwachungsstelle/Durchsetzungsverfahren-beantragen"""

ACCESSIBILITY_EN = """The Landkreis Darmstadt-Dieburg strives to make this network directory accessible in accordance with the Hessian Disability Equality Act (HessBGG) and the Hessian Ordinance on Accessible Information Technology (HVBIT), which implement Directive (EU) 2016/2102.

## Scope

This statement applies to the public pages of this network directory: the networks, organisations, events, the search and the network map.

## Compliance status

The requirements follow from sections 3 and 4 HVBIT. The status above is based on a self-assessment: with every change of the software, each public page is checked automatically with axe-core against the rules of WCAG 2.1, levels A and AA, in a desktop browser and on a smartphone screen, in German and in English, and operated with the keyboard.

## Content that is not accessible

The following content is not accessible, or only in part:

- The graphical network map can be used with a screen reader only in part. The same connections are listed in a table below the map.
- The descriptions of the networks are in German; on the English pages they are marked as German text. A summary in Easy German (Leichte Sprache) exists only for some networks so far.
- Documents that networks upload for their meetings (for example minutes as PDF) are not always accessible. On request we send you their content in an accessible form.
- There are no videos in German Sign Language yet.

## Report a barrier

Have you found a barrier, or do you need content in another form? Write to us through the form "Report a barrier" or to the address given under "Contact". We answer as soon as we can, within six weeks at the latest.

## Enforcement procedure

If you do not receive a satisfactory answer from us within six weeks, you can turn to the enforcement body of the State of Hesse (section 6 HVBIT). It examines your request and mediates between you and us; the procedure is free of charge for you.

Durchsetzungs- und Überwachungsstelle Barrierefreie Informationstechnik des Landes Hessen
(enforcement and monitoring body for accessible IT of the State of Hesse)
Regierungspräsidium Gießen
Landgraf-Philipp-Platz 1–7
35390 Gießen, Germany
Application form: https://lbit.hessen.de/Durchsetzungs-und-Ueberwachungsstelle/Durchsetzungsverfahren-beantragen"""

CONTACT_DE = """Das Büro für Migration und Inklusion koordiniert die Netzwerke zu Migration, Integration und Inklusion im Landkreis. Schreiben Sie uns, wenn Sie Fragen zu einem Netzwerk haben, mitarbeiten möchten oder Angaben in diesem Verzeichnis berichtigen wollen.

## Sprechzeiten

Noch nicht eingetragen – das Büro ergänzt hier seine Sprechzeiten und wie man es erreicht.

## Netzwerke

Jedes Netzwerk nennt auf seiner Seite, wer es koordiniert und wie Sie die Ansprechstelle erreichen. Mit dem Formular können Sie auch eine Nachricht zu einem bestimmten Netzwerk schicken."""

CONTACT_EN = """The Büro für Migration und Inklusion coordinates the networks on migration, integration and inclusion in the county. Write to us if you have questions about a network, would like to take part, or want to correct information in this directory.

## Office hours

Not entered yet – the office adds its office hours here and how to reach it.

## Networks

Each network names on its page who coordinates it and how to reach its contact. With the form you can also send a message about a particular network."""

PAGES = {
    "imprint": {"title_de": "Impressum", "body_de": IMPRINT_DE, "title_en": "Imprint", "body_en": IMPRINT_EN},
    "accessibility": {
        "title_de": "Erklärung zur Barrierefreiheit",
        "body_de": ACCESSIBILITY_DE,
        "title_en": "Accessibility statement",
        "body_en": ACCESSIBILITY_EN,
        "conformity": "partial",
    },
    "contact": {"title_de": "Kontakt", "body_de": CONTACT_DE, "title_en": "Contact", "body_en": CONTACT_EN},
}


def create_site_pages(apps, schema_editor):
    """All site pages, the privacy statement included (tests call this after emptying the tables)."""
    SitePage = apps.get_model("register", "SitePage")
    privacy = importlib.import_module("portal.migrations.0002_default_privacy_statement")
    SitePage.objects.get_or_create(
        key="privacy",
        defaults={
            "title_de": privacy.TITLE_DE,
            "body_de": privacy.BODY_DE,
            "title_en": privacy.TITLE_EN,
            "body_en": privacy.BODY_EN,
        },
    )
    for key, values in PAGES.items():
        defaults = {**values, "is_example": True}
        if key == "accessibility":
            defaults["reviewed_on"] = datetime.date.today()  # noqa: DTZ011 – the day the example is installed
        SitePage.objects.get_or_create(key=key, defaults=defaults)


def remove_site_pages(apps, schema_editor):
    apps.get_model("register", "SitePage").objects.filter(key__in=PAGES).delete()


class Migration(migrations.Migration):
    dependencies = [("register", "0013_site_page_fields")]

    operations = [migrations.RunPython(create_site_pages, remove_site_pages)]
