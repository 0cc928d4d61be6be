"""Meetings and events are edited under the same optimistic lock as the register's entries."""

import pytest
from django.urls import reverse

from tests.forms import form_data

pytestmark = pytest.mark.django_db


def test_a_stale_meeting_edit_is_refused_and_can_be_saved_without_retyping(client, office, meeting):
    client.force_login(office)
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    first, second = form_data(client.get(url)), form_data(client.get(url))
    assert client.post(url, {**first, "name": "Sitzung im Mai"}).status_code == 302
    refused = client.post(url, {**second, "is_public": "on"})
    assert refused.status_code == 200
    meeting.refresh_from_db()
    assert meeting.name == "Sitzung im Mai" and not meeting.is_public
    rows = {row["name"]: row for row in refused.context["form"].stale}
    assert rows["name"]["stored"] == "Sitzung im Mai" and rows["name"]["choice"] == "stored"
    assert rows["is_public"]["mine"] == "ja" and rows["is_public"]["choice"] == "mine"
    assert "start" not in rows  # unchanged to the minute the form shows
    assert client.post(url, form_data(refused)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.name == "Sitzung im Mai" and meeting.is_public


def test_a_stale_event_edit_is_refused(client, office, event):
    client.force_login(office)
    url = reverse("meetings:event_edit", args=[event.slug])
    first, second = form_data(client.get(url)), form_data(client.get(url))
    assert client.post(url, {**first, "capacity": "40"}).status_code == 302
    refused = client.post(url, {**second, "title": "Inklusionsforum 2026"})
    assert refused.status_code == 200
    event.refresh_from_db()
    assert event.capacity == 40 and event.title != "Inklusionsforum 2026"
    assert "Jemand anderes hat diesen Eintrag gespeichert" in refused.content.decode()
