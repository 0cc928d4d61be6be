"""The start page and the network list at scale: bounded lists with a link to the whole list, and the same
number of queries however many networks, seats and problems the register holds."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from matching.models import Suggestion
from register import composition
from register.models import Membership, Network, Organisation, Person, Topic
from tests.register.kab_builders import current_term, delegate, make_kab, make_term
from workspace import attention

# The clock is pinned to tests.conftest.FIXED_DAY (time-machine) for every test here; dates count from it.
pytestmark = pytest.mark.usefixtures("fixed_day")


@pytest.fixture
def office_client(client, office):
    client.force_login(office)
    return client


def networks_with_vacant_seats(count, start=0):
    """``count`` networks with three member seats and one filled, each with a few other seats."""
    networks = Network.objects.bulk_create(
        [
            Network(name=f"Beirat {number:03d}", slug=f"beirat-{number}", seats_members=3)
            for number in range(start, start + count)
        ]
    )
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Verein {network.slug}", slug=f"verein-{network.slug}") for network in networks]
    )
    Membership.objects.bulk_create(
        [
            Membership(network=network, organisation=organisation)
            for network, organisation in zip(networks, organisations, strict=True)
        ]
    )
    return networks


def queries(client, url, data=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_start_page_lists_the_first_vacant_seats_and_links_to_all(office_client):
    networks_with_vacant_seats(attention.LIST_LIMIT + 5)
    page = office_client.get(reverse("workspace:home"))
    summary = page.context["summary"]
    assert len(summary["vacant"]) == attention.LIST_LIMIT and summary["vacant_total"] == attention.LIST_LIMIT + 5
    assert [row.network.name for row in summary["vacant"]][:2] == ["Beirat 000", "Beirat 001"]
    assert (summary["vacant"][0].seats, summary["vacant"][0].filled, summary["vacant"][0].vacant) == (3, 1, 2)
    html = page.content.decode()
    assert "Beirat 024" in html and "Beirat 025" not in html
    assert reverse("workspace:networks") + "?vacant=true" in html
    # The whole list: every network with a vacant seat, and none whose seats are filled.
    full = Network.objects.create(name="Beirat voll", slug="voll", seats_members=1)
    Membership.objects.create(network=full, organisation=Organisation.objects.create(name="Voll e.V.", slug="voll"))
    listed = office_client.get(reverse("workspace:networks"), {"vacant": "true", "q": "beirat"}).context["table"]
    names = {row.record.name for row in listed.paginated_rows}
    assert "Beirat 029" in names and "Beirat voll" not in names
    assert listed.paginator.count == attention.LIST_LIMIT + 5


def test_the_start_page_counts_the_vacant_seats_of_councils_and_of_other_networks_alike(office_client):
    """The seats are counted once for the vacancies and the councils' problems: a council's seats and another
    network's with rules both count, each only its active members and deputies, and as the network list's
    filter counts them."""
    council = Network.objects.create(
        name="Ausländerbeirat A", slug="ab-a", classification=Network.Classification.COUNCIL, seats_members=4
    )
    board = Network.objects.create(name="Behindertenbeirat B", slug="bb-b", seats_members=2, seats_deputies=2)
    ended = timezone.localdate() - datetime.timedelta(days=10)
    for number, (network, role, end) in enumerate(
        [
            (council, Membership.Role.MEMBER, None),
            (council, Membership.Role.CHAIR, None),
            (council, Membership.Role.MEMBER, ended),  # left: the seat is vacant again
            (council, Membership.Role.GUEST, None),  # a guest fills no seat
            (board, Membership.Role.DEPUTY, None),
            (board, Membership.Role.MEMBER, None),
            (board, Membership.Role.MEMBER, None),
        ]
    ):
        organisation = Organisation.objects.create(name=f"Verein {number}", slug=f"verein-{number}")
        Membership.objects.create(network=network, organisation=organisation, role=role, end_date=end)
    summary = office_client.get(reverse("workspace:home")).context["summary"]
    rows = [(row.network.name, row.kind, row.seats, row.filled) for row in summary["vacant"]]
    assert rows == [("Ausländerbeirat A", "members", 4, 2), ("Behindertenbeirat B", "deputies", 2, 1)]
    listed = office_client.get(reverse("workspace:networks"), {"vacant": "true"}).context["table"]
    assert {row.record.name for row in listed.paginated_rows} == {"Ausländerbeirat A", "Behindertenbeirat B"}


def test_the_start_page_costs_the_same_queries_with_many_networks(office_client):
    """Lists longer than the page shows cost one count each (up to the cap), however long they grow."""
    networks_with_vacant_seats(attention.LIST_LIMIT + 5)
    office_client.get(reverse("workspace:home"))  # the shared base template may set itself up once
    few, _page = queries(office_client, reverse("workspace:home"))
    networks_with_vacant_seats(60, start=attention.LIST_LIMIT + 5)
    many, page = queries(office_client, reverse("workspace:home"))
    assert many == few
    vacant = page.split('id="vacant-heading"')[1].split("<section")[0]
    assert vacant.count("<tr><td>") == attention.LIST_LIMIT  # the first rows and a link to all, not 90


def test_the_start_page_counts_seats_whose_contact_was_erased(office_client, own_network, caritas, diakonie):
    erased = Person.objects.create(given_name="Ex", family_name="Kontakt")
    Person.objects.filter(pk=erased.pk).update(erased_at=timezone.now() - datetime.timedelta(days=30))
    kept = Person.objects.create(given_name="Da", family_name="Kontakt")
    Membership.objects.create(network=own_network, organisation=caritas, contact=erased)
    Membership.objects.create(network=own_network, organisation=diakonie, contact=kept)
    summary = office_client.get(reverse("workspace:home")).context["summary"]
    assert [m.organisation for m in summary["without_contact"]] == [caritas]
    assert summary["without_contact_total"] == 1


def test_the_network_list_costs_the_same_queries_with_many_networks_and_seats(office_client):
    networks_with_vacant_seats(3)
    few, _page = queries(office_client, reverse("workspace:networks"))
    few_vacant, _page = queries(office_client, reverse("workspace:networks"), {"vacant": "true"})
    networks = networks_with_vacant_seats(60, start=3)
    Membership.objects.bulk_create(
        [
            Membership(network=networks[0], organisation=Organisation.objects.create(name=f"O {n}", slug=f"o-{n}"))
            for n in range(20)
        ]
    )
    many, page = queries(office_client, reverse("workspace:networks"))
    many_vacant, _page = queries(office_client, reverse("workspace:networks"), {"vacant": "true"})
    assert (many, many_vacant) == (few, few_vacant)


def test_the_network_list_counts_open_memberships_per_network(office_client, own_network, caritas, diakonie):
    Membership.objects.create(network=own_network, organisation=caritas)
    ended = timezone.localdate() - datetime.timedelta(days=400)
    Membership.objects.create(network=own_network, organisation=diakonie, end_date=ended)
    table = office_client.get(reverse("workspace:networks"), {"q": "eigen"}).context["table"]
    assert [(row.record.name, row.record.open_memberships) for row in table.paginated_rows] == [
        ("Arbeitskreis Eigen", 1)
    ]
    # Sorted by the count as well (the subquery can be ordered by).
    assert office_client.get(reverse("workspace:networks"), {"sort": "-open_memberships"}).status_code == 200


def test_long_lists_are_counted_up_to_the_cap(office_client, monkeypatch):
    monkeypatch.setattr(attention, "COUNT_CAP", attention.LIST_LIMIT + 2)
    networks_with_vacant_seats(attention.LIST_LIMIT + 5)  # as many organisations, none confirmed
    page = office_client.get(reverse("workspace:home"))
    summary = page.context["summary"]
    assert len(summary["stale"]) == attention.LIST_LIMIT and summary["stale_total"] == attention.LIST_LIMIT + 3
    html = page.content.decode()
    assert f"Mehr als {attention.LIST_LIMIT + 2} Organisationen" in html
    assert f"Mehr als {attention.LIST_LIMIT + 2} Mitgliedschaften" in html


def councils(count, start):
    return Network.objects.bulk_create(
        [
            Network(
                name=f"Rat {number:03d}",
                slug=f"rat-{number}",
                classification=Network.Classification.COUNCIL,
                seats_members=3,
            )
            for number in range(start, start + count)
        ]
    )


def test_the_start_page_reads_the_seats_of_all_councils_without_a_list_of_their_keys(office_client):
    """A list of a thousand keys in a query takes longer to send and plan than the query takes to run."""
    councils(attention.LIST_LIMIT + 5, start=0)

    def length_of_queries():
        with CaptureQueriesContext(connection) as captured:
            assert office_client.get(reverse("workspace:home")).status_code == 200
        return sum(len(query["sql"]) for query in captured)

    before = length_of_queries()
    councils(100, start=100)
    assert length_of_queries() < before + 100


def councils_with_an_unpaired_deputy(count):
    """``count`` councils with a deputy seat each, held by a deputy who stands in for no member: one problem each."""
    held = councils(count, start=0)
    Network.objects.filter(pk__in=[council.pk for council in held]).update(seats_deputies=1)
    deputies = Organisation.objects.bulk_create(
        [Organisation(name=f"Gemeinde {council.slug}", slug=f"gemeinde-{council.slug}") for council in held]
    )
    Membership.objects.bulk_create(
        [
            Membership(network=council, organisation=deputy, role=Membership.Role.DEPUTY)
            for council, deputy in zip(held, deputies, strict=True)
        ]
    )


def test_composition_problems_and_duplicates_are_counted_up_to_the_cap(office_client, monkeypatch):
    """Thousands of problems at nation scale: the start page works them out council by council and stops
    one past the cap, as it counts its other long lists."""
    cap = attention.LIST_LIMIT + 2
    monkeypatch.setattr(attention, "COUNT_CAP", cap)
    councils_with_an_unpaired_deputy(cap + 5)
    pairs = Organisation.objects.bulk_create(
        [Organisation(name=f"Träger {number:03d}", slug=f"traeger-{number}") for number in range(2 * (cap + 3))]
    )
    Suggestion.objects.bulk_create(
        [
            Suggestion(first=first, second=second, score=0.9)
            for first, second in zip(pairs[::2], pairs[1::2], strict=True)
        ]
    )
    page = office_client.get(reverse("workspace:home"))
    summary = page.context["summary"]
    assert len(summary["composition"]) == attention.LIST_LIMIT and summary["composition_total"] == cap + 1
    assert summary["composition"][0][0].name == "Rat 000"
    assert summary["composition"][0][1].code == "deputy_unpaired"
    assert len(summary["duplicates"]) == attention.LIST_LIMIT and summary["duplicates_total"] == cap + 1
    html = page.content.decode()
    assert f"Die ersten {attention.LIST_LIMIT} von mehr als {cap} Problemen" in html
    assert f"Mehr als {cap} Paare von Einträgen" in html and "Alle Vorschläge prüfen" in html


def test_a_council_page_lists_all_of_its_problems(office_client):
    """The cap is the start page's: ``flags_of`` still works out every council it is given."""
    held = councils(3, start=0)
    Network.objects.filter(pk__in=[council.pk for council in held]).update(seats_deputies=1)
    sent = Organisation.objects.bulk_create(
        [Organisation(name=f"Gemeinde {number}", slug=f"gemeinde-{number}") for number in range(2)]
    )
    Membership.objects.bulk_create(
        [Membership(network=held[0], organisation=organisation, role=Membership.Role.DEPUTY) for organisation in sent]
    )
    found = composition.flags_of(Network.objects.filter(pk__in=[council.pk for council in held]))
    assert [len(found[council.pk]) for council in held] == [3, 0, 0]  # two unpaired deputies, over the seats


