"""GDPR for people: erasure leaves no trace of the person in any table, export or history; counts stay right."""

import io
import json
import pickle
import zipfile
from datetime import date, timedelta

import openpyxl
import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from importing.models import TabularImport
from meetings.models import OutgoingMail, Registration
from register.history import history_of
from register.models import ActorGroup, Event, Membership, Organisation, Person
from workspace import gdpr, sessions
from workspace.models import Correction, SelfServiceLink, WorkspaceSettings

TRACES = [
    "Mirjam Okonkwo-Baumgärtner",
    "Okonkwo-Baumgärtner",
    "m.okonkwo@caritas-beispiel.de",
    "06151 987654",
    # Her name and address before she married (kept in the history).
    "Mirjam Brandt",
    "m.brandt@example.org",
]


def variants(text):
    """The text as stored: plain, as JSON escapes non-ASCII characters, and as XML escapes them."""
    return {text.casefold(), json.dumps(text)[1:-1].casefold(), text.encode("ascii", "xmlcharrefreplace").decode()}


def readable(value):
    """A stored value as text: file contents unpacked (Office files are zipped XML), the rest as is."""
    if isinstance(value, (list, tuple)):
        return " ".join(readable(item) for item in value)
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        if value.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(value)) as archive:
                return " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
        return value.decode("utf-8", "replace")
    return str(value)


def traces_in_database():
    """Every table, read raw (files unpacked), every model row through the ORM (decoded JSON), and
    every session, decoded."""
    found = []
    needles = set().union(*(variants(t) for t in TRACES))
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # table names come from the database itself
            for row in cursor.fetchall():
                text = " ".join(readable(value) for value in row).casefold()
                found += [(table, needle) for needle in needles if needle in text]
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if model._meta.db_table not in tables:
            continue
        json_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        for instance in model._base_manager.all():
            for field in json_fields:
                text = json.dumps(getattr(instance, field.attname), ensure_ascii=False).casefold()
                found += [(model._meta.label, t) for t in TRACES if t.casefold() in text]
    for session in Session.objects.all():
        text = json.dumps(session.get_decoded(), ensure_ascii=False).casefold()
        found += [("session", t) for t in TRACES if t.casefold() in text]
    return found


def traces_in_caches():
    """Every entry of every cache (the tests keep them in memory), unpickled."""
    found = []
    for alias in caches:
        for stored in list(caches[alias]._cache.values()):
            text = readable(pickle.loads(stored)).casefold()  # noqa: S301 – our own test cache
            found += [(alias, t) for t in TRACES if t.casefold() in text]
    return found


