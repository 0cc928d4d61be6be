"""The main flows in a real browser: network, members, deputy, ending, undo, self-service approval."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from register.models import Membership, Organisation, Person
from register.permissions import OFFICE_GROUP
from tests.browser import axe_violations, describe, foreign_requests, record_requests

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(django_user_model):
    user = django_user_model.objects.create_user("buero", "buero@example.org", PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    Organisation.objects.create(name="Caritasverband Darmstadt e.V.", slug="caritas", category="welfare")
    Organisation.objects.create(name="Diakonie Darmstadt-Dieburg", slug="diakonie", category="welfare")
    Person.objects.create(given_name="Mirjam", family_name="Okonkwo")
    return user


def check_accessible(page):
    violations = axe_violations(page)
    assert not violations, describe(violations)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def test_coordinator_main_flows(page, live_server, setup):
    requests = record_requests(page)
    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet held upright
    page.goto(live_server.url + "/arbeitsbereich/")
    # Sign in by keyboard only.
    page.focus("#id_username")
    page.keyboard.type("buero")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Zu erledigen')")
    check_accessible(page)

    # Create a network.
    page.locator("summary", has_text="Register").click()  # the staff navigation's group
    page.get_by_role("link", name="Meine Netzwerke").click()
    page.get_by_role("link", name="Neues Netzwerk").click()
    page.fill("#id_name", "Runder Tisch Inklusion")
    page.fill("#id_seats_members", "3")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_selector("h1:has-text('Runder Tisch Inklusion')")

    # Add two organisations in one action.
    page.get_by_role("link", name="Mehrere Organisationen hinzufügen").click()
    # Chosen by search (a whole country's organisations would be too many to list): a few letters and Enter.
    organisations = page.get_by_role("combobox", name="Organisationen")
    for letters, name in [("carit", "Caritasverband Darmstadt e.V."), ("diakon", "Diakonie Darmstadt-Dieburg")]:
        organisations.focus()
        page.keyboard.insert_text(letters)
        page.wait_for_selector(f".ts-wrapper:not(.loading) [role=option].active:has-text('{name}')")
        page.keyboard.press("Enter")
        page.wait_for_selector(f".ts-wrapper .item:has-text('{name}')")
    check_accessible(page)
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_selector("text=2 Organisationen wurden hinzugefügt.")

    # Pair a deputy with the Caritas seat.
    page.get_by_role("link", name="Stellvertretung hinzufügen – Caritasverband Darmstadt e.V.").click()
    page.select_option("#id_person", label="Mirjam Okonkwo")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_selector("text=Mirjam Okonkwo wurde hinzugefügt.")
    deputy = Membership.objects.get(person__family_name="Okonkwo")
    assert deputy.role == "deputy" and deputy.deputy_of.organisation.name == "Caritasverband Darmstadt e.V."
    check_accessible(page)

    # End the Diakonie membership.
    page.get_by_role("link", name="Beenden – Diakonie Darmstadt-Dieburg").click()
    page.fill("#id_end_date", (timezone.localdate() - datetime.timedelta(days=1)).isoformat())  # ended yesterday
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_selector("text=bleibt im Verlauf erhalten")
    assert not Membership.objects.active().filter(organisation__slug="diakonie").exists()

    # Undo that change from the history.
    page.locator("section[aria-labelledby='history-heading'] button", has_text="Rückgängig machen").first.click()
    page.wait_for_selector("text=wurde rückgängig gemacht")
    assert Membership.objects.active().filter(organisation__slug="diakonie").exists()

    # Send a self-service link, correct the entry as the organisation, approve it as the office.
    page.locator("summary", has_text="Register").click()
    page.get_by_role("link", name="Organisationen").first.click()
    page.get_by_role("link", name="Caritasverband Darmstadt e.V.").click()
    page.fill("#id_email", "info@caritas-beispiel.de")
    page.get_by_role("button", name="Link senden").click()
    page.wait_for_selector("text=Der Link an info@caritas-beispiel.de liegt im Postausgang")
    link = re.search(r"http://\S+", mail.outbox[-1].body).group(0)
    assert link.startswith(live_server.url + "/")  # the host and port the office used (VERNETZT_SITE_URL unset)
    page.goto(link)
    page.fill("#id_locality", "Darmstadt")
    page.get_by_role("button", name="An das Büro senden").click()
    page.wait_for_selector("h1:has-text('Vielen Dank')")
    page.goto(live_server.url + "/arbeitsbereich/korrekturen/")
    page.get_by_role("link", name="Caritasverband Darmstadt e.V.").click()
    check_accessible(page)
    page.get_by_role("button", name="Freigeben und übernehmen").click()
    page.wait_for_selector("text=Die Korrektur wurde übernommen")
    assert Organisation.objects.get(slug="caritas").locality == "Darmstadt"

    assert foreign_requests(requests) == []
