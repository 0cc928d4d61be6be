"""A survey answered by keyboard alone, saved halfway and continued; axe-core finds nothing on the form."""

import pytest
from django.urls import reverse
from django.utils import translation

from needs.models import Answer, Response, SurveyInvitation
from needs.release import release
from tests.browser import axe_violations, describe, foreign_requests, record_requests
from tests.needs.needs_builders import add_people, invite, make_organisation, make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


@pytest.fixture
def survey_link(live_server, network):
    [person] = add_people(network, 1)
    survey = make_survey([network], kinds=("single", "rating", "multiple", "text", "relationship"))
    survey.questions.filter(kind="single").update(required=True)
    token = invite(survey)[person.pk]
    # The German link, as the invitation mails it, whatever language an earlier test left active here.
    with translation.override("de"):
        return survey, live_server.url + reverse("needs:respond", args=[token])


def test_answer_by_keyboard_save_halfway_and_continue(page, survey_link):
    survey, url = survey_link
    single, rating, multiple, text, _relationship = survey.questions.order_by("position")
    requests = record_requests(page)
    page.goto(url)
    assert axe_violations(page) == [], describe(axe_violations(page))

    # First visit: the first question, then save for later.
    tab_to(page, f"#id_q{single.pk}_0")
    page.keyboard.press("ArrowDown")  # moves to and selects the second option ("Nein")
    tab_to(page, f"#id_q{rating.pk}_0")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # 4
    tab_to(page, "button[value=save]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".message.success").count() == 1
    assert SurveyInvitation.objects.get().draft and not Response.objects.exists()

    # Later: the same link shows what was saved; the rest is filled in and sent.
    page.goto(url)
    assert page.locator(f"#id_q{single.pk}_1").is_checked()
    assert page.locator(f"#id_q{rating.pk}_3").is_checked()
    tab_to(page, f"#id_q{multiple.pk}_m_0")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    tab_to(page, f"#id_q{text.pk}")
    page.keyboard.type("Mehr Beratung auf Arabisch")
    tab_to(page, "button[value=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == survey.title_de
    assert "Vielen Dank" in page.locator("main").inner_text()
    assert "/antworten/umfrage/" in page.url and url.rstrip("/").rsplit("/", 1)[-1] not in page.url

    release(survey, final=True)  # the survey closes: the held-back answers are released
    response = Response.objects.get()
    answers = Answer.objects.filter(response=response)
    assert answers.get(question=single).choice.label_de == "Nein"
    assert answers.get(question=rating).number == 4
    assert sorted(a.choice.label_de for a in answers.filter(question=multiple)) == ["Ja", "Weiß nicht"]
    assert answers.get(question=text).text == "Mehr Beratung auf Arabisch"
    assert SurveyInvitation.objects.get().draft == ""
    assert foreign_requests(requests) == []


def test_errors_are_announced_and_the_form_fits_a_phone(phone_page, survey_link):
    survey, url = survey_link
    single = survey.questions.get(kind="single")
    phone_page.goto(url)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    with phone_page.expect_navigation():
        phone_page.locator("button[value=submit]").click()
    summary = phone_page.locator("#error-summary")
    assert summary.count() == 1
    assert (
        phone_page.locator(f"#question-{single.pk}").get_attribute("aria-describedby").strip()
        == f"id_q{single.pk}_error"
    )
    summary.locator("a").first.click()
    assert phone_page.evaluate("document.activeElement.id") == f"id_q{single.pk}_0"
    assert axe_violations(phone_page) == [], describe(axe_violations(phone_page))
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    assert not Response.objects.exists()


def test_staff_pages_pass_axe(page, live_server, office_user, network, client):
    from needs.models import Need, Offer
    from register.models import Municipality, Topic
    from tests.needs.test_needs_results import respond

    survey = make_survey([network], kinds=("single", "number", "text"))
    for index in range(6):
        respond(survey, network, "welfare", choice_index=index % 3, number=index, text=f"Antwort {index}")
    topic = Topic.objects.create(name="Sprache", slug="sprache")
    need = Need.objects.create(title="Sprachkurs", description="-", topic=topic)
    need.municipalities.set(Municipality.objects.all()[:2])
    offer = Offer.objects.create(name="Kurs", organisation=make_organisation("VHS"), kind="course", topic=topic)
    offer.municipalities.set(Municipality.objects.all()[1:3])
    client.force_login(office_user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    pages = [
        reverse("needs:results", args=[survey.pk]),
        reverse("needs:coverage"),
        reverse("needs:survey_create"),
        reverse("needs:question_create", args=[survey.pk]),
        reverse("needs:need", args=[need.pk]),
    ]
    for url in pages:
        page.goto(live_server.url + url)
        assert page.locator("h1").count() == 1
        violations = axe_violations(page)
        assert violations == [], f"{url}\n{describe(violations)}"
    page.goto(live_server.url + reverse("needs:results", args=[survey.pk]))
    chart = page.locator("svg[role=img]").first
    assert chart.locator("title").count() == 1 and chart.locator("desc").count() == 1
