"""Arabic (right to left) and Leichte Sprache in the browser: axe-core finds nothing on any public page
type at phone and desktop width, and the Arabic page is laid out right to left.

With VERNETZT_SCREENS set to a folder, the axe test leaves a screenshot of every page there (tests/browser.py)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from register.models import Event, Location, Network, Organisation, SiteIdentity
from tests.browser import axe_violations, describe, screenshot

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data.
    pytest.mark.django_db(transaction=True),
]

# What a submit button is called on the forms: the form comes back with its error messages.
SEND = ["button[type=submit]:not(.header-search button)"]


@pytest.fixture
def site(live_server, demo):
    """The demo with a coming event open for registration and a public contact; one path of every public page type."""
    identity = SiteIdentity.current()
    identity.phone, identity.email = "06151 881-0", "buero@example.org"
    identity.save()
    forum = Network.objects.get(name="Inklusionsforum im LaDaDi")
    location = Location.objects.create(
        name="Kreisverwaltung Darmstadt-Dieburg",
        street_address="Jägertorstraße 207",
        postal_code="64289",
        locality="Darmstadt-Kranichstein",
        step_free=True,
        public_transport="Straßenbahn 5, Haltestelle Kranichstein Bahnhof",
    )
    start = timezone.now() + dt.timedelta(days=40)
    event = Event.objects.create(
        title="Inklusionsforum im nächsten Jahr",
        slug="inklusionsforum-naechstes-jahr",
        network=forum,
        location=location,
        start=start,
        end=start + dt.timedelta(hours=2, minutes=30),
        capacity=80,
        contact_function="Behindertenbeauftragter",
    )
    council = Network.objects.get(short_name="KAB")
    mige = Network.objects.get(short_name="MiGe")
    mige.easy_language = ""  # a network without a summary in Leichte Sprache
    mige.save()
    return {
        "home": ("/", None),
        "directory": ("/netzwerke/", None),
        "filtered directory": ("/netzwerke/?kind=working_group&sort=-name", None),
        "network": (council.get_absolute_url(), None),
        "network without summary": (mige.get_absolute_url(), None),
        "organisation": (Organisation.objects.get(name="Der PARITÄTISCHE").get_absolute_url(), None),
        "search": ("/suche/?q=caritas", None),
        "events": ("/veranstaltungen/", None),
        "event": (event.get_absolute_url(), None),
        "registration": (reverse("meetings:register", args=[event.slug]), SEND),
        "inquiry": (f"/anfrage/{council.slug}/", SEND),
        "contact": ("/kontakt/", None),
        "message": ("/kontakt/nachricht/", SEND),
        "privacy": ("/datenschutz/", None),
        "network map": ("/analyse/", None),
        "not found": ("/gibt-es-nicht/", None),
    }


def open_page(browser, width, language):
    context = browser.new_context(
        viewport={"width": width, "height": 844 if width < 600 else 900},
        locale={"ar": "ar", "de-x-ls": "de-DE"}[language],
        is_mobile=width < 600,
        has_touch=width < 600,
    )
    return context, context.new_page()


# The innermost elements that reach beyond the screen, for the message.
WIDEST = """() => [...document.querySelectorAll('body *')].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.left < -1 || box.right > document.documentElement.clientWidth + 1)
        && ![...el.children].some((child) => {
            const inner = child.getBoundingClientRect();
            return inner.left < -1 || inner.right > document.documentElement.clientWidth + 1;
        });
}).slice(0, 5).map((el) => el.tagName + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 40))"""


def check(page, label, problems, width):
    violations = axe_violations(page)
    if violations:
        problems.append(f"{label}:\n{describe(violations)}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        wide = page.evaluate(WIDEST)
        problems.append(f"{label}: {overflow}px wider than the screen: {wide}")


@pytest.mark.parametrize("language", ["ar", "de-x-ls"])
@pytest.mark.parametrize("width", [390, 1280])
def test_no_axe_violations_on_any_public_page_type(browser, live_server, site, language, width):
    context, page = open_page(browser, width, language)
    problems = []
    for name, (path, submit) in site.items():
        response = page.goto(f"{live_server.url}/{language}{path}")
        assert response.status == (404 if name == "not found" else 200), path
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
            language,
            "rtl" if language == "ar" else "ltr",
        ]
        if name == "network map":
            page.wait_for_selector("#map-graph:not([hidden])")
            # The map's German labels are drawn left to right in every language.
            labels = page.evaluate("window.vernetztMap.nodes().map((node) => node.data('shown'))")
            assert labels and all(label[0] == "\u2066" and label[-1] == "\u2069" for label in labels)
        check(page, f"{language}{path} ({name})", problems, width)
        screenshot(page, f"{language}-{name.replace(' ', '-')}-{width}")
        if submit:
            page.locator(submit[0]).last.click()
            page.wait_for_selector(".error-summary, .form-errors, [role=alert]")
            check(page, f"{language}{path} ({name}, sent empty)", problems, width)
            screenshot(page, f"{language}-{name.replace(' ', '-')}-errors-{width}")
    context.close()
    assert not problems, "\n".join(problems)


LAYOUT = """() => {
    const box = (el) => el.getBoundingClientRect();
    const items = [...document.querySelectorAll('.header-nav .nav > li')];
    const crumbs = [...document.querySelectorAll('.breadcrumbs > *')];
    const mail = document.querySelector('main a[href^="mailto:"]');
    return {
        direction: getComputedStyle(document.body).direction,
        firstNav: box(items[0]).left, secondNav: box(items[1]).left,
        firstNavRight: box(items[0]).right, headerRight: box(document.querySelector('.header-nav')).right,
        brandLeft: box(document.querySelector('.brand')).left, brandRight: box(document.querySelector('.brand')).right,
        firstCrumb: box(crumbs[0]).left, lastCrumb: box(crumbs[crumbs.length - 1]).left,
        h1: getComputedStyle(document.querySelector('h1')).direction,
        mail: mail && getComputedStyle(mail).direction,
    };
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_the_arabic_page_is_laid_out_right_to_left(browser, live_server, site, width):
    context, page = open_page(browser, width, "ar")
    page.goto(f"{live_server.url}/ar/netzwerke/mige/")
    arabic = page.evaluate(LAYOUT)
    page.goto(f"{live_server.url}/netzwerke/mige/")
    german = page.evaluate(LAYOUT)
    context.close()

    assert (arabic["direction"], german["direction"]) == ("rtl", "ltr")
    # The main navigation starts at the right: its first item right of the second, at the header's right edge.
    assert arabic["firstNav"] > arabic["secondNav"] and german["firstNav"] < german["secondNav"]
    assert abs(arabic["firstNavRight"] - arabic["headerRight"]) <= 20
    # The site's name stands at the right, above the first item of the navigation.
    assert (
        abs(arabic["brandRight"] - arabic["firstNavRight"]) <= 2 and abs(german["brandLeft"] - german["firstNav"]) <= 2
    )
    if width > 600:  # (on a phone the breadcrumbs wrap into lines of their own)
        # The breadcrumbs run from right to left.
        assert arabic["firstCrumb"] > arabic["lastCrumb"] and german["firstCrumb"] < german["lastCrumb"]
    # The network's name is translated into Arabic (its German name in brackets): it reads right to left.
    assert arabic["h1"] == "rtl"


def test_contact_details_and_forms_on_the_arabic_page(browser, live_server, site):
    context, page = open_page(browser, 1280, "ar")
    page.goto(f"{live_server.url}/ar/kontakt/")
    directions = page.evaluate(
        """() => ['a[href^="mailto:"]', 'a[href^="tel:"]'].map(
            (selector) => getComputedStyle(document.querySelector('main ' + selector)).direction)"""
    )
    assert directions == ["ltr", "ltr"]

    page.goto(f"{live_server.url}/ar{site['registration'][0]}")
    page.locator(SEND[0]).last.click()
    page.wait_for_selector(".error-summary")
    layout = page.evaluate(
        """() => {
            const box = (el) => el.getBoundingClientRect();
            const field = document.querySelector('#id_name').closest('.field');
            const checkbox = document.querySelector('.field-checkbox input');
            return {
                label: box(field.querySelector('label')).right, input: box(field.querySelector('input')).right,
                error: box(document.querySelector('.field-error')).right, field: box(field).right,
                checkbox: box(checkbox).left,
                checkboxLabel: box(checkbox.closest('.field').querySelector('label')).left,
                email: getComputedStyle(document.querySelector('input[type=email]')).direction,
            };
        }"""
    )
    context.close()
    # Labels, fields and error messages start at the right; a checkbox stands right of its label.
    assert abs(layout["label"] - layout["field"]) <= 2 and abs(layout["input"] - layout["field"]) <= 2
    assert abs(layout["error"] - layout["field"]) <= 2
    assert layout["checkbox"] > layout["checkboxLabel"]
    # An e-mail address is typed left to right.
    assert layout["email"] == "ltr"
