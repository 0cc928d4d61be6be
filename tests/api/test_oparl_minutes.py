"""The OParl output of a meeting recorded in the product: results, decision texts, files."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings import agenda, minutes
from register.models import AgendaItem, File, Location, Meeting, Network

from .conftest import SITE
from .oparl_rules import Walker


@pytest.fixture
def recorded_meeting(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    network = Network.objects.create(name="Arbeitskreis Migration", slug="ak-migration", organization_type="committee")
    place = Location.objects.create(name="Kreishaus", street_address="Jägertorstraße 207", locality="Darmstadt")
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=5)
    meeting = Meeting.objects.create(
        network=network,
        name="Sitzung im Frühjahr",
        start=start,
        end=start + datetime.timedelta(hours=2),
        location=place,
        is_public=True,
        state=Meeting.State.HELD,
    )
    decided = agenda.add_item(meeting, AgendaItem(name="Leitfaden Sprachmittlung", public=True))
    decided.result = AgendaItem.Result.DECIDED
    decided.resolution_text = "Der Arbeitskreis beschließt den Leitfaden in der vorgelegten Fassung."
    decided.votes_for, decided.votes_against, decided.votes_abstaining = 9, 0, 1
    agenda.save_item(decided)
    noted = agenda.add_item(meeting, AgendaItem(name="Bericht der Geschäftsstelle", public=True, result="noted"))
    agenda.add_item(meeting, AgendaItem(name="Personalangelegenheit", result="decided", resolution_text="Intern."))
    File.objects.create(
        meeting=meeting,
        agenda_item=decided,
        name="Leitfaden (Entwurf)",
        file=SimpleUploadedFile("leitfaden.txt", b"Leitfaden"),
        mime_type="text/plain",
        size=9,
        public=True,
    )
    return meeting, decided, noted


def test_a_recorded_meeting_follows_oparl_1_1_with_results_and_files(client, recorded_meeting):
    meeting, decided, noted = recorded_meeting
    before = Walker(client, SITE).walk()
    item = next(i for i in before.of_type("AgendaItem") if i["name"] == "Leitfaden Sprachmittlung")
    assert "result" not in item and "resolutionText" not in item, "results are public once the minutes are approved"

    minutes.approve(meeting)
    walker = Walker(client, SITE).walk()
    items = {i["name"]: i for i in walker.of_type("AgendaItem")}
    assert set(items) == {"Leitfaden Sprachmittlung", "Bericht der Geschäftsstelle"}, "internal items stay internal"
    item = items["Leitfaden Sprachmittlung"]
    assert item["result"] == "beschlossen (9 Ja, 0 Nein, 1 Enthaltungen)"
    assert item["resolutionText"] == decided.resolution_text
    assert [f["name"] for f in item["auxiliaryFile"]] == ["Leitfaden (Entwurf)"]
    assert items["Bericht der Geschäftsstelle"]["result"] == "zur Kenntnis genommen"
    assert "resolutionText" not in items["Bericht der Geschäftsstelle"]
    (published,) = [m for m in walker.of_type("Meeting") if m["name"] == "Sitzung im Frühjahr"]
    assert published["meetingState"] == "durchgeführt"
    assert published["resultsProtocol"]["mimeType"] == "application/pdf"
