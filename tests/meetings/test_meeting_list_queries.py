"""The staff's meetings list at the scale of a nation: its size, its queries and its reading of the database do not
grow with the number of networks and meetings (issue 25)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from register.models import Meeting, Network
from register.widgets import SearchSelect
from tests.meetings.test_lists import meetings

from .conftest import make_user

pytestmark = pytest.mark.django_db


def titles(page):
    return re.findall(r'<a [^>]*lang="de"[^>]*>([^<]+)</a>', page)


def networks(count, first=0):
    return Network.objects.bulk_create(
        [
            Network(name=f"Netzwerk {index:03d}", short_name=f"N{index:03d}", slug=f"n-{index}")
            for index in range(first, first + count)
        ]
    )


def network_select(page):
    return page.split('data-options="networks"')[1].split("</select>")[0]


def get(client, **query):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("meetings:list"), query).content.decode()
    return page, len(queries)


def test_the_queries_and_the_page_stay_the_same_with_more_networks_and_meetings(client, office, monkeypatch):
    """Beyond the search select's full list the filter offers no network as a choice (the search finds them);
    the upcoming and the past meetings are one page each; the queries are the same for 3 and 60 of each."""
    monkeypatch.setattr(SearchSelect, "FULL_LIST", 2)
    client.force_login(office)
    small = networks(3)
    for network in small:
        meetings(network, 3, days_ago=1, prefix=f"Sitzung {network.slug}")
    page, few = get(client)
    assert "<option" in network_select(page) and "Netzwerk 001" not in network_select(page)
    for network in networks(57, first=3):
        meetings(network, 2, days_ago=30, prefix=f"Sitzung {network.slug}")  # past ones
        meetings(network, 1, days_ago=-5, prefix=f"Sitzung {network.slug}")  # and one upcoming
    page, many = get(client)
    assert many == few
    assert network_select(page).count("<option") == 1  # only the empty choice
    assert len(titles(page.split("<h2>")[1])) == 50  # the next 50 upcoming meetings
    assert len(titles(page.split("<h2>")[2])) == 50  # one page of past meetings
    # Filtered by a network: that network is offered, chosen; the filter still filters.
    chosen = small[1]
    page, filtered = get(client, network=chosen.pk)
    assert filtered <= many + 2  # the filter's network and the chosen option
    assert f'<option value="{chosen.pk}" selected>Netzwerk 001</option>' in network_select(page)
    assert set(titles(page)) == {f"Sitzung {chosen.slug} {index:03d}" for index in range(3)}


def test_the_network_filter_searches_as_you_type_for_those_the_options_endpoint_answers(
    client, office, network, member
):
    client.force_login(office)
    page = client.get(reverse("meetings:list")).content.decode()
    assert 'data-options="networks"' in page and "register/choices.js" in page
    assert f'data-options-url="{reverse("workspace:options", args=["KIND"])}"' in page
    client.force_login(member)  # a member may not ask the endpoint: a plain select of their networks
    page = client.get(reverse("meetings:list")).content.decode()
    assert f'<option value="{network.pk}">' in page
    assert "data-options-url" not in page and "choices.js" not in page


def test_the_options_endpoint_finds_networks_the_user_sees_inside(client, office, network):
    networks(3)
    url = reverse("workspace:options", args=["networks"])
    client.force_login(office)
    found = client.get(url, {"q": "n002"}).json()["results"]
    assert [entry["text"] for entry in found] == ["Netzwerk 002"]
    assert len(client.get(url, {"q": "netzwerk"}).json()["results"]) == 3
    client.force_login(make_user("coordinator", network))
    assert client.get(url, {"q": "netzwerk"}).json()["results"] == []
    assert client.get(url, {"q": network.name}).json()["results"] == [{"value": str(network.pk), "text": network.name}]


def test_a_meeting_going_on_now_is_upcoming_not_past(client, office, network):
    now = timezone.now()
    Meeting.objects.create(
        network=network,
        name="Läuft gerade",
        start=now - datetime.timedelta(hours=1),
        end=now + datetime.timedelta(hours=1),
    )
    meetings(network, 7, days_ago=20, prefix=f"Sitzung {network.slug}")
    client.force_login(office)
    page = client.get(reverse("meetings:list")).content.decode()
    upcoming, past = page.split("<h2>")[1], page.split("<h2>")[2]
    assert titles(upcoming) == ["Läuft gerade"]
    assert "7 Einträge" in past and len(titles(past)) == 7 and "Läuft gerade" not in past