def test_filled_seats_are_counted_right_in_a_query_joined_with_another_relation(own_network, caritas, diakonie):
    """``with_filled_seats`` (the start page, the network list's filter) counts each network's seats on its
    own: a query that reaches the networks through their topics does not count a seat once per topic."""
    topics = [Topic.objects.create(name=name, slug=name.lower()) for name in ("Arbeit", "Bildung")]
    own_network.topics.set(topics)
    Membership.objects.create(network=own_network, organisation=caritas)
    Membership.objects.create(network=own_network, organisation=diakonie, role=Membership.Role.DEPUTY)
    through_topics = Network.objects.filter(topics__in=topics, pk=own_network.pk)
    counted = composition.with_filled_seats(through_topics).values_list("members_filled", "deputies_filled")
    assert list(counted) == [(1, 1), (1, 1)]  # one row per topic, each with the network's seats
    assert list(composition.with_vacant_seats(through_topics).values_list("pk", flat=True)) == 2 * [own_network.pk]


def test_the_start_page_counts_a_councils_seats_in_its_current_term(office_client):
    """The seats of the councils' current terms, against the term's own rule (the start page counts them
    apart from the seats in any term, which its vacancies compare with the network's rule)."""
    kab = make_kab(seats=9, deputies=None, name="Kreisausländerbeirat Terms")
    earlier = make_term(kab, datetime.date(2015, 1, 1), timezone.localdate() - datetime.timedelta(days=1000))
    term = current_term(kab, seats_members=2)
    delegate(kab, earlier, end_date=earlier.end_date)  # ended with its term: fills no seat today
    delegate(kab, term)
    delegate(kab, term)
    delegate(kab, term, over_seats_reason="Nachrücker bis zur Nachwahl")
    summary = office_client.get(reverse("workspace:home")).context["summary"]
    problems = [(network.pk, flag.code, flag.message) for network, flag in summary["composition"]]
    assert [(pk, code) for pk, code, _message in problems] == [(kab.pk, "over_seats")]
    assert "3" in problems[0][2] and "2" in problems[0][2] and "Nachrücker bis zur Nachwahl" in problems[0][2]
    rows = [(row.network.pk, row.kind, row.seats, row.filled) for row in summary["vacant"]]
    assert rows == [(kab.pk, "members", 9, 3)]


def test_the_start_page_makes_seats_only_of_the_councils_it_reaches(office_client, monkeypatch):
    """Thousands of seats may carry a problem at nation scale; the start page stops one past the cap and makes
    the seats of the councils before it only, not of every council."""
    cap = attention.LIST_LIMIT + 2
    monkeypatch.setattr(attention, "COUNT_CAP", cap)
    councils_with_an_unpaired_deputy(3 * cap)
    made = []
    seat = composition.Seat

    def counting(*args, **kwargs):
        made.append(args)
        return seat(*args, **kwargs)

    monkeypatch.setattr(composition, "Seat", counting)
    summary = office_client.get(reverse("workspace:home")).context["summary"]
    assert summary["composition_total"] == cap + 1
    assert len(made) == cap + 1  # one unpaired deputy in each council reached, not 3 × cap
