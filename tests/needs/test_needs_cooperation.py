"""Cooperation answers become edges; pairs in a network that never cooperate; cooperation across networks."""

import pytest
from django.urls import reverse

from needs.cooperation import cooperation_edges, cooperation_report
from needs.models import Answer, Question
from register.models import Membership
from tests.needs.needs_builders import add_people, invite, make_network, make_organisation, make_survey, open_link

pytestmark = pytest.mark.django_db


def cooperation_post(question, rows):
    data = {"action": "submit"}
    for index, (organisation, topic, frequency) in enumerate(rows):
        data[f"q{question.pk}_{index}_org"] = str(organisation.pk)
        data[f"q{question.pk}_{index}_topic"] = str(topic.pk) if topic else ""
        data[f"q{question.pk}_{index}_freq"] = frequency
    return data


def test_answers_become_edges_and_the_report_finds_missing_and_crossing_cooperation(client, office_user, topic):
    first, second = make_network("Arbeitskreis Eins"), make_network("Forum Zwei")
    a, b, c = (make_organisation(name) for name in ("Alpha e.V.", "Beta e.V.", "Gamma e.V."))
    d = make_organisation("Delta e.V.")
    for organisation in (a, b, c):
        Membership.objects.create(network=first, organisation=organisation)
    Membership.objects.create(network=second, organisation=d)
    [person_a] = add_people(first, 1, organisation=a)
    [person_d] = add_people(second, 1, organisation=d)
    survey = make_survey([first, second], anonymous=False, kinds=("relationship",))
    question = survey.questions.get()
    tokens = invite(survey)

    url = open_link(client, tokens[person_a.pk])
    client.post(url, cooperation_post(question, [(b, topic, "monthly"), (d, None, "rarely")]))
    url = open_link(client, tokens[person_d.pk])
    client.post(url, cooperation_post(question, [(a, topic, "weekly")]))

    edges = {(e.source_id, e.target_id): e for e in cooperation_edges()}
    assert set(edges) == {tuple(sorted((a.pk, b.pk))), tuple(sorted((a.pk, d.pk)))}
    ad = edges[tuple(sorted((a.pk, d.pk)))]
    assert ad.reports == 2 and ad.frequency == "weekly" and ad.topics == ["Beratung"]

    report = cooperation_report()
    eins = next(item for item in report["not_cooperating"] if item["network"] == first)
    assert {frozenset((x.name, y.name)) for x, y in eins["pairs"]} == {
        frozenset(("Alpha e.V.", "Gamma e.V.")),
        frozenset(("Beta e.V.", "Gamma e.V.")),
    }
    assert [(row["source"].name, row["target"].name) for row in report["crossing"]] == [("Alpha e.V.", "Delta e.V.")]

    client.force_login(office_user)
    page = client.get(reverse("needs:cooperation")).content.decode()
    assert "Delta e.V." in page and "Gamma e.V." in page
    edges_json = client.get(reverse("needs:cooperation_edges")).json()["edges"]
    assert {(edge["source_id"], edge["target_id"], edge["frequency"]) for edge in edges_json} == {
        (min(a.pk, b.pk), max(a.pk, b.pk), "monthly"),
        (min(a.pk, d.pk), max(a.pk, d.pk), "weekly"),
    }


def test_a_cooperation_row_needs_organisation_and_frequency(client, network, topic):
    partner = make_organisation("Partner e.V.")
    [person] = add_people(network, 1)
    survey = make_survey([network], kinds=("relationship",))
    question = survey.questions.get()
    url = open_link(client, invite(survey)[person.pk])
    response = client.post(url, cooperation_post(question, [(partner, topic, "")]))
    assert response.status_code == 200
    assert f'id="id_q{question.pk}_0_freq_error"' in response.content.decode()
    assert not Answer.objects.exists()
    assert question.kind == Question.Kind.RELATIONSHIP
