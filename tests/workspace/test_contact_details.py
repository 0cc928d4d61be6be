"""Contact details of organisations, networks and places: kept in the workspace, public only where released."""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from register.models import Event, Location, Network, SiteIdentity, SitePage

# Literal dates below: the clock is pinned to tests.conftest.FIXED_DAY (time-machine) for every test here.
pytestmark = pytest.mark.usefixtures("fixed_day")

ORGANISATION = {
    "name": "Caritasverband Darmstadt e.V.",
    "category": "welfare",
    "description": "Beratung für Zugewanderte.",
    "website": "caritas-beispiel.de",
    "email": "migration@caritas-beispiel.de",
    "phone": "06151 999-0",
    "street_address": "Heinrichstraße 32",
    "postal_code": "64283",
    "locality": "Darmstadt",
    "languages": ["ar", "de", "fa"],
}


def json_ld(html):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))["@graph"]


def test_organisation_contact_is_public_only_when_released(client, office, caritas):
    client.force_login(office)
    response = client.post(reverse("workspace:organisation_edit", args=[caritas.pk]), ORGANISATION)
    assert response.status_code == 302
    caritas.refresh_from_db()
    assert caritas.languages == "de,ar,fa" and not caritas.contact_public
    client.logout()
    html = client.get(caritas.get_absolute_url()).content.decode()
    assert "Beratung für Zugewanderte." in html and "Arabisch" in html and "Persisch (Farsi)" in html
    for private in ["Heinrichstraße", "06151", "migration@caritas-beispiel.de", "caritas-beispiel.de"]:
        assert private not in html
    api = client.get(f"/api/v1/organisations/{caritas.pk}/").json()
    assert api["email"] == "" and api["street_address"] == "" and api["languages"] == "de,ar,fa"
    oparl = client.get(f"/oparl/v1.1/organization/institution-{caritas.pk}").json()
    assert oparl["name"] == caritas.name and "website" not in oparl

    client.force_login(office)
    client.post(reverse("workspace:organisation_edit", args=[caritas.pk]), {**ORGANISATION, "contact_public": "on"})
    assert client.get(f"/api/v1/organisations/{caritas.pk}/").json()["email"] == "migration@caritas-beispiel.de"
    client.logout()
    html = client.get(caritas.get_absolute_url()).content.decode()
    assert 'href="mailto:migration@caritas-beispiel.de"' in html and 'href="tel:06151999-0"' in html
    assert 'href="https://caritas-beispiel.de"' in html and "Heinrichstraße 32" in html
    described = json_ld(html)[0]
    assert described["email"] == "migration@caritas-beispiel.de" and described["knowsLanguage"] == ["de", "ar", "fa"]
    assert described["address"]["streetAddress"] == "Heinrichstraße 32"
    assert client.get(f"/api/v1/organisations/{caritas.pk}/").json()["email"] == "migration@caritas-beispiel.de"
    assert client.get(f"/oparl/v1.1/organization/institution-{caritas.pk}").json()["website"]


def test_unknown_language_is_refused(client, office, caritas):
    client.force_login(office)
    response = client.post(
        reverse("workspace:organisation_edit", args=[caritas.pk]), {**ORGANISATION, "languages": ["xx"]}
    )
    assert response.status_code == 200 and "languages" in response.context["form"].errors
    caritas.languages = "de,xx"
    with pytest.raises(Exception, match="xx"):
        caritas.full_clean()


def test_network_contact_names_a_function_and_its_mailbox_when_released(client, office, own_network):
    client.force_login(office)
    data = {
        "name": own_network.name,
        "classification": "forum",
        "organization_type": "other",
        "contact_function": "Kommunaler Behindertenbeauftragter",
        "contact_email": "inklusion@example.org",
        "contact_phone": "06151 881-0",
        "contact_url": "example.org/inklusion",
    }
    assert client.post(reverse("workspace:network_edit", args=[own_network.pk]), data).status_code == 302
    client.logout()
    html = client.get(own_network.get_absolute_url()).content.decode()
    assert "Kommunaler Behindertenbeauftragter" in html and "inklusion@example.org" not in html
    assert f'href="/kontakt/nachricht/?netzwerk={own_network.slug}"' in html
    own_network.refresh_from_db()
    own_network.contact_public = True
    own_network.save()
    html = client.get(own_network.get_absolute_url()).content.decode()
    assert 'href="mailto:inklusion@example.org"' in html and 'href="https://example.org/inklusion"' in html


def test_place_facts_are_edited_in_the_workspace_and_a_private_address_stays_private(client, coordinator, demo):
    forum = Location.objects.get(name="Kreisverwaltung Darmstadt-Dieburg")
    assert (forum.street_address, forum.postal_code, forum.locality) == (
        "Jägertorstraße 207",
        "64289",
        "Darmstadt-Kranichstein",
    )
    assert forum.step_free is None and forum.hearing_loop is None  # the seed says nothing about access
    client.force_login(coordinator)
    listing = client.get(reverse("workspace:locations")).content.decode()
    assert "Kreisverwaltung Darmstadt-Dieburg" in listing and "0 von 5 bekannt" in listing
    data = {
        "name": forum.name,
        "street_address": forum.street_address,
        "postal_code": forum.postal_code,
        "locality": forum.locality,
        "step_free": "true",
        "accessible_toilet": "true",
        "hearing_loop": "unknown",
        "accessible_parking": "false",
        "parking": "Parkhaus am Haus",
        "public_transport": "Haltestelle Kreisverwaltung",
        "address_public": "on",
    }
    response = client.post(reverse("workspace:location_edit", args=[forum.pk]), data)
    assert response.status_code == 302
    forum.refresh_from_db()
    assert forum.step_free and forum.accessible_toilet and forum.hearing_loop is None
    assert forum.accessible_parking is False and forum.access_facts_known == 4

    home = Location.objects.create(name="Bei Familie K.", street_address="Geheimweg 1", locality="Dieburg")
    home.address_public = False
    home.save()
    event = Event.objects.get(title="Inklusionsforum 2026")
    event.location = home
    event.save()
    client.logout()
    oparl = client.get(f"/oparl/v1.1/location/{home.pk}").json()
    assert oparl["type"].endswith("Location") and "streetAddress" not in oparl and oparl["locality"] == "Dieburg"
    described = json_ld(client.get(event.get_absolute_url()).content.decode())[0]
    assert described["location"] == {
        "@type": "Place",
        "name": "Bei Familie K.",
        "address": {"addressLocality": "Dieburg"},
    }
    calendar = client.get("/termine/kalender/oeffentlich.ics").content.decode()
    assert "Geheimweg" not in calendar and "Dieburg" in calendar
    for path in [event.get_absolute_url(), f"/termine/veranstaltungen/{event.slug}/anmelden/"]:
        assert "Geheimweg" not in client.get(path).content.decode(), path


