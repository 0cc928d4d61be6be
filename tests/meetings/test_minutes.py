"""Agenda items with results, minutes written in the product, approval, follow-up tasks."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings import agenda, invitations, minutes
from meetings.models import Attendance, MeetingSeries
from register.models import AgendaItem, Assignment, File, FollowUp, Meeting, Membership, Organisation, Person

from .conftest import make_user
from .pdf import headings


def past_meeting(network, location=None, days_ago=3, **kwargs):
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=days_ago)
    values = {"network": network, "name": "Sitzung", "start": start, "end": start + datetime.timedelta(hours=2)}
    values.update(location=location, state=Meeting.State.HELD, **kwargs)
    return Meeting.objects.create(**values)


def future_meeting(network, days=30, **kwargs):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return Meeting.objects.create(
        network=network, name="Nächste Sitzung", start=start, end=start + datetime.timedelta(hours=2), **kwargs
    )


def item(meeting, name, public=False, **kwargs):
    return agenda.add_item(meeting, AgendaItem(name=name, public=public, **kwargs))


@pytest.mark.django_db
def test_new_agenda_items_are_internal_unless_ticked_public(client, coordinator, meeting):
    client.force_login(coordinator)
    client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"agenda-name": "Personalangelegenheit"})
    client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"agenda-name": "Bericht", "agenda-public": "on"})
    assert dict(meeting.agenda_items.values_list("name", "public")) == {"Personalangelegenheit": False, "Bericht": True}
    meeting.is_public = True
    meeting.save()
    page = client.get(reverse("meetings:public_meeting", args=[meeting.pk])).content.decode()
    assert "Bericht" in page and "Personalangelegenheit" not in page


@pytest.mark.django_db
def test_result_with_vote_then_approval_locks_the_agenda(client, coordinator, network, location):
    meeting = past_meeting(network, location)
    decision = item(meeting, "Satzung", public=True)
    other = item(meeting, "Verschiedenes", public=True)
    client.force_login(coordinator)
    url = reverse("meetings:agenda_edit", args=[meeting.pk, decision.pk])
    data = {
        "number": "",
        "name": "Satzung",
        "public": "on",
        "notes": "Die Geschäftsstelle stellt den Entwurf vor.",
        "result": "decided",
        "resolution_text": "Die Satzung wird in der vorgelegten Fassung beschlossen.",
        "votes_for": "7",
        "votes_against": "1",
        "votes_abstaining": "0",
    }
    assert client.post(url, data).status_code == 302
    decision.refresh_from_db()
    assert (decision.result, decision.votes_for, decision.votes_against) == ("decided", 7, 1)
    assert decision.result_text == "beschlossen (7 Ja, 1 Nein, 0 Enthaltungen)"

    # A vote on an item that was only taken note of is refused, at the field.
    response = client.post(reverse("meetings:agenda_edit", args=[meeting.pk, other.pk]), {**data, "result": "noted"})
    assert response.status_code == 400
    assert "beschlossen oder abgelehnt" in str(response.context["form"].errors["result"])
    assert response.content.decode().count("beschlossen oder abgelehnt") == 2, "summary and field, said once each"

    minutes.approve(meeting)
    response = client.post(url, {**data, "name": "Geändert"})
    decision.refresh_from_db()
    assert decision.name == "Satzung", "an approved agenda does not change"
    client.post(reverse("meetings:agenda_delete", args=[meeting.pk, other.pk]))
    client.post(reverse("meetings:agenda_move", args=[meeting.pk, other.pk]), {"direction": "up"})
    assert list(meeting.agenda_items.values_list("name", flat=True)) == ["Satzung", "Verschiedenes"]
    client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"agenda-name": "Nachtrag"})
    assert meeting.agenda_items.count() == 2


@pytest.mark.django_db
def test_postponed_items_move_to_the_next_meeting_whenever_it_is_planned(network):
    held = past_meeting(network)
    postponed = item(held, "Haushalt", public=True)
    postponed.result = AgendaItem.Result.POSTPONED
    agenda.save_item(postponed)
    assert not AgendaItem.objects.filter(carried_from=postponed).exists(), "no next meeting yet"
    from meetings import planning

    start = timezone.now() + datetime.timedelta(days=20)
    following = planning.create_meeting(
        Meeting(network=network, name="Folgesitzung", start=start, end=start + datetime.timedelta(hours=1))
    )
    carried = following.agenda_items.get()
    assert (carried.name, carried.public, carried.carried_from) == ("Haushalt", True, postponed)
    agenda.carry_postponed(network)
    assert following.agenda_items.count() == 1, "carried once"


@pytest.mark.django_db
def test_attendance_from_the_seats_with_the_deputy_representing(client, coordinator, network):
    meeting = past_meeting(network)
    seat = network.memberships.get(position=1)
    deputy_org = Organisation.objects.create(name="Stellvertretung e.V.", slug="stellvertretung")
    deputy = Membership.objects.create(
        network=network, organisation=deputy_org, role=Membership.Role.DEPUTY, deputy_of=seat, position=9
    )
    client.force_login(coordinator)
    url = reverse("meetings:attendance", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "vertreten durch Stellvertretung e.V." in page
    others = network.memberships.exclude(pk__in=[seat.pk, deputy.pk])
    data = {f"member_{seat.pk}": f"represented:{deputy.pk}", **{f"member_{m.pk}": "excused" for m in others}}
    assert client.post(url, data).status_code == 302
    row = Attendance.objects.get(membership=seat)
    assert (row.status, row.deputy) == ("represented", deputy)
    assert not Attendance.objects.filter(membership=deputy).exists(), "the deputy is no seat of its own"
    text = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert "vertreten durch Stellvertretung e.V." in text


@pytest.mark.django_db
def test_a_meeting_held_last_week_can_be_recorded(client, coordinator, network):
    client.force_login(coordinator)
    start = timezone.localtime() - datetime.timedelta(days=7)
    data = {
        "network": network.pk,
        "name": "Sitzung der letzten Woche",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "location": "",
    }
    response = client.post(reverse("meetings:meeting_create"), data)
    meeting = Meeting.objects.get(name="Sitzung der letzten Woche")
    assert response["Location"] == reverse("meetings:meeting", args=[meeting.pk])
    assert meeting.state == Meeting.State.HELD
    assert client.get(reverse("meetings:minutes", args=[meeting.pk])).status_code == 200


@pytest.mark.django_db
def test_a_quarterly_series_is_planned_at_once(client, coordinator, network):
    client.force_login(coordinator)
    first = timezone.localtime() + datetime.timedelta(days=10)
    data = {
        "network": network.pk,
        "name": "Quartalstreffen",
        "first_start": first.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "120",
        "frequency": "quarterly",
        "interval": "1",
        "count": "4",
        "location": "",
    }
    assert client.post(reverse("meetings:series_create"), data).status_code == 302
    starts = [timezone.localtime(m.start) for m in MeetingSeries.objects.get().meetings.order_by("start")]
    months = [(s.year * 12 + s.month) - (starts[0].year * 12 + starts[0].month) for s in starts]
    assert months == [0, 3, 6, 9]


@pytest.mark.django_db
def test_draft_shared_commented_approved_published_and_tasks_mailed(
    client, coordinator, network, location, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    meeting = past_meeting(network, location, is_public=True)
    public = item(meeting, "Bericht aus den Kommunen", public=True, notes="Drei Kommunen berichten.")
    internal = item(meeting, "Personalangelegenheit", notes="Vertraulich besprochen.")
    organisation = network.memberships.get(position=1).organisation
    FollowUp.objects.create(
        meeting=meeting, agenda_item=public, description="Übersicht verschicken", organisation=organisation
    )
    member = make_user(Assignment.Role.MEMBER, network)
    member.email = "mitglied@example.org"
    member.save()
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:minutes_share", args=[meeting.pk]))
    assert [m.to for m in mail.outbox] == [["mitglied@example.org"]]
    assert "/termine/" in mail.outbox[0].body and "Protokollentwurf" in mail.outbox[0].subject
    assert (
        client.get(reverse("meetings:public_meeting", args=[meeting.pk])).content.decode().count("Drei Kommunen") == 0
    )

    client.force_login(member)
    client.post(
        reverse("meetings:comment_add", args=[meeting.pk]),
        {"comment-agenda_item": public.pk, "comment-text": "Bitte Babenhausen ergänzen."},
    )
    assert meeting.minutes_comments.get().text == "Bitte Babenhausen ergänzen."
    assert client.post(reverse("meetings:minutes_approve", args=[meeting.pk])).status_code == 403

    client.force_login(coordinator)
    confirm = client.get(reverse("meetings:minutes_approve", args=[meeting.pk]))
    assert "Ja, Protokoll genehmigen" in confirm.content.decode()
    meeting.refresh_from_db()
    assert not meeting.minutes_approved, "asking changes nothing"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:minutes_approve", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.minutes_approved
    assert [m.to for m in mail.outbox] == [[organisation.email]]
    assert "Übersicht verschicken" in mail.outbox[0].body

    page = client.get(reverse("meetings:public_meeting", args=[meeting.pk])).content.decode()
    assert "Drei Kommunen berichten." in page and "Personalangelegenheit" not in page and "Vertraulich" not in page
    stored = File.objects.get(meeting=meeting, role=File.Role.MINUTES)
    assert stored.public
    for pdf in (stored.file.read(), client.get(reverse("meetings:public_minutes_pdf", args=[meeting.pk])).content):
        titles = headings(pdf)
        assert "1 Bericht aus den Kommunen" in titles
        assert not any("Personalangelegenheit" in title for title in titles)
    internal_pdf = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk])).content
    assert "2 Personalangelegenheit" in headings(internal_pdf), "the members' copy is complete"
    assert internal.pk


@pytest.mark.django_db
def test_open_tasks_stand_on_the_next_agendas_until_done(
    client, coordinator, network, django_capture_on_commit_callbacks
):
    held = past_meeting(network, days_ago=40)
    person = Person.objects.create(given_name="Lena", family_name="Beispiel", email="lena@example.org")
    Membership.objects.create(network=network, person=person, position=5)
    task = FollowUp.objects.create(
        meeting=held,
        description="Flyer übersetzen lassen",
        person=person,
        due_date=timezone.localdate() + datetime.timedelta(days=10),
    )
    following = future_meeting(network, days=5)
    later = future_meeting(network, days=60)
    client.force_login(coordinator)
    assert "Flyer übersetzen lassen" in client.get(reverse("meetings:meeting", args=[following.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(following)
    body = next(m.body for m in mail.outbox if m.to == ["lena@example.org"])
    assert "Offene Aufgaben aus früheren Sitzungen" in body and "Flyer übersetzen lassen" in body

    tracking = client.get(reverse("meetings:tracking", args=[network.slug])).content.decode()
    assert "Flyer übersetzen lassen" in tracking
    client.post(reverse("meetings:task_done", args=[task.pk]), {"note": "erledigt durch Übersetzungsbüro"})
    task.refresh_from_db()
    assert task.done_at is not None
    assert "Flyer übersetzen lassen" not in client.get(reverse("meetings:meeting", args=[later.pk])).content.decode()
    assert "Flyer" not in client.get(reverse("meetings:tracking", args=[network.slug])).content.decode()
    done = client.get(reverse("meetings:tracking", args=[network.slug]), {"state": "done"}).content.decode()
    assert "erledigt durch Übersetzungsbüro" in done


@pytest.mark.django_db
def test_tracking_lists_decisions_in_constant_queries(client, member, network, django_assert_max_num_queries):
    organisation = network.memberships.get(position=1).organisation
    for number in range(6):
        meeting = past_meeting(network, days_ago=10 + number)
        decided = item(meeting, f"Beschluss {number}", result="decided", resolution_text=f"Text {number}")
        FollowUp.objects.create(
            meeting=meeting, agenda_item=decided, description=f"Aufgabe {number}", organisation=organisation
        )
    client.force_login(member)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("meetings:tracking", args=[network.slug])).content.decode()
    assert all(f"Aufgabe {n}" in page and f"Text {n}" in page for n in range(6))
    assert "Als erledigt markieren" not in page, "members read, coordinators mark"


@pytest.mark.django_db
def test_follow_up_needs_one_responsible(client, coordinator, network):
    meeting = past_meeting(network)
    client.force_login(coordinator)
    response = client.post(reverse("meetings:task_add", args=[meeting.pk]), {"task-description": "Etwas tun"})
    assert response.status_code == 400
    assert "eine Organisation oder eine Person" in str(response.context["task_form"].errors["organisation"])
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
def test_the_start_page_leads_to_every_open_task_beyond_its_first_25(client, member, network):
    organisation = network.memberships.get(position=1).organisation
    meeting = past_meeting(network)
    for number in range(27):
        FollowUp.objects.create(meeting=meeting, description=f"Aufgabe {number:02}", organisation=organisation)
    client.force_login(member)
    home = client.get(reverse("workspace:home")).content.decode()
    assert home.count("Aufgabe ") == 25
    tracking = reverse("meetings:tracking", args=[network.slug])
    assert f'href="{tracking}">{network.short_name or network.name} (27)</a>' in home
    assert all(f"Aufgabe {n:02}" in client.get(tracking).content.decode() for n in range(27))
