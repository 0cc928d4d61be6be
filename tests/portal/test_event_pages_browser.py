"""The public events pages in the browser at phone and desktop width, with axe-core."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from register.models import Event, File, Location
from tests.browser import axe_violations, describe, foreign_requests, record_requests, screenshot


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_event_pages_past_and_coming(transactional_db, demo, live_server, page, width, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    forum = Event.objects.get(title="Inklusionsforum 2026")
    forum.location = Location.objects.create(
        name="Kreisverwaltung Darmstadt-Dieburg",
        street_address="Jägertorstraße 207",
        postal_code="64289",
        locality="Darmstadt-Kranichstein",
        step_free=True,
        accessible_toilet=True,
        public_transport="Straßenbahn 5, Haltestelle Kranichstein Bahnhof",
    )
    now = timezone.now().replace(microsecond=0)
    forum.start, forum.end = now - datetime.timedelta(days=30), now - datetime.timedelta(days=30, hours=-2)
    forum.save()
    File.objects.create(
        event=forum,
        name="Präsentation des Forums",
        file=SimpleUploadedFile("folien.txt", b"Folien"),
        mime_type="text/plain",
        size=6,
        public=True,
    )
    start = now + datetime.timedelta(days=60)
    Event.objects.create(
        title="Inklusionsforum im nächsten Jahr",
        slug="inklusionsforum-next",
        network=forum.network,
        start=start,
        end=start + datetime.timedelta(hours=2),
        location=forum.location,
        capacity=80,
    )
    page.set_viewport_size({"width": width, "height": 844 if width < 600 else 900})
    requests = record_requests(page)
    pages = {
        "list": "/veranstaltungen/",
        "past": forum.get_absolute_url(),
        "coming": "/veranstaltungen/inklusionsforum-next/",
        "network": forum.network.get_absolute_url(),
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        violations = axe_violations(page)
        assert not violations, f"{path}: {describe(violations)}"
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways at {width} px"
        screenshot(page, f"events-{name}-{width}")
        text = page.locator("main").inner_text()
        if name == "past":
            assert "Diese Veranstaltung hat am" in text and "Präsentation des Forums" in text
            assert "Jägertorstraße 207" in text and "stufenloser Zugang" in text
            assert page.locator("a", has_text="Zu dieser Veranstaltung anmelden").count() == 0
        if name == "coming":
            assert page.locator("a", has_text="Zu dieser Veranstaltung anmelden").is_visible()
        if name == "network":
            assert "Inklusionsforum im nächsten Jahr" in text and "Termine, die vorbei sind (20.05.2026)" in text
        if name == "list":
            assert text.index("Inklusionsforum im nächsten Jahr") < text.index("Vergangene Veranstaltungen")
            assert text.index("Vergangene Veranstaltungen") < text.index("Inklusionsforum 2026")
    assert foreign_requests(requests) == []
