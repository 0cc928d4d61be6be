"""Every page once per role; forms that say what is wrong; needs with their history; list query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from meetings.models import OutgoingMail
from needs.models import Choice, Need, Offer, Question, Survey
from register.history import history_of
from register.models import Municipality, Topic
from register.widgets import SearchSelect
from tests.needs.needs_builders import add_people, invite, make_network, make_organisation, make_survey, open_link

# Literal dates below: the clock is pinned to tests.conftest.FIXED_DAY (time-machine) for every test here.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_day")]

OFFICE_PAGES = ["needs:surveys", "needs:survey_create", "needs:cooperation", "needs:need_create", "needs:offer_create"]
MEMBER_PAGES = ["needs:needs", "needs:offers", "needs:coverage"]


@pytest.mark.parametrize("name", OFFICE_PAGES + MEMBER_PAGES)
@pytest.mark.parametrize(
    ("role", "allowed"),
    [("office_user", set(OFFICE_PAGES + MEMBER_PAGES)), ("member_user", set(MEMBER_PAGES)), ("outsider_user", set())],
)
def test_pages_per_role(client, request, name, role, allowed):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse(name))
    assert response.status_code == (200 if name in allowed else 403)


def test_survey_pages_are_for_the_office_only(client, member_user, office_user, network):
    survey = make_survey([network])
    for name in ("needs:survey", "needs:results", "needs:survey_edit"):
        client.force_login(member_user)
        assert client.get(reverse(name, args=[survey.pk])).status_code == 403
        client.force_login(office_user)
        assert client.get(reverse(name, args=[survey.pk])).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("needs:needs"))
    assert response.status_code == 302 and "next=" in response["Location"]


def in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_the_survey_form_chooses_networks_by_search_beyond_the_full_list(client, office_user, network, monkeypatch):
    """A survey's networks were checkboxes of every network (1.8 MB at 10,000 networks): beyond ``FULL_LIST`` the
    select offers only the chosen ones, the workspace's options endpoint finds the others, the form takes any."""
    other = make_network("Runder Tisch Ehrenamt")
    client.force_login(office_user)
    page = client.get(reverse("needs:survey_create")).content.decode()
    assert 'data-options="networks"' in page and "Runder Tisch Ehrenamt" in page
    assert not re.search(r'<input[^>]*name="networks"', page)  # no checkboxes
    assert f'data-options-url="{reverse("workspace:options", args=["KIND"])}"' in page and "tom-select" in page
    monkeypatch.setattr(SearchSelect, "FULL_LIST", 1)
    page = client.get(reverse("needs:survey_create")).content.decode()
    assert "Runder Tisch Ehrenamt" not in page and "Arbeitskreis Test" not in page
    data = {"title_de": "Bedarfe", "title_en": "Needs", "opens_on": in_days(-1), "closes_on": in_days(20)}
    client.post(reverse("needs:survey_create"), {**data, "networks": [other.pk]})
    survey = Survey.objects.get()
    assert list(survey.networks.all()) == [other]
    page = client.get(reverse("needs:survey_edit", args=[survey.pk])).content.decode()
    assert f'<option value="{other.pk}" selected>Runder Tisch Ehrenamt</option>' in page
    assert "Arbeitskreis Test" not in page
    found = client.get(reverse("workspace:options", args=["networks"]), {"q": "arbeitskreis"}).json()["results"]
    assert found == [{"value": str(network.pk), "text": "Arbeitskreis Test"}]


def test_office_composes_a_bilingual_survey(client, office_user, network):
    client.force_login(office_user)
    response = client.post(
        reverse("needs:survey_create"),
        {
            "title_de": "Bedarfe",
            "title_en": "Needs",
            "anonymous": "on",
            "opens_on": in_days(20),
            "closes_on": in_days(-10),
            "networks": [network.pk],
        },
    )
    assert "closes_on" in response.context["form"].errors and not Survey.objects.exists()
    client.post(
        reverse("needs:survey_create"),
        {
            "title_de": "Bedarfe",
            "title_en": "Needs",
            "anonymous": "on",
            "opens_on": in_days(-10),
            "closes_on": in_days(20),
            "networks": [network.pk],
        },
    )
    survey = Survey.objects.get()
    url = reverse("needs:question_create", args=[survey.pk])
    base = {"kind": "single", "text_de": "Wie oft?", "text_en": "How often?", "scale_min": 1, "scale_max": 5}
    response = client.post(url, {**base, "options_de": "Oft"})
    assert response.context["form"].errors["options_de"] and not Question.objects.exists()
    response = client.post(url, {**base, "options_de": "Oft\nSelten", "options_en": "Often"})
    assert response.context["form"].errors["options_en"] and not Question.objects.exists()
    client.post(url, {**base, "options_de": "Oft\nSelten", "options_en": "Often\nRarely"})
    question = Question.objects.get()
    assert [(c.label_de, c.label_en) for c in question.choices.all()] == [("Oft", "Often"), ("Selten", "Rarely")]
    response = client.post(url, {**base, "kind": "rating", "scale_min": 1, "scale_max": 20})
    assert response.context["form"].errors["scale_max"]
    # Once invitations have gone out, questions can no longer change.
    add_people(network, 1)
    client.post(reverse("needs:survey_send", args=[survey.pk]))
    response = client.post(url, {**base, "kind": "text"})
    assert response.context["form"].non_field_errors() and Question.objects.count() == 1
    assert Choice.objects.count() == 2


