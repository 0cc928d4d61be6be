"""The duplicate queue as a list: sorted by its column headers, filtered by kind, score, kept pairs and names,
paged at constant queries."""

import re

import pytest
from django.urls import reverse

from matching.models import Suggestion
from register.models import Membership, Network, Organisation

pytestmark = pytest.mark.django_db

KIND = Suggestion.Kind


def firsts(page):
    return re.findall(r'<th scope="row"><span lang="de">([^<]+)</span>', page)


def suggestions(count):
    """``count`` pairs "Stelle 000"/"Stelle 000 b" ... with scores rising from 0.80 and kinds in turn."""
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Stelle {index // 2:03d}{' b' if index % 2 else ''}", slug=f"s-{index}")
            for index in range(2 * count)
        ]
    )
    kinds = [KIND.DUPLICATE, KIND.FIRST_IN_SECOND, KIND.SECOND_IN_FIRST]
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                first=organisations[2 * index],
                second=organisations[2 * index + 1],
                score=0.8 + index / (count * 10),
                kind=kinds[index % 3],
                kept=index == 0,
            )
            for index in range(count)
        ]
    )


def test_the_queue_sorts_by_its_columns(office_client):
    suggestions(60)
    url = reverse("matching:queue")
    first = office_client.get(url).content.decode()
    assert "60 Paare warten auf Prüfung." in first and "60 Einträge – Seite 1 von 2" in first
    assert firsts(first)[:2] == ["Stelle 059", "Stelle 058"] and 'aria-sort="' not in first  # likeliest first
    by_score = office_client.get(url, {"sort": "score"}).content.decode()
    assert 'aria-sort="ascending"' in by_score and firsts(by_score)[:2] == ["Stelle 000", "Stelle 001"]
    by_name = office_client.get(url, {"sort": "-first", "page": 2}).content.decode()
    assert 'aria-sort="descending"' in by_name and firsts(by_name) == [f"Stelle {i:03d}" for i in range(9, -1, -1)]
    assert 'href="?sort=-review' not in first and "?sort=review" not in first  # the review links do not sort


def test_the_queue_filters_by_kind_score_kept_and_name(office_client):
    suggestions(9)
    url = reverse("matching:queue")

    def shown(**query):
        return set(firsts(office_client.get(url, query).content.decode()))

    assert shown(kind=KIND.FIRST_IN_SECOND) == {"Stelle 001", "Stelle 004", "Stelle 007"}
    assert shown(score_min="0.86") == {"Stelle 006", "Stelle 007", "Stelle 008"}
    assert shown(score_min="0.82", score_max="0.84") == {"Stelle 002", "Stelle 003"}
    assert shown(kept="true") == {"Stelle 000"}
    assert shown(q="stelle 005 b") == {"Stelle 005"}  # the second entry's name counts too
    assert shown(kind=KIND.DUPLICATE, score_max="0.85") == {"Stelle 000", "Stelle 003"}
    wrong = office_client.get(url, {"score_min": "2"}).content.decode()
    assert "9 Einträge" in wrong and "errorlist" in wrong  # out of range: said so, the list unfiltered


def test_the_queue_names_the_networks_of_both_entries(office_client):
    suggestions(1)
    network = Network.objects.create(name="Arbeitskreis Gesundheit", short_name="AK G", slug="ak-g")
    Membership.objects.create(network=network, organisation=Organisation.objects.get(name="Stelle 000 b"))
    page = office_client.get(reverse("matching:queue")).content.decode()
    assert '<td><span lang="de">Stelle 000 b</span><br><small>AK G</small></td>' in page


@pytest.mark.parametrize("size", [5, 120])
def test_the_filtered_sorted_queue_costs_constant_queries(office_client, django_assert_max_num_queries, size):
    suggestions(size)
    office_client.get(reverse("matching:queue"))  # the shared base template may set itself up once
    with django_assert_max_num_queries(14):
        page = office_client.get(reverse("matching:queue"), {"sort": "second", "score_min": "0.8"}).content.decode()
    assert len(firsts(page)) == min(size, 50)


def test_the_queue_names_the_networks_of_an_entrys_units_and_their_units(office_client):
    """The networks of the entries shown, their units and the units' units (read by the index of the parent),
    and no network of an organisation that is not shown."""
    suggestions(1)
    top = Organisation.objects.get(name="Stelle 000")
    unit = Organisation.objects.create(name="Stelle 000 Beratung", slug="s-unit", parent=top)
    below = Organisation.objects.create(name="Stelle 000 Beratung Dieburg", slug="s-below", parent=unit)
    elsewhere = Organisation.objects.create(name="Andere Stelle", slug="s-other")
    for name, organisation in [("AK A", top), ("AK B", unit), ("AK C", below), ("AK D", elsewhere)]:
        network = Network.objects.create(name=f"Arbeitskreis {name}", short_name=name, slug=name.lower())
        Membership.objects.create(network=network, organisation=organisation)
    page = office_client.get(reverse("matching:queue")).content.decode()
    assert '<span lang="de">Stelle 000</span><br><small>AK A, AK B, AK C</small>' in page
    assert "AK D" not in page
