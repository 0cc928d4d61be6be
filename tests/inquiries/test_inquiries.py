"""Residents' inquiries to the Kreisausländerbeirat (issue 22)."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from inquiries import services
from inquiries.models import (
    MAX_RETENTION_DAYS,
    RETENTION_DAYS,
    SPECIAL_RETENTION_DAYS,
    Inquiry,
    InquiryCount,
    Reply,
)
from meetings.models import OutgoingMail
from register.models import Municipality
from tests.inquiries.retention import tables_holding
from tests.register.kab_builders import make_kab

pytestmark = pytest.mark.django_db

QUESTION = "Wie bekomme ich einen Termin bei der Ausländerbehörde für meine Niederlassungserlaubnis?"


def send(client, kab, **extra):
    data = {
        "message": QUESTION,
        "topic": "other",
        "municipality": str(Municipality.objects.get(name="Dieburg").pk),
        "name": "Amal Beispiel",
        "email": "amal@example.org",
        "consent": "on",
        "homepage": "",
        **extra,
    }
    return client.post(reverse("inquiries:ask", args=[kab.slug]), data)


def test_a_resident_sends_an_inquiry_and_the_inbox_is_told_without_its_content(client, kab, office):
    response = send(client, kab)
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert (inquiry.email, inquiry.municipality.name, inquiry.status, inquiry.language) == (
        "amal@example.org",
        "Dieburg",
        "new",
        "de",
    )
    [notice] = OutgoingMail.objects.all()
    assert notice.recipient == office.email
    assert QUESTION not in notice.body and "Amal" not in notice.body and "amal@" not in notice.body
    assert reverse("inquiries:detail", args=[inquiry.pk]) in notice.body


def test_the_form_says_what_happens_with_the_data_in_german_and_english(client, kab):
    german = client.get(reverse("inquiries:ask", args=[kab.slug])).content.decode()
    assert "Was mit Ihren Daten geschieht" in german and str(RETENTION_DAYS) in german
    with translation.override("en"):
        url = reverse("inquiries:ask", args=[kab.slug])
    english = client.get(url).content.decode()
    assert "What happens with your data" in english and str(SPECIAL_RETENTION_DAYS) in english


def test_only_councils_take_inquiries(client, db):
    from register.models import Network

    network = Network.objects.create(name="Arbeitskreis", slug="ak")
    assert client.get(reverse("inquiries:ask", args=[network.slug])).status_code == 404


def test_honeypot_rate_limit_and_missing_fields_write_nothing(client, kab):
    cache.clear()
    assert send(client, kab, homepage="http://spam.example").status_code == 400
    assert send(client, kab, consent="", email="nope").status_code == 400
    assert not Inquiry.objects.exists()
    for _ in range(4):
        assert send(client, kab).status_code == 302
    limited = send(client, kab)
    assert limited.status_code == 429
    assert Inquiry.objects.count() == 4


def test_special_categories_are_read_only_by_the_office_and_the_assigned_member(
    client, kab, office, kab_member, other_member, outsider
):
    send(client, kab, topic="health")
    inquiry = Inquiry.objects.get()
    assert inquiry.special
    url = reverse("inquiries:detail", args=[inquiry.pk])
    client.force_login(office)
    assert QUESTION in client.get(url).content.decode()
    client.force_login(kab_member)
    page = client.get(url).content.decode()
    assert QUESTION not in page and "amal@example.org" not in page
    assert client.post(reverse("inquiries:answer", args=[inquiry.pk]), {"body": "x"}).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    # The office assigns it: the member is told (without content) and can now read it; the other cannot.
    client.force_login(office)
    client.post(
        reverse("inquiries:handle", args=[inquiry.pk]),
        {"status": "in_progress", "topic": "health", "special": "on", "assigned_to": str(kab_member.pk)},
    )
    assert OutgoingMail.objects.filter(recipient=kab_member.email).exists()
    assert all(QUESTION not in mail.body for mail in OutgoingMail.objects.all())
    client.force_login(kab_member)
    assert QUESTION in client.get(url).content.decode()
    client.force_login(other_member)
    assert QUESTION not in client.get(url).content.decode()
    inbox = client.get(reverse("inquiries:inbox")).content.decode()
    assert str(inquiry) in inbox and QUESTION not in inbox


def test_an_ordinary_inquiry_is_read_by_every_member_and_answered_through_the_outbox(client, kab, office, kab_member):
    with translation.override("en"):
        url = reverse("inquiries:ask", args=[kab.slug])
    client.post(
        url, {"message": "Where can I learn German?", "topic": "language", "email": "sam@example.org", "consent": "on"}
    )
    inquiry = Inquiry.objects.get()
    assert inquiry.language == "en" and not inquiry.special
    client.force_login(kab_member)
    detail = reverse("inquiries:detail", args=[inquiry.pk])
    assert "Where can I learn German?" in client.get(detail).content.decode()
    client.post(reverse("inquiries:answer", args=[inquiry.pk]), {"body": "The adult education centre in Dieburg."})
    inquiry.refresh_from_db()
    assert inquiry.status == "answered" and inquiry.finished
    [reply] = Reply.objects.all()
    assert reply.mail.recipient == "sam@example.org"
    assert "The adult education centre in Dieburg." in reply.mail.body
    assert reply.mail.subject.startswith("Your question to")


def test_inbox_queries_do_not_grow_with_the_inquiries(client, kab, office, django_assert_max_num_queries):
    for _ in range(2):
        services.receive(
            kab,
            name="",
            email="a@example.org",
            municipality=None,
            topic="other",
            special=False,
            message="x",
            language="de",
        )
    client.force_login(office)
    url = reverse("inquiries:inbox")
    with django_assert_max_num_queries(20) as captured:
        client.get(url)
    for _ in range(6):
        services.receive(
            kab,
            name="",
            email="a@example.org",
            municipality=None,
            topic="health",
            special=False,
            message="x",
            language="de",
        )
    with django_assert_max_num_queries(len(captured)):
        assert client.get(url).status_code == 200


def test_after_the_retention_period_only_the_anonymous_counts_remain(client, kab, office, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC), tick=False)
    send(client, kab, topic="residence")
    send(
        client, kab, message="Gibt es Deutschkurse am Abend?", topic="language", name="Bo Zweit", email="bo@example.org"
    )
    client.force_login(office)
    for inquiry in Inquiry.objects.all():
        services.reply(inquiry, office, f"Antwort an {inquiry.name}: bitte melden Sie sich.")
    secrets = [
        "Amal Beispiel",
        "amal@example.org",
        QUESTION,
        "Bo Zweit",
        "bo@example.org",
        "Deutschkurse am Abend",
        "Antwort an",
    ]
    assert tables_holding(*secrets)

    # The special one goes after 90 days, the other after 180.
    time_machine.move_to(
        datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC) + datetime.timedelta(days=SPECIAL_RETENTION_DAYS + 1),
        tick=False,
    )
    assert services.purge() == 1
    time_machine.move_to(
        datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC) + datetime.timedelta(days=RETENTION_DAYS + 1), tick=False
    )
    assert services.purge() == 1
    assert tables_holding(*secrets) == {}
    assert not Inquiry.objects.exists() and not Reply.objects.exists()
    assert sorted(InquiryCount.objects.values_list("month", "topic", "municipality__name", "count")) == [
        (datetime.date(2026, 3, 1), "language", "Dieburg", 1),
        (datetime.date(2026, 3, 1), "residence", "Dieburg", 1),
    ]
    client.force_login(office)  # the session of months ago has expired
    report = client.get(reverse("inquiries:report") + "?jahr=2026").content.decode()
    assert "Dieburg" in report and "2 Anfragen" in report


def test_the_office_erases_an_inquiry_on_request_and_only_the_count_stays(client, kab, office, kab_member):
    send(client, kab)
    inquiry = Inquiry.objects.get()
    services.reply(inquiry, office, "Antwort vor der Löschung")
    client.force_login(kab_member)
    assert client.post(reverse("inquiries:erase", args=[inquiry.pk])).status_code == 403
    client.force_login(office)
    client.post(reverse("inquiries:erase", args=[inquiry.pk]))
    assert tables_holding(QUESTION, "amal@example.org", "Antwort vor der Löschung") == {}
    assert InquiryCount.objects.get().count == 1


def test_the_form_in_leichte_sprache_sends_an_inquiry_marked_for_an_answer_in_leichte_sprache(
    client, kab, office, kab_member
):
    url = f"/de-x-ls/anfrage/{kab.slug}/"
    assert f'href="{url}"' in client.get(reverse("inquiries:ask", args=[kab.slug])).content.decode()
    response = client.get(url)
    page = response.content.decode()
    assert '<html lang="de-x-ls"' in page and 'dir="ltr"' in page
    assert "Diese Seite ist in Leichter Sprache." in page and "Was passiert mit Ihren Daten?" in page
    assert f'href="/anfrage/{kab.slug}/" lang="de">Hier ist die Seite in Alltags-Sprache.' in page
    assert f"{RETENTION_DAYS} Tage nach der Antwort" in page and "Das sage ich nicht." in page
    # The topics in Leichte Sprache too (its catalogue).
    assert ">Deutsch lernen</option>" in page and "Sprachkurse" not in page
    refused = client.post(url, {"message": QUESTION, "topic": "other", "email": "amal@example.org"})
    assert refused.status_code == 400 and "Bitte sagen Sie Ja." in refused.content.decode()
    assert not Inquiry.objects.exists()

    data = {"message": QUESTION, "topic": "other", "email": "amal@example.org", "consent": "on", "homepage": ""}
    sent = client.post(url, data)
    assert sent.status_code == 302 and sent["Location"] == f"/de-x-ls/anfrage/{kab.slug}/gesendet/"
    assert "Danke. Wir haben Ihre Frage bekommen." in client.get(sent["Location"]).content.decode()
    inquiry = Inquiry.objects.get()
    assert inquiry.language == "de-x-ls" and inquiry.wants_easy_language
    client.force_login(kab_member)
    detail = client.get(reverse("inquiries:detail", args=[inquiry.pk])).content.decode()
    assert "Leichte Sprache" in detail and "bitte antworten Sie auch in Leichter Sprache" in detail
    services.reply(inquiry, kab_member, "Guten Tag. Wir helfen Ihnen gern.")
    assert OutgoingMail.objects.filter(recipient="amal@example.org").exists()


def test_the_former_address_of_the_form_in_leichte_sprache_leads_to_it(client, kab):
    for prefix in ["", "/en"]:
        response = client.get(f"{prefix}/anfrage/{kab.slug}/leichte-sprache/")
        assert response.status_code == 301 and response["Location"] == f"/de-x-ls/anfrage/{kab.slug}/"
    assert client.get("/anfrage/gibt-es-nicht/leichte-sprache/").status_code == 404


def test_the_retention_counts_calendar_days_across_the_change_to_summer_time(kab):
    # Answered at 23:30 in Darmstadt in winter: 180 days later falls in summer time, when the same moment
    # is already 00:30 of the next day. The inquiry is deleted 180 days after the day it was answered.
    answered = datetime.datetime(2026, 12, 5, 22, 30, tzinfo=datetime.UTC)
    inquiry = Inquiry(network=kab, received=answered - datetime.timedelta(hours=1), finished=answered)
    assert inquiry.delete_after == datetime.date(2026, 12, 5) + datetime.timedelta(days=RETENTION_DAYS)
    inquiry.finished = None  # not answered: a year after the day it came in
    assert inquiry.delete_after == datetime.date(2026, 12, 5) + datetime.timedelta(days=MAX_RETENTION_DAYS)


def test_the_report_counts_every_council_in_the_same_queries_however_many_there_are(client, kab, office):
    """At nation scale the office sees 1,200 councils: two queries each took the report 2.7 s."""
    send(client, kab)
    second = make_kab(name="Ausländerbeirat Zweitstadt")
    send(client, second, topic="language", email="bo@example.org")
    send(client, second, topic="language", email="cy@example.org")
    client.force_login(office)
    url = reverse("inquiries:report") + f"?jahr={timezone.localdate().year}"
    with CaptureQueriesContext(connection) as few:
        report = client.get(url).content.decode()
    assert "1 Anfrage" in report.split("Kreisausländerbeirat Test")[1].split("Ausländerbeirat Zweitstadt")[0]
    assert "2 Anfragen" in report.split("Ausländerbeirat Zweitstadt")[1]
    for number in range(5):
        make_kab(name=f"Beirat {number}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url + "&mehr").status_code == 200
    assert len(many) == len(few)


def test_the_report_lists_councils_without_inquiries_by_name_without_reading_their_texts(client, kab, office):
    """Every council gets its section, the many without inquiries a note; their texts (purpose, history…) are
    not read for a report that shows their names (1,200 councils at nation scale)."""
    send(client, kab)
    quiet = [make_kab(name=f"Ausländerbeirat Still {number}") for number in range(3)]
    client.force_login(office)
    url = reverse("inquiries:report") + f"?jahr={timezone.localdate().year}"
    with CaptureQueriesContext(connection) as read:
        report = client.get(url).content.decode()
    for council in quiet:
        section = report.split(f"<h2>{council.name}</h2>")[1].split("<h2>")[0]
        assert "Keine Anfragen in diesem Jahr." in section
    assert "Keine Anfragen" not in report.split("<h2>Kreisausländerbeirat Test</h2>")[1].split("<h2>")[0]
    assert not any('"register_network"."purpose"' in query["sql"] for query in read)
