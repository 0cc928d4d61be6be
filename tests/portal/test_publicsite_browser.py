"""The public site a county can put live, in Chromium at 390 and 1280 px, in German and English:
mandatory pages, the forms that reach the office, contact details, phone-first lists, and the office
setting all of it up in the workspace. axe-core finds nothing on any page; screenshots as tests/browser.py says."""

import pytest
from django.contrib.auth.models import Group

from meetings.models import OutgoingMail
from register.models import Location, Network, Organisation, SiteIdentity, SitePage
from register.permissions import OFFICE_GROUP
from tests.browser import axe_violations, describe, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [390, 1280]
PASSWORD = "a-long-test-password-42"
# The words a visitor clicks, in each language.
WORDS = {
    "de": {
        "report": "Barriere melden",
        "email": "Ihre E-Mail-Adresse (freiwillig)",
        "send": "Senden",
        "sent": "Ihre Nachricht wurde an das Büro gesendet",
        "not sent": "Die Nachricht wurde nicht gesendet",
        "kind": "Art des Netzwerks",
        "apply": "Filter anwenden",
        "write about": "Nachricht zu Inklusionsforum im LaDaDi schreiben",
        "network": "Zu einem Netzwerk (freiwillig)",
    },
    "en": {
        "report": "Report a barrier",
        "email": "Your e-mail address (optional)",
        "send": "Send",
        "sent": "Your message has been sent to the office",
        "not sent": "The message was not sent",
        "kind": "Kind of network",
        "apply": "Apply filters",
        "write about": "Write a message about Inclusion Forum in the County (LaDaDi)",
        "network": "About a network (optional)",
    },
}


@pytest.fixture
def county(live_server, demo):
    """The seed, with the office's address and a released contact: as a county would go live."""
    identity = SiteIdentity.load()
    identity.email, identity.phone = "migration@example.org", "06151 881-0"
    identity.save()
    caritas = Organisation.objects.get(name="Caritasverband Darmstadt e.V.")
    caritas.description = "Beratung für Zugewanderte und Geflüchtete."
    caritas.street_address, caritas.postal_code, caritas.locality = "Heinrichstraße 32", "64283", "Darmstadt"
    caritas.email, caritas.phone, caritas.website = "info@example.org", "06151 999-0", "https://example.org"
    caritas.languages, caritas.contact_public = "de,ar,fa,tr", True
    caritas.save()
    forum = Network.objects.get(name="Inklusionsforum im LaDaDi")
    forum.contact_email, forum.contact_public = "inklusion@example.org", True
    forum.save()
    return {"caritas": caritas, "forum": forum}


def open_page(browser, width, language):
    context = browser.new_context(
        viewport={"width": width, "height": 844 if width < 500 else 900},
        locale="de-DE" if language == "de" else "en-GB",
        is_mobile=width < 500,
        has_touch=width < 500,
    )
    return context, context.new_page()


def prefix(language):
    return "" if language == "de" else "/en"


def check(page, name):
    """No axe-core violation, nothing wider than the screen; a screenshot to look at (VERNETZT_SCREENS)."""
    screenshot(page, f"publicsite-{name}")
    violations = axe_violations(page)
    assert not violations, f"{name}:\n{describe(violations)}"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"


@pytest.mark.parametrize("width", WIDTHS)
def test_every_new_page_is_accessible_in_both_languages(live_server, browser, county, width):
    paths = {
        "impressum": "/impressum/",
        "barrierefreiheit": "/barrierefreiheit/",
        "barriere-melden": "/barrierefreiheit/barriere-melden/",
        "kontakt": "/kontakt/",
        "nachricht": "/kontakt/nachricht/",
        "offene-daten": "/offene-daten/",
        "organisation": county["caritas"].get_absolute_url(),
        "netzwerk": county["forum"].get_absolute_url(),
        "mila": "/netzwerke/mila/",
        "verzeichnis": "/netzwerke/",
        "suche": "/suche/?q=caritas",
    }
    for language in WORDS:
        context, page = open_page(browser, width, language)
        for name, path in paths.items():
            response = page.goto(f"{live_server.url}{prefix(language)}{path}")
            assert response.status == 200, path
            check(page, f"{name}-{width}-{language}")
            footer = page.get_by_role("contentinfo")
            for link in ["/kontakt/", "/impressum/", "/datenschutz/", "/barrierefreiheit/", "/offene-daten/"]:
                assert footer.locator(f'a[href="{prefix(language)}{link}"]').count() == 1, (path, link)
        context.close()


