"""The pages every public site needs, the forms that reach the office, and the site identity as data."""

import json
import re

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import OutgoingMail
from portal.forms import MessageForm
from register.models import Body, Network, SiteIdentity, SitePage
from register.permissions import OFFICE_GROUP
from register.translations import translate, translated

PAGES = {
    "/impressum/": ("Impressum", "Imprint"),
    "/barrierefreiheit/": ("Erklärung zur Barrierefreiheit", "Accessibility statement"),
    "/kontakt/": ("Kontakt", "Contact"),
    "/datenschutz/": ("Datenschutzerklärung", "Privacy statement"),
    "/offene-daten/": ("Offene Daten", "Open data"),
}
FOOTER_LINKS = ["/kontakt/", "/impressum/", "/datenschutz/", "/barrierefreiheit/", "/offene-daten/"]


def heading(html):
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_exists_in_german_and_english(client, db, path):
    german, english = PAGES[path]
    assert heading(client.get(path).content.decode()) == german
    html = client.get(f"/en{path}").content.decode()
    assert heading(html) == english and '<html lang="en" dir="ltr">' in html


@pytest.mark.parametrize("path", ["/", "/netzwerke/", "/suche/", "/impressum/", "/arbeitsbereich/anmelden/"])
def test_every_page_links_the_mandatory_pages_in_its_footer(client, db, path):
    for prefix in ["", "/en"]:
        html = client.get(f"{prefix}{path}").content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        for link in FOOTER_LINKS:
            assert f'href="{prefix}{link}"' in footer, (prefix, path, link)
        assert "Jägertorstraße 207" in footer and "Büro für Migration und Inklusion" in footer


def test_demo_texts_are_marked_as_examples_and_state_nothing_unknown_as_fact(client, db):
    for key in ["imprint", "accessibility", "contact"]:
        page = SitePage.objects.get(key=key)
        assert page.is_example and translated(page, "body_de", "en").lang == "en"
        assert "noch nicht eingetragen" in page.body_de.lower() or key == "accessibility"
    html = client.get("/impressum/").content.decode()
    assert "Beispieltext." in html and 'class="example-notice"' in html
    assert "Jägertorstraße 207" in html  # the one address the project knows, from the privacy statement
    privacy = client.get("/datenschutz/").content.decode()
    assert 'class="example-notice"' not in privacy
    page = SitePage.objects.get(key="imprint")
    page.is_example = False
    page.save()
    assert "Beispieltext." not in client.get("/impressum/").content.decode()


def test_accessibility_statement_has_what_the_hessian_rules_ask_for(client, db):
    html = client.get("/barrierefreiheit/").content.decode()
    page = SitePage.objects.get(key="accessibility")
    assert "Stand der Vereinbarkeit" in html and "teilweise vereinbar" in html
    assert f'<time datetime="{page.reviewed_on:%Y-%m-%d}">' in html
    assert "<h2>Nicht barrierefreie Inhalte</h2>" in html and "Netzwerkkarte" in html
    assert "HVBIT" in html and "HessBGG" in html
    assert f'href="{reverse("portal:report_barrier")}"' in html
    assert "<h2>Durchsetzungsverfahren</h2>" in html and "Regierungspräsidium Gießen" in html
    assert '<a href="https://lbit.hessen.de/' in html  # the application form, as a link
    english = client.get("/en/barrierefreiheit/").content.decode()
    assert "partially compliant" in english and "Enforcement procedure" in english


def test_accessibility_statement_must_state_conformity_and_date(db):
    page = SitePage.objects.get(key="accessibility")
    page.conformity, page.reviewed_on = "", None
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "state of conformity" in str(error.value) or "Stand der Vereinbarkeit" in str(error.value)


def report(client, path="/barrierefreiheit/barriere-melden/", **data):
    return client.post(path, {"name": "", "email": "", "page": "", "message": "", "homepage": "", **data})


def test_a_reported_barrier_reaches_the_office_through_the_outbox(client, db):
    identity = SiteIdentity.load()
    identity.email = "migration@example.org"
    identity.save()
    response = report(
        client, email="leser@example.org", page="/analyse/", message="Die Karte ist mit dem Screenreader leer."
    )
    assert response.status_code == 302 and response["Location"] == "/barrierefreiheit/"
    mail = OutgoingMail.objects.get()
    assert mail.recipient == "migration@example.org"
    assert mail.subject == "Barriere auf der Website gemeldet"
    assert "Die Karte ist mit dem Screenreader leer." in mail.body and "leser@example.org" in mail.body
    assert "/analyse/" in mail.body and "sechs Wochen" in mail.body
    assert "Ihre Nachricht wurde an das Büro gesendet" in client.get("/barrierefreiheit/").content.decode()


def test_without_an_address_messages_go_to_the_office_administrators(client, db, django_user_model):
    assert SiteIdentity.load().email == ""
    office = django_user_model.objects.create_user("office", "buero@example.org", "pw-long-enough-42")
    office.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    django_user_model.objects.create_user("member", "mitglied@example.org", "pw-long-enough-42")
    assert report(client, message="Kontrast zu schwach.").status_code == 302
    assert list(OutgoingMail.objects.values_list("recipient", flat=True)) == ["buero@example.org"]