def test_the_need_form_finds_municipalities_networks_and_meetings_by_search(
    client, office_user, network, topic, monkeypatch
):
    """A country's 8,000 municipalities, 10,000 networks and 50,000 meetings made the form 8 MB and 18 s:
    beyond ``FULL_LIST`` each select offers only what is chosen, and the options endpoint finds the rest."""
    from register.models import Meeting
    from register.widgets import SearchSelect

    dieburg, otzberg = Municipality.objects.get(name="Dieburg"), Municipality.objects.get(name="Otzberg")
    start = timezone.now()
    meeting, _other = (
        Meeting.objects.create(network=network, name=name, start=start, end=start + datetime.timedelta(hours=1))
        for name in ["Plenum", "Vorstand"]
    )
    client.force_login(office_user)
    page = client.get(reverse("needs:need_create")).content.decode()
    assert f'data-options-url="{reverse("workspace:options", args=["KIND"])}"' in page and "tom-select" in page
    assert "Otzberg (Landkreis Darmstadt-Dieburg)</option>" in page and "Plenum (" in page
    monkeypatch.setattr(SearchSelect, "FULL_LIST", 1)
    page = client.get(reverse("needs:need_create")).content.decode()
    for kind in ["municipalities", "networks", "meetings"]:
        assert page.split(f'data-options="{kind}"')[1].split("</select>")[0].count("<option") <= 1, kind
    found = client.get(reverse("workspace:options", args=["meetings"]), {"q": "plenum"}).json()["results"]
    assert found == [{"value": str(meeting.pk), "text": str(meeting)}]
    data = {"title": "Dolmetscher", "description": "Für Arztbesuche", "topic": topic.pk, "source": "meeting"}
    data |= {"priority": 1, "status": "new"}
    data |= {"municipalities": [dieburg.pk, otzberg.pk], "responsible_networks": [network.pk], "meeting": meeting.pk}
    response = client.post(reverse("needs:need_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    need = Need.objects.get()
    assert set(need.municipalities.all()) == {dieburg, otzberg} and need.meeting == meeting
    page = client.get(reverse("needs:need_edit", args=[need.pk])).content.decode()
    chosen = page.split('data-options="municipalities"')[1].split("</select>")[0]
    assert f'value="{dieburg.pk}" selected' in chosen and f'value="{otzberg.pk}" selected' in chosen
    # The measure of a need names a network, an offer its organisation and municipalities: by search as well.
    assert 'data-options="networks"' in client.get(reverse("needs:need", args=[need.pk])).content.decode()
    page = client.get(reverse("needs:offer_create")).content.decode()
    assert 'data-options="organisations"' in page and 'data-options="municipalities"' in page and "tom-select" in page


def test_need_history_and_measures(client, office_user, network, topic):
    client.force_login(office_user)
    dieburg = Municipality.objects.order_by("name").first()
    data = {
        "title": "Dolmetscher",
        "description": "Für Arztbesuche",
        "topic": topic.pk,
        "municipalities": [dieburg.pk],
        "source": "survey",
        "priority": 1,
        "status": "new",
        "responsible_networks": [network.pk],
    }
    response = client.post(reverse("needs:need_create"), data)
    assert response.context["form"].errors["survey"] and not Need.objects.exists()
    data["source"] = "manual"
    client.post(reverse("needs:need_create"), data)
    need = Need.objects.get()
    client.post(reverse("needs:need_edit", args=[need.pk]), {**data, "status": "measure_planned"})
    client.post(
        reverse("needs:need", args=[need.pk]),
        {"measure-description": "Pool aufbauen", "measure-network": network.pk, "measure-date": in_days(30)},
    )
    need.refresh_from_db()
    assert need.status == "measure_planned" and need.measures.get().description == "Pool aufbauen"
    changes = [record.changes for record in history_of(need)]
    assert any(change.get("status") == ["new", "measure_planned"] for change in changes)
    assert any("responsible_networks" in change for change in changes)
    page = client.get(reverse("needs:need", args=[need.pk])).content.decode()
    assert "Status: neu → Maßnahme geplant" in page and "Pool aufbauen" in page
    assert "zuständige Netzwerke: – → Arbeitskreis Test" in page
    assert "Thema: – → Beratung" in page


def test_member_cannot_record_measures(client, member_user, topic):
    need = Need.objects.create(title="X", description="X", topic=topic)
    client.force_login(member_user)
    client.post(reverse("needs:need", args=[need.pk]), {"measure-description": "Y", "measure-date": in_days(30)})
    assert not need.measures.exists()


def test_lists_need_a_constant_number_of_queries(client, office_user, network, django_assert_max_num_queries):
    client.force_login(office_user)
    topic = Topic.objects.create(name="Sprache", slug="sprache")
    municipalities = list(Municipality.objects.all()[:3])

    def fill(count):
        for _ in range(count):
            organisation = make_organisation(f"Org {Offer.objects.count()}")
            offer = Offer.objects.create(name="Kurs", organisation=organisation, kind="course", topic=topic)
            offer.municipalities.set(municipalities)
            need = Need.objects.create(title="Bedarf", description="-", topic=topic)
            need.municipalities.set(municipalities)
            need.responsible_networks.set([network])
            make_survey([network])

    fill(2)
    counts = {}
    for name in ("needs:needs", "needs:offers", "needs:coverage", "needs:surveys"):
        with django_assert_max_num_queries(13) as captured:  # a list's page: its keys, then its rows
            client.get(reverse(name))
        counts[name] = len(captured)
    fill(6)
    for name, count in counts.items():
        with django_assert_max_num_queries(count):
            assert client.get(reverse(name)).status_code == 200


def test_respondents_read_the_survey_in_german_or_english(client, network):
    [person] = add_people(network, 1)
    survey = make_survey([network], kinds=("single",))
    token = invite(survey)[person.pk]
    german = client.get(open_link(client, token)).content.decode()
    assert "Frage 1" in german and "Weiß nicht" in german and 'lang="de"' in german
    # The request activates English in this thread; the override puts the previous language back afterwards.
    with translation.override("en"):
        url = open_link(client, token)
        english = client.get(url).content.decode()
    assert url.startswith("/en/")
    assert "Question 1" in english and "Weiß nicht (en)" in english and "Send answers" in english


def test_closed_survey_sends_nothing(client, office_user, network, mailoutbox):
    add_people(network, 2)
    survey = make_survey([network], opens="2020-01-01", closes="2020-02-01")
    client.force_login(office_user)
    client.post(reverse("needs:survey_send", args=[survey.pk]))
    client.post(reverse("needs:survey_remind", args=[survey.pk]))
    assert mailoutbox == [] and not survey.invitations.exists() and not OutgoingMail.objects.exists()
    open_survey = make_survey([network])
    client.post(reverse("needs:survey_send", args=[open_survey.pk]))
    assert OutgoingMail.objects.count() == 2


def test_offers_filter_by_topic_target_group_municipality_and_language(client, member_user, topic):
    client.force_login(member_user)
    municipalities = list(Municipality.objects.order_by("name")[:2])
    other_topic = Topic.objects.create(name="Sprache", slug="sprache")
    arabic = Offer.objects.create(
        name="Beratung arabisch",
        organisation=make_organisation("A"),
        kind="counselling",
        topic=topic,
        languages="Deutsch, Arabisch",
    )
    arabic.municipalities.set(municipalities[:1])
    course = Offer.objects.create(
        name="Sprachkurs", organisation=make_organisation("B"), kind="course", topic=other_topic
    )
    course.municipalities.set(municipalities[1:])

    def names(**params):
        return [row.record.name for row in client.get(reverse("needs:offers"), params).context["table"].paginated_rows]

    assert names() == ["Beratung arabisch", "Sprachkurs"]
    assert names(topic=topic.pk) == ["Beratung arabisch"]
    assert names(municipality=municipalities[1].pk) == ["Sprachkurs"]
    assert names(language="arab") == ["Beratung arabisch"]


def test_cooperation_edges_as_json_for_the_office(client, office_user, member_user):
    client.force_login(member_user)
    assert client.get(reverse("needs:cooperation_edges")).status_code == 403
    client.force_login(office_user)
    assert client.get(reverse("needs:cooperation_edges")).json() == {"edges": []}