@pytest.mark.parametrize("language", list(WORDS))
@pytest.mark.parametrize("width", WIDTHS)
def test_reporting_a_barrier_reaches_the_office(live_server, browser, county, width, language):
    words = WORDS[language]
    context, page = open_page(browser, width, language)
    page.goto(f"{live_server.url}{prefix(language)}/barrierefreiheit/")
    page.get_by_role("link", name=words["report"]).first.click()
    page.wait_for_url("**/barriere-melden/")
    page.get_by_label(words["email"]).fill("kein-mail")
    page.get_by_role("button", name=words["send"]).click()
    assert page.get_by_role("alert").inner_text().startswith(words["not sent"])
    for field in ["#id_message", "#id_email"]:
        assert page.locator(field).get_attribute("aria-invalid") == "true"
        for target in page.locator(field).get_attribute("aria-describedby").split():
            assert page.locator(f"#{target}").count() == 1, target
    check(page, f"barriere-fehler-{width}-{language}")
    page.get_by_label(words["email"]).fill("leserin@example.org")
    page.locator("#id_message").fill("Die Netzwerkkarte liest mein Screenreader nicht vor.")
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_url(f"**{prefix(language)}/barrierefreiheit/")
    assert words["sent"] in page.get_by_role("status").inner_text()
    check(page, f"barriere-gesendet-{width}-{language}")
    mail = OutgoingMail.objects.get()
    assert mail.recipient == "migration@example.org" and mail.subject == "Barriere auf der Website gemeldet"
    assert "Screenreader" in mail.body and "leserin@example.org" in mail.body
    context.close()


@pytest.mark.parametrize("language", list(WORDS))
@pytest.mark.parametrize("width", WIDTHS)
def test_a_network_is_reached_through_its_contact(live_server, browser, county, width, language):
    words = WORDS[language]
    context, page = open_page(browser, width, language)
    page.goto(f"{live_server.url}{prefix(language)}{county['forum'].get_absolute_url()}")
    contact = page.get_by_role("region", name="Kontakt" if language == "de" else "Contact")
    assert contact.get_by_role("link", name="inklusion@example.org").is_visible()
    contact.get_by_role("link", name=words["write about"]).click()
    # The network is chosen in the search field that takes the select's place (``PlainSearchSelect``).
    assert page.get_by_role("combobox", name=words["network"]).is_visible()
    assert page.locator("select[name=network]").input_value() == county["forum"].slug
    page.locator("#id_message").fill("Gibt es eine Induktionsschleife?")
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_url(f"**{prefix(language)}/kontakt/")
    assert words["sent"] in page.get_by_role("status").inner_text()
    assert OutgoingMail.objects.get().recipient == "inklusion@example.org"
    context.close()


@pytest.mark.parametrize("language", list(WORDS))
def test_on_a_phone_results_come_before_the_filters_which_keep_their_state(live_server, browser, county, language):
    words = WORDS[language]
    context, page = open_page(browser, 390, language)
    page.goto(f"{live_server.url}{prefix(language)}/suche/?q=caritas")
    panel = page.locator("#search-filters")
    assert panel.get_attribute("open") is None
    first = page.locator(".results a").first.bounding_box()
    assert first["y"] + first["height"] < 844, f"first result at {first['y']}"
    page.locator("#search-filters > summary").click()
    page.get_by_label(words["kind"]).select_option("working_group")
    page.get_by_role("button", name=words["apply"]).click()
    page.wait_for_url("**kind=working_group**")
    assert page.locator("#search-filters").get_attribute("open") is not None  # opened: stays open
    assert "(1 " in page.locator("#search-filters summary").inner_text()
    check(page, f"suche-filter-offen-390-{language}")

    page.goto(f"{live_server.url}{prefix(language)}/netzwerke/")
    assert page.locator("#directory-filters").get_attribute("open") is None
    card = page.locator(".card-list .card").first.bounding_box()
    assert card["y"] < 844 - 100, f"first network at {card['y']}"
    check(page, f"verzeichnis-390-{language}")
    context.close()

    context, page = open_page(browser, 1280, language)
    page.goto(f"{live_server.url}{prefix(language)}/netzwerke/")
    assert page.locator("#directory-filters").get_attribute("open") is not None  # wide: open at once
    page.get_by_role("group").first.is_visible()
    context.close()