def test_when_nobody_can_receive_messages_the_form_says_so_and_stores_nothing(client, db):
    response = report(client, message="Hallo")
    assert response.status_code == 503
    assert "per Post" in response.content.decode() and not OutgoingMail.objects.exists()


def test_invalid_message_names_the_field_and_ties_the_error_to_it(client, db):
    response = report(client, email="kein-mail")
    html = response.content.decode()
    assert response.status_code == 200 and not OutgoingMail.objects.exists()
    assert "Die Nachricht wurde nicht gesendet" in html
    for field in ["message", "email"]:
        described = re.search(rf'id="id_{field}"[^>]*aria-describedby="([^"]+)"', html) or re.search(
            rf'aria-describedby="([^"]+)"[^>]*id="id_{field}"', html
        )
        for target in described.group(1).split():
            assert f'id="{target}"' in html, (field, target)


def test_the_honeypot_and_the_rate_limit_stop_robots(client, db):
    identity = SiteIdentity.load()
    identity.email = "migration@example.org"
    identity.save()
    assert report(client, message="Spam", homepage="http://spam.example").status_code == 200
    assert not OutgoingMail.objects.exists()
    for _number in range(5):
        assert report(client, path="/kontakt/nachricht/", message="Frage").status_code == 302
    limited = report(client, path="/kontakt/nachricht/", message="Frage")
    assert limited.status_code == 429 and OutgoingMail.objects.count() == 5


def test_a_message_about_a_network_goes_to_its_contact_mailbox(client, demo):
    identity = SiteIdentity.load()
    identity.email = "migration@example.org"
    identity.save()
    forum = Network.objects.get(name="Inklusionsforum im LaDaDi")
    form = client.get(f"/kontakt/nachricht/?netzwerk={forum.slug}").content.decode()
    assert f'<option value="{forum.slug}" selected>' in form  # German names on the German page: no mark
    report(client, path="/kontakt/nachricht/", network=forum.slug, message="Gibt es Gebärdensprache?")
    assert OutgoingMail.objects.get().recipient == "migration@example.org"  # no mailbox of its own yet
    forum.contact_email = "inklusion@example.org"
    forum.save()
    report(client, path="/kontakt/nachricht/", network=forum.slug, message="Und Induktionsschleife?")
    mail = OutgoingMail.objects.latest("pk")
    assert mail.recipient == "inklusion@example.org" and "Nachricht zu Inklusionsforum im LaDaDi" in mail.subject


def test_the_message_form_finds_networks_by_search_beyond_the_listed_number(client, demo, monkeypatch):
    """Up to ``SearchSelect.FULL_LIST`` networks the form lists them all (it works without JavaScript); beyond,
    only the chosen one – a country's 10,000 networks were a megabyte of options – and the public options
    endpoint finds the others by name, in the visitor's language. The form takes any network."""
    identity = SiteIdentity.load()
    identity.email = "migration@example.org"
    identity.save()
    forum = Network.objects.get(name="Inklusionsforum im LaDaDi")
    translate(forum, "name", "en", "Inclusion Forum in LaDaDi")

    def network_select(path):
        return client.get(path).content.decode().split('data-options="networks"')[1].split("</select>")[0]

    page = client.get("/kontakt/nachricht/").content.decode()
    assert f'data-options-url="{reverse("analysis:options", args=["KIND"])}"' in page
    options = reverse("analysis:options", args=["networks"])
    assert network_select("/kontakt/nachricht/").count("<option") == Network.objects.count() + 1
    monkeypatch.setattr(MessageForm.base_fields["network"].widget, "full_list", 1)
    assert network_select("/kontakt/nachricht/?leer").count("<option") == 1  # only "no particular network"
    found = client.get(options, {"q": "inklusionsforum ladadi"}).json()
    assert found == {"results": [{"value": forum.slug, "text": "Inklusionsforum im LaDaDi"}]}
    chosen = network_select(f"/en/kontakt/nachricht/?netzwerk={forum.slug}")
    assert (
        chosen.count("<option") == 2 and f'<option value="{forum.slug}" selected>Inclusion Forum in LaDaDi<' in chosen
    )
    found = client.get(f"/en{options}", {"q": "inklusionsforum"}).json()
    assert found == {"results": [{"value": forum.slug, "text": "Inclusion Forum in LaDaDi"}]}
    assert (
        report(client, path="/kontakt/nachricht/", network=forum.slug, message="Gibt es Gebärdensprache?").status_code
        == 302
    )
    assert "Inklusionsforum im LaDaDi" in OutgoingMail.objects.get().subject


