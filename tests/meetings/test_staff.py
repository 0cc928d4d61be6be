"""Staff pages: who may do what, bad input saves nothing, lists with a constant number of queries."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats, timezone
from openpyxl import load_workbook

from meetings import registrations
from meetings.models import Attendance, MeetingSeries
from register.models import AgendaItem, Event, File, Meeting

from .conftest import make_event


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def meeting_data(network, **overrides):
    start = timezone.now() + datetime.timedelta(days=7)
    data = {
        "network": network.pk,
        "name": "Austausch",
        "start": local(start),
        "end": local(start + datetime.timedelta(hours=2)),
        "location": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 302), ("outsider", 403), ("member", 403), ("coordinator", 200), ("office", 200)]
)
def test_meeting_edit_per_role(client, request, meeting, role, status):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("meetings:meeting_edit", args=[meeting.pk]))
    assert response.status_code == status
    if role == "anonymous":
        assert "/arbeitsbereich/anmelden/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("outsider", 403), ("member", 200), ("coordinator", 200)])
def test_meeting_detail_per_role(client, request, meeting, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("meetings:meeting", args=[meeting.pk])).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end": "2020-01-01T12:00"}, "end", "end must be after the start"),
    ],
)
def test_meeting_bad_dates_save_nothing(client, coordinator, network, overrides, field, message):
    client.force_login(coordinator)
    response = client.post("/en" + reverse("meetings:meeting_create"), meeting_data(network, **overrides))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert f'aria-describedby="id_{field}_error"' in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_meeting_create_and_change_sends_update(client, coordinator, network, django_capture_on_commit_callbacks):
    from django.core import mail

    client.force_login(coordinator)
    response = client.post(reverse("meetings:meeting_create"), meeting_data(network))
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("meetings:meeting", args=[meeting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:meeting_invite", args=[meeting.pk]))
    assert len(mail.outbox) == 2
    later = timezone.now() + datetime.timedelta(days=8)
    data = meeting_data(network, start=local(later), end=local(later + datetime.timedelta(hours=1)))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), data)
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and len(mail.outbox) == 4
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), {**data, "is_public": "on"})
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and len(mail.outbox) == 4, "a change the calendar does not show sends nothing"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"capacity": "0"}, "capacity"),
        ({"start": "2021-05-20T17:00", "end": "2021-05-20T19:30"}, "start"),
        ({"end": "2000-01-01T10:00"}, "end"),
    ],
)
def test_event_bad_input_saves_nothing(client, office, overrides, field):
    client.force_login(office)
    start = timezone.now() + datetime.timedelta(days=20)
    data = {
        "title": "Inklusionsforum 2027",
        "start": local(start),
        "end": local(start + datetime.timedelta(hours=2)),
        "capacity": "20",
        "is_public": "on",
    }
    data.update(overrides)
    response = client.post(reverse("meetings:event_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Event.objects.exists()
    if field == "capacity":
        assert "mindestens einen Platz" in response.content.decode()


@pytest.mark.django_db
def test_raising_capacity_promotes_waiting(client, office, event, django_capture_on_commit_callbacks):
    for number in range(3):
        registrations.enrol(event, name=f"P{number}", email=f"p{number}@example.org", language="de")
    client.force_login(office)
    data = {
        "title": event.title,
        "start": local(event.start),
        "end": local(event.end),
        "capacity": "3",
        "is_public": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:event_edit", args=[event.slug]), data)
    assert response.status_code == 302
    assert event.registrations.filter(status="confirmed").count() == 3


@pytest.mark.django_db
def test_series_creates_meetings_at_the_same_local_time(client, coordinator, network):
    client.force_login(coordinator)
    first = timezone.localtime(timezone.now() + datetime.timedelta(days=3)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    data = {
        "network": network.pk,
        "name": "Jour fixe",
        "first_start": local(first),
        "duration_minutes": "90",
        "frequency": "monthly",
        "interval": "1",
        "count": "12",
    }
    assert client.post(reverse("meetings:series_create"), data).status_code == 302
    meetings = list(MeetingSeries.objects.get().meetings.order_by("start"))
    assert len(meetings) == 12
    assert {timezone.localtime(m.start).hour for m in meetings} == {14}
    assert all(m.end - m.start == datetime.timedelta(minutes=90) for m in meetings)
    response = client.post(reverse("meetings:series_create"), {**data, "count": "0"})
    assert "count" in response.context["form"].errors and MeetingSeries.objects.count() == 1


def upload(client, meeting, content, name, **extra):
    return client.post(
        reverse("meetings:file_upload", args=[meeting.pk]),
        {"file-file": SimpleUploadedFile(name, content), "file-role": "minutes", **extra},
    )


@pytest.mark.django_db
def test_file_checks(client, coordinator, meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MAX_UPLOAD_SIZE = 1000
    client.force_login(coordinator)
    too_big = upload(client, meeting, b"%PDF-1.4" + b"x" * 1200, "protokoll.pdf")
    assert too_big.status_code == 400 and "höchstens" in too_big.content.decode()
    wrong_type = upload(client, meeting, b"MZ\x90\x00", "tool.exe")
    assert wrong_type.status_code == 400 and "nicht angenommen" in wrong_type.content.decode()
    disguised = upload(client, meeting, b"MZ\x90\x00binary", "protokoll.pdf")
    assert disguised.status_code == 400
    assert 'aria-describedby="id_file-file_error"' in disguised.content.decode()
    assert not File.objects.exists() and not list(tmp_path.rglob("*.*"))
    good = upload(client, meeting, b"%PDF-1.4 minutes", "protokoll.pdf")
    assert good.status_code == 302
    stored = File.objects.get()
    assert (stored.mime_type, stored.size, stored.name, stored.role) == (
        "application/pdf",
        16,
        "protokoll.pdf",
        "minutes",
    )
    download = client.get(reverse("meetings:file", args=[meeting.pk, stored.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"
    client.logout()
    assert client.get(reverse("meetings:file", args=[meeting.pk, stored.pk])).status_code == 404


@pytest.mark.django_db
def test_agenda_in_order(client, coordinator, meeting):
    client.force_login(coordinator)
    for name in ["Begrüßung", "Bericht", "Verschiedenes"]:
        client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"agenda-name": name, "agenda-public": "on"})
    last = AgendaItem.objects.get(name="Verschiedenes")
    client.post(reverse("meetings:agenda_move", args=[meeting.pk, last.pk]), {"direction": "up"})
    assert list(meeting.agenda_items.values_list("name", flat=True)) == ["Begrüßung", "Verschiedenes", "Bericht"]
    response = client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"agenda-name": ""})
    assert response.status_code == 400 and meeting.agenda_items.count() == 3


@pytest.mark.django_db
def test_attendance_and_statistics(client, coordinator, meeting):
    client.force_login(coordinator)
    first, second, third = meeting.network.memberships.order_by("position")
    data = {f"member_{first.pk}": "present", f"member_{second.pk}": "excused", f"member_{third.pk}": ""}
    assert client.post(reverse("meetings:attendance", args=[meeting.pk]), data).status_code == 302
    assert dict(Attendance.objects.values_list("membership_id", "status")) == {
        first.pk: "present",
        second.pk: "excused",
    }
    page = client.get(reverse("meetings:network_attendance", args=[meeting.network.slug]))
    rows = {row["membership"].pk: row for row in page.context["rows"]}
    assert rows[first.pk]["share"] == 100 and rows[second.pk]["share"] == 0 and rows[third.pk]["share"] is None


@pytest.mark.django_db
def test_meeting_list_queries_constant(client, office, network, django_assert_max_num_queries):
    client.force_login(office)
    start = timezone.now() + datetime.timedelta(days=2)
    for number in range(15):
        day = start + datetime.timedelta(days=number)
        Meeting.objects.create(network=network, name=f"M{number}", start=day, end=day + datetime.timedelta(hours=1))
    # 9: the network filter's search select asks whether the list of networks is short enough to offer whole.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("meetings:list"))
    assert all(f">M{number}<" in response.content.decode() for number in range(15))


@pytest.mark.django_db
def test_participants_list_and_exports(client, office, event, django_assert_max_num_queries):
    for number in range(4):
        registrations.enrol(
            event,
            name=f"Person {number}",
            email=f"p{number}@example.org",
            language="de",
            needs={"need_sign_language": number % 2 == 0, "need_wheelchair_space": True},
        )
    client.force_login(office)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("meetings:participants", args=[event.slug]))
    needs = {str(label): total for label, total in page.context["needs"]}
    assert needs["Gebärdensprachdolmetschung"] == 1 and needs["Rollstuhlplatz"] == 2
    workbook = load_workbook(io.BytesIO(client.get(reverse("meetings:participants_xlsx", args=[event.slug])).content))
    rows = list(workbook.worksheets[0].values)
    assert len(rows) == 5 and rows[1][1] == "Person 0"
    assert dict(list(workbook.worksheets[1].values)[1:])["Gebärdensprachdolmetschung"] == 1
    pdf = client.get(reverse("meetings:participants_pdf", args=[event.slug]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_participants_hidden_from_coordinators_of_other_networks(client, event, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("meetings:participants", args=[event.slug])).status_code == 403


@pytest.mark.django_db
def test_feeds(client, meeting, event, member):
    from icalendar import Calendar

    from meetings import feeds

    public = Calendar.from_ical(client.get(reverse("meetings:public_feed")).content)
    assert [str(e["UID"]) for e in public.walk("VEVENT")] == [f"{event.uid}@vernetzt"]
    url = reverse("meetings:network_feed", args=[meeting.network.slug])
    assert not Calendar.from_ical(client.get(url).content).walk("VEVENT"), "internal meetings need the key"
    key = feeds.key_for(member, meeting.network).key
    private = Calendar.from_ical(client.get(url, {"key": key}).content)
    assert [str(e["UID"]) for e in private.walk("VEVENT")] == [f"{meeting.uid}@vernetzt"]
    assert not Calendar.from_ical(client.get(url, {"key": "forged"}).content).walk("VEVENT")


@pytest.mark.django_db
def test_rsvp_records_answer_on_post_only(client, meeting, django_capture_on_commit_callbacks):
    from meetings import invitations

    invitations.invite(meeting)
    invitation = meeting.invitations.first()
    url = reverse("meetings:rsvp", args=[invitation.token])
    assert client.get(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.response == "pending"
    client.post(url, {"response": "declined"})
    invitation.refresh_from_db()
    assert invitation.response == "declined" and invitation.responded_at


@pytest.mark.django_db
def test_outbox_only_for_office(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("meetings:outbox")).status_code == 403


def calendar_of(message):
    from icalendar import Calendar

    (part,) = message.attachments
    cal = Calendar.from_ical(part.get_payload(decode=True))
    (entry,) = cal.walk("VEVENT")
    return str(cal["METHOD"]), str(entry["UID"]), int(entry["SEQUENCE"])


@pytest.mark.django_db
def test_event_change_and_cancellation_update_the_same_entry(client, office, event, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            registrations.enrol(event, name=f"P{number}", email=f"p{number}@example.org", language="de")
    first = calendar_of(mail.outbox[0])
    assert first == ("PUBLISH", f"{event.uid}@vernetzt", 0)
    mail.outbox.clear()
    client.force_login(office)
    later = event.start + datetime.timedelta(hours=1)
    data = {"title": event.title, "start": local(later), "end": local(event.end), "capacity": "2", "is_public": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:event_edit", args=[event.slug]), data)
    assert len(mail.outbox) == 3
    updates = [calendar_of(message) for message in mail.outbox if message.attachments]
    assert updates == [("PUBLISH", f"{event.uid}@vernetzt", 1)] * 2, "the waiting person gets no calendar entry"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:event_cancel", args=[event.slug]))
    event.refresh_from_db()
    assert event.cancelled and event.sequence == 2
    assert [calendar_of(message) for message in mail.outbox] == [("CANCEL", f"{event.uid}@vernetzt", 2)] * 3


@pytest.mark.django_db
def test_past_meeting_can_be_corrected_without_moving_it(client, coordinator, network):
    start = timezone.now().replace(second=17) - datetime.timedelta(days=3)
    meeting = Meeting.objects.create(network=network, name="Alt", start=start, end=start + datetime.timedelta(hours=1))
    client.force_login(coordinator)
    data = {"name": "Alt (korrigiert)", "start": local(start), "end": local(meeting.end), "location": ""}
    response = client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.name == "Alt (korrigiert)"


@pytest.mark.django_db
def test_location_with_accessibility_facts_shows_on_registration_page(client, coordinator):
    client.force_login(coordinator)
    data = {
        "name": "Bürgerhaus",
        "locality": "Groß-Zimmern",
        "step_free": "true",
        "accessible_toilet": "false",
        "hearing_loop": "unknown",
        "public_transport": "Bus K55",
    }
    assert client.post(reverse("meetings:location_create"), data).status_code == 302
    from register.models import Location

    location = Location.objects.get(name="Bürgerhaus")
    assert (location.step_free, location.accessible_toilet, location.hearing_loop) == (True, False, None)
    event = make_event(location=location)
    text = client.get(reverse("meetings:register", args=[event.slug])).content.decode()
    assert "Stufenloser Zugang: ja" in text and "Barrierefreies WC: nein" in text
    assert "Induktionsschleife: nicht bekannt" in text and "Bus K55" in text
    day = formats.date_format(timezone.localtime(event.start), "DATE_FORMAT")
    assert f"{formats.date_format(timezone.localtime(event.start), 'l')}, {day}," in text


@pytest.mark.django_db
def test_event_list_and_outbox_queries_constant(client, office, location, django_assert_max_num_queries):
    from meetings.models import OutgoingMail

    for number in range(10):
        event = make_event(location=location)
        registrations.enrol(event, name="P", email=f"p{number}@example.org", language="de")
        OutgoingMail.objects.create(recipient=f"x{number}@example.org", subject="s", body="b", status="failed")
    client.force_login(office)
    # Session, user, the two-factor check (devices, settings), the office role and the page's own queries.
    # The events list one more: whether its networks are few enough for the filter to list them all.
    with django_assert_max_num_queries(10):  # the page's keys, then its rows
        assert client.get(reverse("meetings:events")).status_code == 200
    with django_assert_max_num_queries(8):
        page = client.get(reverse("meetings:outbox"))
    assert all(f"x{number}@example.org" in page.content.decode() for number in range(10))


@pytest.mark.django_db
def test_public_meeting_shows_only_public_items_and_files(client, meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("meetings:public_meeting", args=[meeting.pk])
    assert client.get(url).status_code == 404
    meeting.is_public = True
    meeting.save()
    AgendaItem.objects.create(meeting=meeting, position=1, name="Offener Punkt", public=True)
    AgendaItem.objects.create(meeting=meeting, position=2, name="Personalsache")
    for name, public in [("einladung.txt", True), ("intern.txt", False)]:
        File.objects.create(
            meeting=meeting,
            name=name,
            file=SimpleUploadedFile(name, b"text"),
            mime_type="text/plain",
            size=4,
            public=public,
        )
    text = client.get(url).content.decode()
    assert "Offener Punkt" in text and "Personalsache" not in text
    assert "einladung.txt" in text and "intern.txt" not in text
    internal = File.objects.get(name="intern.txt")
    assert client.get(reverse("meetings:file", args=[meeting.pk, internal.pk])).status_code == 404
