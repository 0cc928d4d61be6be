"""The public pages: what they show, in both languages, and what they never show."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from register.models import Event, Membership, Network, Organisation, Person, SitePage, Topic
from register.translations import translate


def json_ld(response):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])["@graph"]


@pytest.fixture
def future_event(demo):
    network = Network.objects.get(short_name="", name="Inklusionsforum im LaDaDi")
    start = timezone.now() + dt.timedelta(days=30)
    return Event.objects.create(
        title="Inklusionsforum 2027",
        slug="inklusionsforum-2027",
        network=network,
        start=start,
        end=start + dt.timedelta(hours=2, minutes=30),
        host="Sozial- und Jugenddezernentin",
    )


def test_home_shows_purposes_networks_and_next_events(client, future_event):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de" dir="ltr">' in html
    for network in Network.objects.all():
        assert network.get_absolute_url() in html
        assert network.purpose in html
    assert "Gewählter Beirat" in html
    assert "Vermeidung von Doppelstrukturen" in html
    assert "Inklusionsforum 2027" in html
    assert "Inklusionsforum 2026" not in html  # in the past
    types = {item["@type"] for item in json_ld(response)}
    assert types == {"GovernmentOrganization", "Event"}


def test_english_home_is_translated_and_marks_german_content(client, demo):
    html = client.get("/en/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Our networks" in html
    assert '<input type="hidden" name="next" value="/"><button type="submit" lang="de">Deutsch</button>' in html
    assert '<a href="/en/netzwerke/mila/">Working Group on Migration in the County (MiLa)</a>' in html
    assert "Some texts on this page are not yet translated" not in html


def test_a_text_without_translation_is_marked_german_and_the_page_says_so_once(client, demo):
    mila = Network.objects.get(short_name="MiLa")
    translate(mila, "purpose", "en", "")
    html = client.get("/en/").content.decode()
    assert f'<p lang="de">{mila.purpose}</p>' in html
    assert html.count("Some texts on this page are not yet translated and are shown in German.") == 1
    assert html.index("</h1>") < html.index("not yet translated") < html.index("Working Group on Migration")
    german = client.get("/").content.decode()
    assert "untranslated-note" not in german and 'lang="de"><a' not in german


def test_kreisauslaenderbeirat_page_states_the_facts(client, demo):
    html = client.get("/netzwerke/kreisauslaenderbeirat-im-ladadi/").content.decode()
    assert "7 Mitglieder und 7 Stellvertreter" in html
    assert "§§ 84 bis 88 HGO" in html
    assert "1988" in html
    assert "nein, nur beratend" in html
    english = client.get("/en/netzwerke/kreisauslaenderbeirat-im-ladadi/").content.decode()
    assert "7 members and 7 deputies" in english
    assert "<dd>Sections 84 to 88 of the Hessian Municipal Code (HGO)" in english
    assert "7 members and 7 deputies: <span>Delegates of the municipal Foreign Residents" in english


def test_network_page_shows_hosts_focus_areas_and_members_by_category(client, demo):
    html = client.get("/netzwerke/mige/").content.decode()
    assert "Büro für Demokratie und gesellschaftlichen Zusammenhalt (Wissenschaftsstadt Darmstadt)" in html
    assert "Öffentlichkeitsarbeit" in html
    assert "Wohlfahrtsverband" in html
    paritaetische = Organisation.objects.get(name="Der PARITÄTISCHE")
    # The units hang under their organisation, which appears once.
    assert html.count(f'href="{paritaetische.get_absolute_url()}"') == 1
    assert "Koordination Ehrenamt in der Flüchtlingshilfe" in html
    forum = client.get("/netzwerke/interreligioeses-forum-im-landkreis-darmstadt-dieburg/").content.decode()
    assert "WIR-Koordination" in forum
    assert re.search(r"Organ des Landkreises</dt><dd>nein</dd>", forum)
    mila = client.get("/netzwerke/mila/").content.decode()
    assert 'Integrationsbeauftragte der kreisangehörigen Kommunen</span> <span class="tag">Gruppe von Akteur' in mila


def test_plain_language_summary_comes_first(client, demo):
    network = Network.objects.get(short_name="KAB")
    network.easy_language = "Der Kreis-Ausländer-Beirat hilft Menschen ohne deutschen Pass."
    network.description = "Erstmals 1988 gewählt."
    network.save()
    html = client.get(network.get_absolute_url()).content.decode()
    assert html.index("In Leichter Sprache") < html.index("Kreis-Ausländer-Beirat hilft") < html.index("Erstmals 1988")
    assert f'href="/de-x-ls{network.get_absolute_url()}" lang="de-x-ls"' in html


def test_in_leichte_sprache_the_summary_is_the_main_text_and_its_absence_is_said(client, demo):
    network = Network.objects.get(short_name="KAB")
    network.easy_language = "Der Kreis-Ausländer-Beirat hilft Menschen ohne deutschen Pass."
    network.description = "Erstmals 1988 gewählt."
    network.save()
    german = network.get_absolute_url()
    html = client.get(f"/de-x-ls{german}").content.decode()
    assert '<html lang="de-x-ls" dir="ltr">' in html
    heading, summary, more = "Das Netzwerk kurz erklärt", "Kreis-Ausländer-Beirat hilft", "Mehr über dieses Netzwerk"
    assert html.index(heading) < html.index(summary) < html.index(more) < html.index("Erstmals 1988")
    assert f'href="{german}" lang="de">Die ganze Seite in Alltags-Sprache lesen' in html
    # The interface in Leichte Sprache; what it has no words for in German.
    assert "Haupt-Menü" in html and "Das Wichtigste" in html and "Zum Inhalt springen" in html

    other = Network.objects.get(short_name="MiGe")
    other.easy_language = ""
    other.save()
    with translation.override("de-x-ls"):
        html = client.get(other.get_absolute_url()).content.decode()
    assert "Für dieses Netzwerk gibt es noch keinen Text in Leichter Sprache." in html
    assert "Hier ist der Text in Alltags-Sprache." in html and other.purpose in html
    assert "Mehr über dieses Netzwerk" not in html


def test_people_are_shown_only_with_consent_functions_always(client, demo):
    network = Network.objects.get(short_name="KAB")
    caritas = Organisation.objects.get(name="Caritasverband Darmstadt e.V.")
    hidden = Person.objects.create(given_name="Erika", family_name="Geheim", function="Geschäftsstelle des KAB")
    shown = Person.objects.create(
        given_name="Max",
        family_name="Offen",
        function="Vorsitz",
        consent_to_publish=True,
        consent_recorded_at=timezone.now(),
    )
    Membership.objects.create(network=network, person=hidden, on_behalf_of=caritas, role="office")
    Membership.objects.create(network=network, person=shown, role="chair")
    for url in [network.get_absolute_url(), caritas.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert "Geheim" not in html and "Erika" not in html
        assert "Geschäftsstelle des KAB" in html
    html = client.get(network.get_absolute_url()).content.decode()
    assert "Max Offen, Vorsitz" in html
    assert "Geheim" not in json.dumps(json_ld(client.get(network.get_absolute_url())))


def test_organisation_page_lists_units_and_networks_with_role(client, demo):
    paritaetische = Organisation.objects.get(name="Der PARITÄTISCHE")
    html = client.get(paritaetische.get_absolute_url()).content.decode()
    assert "Freiwilligenzentrum Darmstadt e.V." in html
    assert "Koordination Ehrenamt in der Flüchtlingshilfe" in html
    assert "Selbsthilfebüro Darmstadt" in html
    assert "Arbeitskreis Migration und Gesundheit (MiGe)" in html
    assert "<td>Mitglied</td>" in html
    data = json_ld(client.get(paritaetische.get_absolute_url()))[0]
    assert data["@type"] == "Organization"
    assert len(data["subOrganization"]) == 3
    assert data["memberOf"][0]["name"] == "Arbeitskreis Migration und Gesundheit (MiGe)"
    unit = Organisation.objects.get(name="Koordination Ehrenamt in der Flüchtlingshilfe")
    html = client.get(unit.get_absolute_url()).content.decode()
    assert "Freiwilligenzentrum Darmstadt e.V." in html  # the unit above it
    assert "<td>die Organisation selbst</td>" in html


def test_event_page_and_its_json_ld(client, future_event):
    response = client.get(future_event.get_absolute_url())
    assert response.status_code == 200
    data = json_ld(response)[0]
    assert data["@type"] == "Event"
    assert data["name"] == "Inklusionsforum 2027"
    assert data["organizer"]["name"] == "Inklusionsforum im LaDaDi"
    future_event.is_public = False
    future_event.save()
    assert client.get(future_event.get_absolute_url()).status_code == 404


def test_search_page_finds_and_filters(client, demo):
    html = client.get("/suche/", {"q": "Paritaetisch"}).content.decode()
    assert "Der PARITÄTISCHE - Selbsthilfebüro Darmstadt" in html
    html = client.get("/suche/", {"q": "", "kind": "council"}).content.decode()
    assert "Kreisausländerbeirat im LaDaDi" in html
    response = client.get("/suche/", {"kind": "gibtsnicht", "topic": "unbekannt"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Diese Art von Netzwerk gibt es nicht." in html
    assert "Dieses Thema gibt es nicht." in html
    assert 'class="results"' not in html


def test_privacy_page_text_is_edited_by_the_office(client, db):
    page = SitePage.objects.get(key="privacy")
    html = client.get("/datenschutz/").content.decode()
    assert "Datenschutzerklärung" in html and "Artikel 13" in html and "Jägertorstraße 207" in html
    assert "<h2>Server-Protokolle</h2>" in html
    assert "Privacy statement" in client.get("/en/datenschutz/").content.decode()
    translate(page, "body_de", "en", "")
    page.body_de = "## Neu\n\nGeänderter Text."
    page.save()
    english = client.get("/en/datenschutz/").content.decode()
    assert '<div class="site-page" lang="de">' in english
    assert "Geänderter Text." in english
    assert "available in German only" in english


def test_site_page_needs_german_text(db):
    from django.core.exceptions import ValidationError

    page = SitePage(key="privacy", title_de="", body_de="")
    with pytest.raises(ValidationError) as error:
        page.full_clean(validate_unique=False)
    assert "title_de" in error.value.message_dict


@pytest.mark.parametrize(
    ("url", "title", "search"),
    [
        ("/gibt-es-nicht/", "Seite nicht gefunden", 'href="/suche/"'),
        ("/en/gibt-es-nicht/", "Page not found", 'href="/en/suche/"'),
        ("/netzwerke/unbekannt/", "Seite nicht gefunden", 'href="/suche/"'),
    ],
)
def test_clear_404(client, db, url, title, search):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert title in html and search in html


def test_public_pages_set_no_cookies(client, future_event):
    paritaetische = Organisation.objects.get(name="Der PARITÄTISCHE")
    urls = ["/", "/en/", "/netzwerke/mige/", paritaetische.get_absolute_url(), "/suche/?q=caritas"]
    urls += [future_event.get_absolute_url(), "/datenschutz/", "/gibt-es-nicht/"]
    for url in urls:
        response = client.get(url)
        assert not response.cookies, url
        assert not client.cookies, url


def test_filter_options_are_translated_and_german_ones_marked_on_english_pages(client, demo):
    html = client.get("/en/suche/").content.decode()
    assert '<option value="gesundheit">Health</option>' in html
    assert '<option value="" selected>all topics</option>' in html
    assert html.index(">Community work<") < html.index(">Health<") < html.index(">Refuge<")  # A–Z in English
    translate(Topic.objects.get(name="Gesundheit"), "name", "en", "")
    html = client.get("/en/suche/").content.decode()
    assert '<option value="gesundheit" lang="de">Gesundheit</option>' in html
    directory = client.get("/en/netzwerke/").content.decode()
    assert '<option value="Öffentlichkeitsarbeit">Public relations</option>' in directory


def add_networks(count, **fields):
    """``count`` more networks hosted by the county, with a focus area and the topic Gesundheit."""
    from register.models import Body, FocusArea, NetworkHost, Topic

    body = Body.objects.get(short_name="LaDaDi")
    topic = Topic.objects.get(name="Gesundheit")
    networks = Network.objects.bulk_create(
        Network(name=f"Runder Tisch {number:03d}", slug=f"runder-tisch-{number:03d}", position=100 + number, **fields)
        for number in range(count)
    )
    NetworkHost.objects.bulk_create(NetworkHost(network=network, body=body) for network in networks)
    FocusArea.objects.bulk_create(FocusArea(network=network, name="Nachbarschaft") for network in networks)
    Network.topics.through.objects.bulk_create(
        Network.topics.through(network_id=network.pk, topic_id=topic.pk) for network in networks
    )
    return networks


@pytest.mark.django_db
def test_home_of_an_empty_register_says_that_no_network_is_recorded(client):
    html = client.get("/").content.decode()
    assert "<li>Es sind noch keine Netzwerke erfasst.</li>" in html and '<li class="card">' not in html


def test_home_shows_a_bounded_selection_and_leads_to_the_directory(client, demo):
    from portal.views import HOME_NETWORKS

    add_networks(30)
    html = client.get("/").content.decode()
    seeded = Network.objects.filter(position__lt=100)
    for network in seeded:  # the office's own networks come first
        assert network.get_absolute_url() in html
    assert html.count('<li class="card">') == HOME_NETWORKS
    assert "Alle 37 Netzwerke im Verzeichnis anzeigen" in html
    assert 'href="/netzwerke/?kind=council"' in html  # a way in by kind


def test_directory_lists_every_network_in_pages(client, demo):
    add_networks(30)
    first = client.get("/netzwerke/").content.decode()
    assert "37 Netzwerke" in first and "Seite 1 von 2" in first
    assert first.count('<li class="card">') == 25
    assert 'href="?page=2" rel="next"' in first
    second = client.get("/netzwerke/", {"page": 2}).content.decode()
    assert second.count('<li class="card">') == 12
    assert 'aria-current="page"><span class="visually-hidden">Seite </span>2</span>' in second
    shown = re.findall(r'<h2><a href="(/netzwerke/[^"]+/)"', first + second)
    assert sorted(shown) == sorted(network.get_absolute_url() for network in Network.objects.all())
    assert client.get("/netzwerke/", {"page": 99}).status_code == 200  # the last page


def test_a_directory_card_names_the_network_its_kind_purpose_and_hosts_in_the_visitors_language(client, demo):
    from django.db.models import Count
    from django.utils.translation import ngettext

    network = Network.objects.annotate(host_count=Count("hosts")).filter(host_count=2).order_by("pk").first()
    translate(network, "name", "en", "Migration and health")
    translate(network, "purpose", "en", "Working together on migration and health.")
    translate(network, "name", "ar", "")  # removed: the Arabic page shows the German, marked so
    translate(network, "purpose", "ar", "")
    hosts = ", ".join(f'<span lang="de">{host.body.name}</span>' for host in network.hosts.order_by("position", "pk"))
    german = ' lang="de"'
    for language, name, purpose in [
        ("de", f">{network.name}", f">{network.purpose}"),
        ("en", ">Migration and health", ">Working together on migration and health."),
        ("ar", f"{german}>{network.name}", f"{german}>{network.purpose}"),
    ]:
        with translation.override(language):
            kind, url = network.get_classification_display(), network.get_absolute_url()
            label = ngettext("Host:", "Hosts:", 2)
            pages = "".join(client.get(f"{reverse('portal:networks')}?page={page}").content.decode() for page in (1, 2))
        card = (
            f'<li class="card">\n    <h2><a href="{url}"{name}</a></h2>\n'
            f'    <p class="kind">{kind}</p>\n    <p{purpose}</p>\n'
            f'    <p class="hosts">{label} {hosts}</p>\n  </li>'
        )
        assert card in pages, language


def test_directory_offers_each_focus_area_once_however_many_networks_name_it(client, demo):
    from register.models import FocusArea

    add_networks(30)  # 30 networks with the focus area "Nachbarschaft"
    names = set(FocusArea.objects.values_list("name", flat=True))
    html = client.get("/netzwerke/").content.decode()
    assert html.count('<option value="Nachbarschaft">Nachbarschaft</option>') == 1
    focus = re.search(r'<select[^>]*name="focus".*?</select>', html, re.S).group()
    assert focus.count("<option") == len(names) + 1  # and "all focus areas"
    translate(FocusArea.objects.filter(name="Nachbarschaft").order_by("pk")[3], "name", "en", "Neighbourhood")
    english = client.get("/en/netzwerke/").content.decode()
    assert english.count('<option value="Nachbarschaft">Neighbourhood</option>') == 1
    assert '<option value="Öffentlichkeitsarbeit">Public relations</option>' in english
    focus = re.search(r'<select[^>]*name="focus".*?</select>', english, re.S).group()
    assert focus.count("<option") == len(names) + 1
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", focus)[1:]
    assert labels == sorted(labels, key=str.casefold)  # A–Z in English


def test_directory_filters_by_authority_kind_topic_and_focus_and_sorts(client, demo):
    from register.models import Body, NetworkHost

    tables = add_networks(30, classification="forum", since_year=2001)
    city = Body.objects.create(name="Stadt Musterhausen", slug="stadt-musterhausen")
    NetworkHost.objects.create(network=tables[7], body=city)
    html = client.get("/netzwerke/", {"body": "stadt-musterhausen"}).content.decode()
    assert "1 Netzwerk entspricht den Filtern" in html and "Runder Tisch 007" in html
    html = client.get("/netzwerke/", {"kind": "forum", "focus": "Nachbarschaft", "topic": "gesundheit"}).content
    assert "30 Netzwerke entsprechen den Filtern" in html.decode()
    newest = client.get("/netzwerke/", {"kind": "forum", "sort": "-name"}).content.decode()
    assert newest.index("Runder Tisch 029") < newest.index("Runder Tisch 028")
    assert 'href="?kind=forum&amp;sort=-name&amp;page=2"' in newest  # the filters stay when paging
    response = client.get("/netzwerke/", {"body": "gibt-es-nicht", "sort": "quer"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Diese Gebietskörperschaft gibt es nicht." in html and "Diese Reihenfolge gibt es nicht." in html
    english = client.get("/en/netzwerke/", {"kind": "council"}).content.decode()
    assert "1 network matches the filters" in english
    assert '<option value="stadt-musterhausen" lang="de">Stadt Musterhausen</option>' in english


def test_search_offers_the_own_countys_municipalities_when_the_register_has_many(client, demo, monkeypatch):
    from portal import forms as portal_forms
    from register.models import Body, Municipality

    other = Body.objects.create(name="Landkreis Bergstraße", slug="landkreis-bergstrasse")
    Municipality.objects.create(name="Bensheim", slug="bensheim", ags="06431002", county=other)
    Municipality.objects.create(name="Lorsch", slug="lorsch", ags="06431015", county=other)
    html = client.get("/suche/").content.decode()
    assert 'value="bensheim"' in html and 'value="dieburg"' in html and "id_municipality_helptext" not in html

    monkeypatch.setattr(portal_forms, "MUNICIPALITY_CHOICES_LIMIT", 24)  # the county has 23
    html = client.get("/suche/").content.decode()
    assert 'value="dieburg"' in html and 'value="bensheim"' not in html
    assert 'aria-describedby="id_municipality_helptext"' in html and 'id="id_municipality_helptext"' in html
    assert "Zur Auswahl stehen die Städte und Gemeinden in diesem Gebiet: Landkreis Darmstadt-Dieburg." in html
    # A municipality elsewhere can still be chosen (by link) and stays in the list.
    response = client.get("/suche/", {"municipality": "bensheim"})
    html = response.content.decode()
    assert 'value="bensheim" lang="de" selected' in html and 'value="lorsch"' not in html
    assert "Diese Kommune gibt es nicht" not in html


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_pages_in_arabic_and_farsi_are_written_right_to_left(client, demo, language):
    for path in ["/", "/netzwerke/", "/netzwerke/mige/", "/gibt-es-nicht/"]:
        html = client.get(f"/{language}{path}").content.decode()
        assert f'<html lang="{language}" dir="rtl">' in html, path


def test_pages_in_another_language_say_the_office_translated_them_and_the_german_applies(client, db):
    note = "The office translated this site. Where a translation and the German text differ, the German text applies."
    assert note in client.get("/en/").content.decode()
    with translation.override("ar"):
        arabic = translation.gettext(note)
    assert arabic != note and arabic in client.get("/ar/").content.decode()
    assert "footer-translation" not in client.get("/").content.decode()
