"""Results: charts with tables, free texts, breakdowns only for groups of at least five, exports."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from needs.models import Answer, Response, ResponseNetwork
from needs.results import MIN_GROUP, suppress, survey_results
from tests.needs.needs_builders import make_network, make_survey

pytestmark = pytest.mark.django_db


def respond(survey, network, category, choice_index=0, number=3, text=""):
    single, number_question, free = survey.questions.order_by("position")
    response = Response.objects.create(survey=survey, submitted_on="2026-11-23", category=category)
    ResponseNetwork.objects.create(response=response, network=network)
    Answer.objects.create(response=response, question=single, choice=single.choices.all()[choice_index])
    Answer.objects.create(response=response, question=number_question, number=Decimal(number))
    if text:
        Answer.objects.create(response=response, question=free, text=text)
    return response


@pytest.fixture
def groups():
    return make_network("Netz A"), make_network("Netz B"), make_network("Netz C")


def breakdown(item, kind):
    rows = next(b for b in item["breakdowns"] if b["kind"] == kind)["rows"]
    return {row["group"]: row for row in rows}


def test_a_group_of_five_is_shown_and_a_group_of_four_withheld():
    assert MIN_GROUP == 5
    assert set(suppress({"A": set(range(5))}, set(range(5)))) == {"A"}
    assert set(suppress({"A": set(range(4))}, set(range(4)))) == set()


def test_suppress_withholds_small_groups_and_those_that_would_reveal_them():
    ids = set(range(14))
    shown = suppress({"A": set(range(6)), "B": set(range(6, 11)), "C": set(range(11, 14))}, ids)
    # C (3) is too small; B would reveal C as the total minus A and B, so B goes too.
    assert set(shown) == {"A"}
    assert set(suppress({"A": set(range(6)), "B": set(range(6, 9))}, set(range(9)))) == set()
    assert set(suppress({"A": set(range(5)), "B": set(range(5, 10))}, set(range(10)))) == {"A", "B"}
    assert set(suppress({"A": set(range(4))}, set(range(4)))) == set()


def test_breakdowns_under_five_are_withheld(client, office_user, groups):
    a, b, c = groups
    survey = make_survey(groups, kinds=("single", "number", "text"))
    for i in range(6):
        respond(survey, a, "welfare", choice_index=0, number=4, text=f"Text A{i}")
    for _ in range(5):
        respond(survey, b, "welfare", choice_index=1, number=2)
    for _ in range(3):
        respond(survey, c, "education", choice_index=2, number=5, text="Nur drei aus C")
    results = survey_results(survey)
    single, number, free = results["questions"]
    assert single["respondents"] == 14 and not single["withheld"]
    assert [bar["count"] for bar in single["bars"]] == [6, 5, 3]
    networks = breakdown(single, "network")
    assert not networks["Netz A"]["withheld"]
    assert [bar["count"] for bar in networks["Netz A"]["bars"]] == [6, 0, 0]
    assert networks["Netz B"]["withheld"] and networks["Netz C"]["withheld"]
    assert "bars" not in networks["Netz C"]
    categories = breakdown(number, "category")
    # Welfare (11) could be shown alone, but then education (3) would be the total minus welfare.
    assert all(row["withheld"] for row in categories.values())
    assert sorted(free["texts"]) == sorted([f"Text A{i}" for i in range(6)] + ["Nur drei aus C"] * 3)

    client.force_login(office_user)
    page = client.get(reverse("needs:results", args=[survey.pk])).content.decode()
    assert 'role="img"' in page and "<title" in page and "<desc" in page
    assert "<caption>Frage 1</caption>" in page

    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("needs:export", args=[survey.pk, "csv"])).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    c_rows = [row for row in rows if row[2] == "Netz C"]
    assert c_rows and all(row[4] == "" for row in c_rows)
    assert ["Frage 1", "alle", "", "Ja", "6", "42,9"] in rows


def test_a_question_with_fewer_than_five_answers_is_withheld_everywhere(client, office_user, groups):
    a, _b, _c = groups
    survey = make_survey([a], kinds=("single", "number", "text"))
    for i in range(4):
        respond(survey, a, "welfare", text=f"Geheimnis {i}")
    results = survey_results(survey)
    assert all(item["withheld"] for item in results["questions"])
    client.force_login(office_user)
    page = client.get(reverse("needs:results", args=[survey.pk])).content.decode()
    assert "Geheimnis" not in page
    workbook = load_workbook(io.BytesIO(client.get(reverse("needs:export", args=[survey.pk, "xlsx"])).content))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert not any("Geheimnis" in str(value) for value in values)
    assert any("zurückgehalten" in str(value) for value in values)


def test_export_neutralises_formulas(client, office_user, groups):
    a, _b, _c = groups
    survey = make_survey([a], kinds=("single", "number", "text"))
    for i in range(5):
        respond(survey, a, "welfare", text=f'=HYPERLINK("http://evil/{i}")')
    client.force_login(office_user)
    workbook = load_workbook(io.BytesIO(client.get(reverse("needs:export", args=[survey.pk, "xlsx"])).content))
    cells = [row[3] for row in workbook.active.iter_rows(min_row=2) if str(row[3].value).startswith("=")]
    assert len(cells) == 5 and all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def test_results_page_needs_a_constant_number_of_queries(client, office_user, groups, django_assert_max_num_queries):
    a, b, _c = groups
    survey = make_survey(groups, kinds=("single", "number", "text"))
    for _ in range(5):
        respond(survey, a, "welfare", text="x")
    client.force_login(office_user)
    url = reverse("needs:results", args=[survey.pk])
    with django_assert_max_num_queries(14):
        client.get(url)
    for _ in range(30):
        respond(survey, b, "education", text="y")
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
