"""What the calendar feeds hold, and what writing them costs however many dates they hold."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import feeds
from register.models import Meeting, SiteIdentity

from .conftest import make_event


def uids(response):
    entries = Calendar.from_ical(response.content).walk("VEVENT")
    return {str(entry["UID"]).removesuffix("@vernetzt") for entry in entries}


def ended(days_ago, hours=2):
    end = timezone.now().replace(microsecond=0) - datetime.timedelta(days=days_ago)
    return {"start": end - datetime.timedelta(hours=hours), "end": end}


@pytest.mark.django_db
def test_a_feed_holds_the_dates_of_the_last_year_and_all_to_come(client, network, member):
    old = make_event(network=network, **ended(feeds.DAYS_BACK + 1))
    # Began more than a year ago, ended within it: a calendar program still shows it on days of the year.
    long_one = make_event(network=network, **ended(feeds.DAYS_BACK - 1, hours=48))
    coming = make_event(network=network)
    hidden = make_event(network=network, is_public=False)
    shown = {str(long_one.uid), str(coming.uid)}
    assert uids(client.get(reverse("meetings:public_feed"))) == shown
    network_feed = reverse("meetings:network_feed", args=[network.slug])
    assert uids(client.get(network_feed)) == shown
    assert str(old.uid) not in uids(client.get(reverse("meetings:public_feed"), {"lang": "en"}))

    # The private feed of the network's internal meetings, the same way.
    meetings = {
        days: Meeting.objects.create(network=network, name=f"Sitzung {days}", **ended(days))
        for days in (feeds.DAYS_BACK + 30, feeds.DAYS_BACK - 30, 1)
    }
    key = feeds.key_for(member, network).key
    private = uids(client.get(network_feed, {"key": key}))
    assert private == shown | {str(meetings[days].uid) for days in (feeds.DAYS_BACK - 30, 1)}
    assert str(hidden.uid) not in private  # events are public dates only, with a key too


@pytest.mark.django_db
def test_a_feed_reads_the_site_identity_once_however_many_dates_it_holds(client, network, monkeypatch):
    """Every entry names the office as its organiser. It is read once per feed: read for every entry,
    the site identity from the cache took a quarter of the public feed's time at nation scale."""
    reads = []
    current = SiteIdentity.current.__func__

    def counted(cls):
        reads.append(cls)
        return current(cls)

    monkeypatch.setattr(SiteIdentity, "current", classmethod(counted))

    def reads_for(url):
        reads.clear()
        assert client.get(url).status_code == 200
        return len(reads)

    public, own = reverse("meetings:public_feed"), reverse("meetings:network_feed", args=[network.slug])
    make_event(network=network)
    Meeting.objects.create(network=network, name="Sitzung", is_public=True, **ended(-7))
    few = reads_for(public), reads_for(own)
    for _ in range(4):
        make_event(network=network)
        Meeting.objects.create(network=network, name="Sitzung", is_public=True, **ended(-7))
    assert len(uids(client.get(own))) == 10
    assert (reads_for(public), reads_for(own)) == few
