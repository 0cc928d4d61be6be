"""A whole meeting cycle in the browser: plan, invite, record attendance and results, share the draft,
approve, read the public page and PDF (without the internal item), see the open task on the next agenda."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from meetings.models import Attendance
from register.models import AgendaItem, Assignment, FollowUp, Meeting
from tests.browser import axe_violations, describe, screenshot

from .conftest import make_user
from .pdf import headings


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def check_public_page(page, url, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    violations = axe_violations(page)
    assert not violations, describe(violations)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways at {width} px"
    screenshot(page, f"meetings-cycle-public-{width}")
    return page.locator("main").inner_text()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_plan_invite_record_approve_publish_and_follow_up(
    transactional_db, live_server, page, network, time_machine, width
):
    """The staff work the cycle on a desktop and on a phone; the public page is checked at both widths."""
    time_machine.move_to(timezone.now(), tick=True)
    page.set_viewport_size({"width": width, "height": 900 if width > 600 else 844})
    coordinator = make_user(Assignment.Role.COORDINATOR, network)
    member = make_user(Assignment.Role.MEMBER, network)
    member.email = "mitglied@example.org"
    member.save()
    sign_in(page, live_server, coordinator)
    base = f"{live_server.url}/termine"

    # Plan: a public meeting in an hour, with one internal item among the public ones.
    start = timezone.now() + datetime.timedelta(hours=1)
    page.goto(f"{base}/neu/")
    page.select_option("#id_network", label=network.name)
    page.fill("#id_name", "Frühjahrssitzung")
    page.fill("#id_start", local(start))
    page.fill("#id_end", local(start + datetime.timedelta(hours=2)))
    page.check("#id_is_public")
    with page.expect_navigation():
        page.click("main form.stacked-form button[type=submit]")
    assert "/termine/neu/" not in page.url, page.locator("main").inner_text()
    meeting = Meeting.objects.get(name="Frühjahrssitzung")
    for name, public in [("Begrüßung", True), ("Personalangelegenheit", False), ("Leitfaden Sprachmittlung", True)]:
        page.fill("#id_agenda-name", name)
        if public:
            page.check("#id_agenda-public")
        with page.expect_navigation():
            page.click("form:has(#id_agenda-name) button[type=submit]")
    assert dict(meeting.agenda_items.values_list("name", "public")) == {
        "Begrüßung": True,
        "Personalangelegenheit": False,
        "Leitfaden Sprachmittlung": True,
    }

    # Invite: those with an address get mail; the one without is listed to reach otherwise.
    with page.expect_navigation():
        page.click("text=Einladungen versenden")
    assert "1 Mitglied ohne E-Mail-Adresse" in page.locator("main").inner_text()
    assert page.locator("a", has_text="Einladungsbriefe zum Drucken (PDF)").is_visible()
    screenshot(page, f"meetings-cycle-invited-{width}")
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.INVITED and meeting.invitations.count() == 2

    # The meeting takes place; afterwards attendance and results are recorded.
    time_machine.shift(datetime.timedelta(hours=4))
    sign_in(page, live_server, coordinator)
    page.goto(f"{base}/{meeting.pk}/anwesenheit/")
    seats = list(network.memberships.order_by("position"))
    page.select_option(f"#id_member_{seats[0].pk}", "present")
    page.select_option(f"#id_member_{seats[1].pk}", "present")
    page.select_option(f"#id_member_{seats[2].pk}", "excused")
    with page.expect_navigation():
        page.click("text=Anwesenheit speichern")
    assert Attendance.objects.filter(meeting=meeting).count() == 3
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.HELD

    leitfaden = AgendaItem.objects.get(meeting=meeting, name="Leitfaden Sprachmittlung")
    page.click(f"a[href$='/tagesordnung/{leitfaden.pk}/']")
    page.fill("#id_notes", "Die Geschäftsstelle stellt den Entwurf vor; zwei Ergänzungen werden aufgenommen.")
    page.select_option("#id_result", "decided")
    page.fill("#id_resolution_text", "Der Arbeitskreis beschließt den Leitfaden mit den Ergänzungen.")
    page.fill("#id_votes_for", "2")
    page.fill("#id_votes_against", "0")
    page.fill("#id_votes_abstaining", "0")
    with page.expect_navigation():
        page.click("main form.stacked-form button[type=submit]")
    internal = AgendaItem.objects.get(meeting=meeting, name="Personalangelegenheit")
    page.click(f"a[href$='/tagesordnung/{internal.pk}/']")
    page.fill("#id_notes", "Vertraulich: Nachbesetzung der Geschäftsstelle.")
    page.select_option("#id_result", "noted")
    with page.expect_navigation():
        page.click("main form.stacked-form button[type=submit]")

    # A follow-up task, then the draft goes to the members for comments.
    page.fill("#id_task-description", "Leitfaden an alle Beratungsstellen verschicken")
    page.select_option("#id_task-organisation", label=seats[0].organisation.full_name)
    page.fill("#id_task-due_date", (timezone.localdate() + datetime.timedelta(days=21)).isoformat())
    with page.expect_navigation():
        page.click("text=Aufgabe hinzufügen >> nth=-1")
    assert FollowUp.objects.filter(meeting=meeting).count() == 1
    with page.expect_navigation():
        page.click("text=Entwurf den Mitgliedern zur Kommentierung schicken")
    assert "1 Mitglied wird um Kommentare gebeten" in page.locator("main").inner_text()
    screenshot(page, f"meetings-cycle-minutes-{width}")

    sign_in(page, live_server, member)
    page.goto(f"{base}/{meeting.pk}/protokoll/")
    page.fill("#id_comment-text", "Bitte Babenhausen bei den Ergänzungen nennen.")
    with page.expect_navigation():
        page.click("text=Kommentar senden")
    assert "Danke, Ihr Kommentar" in page.locator("main").inner_text()

    # Approve after confirming; the agenda is then locked.
    sign_in(page, live_server, coordinator)
    page.goto(f"{base}/{meeting.pk}/protokoll/")
    assert "Bitte Babenhausen" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.click("text=Protokoll genehmigen und veröffentlichen")
    assert "Tagesordnung, Ergebnisse und Aufgaben können danach nicht mehr geändert werden" in page.content()
    with page.expect_navigation():
        page.click("text=Ja, Protokoll genehmigen")
    assert "Das Protokoll ist genehmigt und veröffentlicht" in page.locator("main").inner_text()
    meeting.refresh_from_db()
    assert meeting.minutes_approved
    assert page.locator("a", has_text="Ändern und Ergebnis erfassen").count() == 0

    # The public page and the PDF show the public items with their results, not the internal one.
    page.context.clear_cookies()
    public_url = f"{base}/sitzungen/{meeting.pk}/"
    for public_width in (1280, 390):
        text = check_public_page(page, public_url, public_width)
        assert "Leitfaden Sprachmittlung" in text and "beschlossen (2 Ja, 0 Nein, 0 Enthaltungen)" in text
        assert "Der Arbeitskreis beschließt den Leitfaden" in text
        assert "Personalangelegenheit" not in text and "Vertraulich" not in text
        assert "Ada Muster" not in text and "eine Person (nicht namentlich genannt)" in text, "no name without consent"
    pdf = page.request.get(f"{base}/sitzungen/{meeting.pk}/protokoll.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    titles = headings(pdf.body())
    assert "3 Leitfaden Sprachmittlung" in titles and not any("Personalangelegenheit" in t for t in titles)

    # The next meeting's agenda carries the open task until it is done.
    page.set_viewport_size({"width": width, "height": 900 if width > 600 else 844})
    sign_in(page, live_server, coordinator)
    following = timezone.now() + datetime.timedelta(days=60)
    page.goto(f"{base}/neu/")
    page.select_option("#id_network", label=network.name)
    page.fill("#id_name", "Sommersitzung")
    page.fill("#id_start", local(following))
    page.fill("#id_end", local(following + datetime.timedelta(hours=2)))
    with page.expect_navigation():
        page.click("main form.stacked-form button[type=submit]")
    text = page.locator("main").inner_text()
    assert "Offene Aufgaben aus früheren Sitzungen" in text
    assert "Leitfaden an alle Beratungsstellen verschicken" in text
    screenshot(page, f"meetings-cycle-next-agenda-{width}")
    page.goto(f"{base}/netzwerk/{network.slug}/beschlusskontrolle/")
    text = page.locator("main").inner_text()
    assert "Leitfaden an alle Beratungsstellen verschicken" in text and "Der Arbeitskreis beschließt" in text
