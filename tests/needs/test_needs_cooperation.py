"""Cooperation answers become edges; pairs in a network that never cooperate; cooperation across networks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from needs.cooperation import (
    cooperation_edges,
    crossing,
    networks_with_members,
    not_cooperating,
    pairs_without_cooperation,
)
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

    edges = cooperation_edges()
    eins = pairs_without_cooperation(first, edges)
    assert eins["members"] == 3 and eins["pairs"] == 2
    assert [(x.name, [y.name for y in partners]) for x, partners in eins["rows"]] == [
        ("Alpha e.V.", ["Gamma e.V."]),
        ("Beta e.V.", ["Gamma e.V."]),
    ]
    assert [
        (row["network"], row["members"], row["pairs"], row["without"])
        for row in not_cooperating([first, second], edges)
    ] == [
        (first, 3, 3, 2),
        (second, 1, 0, 0),
    ]
    assert [(row["source"].name, row["target"].name) for row in crossing(edges)] == [("Alpha e.V.", "Delta e.V.")]

    client.force_login(office_user)
    page = client.get(reverse("needs:cooperation")).content.decode()
    assert "Delta e.V." in page and "Arbeitskreis Eins" in page and "Gamma e.V." not in page
    page = client.get(reverse("needs:cooperation"), {"network": first.pk}).content.decode()
    assert '<th scope="row">Alpha e.V.</th><td>Gamma e.V.</td>' in page
    assert '<th scope="row">Beta e.V.</th><td>Gamma e.V.</td>' in page
    assert "3 Mitgliedsorganisationen, 2 Paare ohne gemeldete Zusammenarbeit." in page
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


def test_the_report_reads_a_page_of_networks_with_the_same_queries_however_many_there_are(client, office_user):
    """Ten thousand networks make millions of pairs: the page counts them for the networks it shows."""
    organisations = [make_organisation(f"Verein {index:02d}") for index in range(12)]

    def add_networks(count):
        for _ in range(count):
            network = make_network(f"Netzwerk {networks_with_members().count():03d}")
            for organisation in organisations:
                Membership.objects.create(network=network, organisation=organisation)

    client.force_login(office_user)
    add_networks(3)
    # Each count after a first request: what earlier tests of the process left in its caches (the site, the
    # kinds of record) or the new networks emptied is read again once, not counted as the page's own.
    client.get(reverse("needs:cooperation"))
    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("needs:cooperation")).content.decode()
    assert "3 Netzwerke mit Mitgliedsorganisationen" in page
    add_networks(60)
    client.get(reverse("needs:cooperation"), {"page": 2})
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("needs:cooperation"), {"page": 2}).content.decode()
    assert len(many) == len(few)
    assert "63 Netzwerke mit Mitgliedsorganisationen" in page
    # The second page starts after the first 50 networks; each shows its 66 pairs, none reported.
    assert "Netzwerk 050" in page and "Netzwerk 049" not in page
    assert page.count("<td>66</td>") == 2 * 13
    assert "Keine gemeldete Zusammenarbeit mit" not in page
    page = client.get(reverse("needs:cooperation"), {"page": 2, "network": networks_with_members().last().pk})
    assert '<th scope="row">Verein 00</th><td>Verein 01; Verein 02;' in page.content.decode()