def test_filters_fold_and_open_without_javascript(live_server, browser, county):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="de-DE")
    page = context.new_page()
    page.goto(f"{live_server.url}/netzwerke/")
    assert not page.get_by_label("Art des Netzwerks").is_visible()
    page.locator("#directory-filters > summary").click()
    page.get_by_label("Art des Netzwerks").select_option("forum")
    page.get_by_role("button", name="Netzwerke anzeigen").click()
    page.wait_for_url("**kind=forum**")
    assert page.get_by_role("status").inner_text().startswith("2 Netzwerke")
    context.close()


@pytest.mark.parametrize("language", list(WORDS))
@pytest.mark.parametrize("width", WIDTHS)
def test_the_office_sets_up_the_site_in_the_workspace(live_server, browser, county, django_user_model, width, language):
    user = django_user_model.objects.create_user("buero", "buero@example.org", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    german = language == "de"
    context, page = open_page(browser, width, language)
    page.goto(f"{live_server.url}{prefix(language)}/arbeitsbereich/anmelden/")
    page.locator("#id_username").fill("buero")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"**{prefix(language)}/arbeitsbereich/")

    # Who runs the site.
    page.goto(f"{live_server.url}{prefix(language)}/arbeitsbereich/website/")
    check(page, f"ws-website-{width}-{language}")
    page.get_by_role("link", name="Bearbeiten" if german else "Edit", exact=True).first.click()
    page.locator("#id_office_name").wait_for()  # the edit page, not the one being left
    check(page, f"ws-betreiber-{width}-{language}")
    page.locator("#id_office_name").fill("Büro für Migration, Integration und Inklusion")
    page.get_by_role("button", name="Speichern" if german else "Save").click()
    page.wait_for_url("**/arbeitsbereich/website/")
    assert "Büro für Migration, Integration und Inklusion" in page.locator(".brand").inner_text()

    # The accessibility statement, no longer an example.
    page.goto(f"{live_server.url}{prefix(language)}/arbeitsbereich/website/seiten/accessibility/")
    check(page, f"ws-erklaerung-{width}-{language}")
    page.locator("#id_is_example").uncheck()
    page.get_by_role("button", name="Speichern" if german else "Save").click()
    page.wait_for_url("**/arbeitsbereich/website/")
    assert not SitePage.objects.get(key="accessibility").is_example

    # An organisation's languages and the release of its contact details.
    caritas = county["caritas"]
    page.goto(f"{live_server.url}{prefix(language)}/arbeitsbereich/organisationen/{caritas.pk}/bearbeiten/")
    page.get_by_label("Ukrainisch" if german else "Ukrainian").check()
    page.locator("#id_contact_public").uncheck()
    check(page, f"ws-organisation-{width}-{language}")
    page.get_by_role("button", name="Speichern" if german else "Save").click()
    page.wait_for_url(f"**/organisationen/{caritas.pk}/")
    caritas.refresh_from_db()
    assert caritas.languages == "de,ar,fa,tr,uk" and not caritas.contact_public

    # The access facts of the Inklusionsforum's place.
    location = Location.objects.get(name="Kreisverwaltung Darmstadt-Dieburg")
    page.goto(f"{live_server.url}{prefix(language)}/arbeitsbereich/orte/")
    check(page, f"ws-orte-{width}-{language}")
    page.get_by_role("link", name="Kreisverwaltung Darmstadt-Dieburg").click()
    page.locator("#id_step_free").select_option("true")
    page.locator("#id_public_transport").fill("Bus K55, Haltestelle Kreisverwaltung")
    check(page, f"ws-ort-{width}-{language}")
    page.get_by_role("button", name="Speichern" if german else "Save").click()
    page.wait_for_url("**/arbeitsbereich/orte/")
    location.refresh_from_db()
    assert location.step_free and location.public_transport.startswith("Bus K55")
    context.close()

    # The public sees the result at once.
    context, page = open_page(browser, width, language)
    page.goto(f"{live_server.url}{prefix(language)}{caritas.get_absolute_url()}")
    assert "Heinrichstraße" not in page.content() and ("Ukrainisch" if german else "Ukrainian") in page.content()
    page.goto(f"{live_server.url}{prefix(language)}/barrierefreiheit/")
    assert page.locator(".example-notice").count() == 0
    assert "Büro für Migration, Integration und Inklusion" in page.get_by_role("contentinfo").inner_text()
    context.close()
