"""Every page of meetings has one h1 and no skipped heading level, also in its error states."""

import re

import pytest
from django.urls import reverse

from meetings import invitations, registrations


def heading_levels(html):
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def html_of(response, status=200):
    assert response.status_code == status, response.request["PATH_INFO"]
    return response.content.decode()


def assert_heading_order(html):
    levels = heading_levels(html)
    assert levels.count(1) == 1, levels
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


@pytest.mark.django_db
def test_public_pages(client, event, meeting):
    assert_heading_order(html_of(client.get(reverse("meetings:register", args=[event.slug]))))
    invalid = client.post(reverse("meetings:register", args=[event.slug]), {})
    assert invalid.context["form"].errors
    assert_heading_order(html_of(invalid))
    registration = registrations.enrol(event, name="Rosa", email="rosa@example.org", language="de")
    assert_heading_order(html_of(client.get(reverse("meetings:registration", args=[registration.cancel_token]))))
    cancel = reverse("meetings:registration_cancel", args=[registration.cancel_token])
    assert_heading_order(html_of(client.get(cancel)))
    pending = registrations.request_registration(event, name="Lena", email="lena@example.org", language="de")
    assert_heading_order(html_of(client.get(reverse("meetings:registration", args=[pending.cancel_token]))))
    assert_heading_order(html_of(client.get(reverse("meetings:registration_sent", args=[event.slug]))))
    invitations.invite(meeting)
    rsvp = reverse("meetings:rsvp", args=[meeting.invitations.first().token])
    assert_heading_order(html_of(client.get(rsvp)))
    meeting.is_public = True
    meeting.save()
    assert_heading_order(html_of(client.get(reverse("meetings:public_meeting", args=[meeting.pk]))))
    for url in [reverse("portal:events"), event.get_absolute_url()]:
        assert_heading_order(html_of(client.get(url)))


@pytest.mark.django_db
def test_staff_pages(client, office, event, meeting):
    from register.models import AgendaItem

    item = AgendaItem.objects.create(meeting=meeting, position=1, name="Begrüßung")
    client.force_login(office)
    for url in [
        reverse("meetings:list"),
        reverse("meetings:meeting", args=[meeting.pk]),
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        reverse("meetings:meeting_create"),
        reverse("meetings:series_create"),
        reverse("meetings:location_create"),
        reverse("meetings:attendance", args=[meeting.pk]),
        reverse("meetings:network_attendance", args=[meeting.network.slug]),
        reverse("meetings:events"),
        reverse("meetings:event_create"),
        reverse("meetings:participants", args=[event.slug]),
        reverse("meetings:outbox"),
        reverse("meetings:minutes", args=[meeting.pk]),
        reverse("meetings:agenda_edit", args=[meeting.pk, item.pk]),
        reverse("meetings:meeting_cancel", args=[meeting.pk]),
        reverse("meetings:event_cancel", args=[event.slug]),
        reverse("meetings:tracking", args=[meeting.network.slug]),
    ]:
        assert_heading_order(html_of(client.get(url)))
    errors = client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"agenda-name": ""})
    assert_heading_order(html_of(errors, status=400))