def test_self_service_correction_shows_the_new_fields_readably(client, office, caritas):
    from workspace import selfservice
    from workspace.models import SelfServiceLink

    link = SelfServiceLink.objects.create(organisation=caritas, email="a@example.org")
    url = reverse("workspace:self_service", args=[selfservice.token_for(link)])
    form = client.get(url).content.decode()
    assert "Unsere Kontaktdaten veröffentlichen" in form and 'value="gsg"' in form
    client.post(url, {"name": caritas.name, "languages": ["tr"], "contact_public": "on", "phone": "06151 1"})
    client.force_login(office)
    from workspace.models import Correction

    detail = client.get(reverse("workspace:correction", args=[Correction.objects.get().pk])).content.decode()
    assert "Türkisch" in detail and "<td>ja</td>" in detail


def test_office_sets_the_site_identity_and_logo_in_the_workspace(client, office):
    client.force_login(office)
    overview = client.get(reverse("workspace:site")).content.decode()
    assert "Büro für Migration und Inklusion" in overview and "Beispieltext – bitte ersetzen" in overview
    url = reverse("workspace:site_identity")
    data = {"office_name": "Büro für Migration und Inklusion", "email": "buero@example.org", "locality": "Darmstadt"}
    bad = client.post(url, {**data, "logo_file": SimpleUploadedFile("logo.svg", b"<svg onload=alert(1)>")})
    assert bad.status_code == 200 and "PNG" in str(bad.context["form"].errors["logo_file"])
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = client.post(url, {**data, "logo_file": SimpleUploadedFile("logo.png", png)})
    assert response.status_code == 302
    identity = SiteIdentity.objects.get(pk=1)
    assert identity.email == "buero@example.org" and bytes(identity.logo) == png and identity.logo_type == "image/png"
    assert client.get("/logo").content == png
    response = client.post(url, {**data, "remove_logo": "on"})
    assert not SiteIdentity.objects.get(pk=1).logo_type
    history = client.get(reverse("workspace:site")).content.decode()
    assert "buero@example.org" in history  # the change is in the history, with who made it


def test_office_edits_the_mandatory_pages(client, office):
    client.force_login(office)
    url = reverse("workspace:site_page", args=["accessibility"])
    page = SitePage.objects.get(key="accessibility")
    form = client.get(url).content.decode()
    assert 'name="conformity"' in form and 'name="reviewed_on"' in form and 'href="/barrierefreiheit/"' in form
    data = {"title_de": page.title_de, "body_de": page.body_de}
    missing = client.post(url, {**data, "conformity": "", "reviewed_on": ""})
    assert missing.status_code == 200 and missing.context["form"].errors
    response = client.post(url, {**data, "conformity": "full", "reviewed_on": "2026-03-01"})
    assert response.status_code == 302
    html = client.get("/barrierefreiheit/").content.decode()
    assert "vollständig vereinbar" in html and "Beispieltext." not in html and '<time datetime="2026-03-01">' in html
    imprint = client.get(reverse("workspace:site_page", args=["imprint"])).content.decode()
    assert 'name="conformity"' not in imprint


def test_network_pages_show_their_member_count_and_full_name_in_the_breadcrumb(client, demo):
    kab = Network.objects.get(short_name="KAB")
    html = client.get(kab.get_absolute_url()).content.decode()
    assert '<span aria-current="page">Kreisausländerbeirat im LaDaDi</span></nav>' in html  # German page: unmarked
    mila = Network.objects.get(short_name="MiLa")
    html = client.get(mila.get_absolute_url()).content.decode()
    count = mila.memberships.count()
    assert count == 23 and f"{count} Mitgliedseinträge" in html and f'<span class="count">({count})</span>' in html


def test_directory_says_who_hosts_without_a_wrong_article(client, demo):
    html = client.get("/netzwerke/").content.decode()
    assert "Getragen von" not in html and 'Träger: <span lang="de">Landkreis Darmstadt-Dieburg</span>' in html


def test_invalid_filter_selects_point_at_their_error_message(client, demo):
    for path in ["/netzwerke/?kind=gibtsnicht&body=nein", "/suche/?q=&kind=gibtsnicht&topic=nein"]:
        html = client.get(path).content.decode()
        pointers = re.findall(r'<select[^>]*aria-describedby="([^"]+)"', html)
        assert pointers, path
        for pointer in pointers:
            for target in pointer.split():
                assert f'id="{target}"' in html, (path, target)
        assert "<details" in html and "data-keep-open" in html  # errors open the folded filters
