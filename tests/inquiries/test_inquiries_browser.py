"""A resident asks in English on a phone; a KAB member answers; after the retention period only counts remain."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from inquiries import services
from inquiries.models import RETENTION_DAYS, Inquiry, InquiryCount
from meetings.models import OutgoingMail
from register.models import Assignment
from tests.browser import axe_violations, describe, foreign_requests, record_requests, screenshot
from tests.inquiries.retention import tables_holding
from tests.register.kab_builders import make_kab

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "My daughter starts school in August. Who helps us with the registration?"


@pytest.fixture
def phone_390(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_ask_on_a_phone_answer_and_forget(phone_390, page, live_server):
    kab = make_kab()
    member = get_user_model().objects.create_user("mira", "mira@example.org", "a-long-test-password-42")
    Assignment.objects.create(user=member, network=kab, role=Assignment.Role.MEMBER)

    # The resident: from the council's page to the form, in English, on a phone.
    requests = record_requests(phone_390)
    phone_390.goto(f"{live_server.url}/en/netzwerke/{kab.slug}/")
    phone_390.get_by_role("link", name="Ask a question").click()
    assert phone_390.locator("h1").inner_text().startswith("Ask a question")
    assert "What happens with your data" in phone_390.locator("main").inner_text()
    assert axe_violations(phone_390) == [], describe(axe_violations(phone_390))
    width = phone_390.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the form is {width} px wide"
    phone_390.get_by_label("Your question").fill(QUESTION)
    phone_390.get_by_label("What is it about?").select_option("school")
    phone_390.get_by_label("Where do you live? (optional)").select_option(label="Dieburg")
    phone_390.get_by_label("Your e-mail address").fill("resident@example.org")
    screenshot(phone_390, "inquiry-form-390")
    phone_390.get_by_role("button", name="Send question").click()
    # The consent is missing: the form says so and keeps what was written.
    assert "Please agree, or we cannot answer you." in phone_390.locator("main").inner_text()
    assert phone_390.get_by_label("Your question").input_value() == QUESTION
    assert axe_violations(phone_390) == [], describe(axe_violations(phone_390))
    phone_390.get_by_label("I agree that my question and my details are stored to answer me.").check()
    phone_390.get_by_role("button", name="Send question").click()
    expect(phone_390.locator("h1")).to_have_text("Your question was sent")
    screenshot(phone_390, "inquiry-sent-390")
    assert foreign_requests(requests) == []
    inquiry = Inquiry.objects.get()
    assert (inquiry.language, inquiry.topic, inquiry.municipality.name) == ("en", "school", "Dieburg")

    # The KAB member answers from the inbox.
    sign_in(page, live_server, member)
    page.goto(f"{live_server.url}/arbeitsbereich/anfragen/")
    page.get_by_role("link", name=str(inquiry)).click()
    assert QUESTION in page.locator("main").inner_text()
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.get_by_label("Ihre Antwort").fill(
        "Die Schulanmeldung läuft über die Grundschule in Dieburg. We are happy to help."
    )
    page.get_by_role("button", name="Antwort senden").click()
    assert "Die Antwort liegt im Postausgang" in page.locator("main").inner_text()
    screenshot(page, "inquiry-answered-1280")
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.ANSWERED
    answer = OutgoingMail.objects.get(recipient="resident@example.org")
    assert answer.subject == f"Your question to {kab.name}" and "happy to help" in answer.body

    # After the retention period only the anonymous counts remain, in every table.
    secrets = [QUESTION, "resident@example.org", "happy to help"]
    assert tables_holding(*secrets)
    assert services.purge(timezone.localdate() + datetime.timedelta(days=RETENTION_DAYS - 1)) == 0
    assert services.purge(timezone.localdate() + datetime.timedelta(days=RETENTION_DAYS)) == 1
    assert tables_holding(*secrets) == {}
    [count] = InquiryCount.objects.all()
    assert (count.topic, count.municipality.name, count.count) == ("school", "Dieburg", 1)
    page.goto(f"{live_server.url}/arbeitsbereich/anfragen/bericht/?jahr={timezone.localdate().year}")
    assert "Schule und Kinderbetreuung" in page.locator("main").inner_text()


def test_the_council_and_term_pages_are_accessible_on_phone_and_desktop(phone_390, page, live_server):
    from register.models import Membership
    from tests.register.kab_builders import current_term, delegate, make_council

    kab = make_kab()
    term = current_term(kab, election=timezone.localdate() - datetime.timedelta(days=3 * 365))
    dieburg, babenhausen = make_council(kab, "Dieburg"), make_council(kab, "Babenhausen")
    named = delegate(kab, term, dieburg, public=True)
    other = delegate(kab, term, babenhausen)
    delegate(kab, term, babenhausen, role=Membership.Role.DEPUTY, deputy_of=other)
    for browser_page, width in ((phone_390, 390), (page, 1280)):
        for path in (f"/netzwerke/{kab.slug}/", f"/netzwerke/{kab.slug}/amtszeiten/{term.pk}/"):
            browser_page.goto(live_server.url + path)
            assert axe_violations(browser_page) == [], describe(axe_violations(browser_page))
            assert browser_page.evaluate("document.documentElement.scrollWidth") <= width
            name = "council" if "amtszeiten" not in path else "term"
            screenshot(browser_page, f"inquiry-{name}-{width}")
        text = browser_page.locator("main").inner_text()
        assert str(named.person) in text and other.person.family_name not in text


@pytest.mark.parametrize("width", [390, 1280])
def test_ask_in_leichte_sprache(browser, live_server, width):
    kab = make_kab()
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="de-DE", is_mobile=width < 500)
    page = context.new_page()
    requests = record_requests(page)
    page.goto(f"{live_server.url}/netzwerke/{kab.slug}/")
    page.get_by_role("link", name="Eine Frage stellen in Leichter Sprache").click()
    expect(page.locator("h1")).to_have_text("Eine Frage stellen")
    assert page.url == f"{live_server.url}/de-x-ls/anfrage/{kab.slug}/"
    assert page.evaluate("document.documentElement.lang") == "de-x-ls"
    assert axe_violations(page) == [], describe(axe_violations(page))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"inquiry-easy-{width}")
    page.get_by_label("Ihre Frage").first.fill("Wo lerne ich Deutsch?")
    page.get_by_label("Worum geht es?").select_option("language")
    page.get_by_label("Ihre E-Mail-Adresse").fill("frage@example.org")
    page.get_by_role("button", name="Frage schicken").click()
    assert "Bitte sagen Sie Ja." in page.locator("main").inner_text()
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.get_by_label("Ja. Sie dürfen meine Frage und meine Angaben speichern.", exact=False).check()
    page.get_by_role("button", name="Frage schicken").click()
    page.wait_for_selector("h1")
    assert foreign_requests(requests) == []
    inquiry = Inquiry.objects.get()
    assert (inquiry.language, inquiry.topic) == ("de-x-ls", "language")
    context.close()
