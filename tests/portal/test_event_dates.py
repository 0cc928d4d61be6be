"""Events past and future on the public site: lists, past event pages, network pages that agree with
their event data – and the same pages a year after every event."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats, timezone, translation

from register.models import Event, File, Location, Meeting, Network

UPCOMING_BLOCK = re.compile(r'data-dates="upcoming">(.*?)</ul>', re.S)
END = re.compile(r'data-event-end="([^"]+)"')


def dated(**kwargs):
    start = kwargs.pop("start")
    return {"start": start, "end": start + datetime.timedelta(hours=2, minutes=30), **kwargs}


@pytest.fixture
def calendar_of_dates(demo, settings, tmp_path):
    """The seed's Inklusionsforum plus past and coming events and a public meeting of its network."""
    settings.MEDIA_ROOT = tmp_path
    forum = Event.objects.get(title="Inklusionsforum 2026")
    network = forum.network
    now = timezone.now().replace(microsecond=0)
    coming = Event.objects.create(
        **dated(
            title="Inklusionsforum nächstes Jahr",
            slug="inklusionsforum-naechstes",
            network=network,
            start=now + datetime.timedelta(days=90),
            location=forum.location,
        )
    )
    past = Event.objects.create(
        **dated(
            title="Fachtag Teilhabe", slug="fachtag-teilhabe", network=network, start=now - datetime.timedelta(days=40)
        )
    )
    File.objects.create(
        event=past,
        name="Dokumentation des Fachtags",
        file=SimpleUploadedFile("doku.txt", b"Doku"),
        mime_type="text/plain",
        size=4,
        public=True,
    )
    File.objects.create(
        event=past,
        name="Interne Notizen",
        file=SimpleUploadedFile("notizen.txt", b"Notiz"),
        mime_type="text/plain",
        size=5,
        public=False,
    )
    start = now + datetime.timedelta(days=14)
    Meeting.objects.create(
        network=network, name="Offene Sitzung", start=start, end=start + datetime.timedelta(hours=1), is_public=True
    )
    return {"forum": forum, "coming": coming, "past": past, "network": network}