def spreadsheet(*rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def rich_person(person, own_network, other_network, caritas, diakonie, office):
    """A person whose data has spread: memberships, contact, actor group, labels, history, self-service,
    mails and registrations, import files and plans, a form kept in a session; under her earlier name too."""
    person.family_name, person.email = "Brandt", "m.brandt@example.org"
    person.save()
    OutgoingMail.objects.create(recipient=person.email, subject="Einladung", body="Guten Tag Mirjam Brandt,")
    event = Event.objects.create(
        title="Inklusionsforum", slug="forum", start=timezone.now(), end=timezone.now() + timedelta(hours=2)
    )
    Registration.objects.create(
        event=event,
        name="Mirjam Brandt",
        email="m.brandt@example.org",
        status="confirmed",
        confirmed_at=timezone.now(),
        needs_details="Ich brauche einen Platz nahe der Tür, wegen meiner Erkrankung.",
        consent_at=timezone.now(),
    )
    Registration.objects.create(
        event=event,
        name="Jonas Weber",
        email="j.weber@example.org",
        status="confirmed",
        confirmed_at=timezone.now(),
        needs_details="Ich komme zusammen mit Mirjam Brandt.",
        consent_at=timezone.now(),
    )
    csv = "Vorname;Nachname;E-Mail\nMirjam;Brandt;m.brandt@example.org\n".encode("cp1252")
    workbook = spreadsheet(["Vorname", "Nachname", "E-Mail"], ["Mirjam", "Okonkwo-Baumgärtner", "x@example.org"])
    for name, content, status in [("alt.csv", csv, "ready"), ("neu.xlsx", workbook, "applied")]:
        TabularImport.objects.create(
            user=office,
            kind="people",
            file_name=name,
            content=content,
            size=len(content),
            sha256="x",
            status=status,
            plan=[{"row": 2, "record": "Mirjam Brandt", "action": "create"}],
        )
    kept = SessionStore()
    kept[sessions.KEPT_FORM] = {"user": office.pk, "path": "/", "fields": [["description", "Mit Mirjam Brandt"]]}
    kept.create()
    person.family_name, person.email = "Okonkwo-Baumgärtner", "m.okonkwo@caritas-beispiel.de"
    person.save()
    Membership.objects.create(
        network=own_network,
        person=person,
        on_behalf_of=caritas,
        role="member",
        voting_right=True,
        label="Frau Okonkwo-Baumgärtner (Caritas)",
        start_date=date(2020, 1, 1),
    )
    Membership.objects.create(
        network=other_network, person=person, role="deputy", start_date=date(2019, 1, 1), end_date=date(2021, 12, 31)
    )
    Membership.objects.create(network=own_network, organisation=diakonie, contact=person)
    group = ActorGroup.objects.create(name="Migrationsdienste", slug="migrationsdienste")
    group.persons.add(person)
    diakonie.description = "Ansprechpartnerin: Mirjam Okonkwo-Baumgärtner, Tel. 06151 987654"
    diakonie.save()
    person.phone = "06151 987654"
    person.function = "Leitung Migrationsberatung"
    person.save()
    link = SelfServiceLink.objects.create(organisation=caritas, email=person.email, created_by=office)
    Correction.objects.create(organisation=caritas, link=link, proposed={"email": person.email}, previous={"email": ""})
    return person


def counts(*networks):
    return [
        (
            Membership.objects.filter(network=network).count(),
            Membership.objects.active().filter(network=network).count(),
            Membership.objects.filter(network=network, person__isnull=False, role="member").count(),
            Membership.objects.filter(network=network, on_behalf_of__isnull=False).count(),
        )
        for network in networks
    ]


def test_erasure_removes_the_person_from_every_table_export_and_history(
    client, office, rich_person, own_network, other_network, django_capture_on_commit_callbacks
):
    assert {needle for _table, needle in traces_in_database()} >= {t.casefold() for t in TRACES}
    before = counts(own_network, other_network)
    people_before = Person.objects.count()
    client.force_login(office)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workspace:person_erase", args=[rich_person.pk]), {"confirm": "on"})

    assert response.status_code == 302
    assert traces_in_database() == []
    assert traces_in_caches() == []
    own = Registration.objects.get(name=gdpr.ERASED)
    assert own.needs_details == "" and own.status == "confirmed"  # the event still counts the place
    assert Registration.objects.get(name="Jonas Weber").needs_details == f"Ich komme zusammen mit {gdpr.ERASED}."
    assert not TabularImport.objects.exclude(content=b"").exists()
    assert TabularImport.objects.get(file_name="alt.csv").status == TabularImport.Status.EXPIRED
    assert counts(own_network, other_network) == before
    assert Person.objects.count() == people_before
    erased = Person.objects.get(pk=rich_person.pk)
    assert erased.erased_at is not None and str(erased) == _("erased person")
    assert erased.actor_groups.count() == 1
    export = client.get(reverse("workspace:person_export", args=[erased.pk]) + "?format=json").content.decode()
    assert not [t for t in TRACES if t.casefold() in export.casefold()]
    assert all(record.object_repr == gdpr.ERASED for record in history_of(erased))
    page = client.get(reverse("workspace:person", args=[erased.pk])).content.decode()
    assert not [t for t in TRACES if t in page]


def test_erasure_needs_confirmation_and_changes_nothing_without(client, office, rich_person):
    client.force_login(office)
    response = client.post(reverse("workspace:person_erase", args=[rich_person.pk]), {})
    assert response.status_code == 200
    assert "confirm" in response.context["form"].errors
    assert Person.objects.get(pk=rich_person.pk).erased_at is None


def test_export_contains_all_data_of_the_person(client, office, rich_person):
    client.force_login(office)
    response = client.get(reverse("workspace:person_export", args=[rich_person.pk]) + "?format=json")
    data = json.loads(response.content)
    assert response["Content-Type"].startswith("application/json")
    assert data["person"]["email"] == "m.okonkwo@caritas-beispiel.de"
    assert {m["network"] for m in data["memberships"]} == {"Arbeitskreis Eigen", "Arbeitskreis Fremd"}
    assert (
        data["memberships"][0]["on_behalf_of"] == "Caritasverband Darmstadt e.V."
        or data["memberships"][1]["on_behalf_of"] == "Caritasverband Darmstadt e.V."
    )
    assert data["contact_for"] and data["actor_groups"] == ["Migrationsdienste"]
    actions = {(h["record"], h["action"]) for h in data["history"]}
    assert ("Mirjam Okonkwo-Baumgärtner", "create") in actions
    assert any(h["record"] == "Diakonie Darmstadt-Dieburg" for h in data["history"])  # named in a description
    printable = client.get(reverse("workspace:person_export", args=[rich_person.pk]))
    assert printable.status_code == 200 and "Okonkwo-Baumgärtner" in printable.content.decode()


def test_retention_rule_lists_then_anonymises_only_overdue_people(own_network, caritas):
    WorkspaceSettings.objects.update_or_create(pk=1, defaults={"retention_months": 24})
    long_gone = Person.objects.create(given_name="Alte", family_name="Mitgliedschaft")
    Membership.objects.create(network=own_network, person=long_gone, end_date=date.today() - timedelta(days=800))
    recent = Person.objects.create(given_name="Kürzlich", family_name="Ausgeschieden")
    Membership.objects.create(network=own_network, person=recent, end_date=date.today() - timedelta(days=100))
    active = Person.objects.create(given_name="Noch", family_name="Aktiv")
    Membership.objects.create(network=own_network, person=active, end_date=date.today() - timedelta(days=900))
    Membership.objects.create(network=own_network, person=active, role="deputy")
    never = Person.objects.create(given_name="Nie", family_name="Mitglied")
    Person.objects.filter(pk=never.pk).update(created=timezone.now() - timedelta(days=900))
    contact = Person.objects.create(given_name="Nur", family_name="Ansprechperson")
    Person.objects.filter(pk=contact.pk).update(created=timezone.now() - timedelta(days=900))
    Membership.objects.create(network=own_network, organisation=caritas, contact=contact)

    from io import StringIO

    out = StringIO()
    call_command("anonymise_overdue_people", "--dry-run", stdout=out)
    listed = out.getvalue()
    assert "Alte Mitgliedschaft" in listed and "Nie Mitglied" in listed
    assert "Kürzlich" not in listed and "Noch Aktiv" not in listed and "Ansprechperson" not in listed
    assert not Person.objects.filter(erased_at__isnull=False).exists()

    call_command("anonymise_overdue_people", stdout=StringIO())
    assert set(Person.objects.filter(erased_at__isnull=False).values_list("pk", flat=True)) == {long_gone.pk, never.pk}
    assert Membership.objects.filter(person=long_gone).count() == 1
    assert not Organisation.objects.filter(name__contains="Mitgliedschaft").exists()


@pytest.mark.django_db(transaction=True)
def test_erasure_empties_the_page_cache_at_once(client, office, person, own_network):
    """A public page that named the person (with her consent) is not served from the cache afterwards."""
    person.consent_to_publish, person.consent_recorded_at = True, timezone.now()
    person.save()
    Membership.objects.create(network=own_network, person=person, role="member")
    visitor = client.__class__()
    page = visitor.get(reverse("portal:network", args=[own_network.slug]))
    assert "Okonkwo-Baumgärtner" in page.content.decode()
    assert traces_in_caches(), "the page must have been cached"

    gdpr.erase(Person.objects.get(pk=person.pk))

    assert traces_in_caches() == []
    assert "Okonkwo-Baumgärtner" not in visitor.get(reverse("portal:network", args=[own_network.slug])).content.decode()


def test_retention_rule_keeps_people_with_a_future_or_recent_seat_and_lists_those_long_gone(own_network, caritas):
    """Every kind of membership a person may hold, against a retention period of 24 months."""
    WorkspaceSettings.objects.update_or_create(pk=1, defaults={"retention_months": 24})
    today = timezone.localdate()
    long_ago = timezone.now() - timedelta(days=900)

    def person(name, memberships=(), created=long_ago):
        found = Person.objects.create(given_name=name, family_name="Test")
        Person.objects.filter(pk=found.pk).update(created=created)
        for role, start, end in memberships:
            Membership.objects.create(network=own_network, person=found, role=role, start_date=start, end_date=end)
        return found

    person("Gone", [("member", None, today - timedelta(days=800)), ("deputy", None, today - timedelta(days=760))])
    person("Future", [("member", today + timedelta(days=30), today + timedelta(days=400))])
    person("Pending", [("guest", today + timedelta(days=30), None)])
    person("Recent", [("member", None, today - timedelta(days=700))])
    person("New", created=timezone.now())
    old_contact = person("Contact")  # the contact of a seat that ended long ago: no longer kept by it
    Membership.objects.create(
        network=own_network, organisation=caritas, contact=old_contact, end_date=today - timedelta(days=800)
    )
    erased = person("Erased")
    Person.objects.filter(pk=erased.pk).update(erased_at=timezone.now())
    found = {p.given_name: p.last_end for p in gdpr.overdue()}
    assert found == {"Gone": today - timedelta(days=760), "Contact": None}
