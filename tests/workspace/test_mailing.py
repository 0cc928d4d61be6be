"""Per network: the mailing list (consent and purpose respected), its export, and a message to everyone on it."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from meetings.models import OutgoingMail
from register import mailing
from register.models import Membership, Organisation, Person
from workspace.models import NetworkMessage

pytestmark = pytest.mark.django_db


def make_person(given, family, email="", **kwargs):
    return Person.objects.create(given_name=given, family_name=family, email=email, **kwargs)


@pytest.fixture
def members(own_network, caritas, diakonie, person):
    """Who sits in the network, and who of them may be written to."""
    chair = make_person("Aylin", "Demir", "a.demir@example.org", phone="+49 6151 12345")
    Membership.objects.create(network=own_network, person=chair, role=Membership.Role.CHAIR)
    Membership.objects.create(network=own_network, organisation=caritas, contact=person)
    # The same person as contact of a second seat: written to once.
    Membership.objects.create(network=own_network, organisation=caritas, contact=person, role=Membership.Role.DEPUTY)
    survey_only = make_person("Jonas", "Weber", "j.weber@example.org", purpose="Bedarfsumfrage 2026")
    Membership.objects.create(network=own_network, organisation=diakonie, contact=survey_only)
    with translation.override("en"):
        english = make_person("Sam", "Taylor", "s.taylor@example.org")
    assert english.purpose.startswith("Coordination of the networks")
    awo = Organisation.objects.create(name="AWO Kreisverband", slug="awo")
    Membership.objects.create(network=own_network, organisation=awo, contact=english)
    no_mail = make_person("Olga", "Schmidt")
    Membership.objects.create(network=own_network, person=no_mail)
    erased = make_person("Erika", "Muster", "e.muster@example.org", erased_at=timezone.now())
    Membership.objects.create(network=own_network, person=erased)
    Membership.objects.create(network=own_network, organisation=Organisation.objects.create(name="Ohne", slug="ohne"))
    former = make_person("Peter", "Alt", "p.alt@example.org")
    Membership.objects.create(
        network=own_network, person=former, end_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    return own_network


def test_the_list_holds_only_contacts_kept_for_the_network_work(members):
    listed, left_out = mailing.mailing_list(members)
    assert [entry.person.email for entry in listed] == [
        "a.demir@example.org",
        "m.okonkwo@caritas-beispiel.de",
        "s.taylor@example.org",
    ]
    reasons = {str(entry.membership.member): str(entry.reason) for entry in left_out}
    assert reasons == {
        "Diakonie Darmstadt-Dieburg": str(mailing.OTHER_PURPOSE),
        "Olga Schmidt": str(mailing.NO_EMAIL),
        "gelöschte Person": str(mailing.ERASED),
        "Ohne": str(mailing.NO_CONTACT),
    }


def test_the_export_is_written_without_formulas(client, office, members):
    client.force_login(office)
    response = client.get(reverse("workspace:network_mailing_export", args=[members.pk, "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "Mitglied;Rolle;Name;Funktion;Organisation;E-Mail;Telefon"
    assert len(lines) == 4 and "j.weber@example.org" not in text
    assert "'+49 6151 12345" in text  # a phone number starting like a formula stays text

    workbook = client.get(reverse("workspace:network_mailing_export", args=[members.pk, "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert [cell.value for cell in sheet[1]][5] == "E-Mail"
    assert sheet.cell(row=2, column=7).value == "+49 6151 12345" and sheet.cell(row=2, column=7).data_type == "s"


def test_a_message_goes_through_the_outbox_to_everyone_on_the_list(client, coordinator, members):
    client.force_login(coordinator)
    url = reverse("workspace:network_mailing", args=[members.pk])
    page = client.get(url).content.decode()
    assert "3 Adressen" in page and "Daten zu einem anderen Zweck gespeichert" in page
    response = client.post(url, {"subject": "Nächstes Treffen", "body": "Liebe Mitglieder,\nwir treffen uns bald."})
    assert response.status_code == 302
    message = NetworkMessage.objects.get()
    mails = list(message.mails.order_by("recipient"))
    assert [mail.recipient for mail in mails] == sorted(
        ["a.demir@example.org", "m.okonkwo@caritas-beispiel.de", "s.taylor@example.org"]
    )
    assert mails[0].subject == "Arbeitskreis Eigen: Nächstes Treffen"
    assert "wir treffen uns bald." in mails[0].body and "Arbeitskreis Eigen" in mails[0].body
    assert OutgoingMail.objects.count() == 3
    OutgoingMail.objects.filter(pk=mails[0].pk).update(status=OutgoingMail.Status.FAILED, error="550")
    status = client.get(url).content.decode()
    assert "Nächstes Treffen" in status and "<strong>1</strong>" in status


@pytest.mark.parametrize("who, allowed", [("office", True), ("coordinator", True), ("member", False)])
def test_who_may_use_the_list(client, request, members, who, allowed):
    client.force_login(request.getfixturevalue(who))
    for url in (
        reverse("workspace:network_mailing", args=[members.pk]),
        reverse("workspace:network_mailing_export", args=[members.pk, "csv"]),
    ):
        assert client.get(url).status_code == (200 if allowed else 403)


def test_the_page_takes_the_same_queries_however_long_the_list(client, office, own_network, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(office)
    url = reverse("workspace:network_mailing", args=[own_network.pk])

    def queries():
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        return len(context)

    def add(count):
        for number in range(count):
            contact = make_person("Kontakt", f"Nr{number}{count}", f"k{number}-{count}@example.org")
            organisation = Organisation.objects.create(name=f"Verein {count}-{number}", slug=f"v-{count}-{number}")
            Membership.objects.create(network=own_network, organisation=organisation, contact=contact)

    add(2)
    few = queries()
    add(8)
    assert queries() == few