def test_a_network_page_links_the_calendar_of_its_public_dates(client, demo, time_machine):
    forum = Network.objects.get(name="Inklusionsforum im LaDaDi")
    # On the day of its first public date: a feed holds the dates of the last year and those to come.
    time_machine.move_to(forum.events.filter(is_public=True).earliest("start").start)
    feed = reverse("meetings:network_feed", args=[forum.slug])
    assert f'href="{feed}"' in client.get(forum.get_absolute_url()).content.decode()
    response = client.get(feed)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    summaries = {str(part["SUMMARY"]) for part in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    titles = set(forum.events.filter(is_public=True).values_list("title", flat=True))
    assert titles and titles <= summaries


def test_the_open_data_page_stays_the_same_however_many_networks_there_are(client, demo):
    first = client.get("/offene-daten/?vorher").content
    Network.objects.bulk_create(Network(name=f"Netzwerk {number}", slug=f"netzwerk-{number}") for number in range(50))
    with CaptureQueriesContext(connection) as context:
        # Another address than the first (the page cache); the page names its address in its language links.
        assert client.get("/offene-daten/?nachher").content.replace(b"nachher", b"vorher") == first
    assert not any("register_network" in query["sql"] for query in context.captured_queries)


def test_contact_page_shows_the_office_from_the_site_identity(client, db):
    html = client.get("/kontakt/").content.decode()
    assert "Jägertorstraße 207" in html and "64289 Darmstadt" in html and 'href="/kontakt/nachricht/"' in html
    assert "mailto:" not in html  # no address is known yet, and none is invented
    identity = SiteIdentity.load()
    identity.email, identity.phone = "migration@example.org", "06151 000-0"
    identity.save()
    html = client.get("/kontakt/").content.decode()
    assert 'href="mailto:migration@example.org"' in html and 'href="tel:06151000-0"' in html


def test_another_county_runs_the_product_by_editing_the_identity_not_the_code(client, db):
    from meetings.calendar import organizer_address

    county = Body.objects.create(name="Landkreis Musterland", slug="landkreis-musterland", ags="06999")
    identity = SiteIdentity.load()
    identity.office_name = "Integrationsbüro"
    identity.home_body = county
    identity.street_address, identity.postal_code, identity.locality = "Marktplatz 1", "12345", "Musterstadt"
    identity.email = "integration@example.org"
    identity.save()
    assert Body.home_pk() == county.pk
    html = client.get("/").content.decode()
    assert "Darmstadt-Dieburg" not in html and "Büro für Migration" not in html
    assert (
        "Integrationsbüro · Landkreis Musterland" in html
        and "<title>" in html
        and "Landkreis Musterland</title>" in html
    )
    graph = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    office = graph["@graph"][0]
    assert office["name"] == "Integrationsbüro" and office["areaServed"] == "Landkreis Musterland"
    assert office["address"]["streetAddress"] == "Marktplatz 1"
    assert str(organizer_address()) == "mailto:integration@example.org"
    assert organizer_address().params["cn"] == "Integrationsbüro, Landkreis Musterland"
    system = client.get("/oparl/v1.1/system").json()
    assert system["name"] == "vernetzt – Integrationsbüro, Landkreis Musterland"
    assert system["contactEmail"] == "integration@example.org"


def test_the_identity_costs_no_query_once_cached_and_a_change_is_seen_at_once(db):
    SiteIdentity.current()
    with CaptureQueriesContext(connection) as context:
        assert SiteIdentity.current().office_name == "Büro für Migration und Inklusion"
    assert len(context.captured_queries) == 0
    identity = SiteIdentity.load()
    identity.office_name = "Neues Büro"
    identity.save()
    assert SiteIdentity.current().office_name == "Neues Büro"  # the changing transaction sees its change


def test_logo_is_served_from_the_database_and_shown_in_the_header(client, db):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    assert client.get("/logo").status_code == 404
    identity = SiteIdentity.objects.get(pk=1)
    identity.logo, identity.logo_type = png, "image/png"
    identity.save()
    response = client.get("/logo")
    assert response.status_code == 200 and response["Content-Type"] == "image/png" and response.content == png
    assert response["X-Content-Type-Options"] == "nosniff"
    html = client.get("/").content.decode()
    assert re.search(r'<img class="brand-logo" src="/logo\?v=\d+" alt=""', html)


def test_open_data_page_links_every_public_interface(client, demo):
    html = client.get("/offene-daten/").content.decode()
    links = set(re.findall(r'href="(/[^"#]*)"', html))
    expected = {
        "/oparl/v1.1/system",
        "/api/v1/",
        "/api/v1/docs/",
        "/api/v1/schema/",
        "/daten/netzwerke.csv",
        "/daten/netzwerke.xlsx",
        "/daten/organisationen.csv",
        "/daten/organisationen.xlsx",
        "/daten/mitgliedschaften.csv",
        "/daten/mitgliedschaften.xlsx",
        "/termine/kalender/oeffentlich.ics",
        "/netzwerke/",  # each network's page links its own calendar
        "/analyse/karte.gexf",
        "/analyse/karte.graphml",
        "/analyse/karte.csv",
        "/analyse/karte.json",
    }
    assert expected <= links
    for link in expected:
        assert client.get(link).status_code == 200, link
