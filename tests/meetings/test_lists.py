"""The staff lists of events and meetings: sorted by their column headers, filtered, paged at constant queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Registration
from register.models import Event, Meeting, Network

from .conftest import make_event, make_user

pytestmark = pytest.mark.django_db


def titles(page):
    return re.findall(r'<th scope="row"><a [^>]*lang="de"[^>]*>([^<]+)</a>', page)


def other_network():
    return Network.objects.create(name="Runder Tisch Wohnen", short_name="RTW", slug="rtw")


def events(network, count, days=3):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    Event.objects.bulk_create(
        [
            Event(
                title=f"Forum {index:03d}",
                slug=f"forum-{days}-{index}",
                network=network,
                start=start + datetime.timedelta(days=index),
                end=start + datetime.timedelta(days=index, hours=2),
            )
            for index in range(count)
        ]
    )


def test_events_sorted_by_the_column_asked_for(client, office, network):
    events(network, 60)
    client.force_login(office)
    url = reverse("meetings:events")
    first = client.get(url).content.decode()
    assert "60 Einträge – Seite 1 von 2" in first and 'aria-sort="' not in first
    assert titles(first)[:2] == ["Forum 059", "Forum 058"]  # newest first without a choice
    by_title = client.get(url, {"sort": "title"}).content.decode()
    assert 'aria-sort="ascending"' in by_title and titles(by_title)[:2] == ["Forum 000", "Forum 001"]
    assert "?sort=-title" in by_title  # the header links to the reverse order
    second = client.get(url, {"sort": "-title", "page": 2}).content.decode()
    assert 'aria-sort="descending"' in second and titles(second) == [f"Forum {i:03d}" for i in range(9, -1, -1)]


def test_events_filtered_by_network_time_and_cancellation(client, office, network, location):
    elsewhere = other_network()
    upcoming = make_event(network=network, title="Fachtag Sprache")
    past_start = timezone.now() - datetime.timedelta(days=10)
    past_end = past_start + datetime.timedelta(hours=1)
    past = make_event(network=elsewhere, title="Rückblick", start=past_start, end=past_end)
    cancelled = make_event(network=network, title="Abgesagt", cancelled=True)
    client.force_login(office)
    url = reverse("meetings:events")

    def shown(**query):
        return set(titles(client.get(url, query).content.decode()))

    assert shown() == {upcoming.title, past.title, cancelled.title}
    assert shown(network=elsewhere.pk) == {past.title}
    assert shown(when="past") == {past.title}
    assert shown(when="upcoming") == {upcoming.title, cancelled.title}
    assert shown(cancelled="true") == {cancelled.title}
    assert shown(cancelled="false", network=network.pk) == {upcoming.title}
    page = client.get(url, {"cancelled": "true"}).content.decode()
    assert "Filter anwenden" in page and '<span class="tag">abgesagt</span>' in page


def test_coordinators_filter_only_by_their_networks(client, network):
    elsewhere = other_network()
    make_event(network=network, title="Eigenes Forum")
    make_event(network=elsewhere, title="Fremdes Forum")
    client.force_login(make_user("coordinator", network))
    page = client.get(reverse("meetings:events")).content.decode()
    assert titles(page) == ["Eigenes Forum"]
    assert f'<option value="{network.pk}">' in page and f'<option value="{elsewhere.pk}">' not in page
    assert titles(client.get(reverse("meetings:events"), {"network": elsewhere.pk}).content.decode()) == [
        "Eigenes Forum"  # a network not offered is no valid filter: the list stays as it was
    ]


@pytest.mark.parametrize("size", [5, 80])
def test_event_list_queries_constant_when_sorted_and_filtered(
    client, office, network, django_assert_max_num_queries, size
):
    events(network, size)
    client.force_login(office)
    # 11 with the filter's search select, which asks whether the networks are few enough to list them all, and
    # the page read as keys first, then its rows (``register.tables.Paginator``).
    with django_assert_max_num_queries(11):
        page = client.get(
            reverse("meetings:events"), {"sort": "-confirmed", "network": network.pk, "when": "upcoming"}
        ).content.decode()
    assert len(titles(page)) == min(size, 50)


def test_the_event_list_counts_the_confirmed_and_waiting_registrations_of_each_event(client, office, network):
    events(network, 3)
    first, second, third = Event.objects.order_by("start")
    statuses = {first: ["confirmed", "confirmed", "waiting", "cancelled"], third: ["confirmed", "pending", "waiting"]}
    now = timezone.now()
    Registration.objects.bulk_create(
        Registration(
            event=event,
            name="Teilnehmerin",
            email=f"t{number}@example.org",
            status=status,
            consent_at=now,
            confirmed_at=now,
        )
        for event, listed in statuses.items()
        for number, status in enumerate(listed)
    )
    client.force_login(office)
    page = client.get(reverse("meetings:events"), {"sort": "-confirmed"}).content.decode()
    assert titles(page) == [first.title, third.title, second.title]
    rows = {
        title: re.findall(r"<td[^>]*>([^<]*)</td>", row)[-2:]
        for title, row in re.findall(r'lang="de"[^>]*>([^<]+)</a></th>(.*?)</tr>', page, re.S)
    }
    assert rows == {first.title: ["2", "1"], second.title: ["0", "0"], third.title: ["1", "1"]}


def meetings(network, count, days_ago=400, prefix="Sitzung"):
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=days_ago)
    Meeting.objects.bulk_create(
        [
            Meeting(
                network=network,
                name=f"{prefix} {index:03d}",
                start=start + datetime.timedelta(days=index),
                end=start + datetime.timedelta(days=index, hours=2),
            )
            for index in range(count)
        ]
    )


def test_past_meetings_sorted_and_paged(client, office, network):
    meetings(network, 60)
    client.force_login(office)
    url = reverse("meetings:list")
    first = client.get(url).content.decode()
    assert "60 Einträge – Seite 1 von 2" in first and titles(first)[:2] == ["Sitzung 059", "Sitzung 058"]
    by_name = client.get(url, {"sort": "name", "page": 2}).content.decode()
    assert 'aria-sort="ascending"' in by_name and titles(by_name) == [f"Sitzung {i:03d}" for i in range(50, 60)]


def test_meetings_filtered_by_network_and_dates(client, office, network):
    elsewhere = other_network()
    meetings(network, 3, days_ago=30)  # 30, 29 and 28 days ago
    Meeting.objects.create(
        network=elsewhere,
        name="Treffen Wohnen",
        start=timezone.now() - datetime.timedelta(days=29),
        end=timezone.now() - datetime.timedelta(days=29, hours=-1),
    )
    coming = timezone.now() + datetime.timedelta(days=5)
    Meeting.objects.create(network=elsewhere, name="Bald", start=coming, end=coming + datetime.timedelta(hours=1))
    client.force_login(office)
    url = reverse("meetings:list")

    def past(**query):
        return set(titles(client.get(url, query).content.decode()))

    assert past() == {"Sitzung 000", "Sitzung 001", "Sitzung 002", "Treffen Wohnen"}
    assert past(network=elsewhere.pk) == {"Treffen Wohnen"}
    day = (timezone.localdate() - datetime.timedelta(days=29)).isoformat()
    assert past(since=day, until=day) == {"Sitzung 001", "Treffen Wohnen"}
    assert past(network=network.pk, since=day) == {"Sitzung 001", "Sitzung 002"}
    upcoming = client.get(url, {"network": network.pk}).content.decode()
    assert ">Bald<" not in upcoming  # the filters apply to the upcoming meetings too
    assert ">Bald<" in client.get(url, {"network": elsewhere.pk}).content.decode()


@pytest.mark.parametrize("size", [5, 80])
def test_meeting_list_queries_constant_when_sorted_and_filtered(
    client, office, network, django_assert_max_num_queries, size
):
    meetings(network, size)
    client.force_login(office)
    # 12: the network filter's search select asks whether the list of networks is short enough to offer whole;
    # the page is read as keys first, then its rows (``register.tables.Paginator``).
    with django_assert_max_num_queries(12):
        page = client.get(reverse("meetings:list"), {"sort": "-invited", "network": network.pk}).content.decode()
    assert len(titles(page)) == min(size, 50)


def test_only_the_next_upcoming_meetings_are_listed_with_their_number(client, office, network, monkeypatch):
    monkeypatch.setattr("meetings.views_staff.UPCOMING_LIMIT", 3)
    meetings(network, 5, days_ago=-10)  # in 10 to 14 days
    client.force_login(office)
    page = client.get(reverse("meetings:list")).content.decode()
    assert "Die nächsten 3 von 5 kommenden Sitzungen" in page
    assert all(f"Sitzung {index:03d}" in page for index in range(3)) and "Sitzung 003" not in page
    monkeypatch.setattr("meetings.views_staff.UPCOMING_LIMIT", 5)
    page = client.get(reverse("meetings:list")).content.decode()
    assert "Die nächsten" not in page and "Sitzung 004" in page


def test_the_meeting_and_event_forms_choose_the_network_by_search_among_those_the_user_may_edit(
    client, office, coordinator, network, location, monkeypatch
):
    """The office may set up meetings for every network (10,000 at nation scale were 870 KB of options):
    beyond ``FULL_LIST`` the select offers none, the options endpoint finds the networks the user may edit."""
    from register.widgets import SearchSelect

    other = other_network()
    client.force_login(office)
    page = client.get(reverse("meetings:meeting_create")).content.decode()
    assert 'data-options="editable-networks"' in page and "tom-select" in page and "Runder Tisch Wohnen" in page
    assert f'data-options-url="{reverse("workspace:options", args=["KIND"])}"' in page
    monkeypatch.setattr(SearchSelect, "FULL_LIST", 1)
    for name in ["meetings:meeting_create", "meetings:series_create", "meetings:event_create", "meetings:events"]:
        page = client.get(reverse(name)).content.decode()
        assert "Runder Tisch Wohnen" not in page and 'data-options="editable-networks"' in page, name
    options = reverse("workspace:options", args=["editable-networks"])
    assert [row["text"] for row in client.get(options, {"q": "runder"}).json()["results"]] == [other.name]
    start = (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0)
    data = {"network": other.pk, "name": "Sitzung", "location": location.pk, "is_public": "on"}
    data |= {
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    assert client.post(reverse("meetings:meeting_create"), data).status_code == 302
    assert Meeting.objects.get(name="Sitzung").network == other
    client.force_login(coordinator)  # a coordinator of ``network`` only
    assert client.get(options, {"q": "runder"}).json()["results"] == []
    assert client.post(reverse("meetings:meeting_create"), {**data, "name": "Fremd"}).status_code == 200
    assert not Meeting.objects.filter(name="Fremd").exists()
