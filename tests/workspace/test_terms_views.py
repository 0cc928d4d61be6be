"""Staff pages of terms, delegating councils and the 1,000-residents rule (issue 22)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from register.models import Assignment, DelegatingCouncil, LegislativeTerm, Membership, Organisation, Person
from tests.register.kab_builders import current_term, delegate, make_council, make_kab

pytestmark = pytest.mark.django_db


def test_a_coordinator_adds_a_term_a_council_and_an_eighth_member_only_with_a_reason(client, django_user_model):
    kab = make_kab()
    user = django_user_model.objects.create_user("koordination", "k@example.org", "a-long-test-password-42")
    Assignment.objects.create(user=user, network=kab, role=Assignment.Role.COORDINATOR)
    client.force_login(user)
    today = timezone.localdate()
    response = client.post(
        reverse("workspace:term_create", args=[kab.pk]),
        {
            "name": "Wahlperiode neu",
            "election_date": (today - datetime.timedelta(days=30)).isoformat(),
            "start_date": (today - datetime.timedelta(days=10)).isoformat(),
            "end_date": (today + datetime.timedelta(days=5 * 365)).isoformat(),
        },
    )
    term = LegislativeTerm.objects.get(network=kab)
    assert response.url == reverse("workspace:term", args=[term.pk])
    assert not term.memberships.exists()  # a new term starts empty

    organisation = Organisation.objects.create(name="Beirat ohne Kommune", slug="ab-ohne", municipality_id=None)
    refused = client.post(
        reverse("workspace:council_create", args=[kab.pk]),
        {"organisation": organisation.pk, "kind": "foreign_residents_council"},
    )
    assert refused.status_code == 200 and not DelegatingCouncil.objects.exists()
    council = make_council(kab, "Dieburg")
    for _ in range(7):
        delegate(kab, term, council)
    # A coordinator chooses only people of their networks or who consented.
    person = Person.objects.create(
        given_name="Acht", family_name="Mitglied", consent_to_publish=True, consent_recorded_at=timezone.now()
    )
    data = {"person": person.pk, "role": "member", "legislative_term": term.pk, "on_behalf_of": council.organisation.pk}
    page = client.post(reverse("workspace:membership_add", args=[kab.pk]), data)
    assert page.status_code == 200 and "Alle 7 Sitze" in page.content.decode()
    assert Membership.objects.filter(person=person).count() == 0
    data["over_seats_reason"] = "Nachrücker bis zur Nachwahl"
    assert client.post(reverse("workspace:membership_add", args=[kab.pk]), data).status_code == 302
    detail = client.get(reverse("workspace:network", args=[kab.pk])).content.decode()
    assert "Probleme der Zusammensetzung" in detail and "Nachrücker bis zur Nachwahl" in detail
    term_page = client.get(reverse("workspace:term", args=[term.pk])).content.decode()
    assert "8 von 7 besetzt" in term_page
    # The threshold page is the office's.
    assert client.get(reverse("workspace:thresholds")).status_code == 403


def test_the_threshold_page_for_the_office(client, django_user_model):
    from django.contrib.auth.models import Group

    from register.permissions import OFFICE_GROUP

    user = django_user_model.objects.create_user("buero", "b@example.org", "a-long-test-password-42")
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    client.force_login(user)
    kab = make_kab()
    current_term(kab)
    page = client.get(reverse("workspace:thresholds"))
    assert page.status_code == 200 and "Dieburg" in page.content.decode()


def test_the_start_page_lists_composition_problems(client, django_user_model):
    from django.contrib.auth.models import Group

    from register.permissions import OFFICE_GROUP

    user = django_user_model.objects.create_user("buero2", "b2@example.org", "a-long-test-password-42")
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    kab = make_kab()
    term = current_term(kab)
    council = make_council(kab, "Dieburg", dissolved_on=timezone.localdate() - datetime.timedelta(days=3))
    sent = delegate(kab, term, council)
    client.force_login(user)
    page = client.get(reverse("workspace:home")).content.decode()
    assert "Probleme der Zusammensetzung" in page and str(sent.person) in page and "aufgelöst" in page


def test_the_start_page_reads_the_composition_problems_of_all_councils_in_constant_queries(client, django_user_model):
    """Five councils with problems cost the start page no more queries than one; it lists the first 25
    problems and says how many there are."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from register.permissions import OFFICE_GROUP

    user = django_user_model.objects.create_user("buero3", "b3@example.org", "a-long-test-password-42")
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    client.force_login(user)

    from register.models import Network

    def council_with_problems():
        number = Network.objects.count()
        kab = Network.objects.create(
            name=f"Ausländerbeirat Test {number}",
            slug=f"beirat-{number}",
            classification=Network.Classification.COUNCIL,
            seats_members=1,
            seats_deputies=9,
        )
        term = current_term(kab)
        sender = Organisation.objects.create(name=f"Ausländerbeirat Ort {number}", slug=f"ab-ort-{number}")
        council = DelegatingCouncil.objects.create(
            network=kab, organisation=sender, dissolved_on=timezone.localdate() - datetime.timedelta(days=3)
        )
        delegate(kab, term, council)
        for _number in range(2):  # over the one seat, with a reason
            delegate(kab, term, council, over_seats_reason="Nachgerückt")
        deputy = Person.objects.create(given_name="Dele", family_name=f"Gierte Vertretung {kab.pk}")
        # A deputy for no member, as an import may leave one (the form refuses it).
        Membership.objects.create(network=kab, person=deputy, role=Membership.Role.DEPUTY, legislative_term=term)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("workspace:home")).content.decode()
        return len(captured), page

    council_with_problems()
    client.get(reverse("workspace:home"))  # the shared base template may set itself up once
    few, page = queries()
    assert "aufgelöst" in page
    for _number in range(4):
        council_with_problems()
    many, page = queries()
    assert many == few
    # 5 councils × (3 dissolved + 1 unpaired deputy + 1 over the seats) = 25: all listed, no "first of".
    assert page.count("Dele Gierte") == 20
    council_with_problems()
    many, page = queries()
    assert many == few
    assert "Die ersten 25 von 30 Problemen" in page