def public_pages(client):
    """Every public page that shows events or meetings: home, the events list (all pages), every
    event page and its registration page, every network page, every public meeting page."""
    urls = [reverse("portal:home"), reverse("portal:events")]
    pages = client.get(reverse("portal:events")).context["past"].paginator.num_pages
    urls += [reverse("portal:events") + f"?page={n}" for n in range(2, pages + 1)]
    for event in Event.objects.filter(is_public=True):
        urls += [event.get_absolute_url(), reverse("meetings:register", args=[event.slug])]
    urls += [network.get_absolute_url() for network in Network.objects.all()]
    urls += [reverse("meetings:public_meeting", args=[m.pk]) for m in Meeting.objects.filter(is_public=True)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        yield url, response.content.decode()


def called_upcoming(html, now):
    """The end times of dates that the page lists as upcoming although they have ended."""
    ended = []
    for block in UPCOMING_BLOCK.findall(html):
        ended += [end for end in END.findall(block) if datetime.datetime.fromisoformat(end) <= now]
    return ended


@pytest.mark.django_db
def test_events_list_has_coming_and_past_events(client, calendar_of_dates):
    page = client.get(reverse("portal:events")).content.decode()
    coming, past = page.split('id="past-heading"')
    assert "Inklusionsforum nächstes Jahr" in coming and "Fachtag Teilhabe" not in coming
    assert "Fachtag Teilhabe" in past


def listed_item(page, event):
    """The ``<li>`` of ``event`` in a list of events."""
    url = re.escape(event.get_absolute_url())
    found = re.search(rf'<li data-event-start="[^"]+" data-event-end="[^"]+">\n  <a href="{url}".*?</li>', page, re.S)
    assert found, page
    return found.group(0)


def when(event):
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    return (
        f'<span class="event-when"><time datetime="{start.isoformat()}">{formats.date_format(start, "l")}, '
        f"{formats.date_format(start, 'DATE_FORMAT')}, {formats.time_format(start)}</time>–"
        f'<time datetime="{end.isoformat()}">{formats.time_format(end)}</time></span>'
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language, cancelled, german", [("de", "abgesagt", ""), ("en", "cancelled", ' lang="de"')])
def test_an_event_in_the_list_says_when_where_and_whether_it_is_cancelled(
    client, calendar_of_dates, language, cancelled, german
):
    coming, past = calendar_of_dates["coming"], calendar_of_dates["past"]
    Event.objects.filter(pk=past.pk).update(cancelled=True)
    with translation.override(language):
        page = client.get(reverse("portal:events")).content.decode()
        start, end = timezone.localtime(coming.start), timezone.localtime(coming.end)
        assert listed_item(page, coming) == (
            f'<li data-event-start="{start.isoformat()}" data-event-end="{end.isoformat()}">\n'
            f'  <a href="{coming.get_absolute_url()}"{german}>Inklusionsforum nächstes Jahr</a>\n'
            f'  {when(coming)}<span class="event-where" lang="de">{coming.location}</span>\n</li>'
        )
        assert f'{german}>Fachtag Teilhabe</a> <span class="tag">{cancelled}</span>\n  {when(past)}\n</li>' in (
            listed_item(page, past)
        )


@pytest.mark.django_db
def test_a_past_event_says_it_took_place_shows_its_documents_and_offers_no_registration(client, calendar_of_dates):
    past = calendar_of_dates["past"]
    page = client.get(past.get_absolute_url()).content.decode()
    assert "Diese Veranstaltung hat am" in page and "stattgefunden" in page
    assert "Dokumentation des Fachtags" in page and "Interne Notizen" not in page
    assert reverse("meetings:register", args=[past.slug]) not in page
    document = past.files.get(public=True)
    assert client.get(reverse("meetings:event_file", args=[past.slug, document.pk])).status_code == 200
    internal = past.files.get(public=False)
    assert client.get(reverse("meetings:event_file", args=[past.slug, internal.pk])).status_code == 404
    closed = client.get(reverse("meetings:register", args=[past.slug])).content.decode()
    assert "hat stattgefunden" in closed and 'name="email"' not in closed


@pytest.mark.django_db
def test_event_page_shows_street_address_and_access_facts(client, calendar_of_dates):
    location = Location.objects.create(
        name="Bürgerhaus",
        street_address="Am Markt 3",
        postal_code="64807",
        locality="Dieburg",
        step_free=True,
        hearing_loop=False,
        public_transport="Bus 671, Haltestelle Markt",
    )
    event = calendar_of_dates["coming"]
    event.location = location
    event.save()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Am Markt 3" in page and "64807 Dieburg" in page
    assert "stufenloser Zugang" in page and "keine Induktionsschleife" in page
    assert "Barrierefreies WC: noch nicht bekannt" in page and "Bus 671" in page


@pytest.mark.django_db
def test_network_page_takes_its_dates_from_the_data_and_flags_stale_prose(client, calendar_of_dates, time_machine):
    network = calendar_of_dates["network"]
    assert "20.05.2026" in network.description
    time_machine.move_to(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC), tick=False)
    page = client.get(network.get_absolute_url()).content.decode()
    assert "data-stale-prose" in page and "Termine, die vorbei sind (20.05.2026)" in page
    from django.contrib.auth.models import User

    from workspace.attention import summary

    office = User.objects.create_superuser("buero", password="a long test password")
    flagged = summary(office)["stale_prose"]
    assert [n.pk for n in flagged] == [network.pk] and flagged[0].stale_dates == ["20.05.2026"]


@pytest.mark.django_db
def test_a_year_after_every_event_no_page_calls_a_past_date_upcoming(client, calendar_of_dates, time_machine):
    latest = max([e.end for e in Event.objects.all()] + [m.end for m in Meeting.objects.all()])
    later = latest + datetime.timedelta(days=365)
    time_machine.move_to(later, tick=False)
    checked = 0
    for url, html in public_pages(client):
        assert not called_upcoming(html, later), f"{url} lists ended dates as upcoming"
        assert "bereits begonnen" not in html, url
        checked += 1
    for event in Event.objects.filter(is_public=True, cancelled=False):
        page = client.get(event.get_absolute_url()).content.decode()
        assert "hat am" in page and "stattgefunden" in page, event.get_absolute_url()
        assert reverse("meetings:register", args=[event.slug]) not in page
    assert checked >= 10
    network_page = client.get(calendar_of_dates["network"].get_absolute_url()).content.decode()
    assert "Zurzeit sind keine öffentlichen Termine angekündigt" in network_page
    assert "data-stale-prose" in network_page, "the seed's prose date is past and says so"


@pytest.mark.django_db
def test_today_the_coming_dates_are_listed_as_upcoming(client, calendar_of_dates):
    now = timezone.now()
    network_page = client.get(calendar_of_dates["network"].get_absolute_url()).content.decode()
    (block,) = UPCOMING_BLOCK.findall(network_page)
    assert "Inklusionsforum nächstes Jahr" in block and "Offene Sitzung" in block
    assert not called_upcoming(network_page, now)
