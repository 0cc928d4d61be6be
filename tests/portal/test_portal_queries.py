"""Every public page runs the same small number of queries at 10 and at 100 times the seed."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from portal import indexing
from register import deferred
from register.models import (
    ActorGroup,
    Body,
    Category,
    Event,
    FocusArea,
    Membership,
    Network,
    NetworkHost,
    Organisation,
    Person,
    Topic,
)

# The most queries a page may run, whatever the size of the register (the site identity comes from the cache).
LIMITS = {
    "home": 3,
    "directory": 6,  # the focus areas, count, page, hosts with their bodies, authorities, topics
    "directory filtered": 8,
    "network": 19,  # 9 for the similar networks (analysis.overlap.similar_networks; the organisations above
    # the members and the units below their top organisations one query each, however deep), 1 for where it sits
    # if it is an organisation itself, 3 for its upcoming events, past events and public meetings
    "organisation": 6,
    "search": 12,  # on PostgreSQL, 2 open and close the savepoint the trigram search runs in
    "filter": 14,
    "event": 2,  # the event, and its public documents
    "privacy": 2,  # the page, and its translations (the English page is measured)
}
# In another language, a page reads the translations of everything it shows with one more query, and
# each filter that lists texts staff write (topics, focus areas) one more for their translations.
TRANSLATED = {"home": 1, "directory": 3, "directory filtered": 3, "network": 1, "organisation": 1, "search": 2}
TRANSLATED |= {"filter": 2, "event": 1, "privacy": 0}
SEED_NETWORKS, SEED_ORGANISATIONS = 7, 64
DIRECTORY_FILTERS = "body=landkreis-darmstadt-dieburg&kind=other&topic=gesundheit&focus=Austausch&sort=newest&page=2"


def grow(start, stop):
    """Add copies start..stop-1 of a seed-sized register, hung on MiGe and Der PARITÄTISCHE."""
    big = Network.objects.get(short_name="MiGe")
    root = Organisation.objects.get(name="Der PARITÄTISCHE")
    body = Body.objects.get(short_name="LaDaDi")
    topic = Topic.objects.get(name="Gesundheit")
    categories = [value for value, _label in Category.choices]
    with deferred.gathered():  # as an import: MiGe's search entry rewritten once, not after each copy
        add_copies(range(start, stop), big, root, body, topic, categories)
    # bulk_create sends no signals: the search table takes the new rows in, as bulk writers must.
    indexing.catch_up()


def add_copies(copies, big, root, body, topic, categories):
    for copy in copies:
        networks = Network.objects.bulk_create(
            Network(name=f"Netzwerk {copy}-{n}", slug=f"netzwerk-{copy}-{n}", purpose="Austausch", position=100 + n)
            for n in range(SEED_NETWORKS)
        )
        Network.topics.through.objects.bulk_create(
            Network.topics.through(network_id=network.pk, topic_id=topic.pk) for network in networks
        )
        NetworkHost.objects.bulk_create(NetworkHost(network=network, body=body, unit="Büro") for network in networks)
        FocusArea.objects.bulk_create(FocusArea(network=network, name="Austausch") for network in networks)
        FocusArea.objects.create(network=big, name=f"Schwerpunkt {copy}", position=copy)
        parents = Organisation.objects.bulk_create(
            Organisation(
                name=f"Träger {copy}-{n}", slug=f"traeger-{copy}-{n}", category=categories[n % len(categories)]
            )
            for n in range(SEED_ORGANISATIONS // 2)
        )
        units = Organisation.objects.bulk_create(
            Organisation(name=f"Dienst {copy}-{n}", slug=f"dienst-{copy}-{n}", parent=root if n % 2 else parent)
            for n, parent in enumerate(parents)
        )
        members = parents + units
        Membership.objects.bulk_create(
            [Membership(network=big, organisation=org) for org in members]
            + [Membership(network=networks[n % SEED_NETWORKS], organisation=org) for n, org in enumerate(members)]
        )
        group = ActorGroup.objects.create(name=f"Akteursgruppe {copy}", slug=f"akteursgruppe-{copy}")
        consent = {"consent_to_publish": True, "consent_recorded_at": timezone.now()}
        people = Person.objects.bulk_create(
            Person(given_name="Vorname", family_name=f"Name {copy}-{n}", function="Beratung", **(consent if n else {}))
            for n in range(2)
        )
        Membership.objects.bulk_create(
            [Membership(network=big, actor_group=group)]
            + [Membership(network=big, person=person, on_behalf_of=root) for person in people]
        )
        start_at = timezone.now() + dt.timedelta(days=copy + 1)
        Event.objects.create(
            title=f"Termin {copy}",
            slug=f"termin-{copy}",
            network=big,
            start=start_at,
            end=start_at + dt.timedelta(hours=2),
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries), response


def measure(client, prefix=""):
    """Queries of each page in German (no prefix) or in another language ("/en")."""
    with translation.override("de"):
        paritaetische = Organisation.objects.get(name="Der PARITÄTISCHE").get_absolute_url()
    return {
        "home": count_queries(client, f"{prefix}/")[0],
        "directory": count_queries(client, f"{prefix}/netzwerke/?page=2")[0],
        "directory filtered": count_queries(client, f"{prefix}/netzwerke/?{DIRECTORY_FILTERS}")[0],
        "network": count_queries(client, f"{prefix}/netzwerke/mige/")[0],
        "organisation": count_queries(client, f"{prefix}{paritaetische}")[0],
        "search": count_queries(client, f"{prefix}/suche/?q=Dienst+Paritaetisch")[0],
        "filter": count_queries(client, f"{prefix}/suche/?q=&kind=working_group&topic=gesundheit&category=welfare")[0],
        "event": count_queries(client, f"{prefix}/veranstaltungen/termin-0/")[0],
        "privacy": count_queries(client, "/en/datenschutz/")[0],
    }


def test_public_pages_run_constant_queries_at_10x_and_100x_the_seed(client, demo, django_assert_max_num_queries):
    grow(0, 10)
    at_10x, english_at_10x = measure(client), measure(client, "/en")
    grow(10, 100)
    assert Organisation.objects.count() > 100 * SEED_ORGANISATIONS
    at_100x, english_at_100x = measure(client), measure(client, "/en")
    assert at_10x == at_100x
    assert english_at_10x == english_at_100x
    for page, count in at_100x.items():
        assert count <= LIMITS[page], f"{page}: {count} queries"
        assert english_at_100x[page] <= LIMITS[page] + TRANSLATED[page], f"{page} in English: {english_at_100x[page]}"
    with django_assert_max_num_queries(LIMITS["network"] + TRANSLATED["network"]):
        _count, response = count_queries(client, "/en/netzwerke/mige/")
    html = response.content.decode()
    assert "Dienst 99-31" in html and "Akteursgruppe 99" in html and "Vorname Name 99-1" in html
    assert "Name 99-0" not in html  # no consent


def test_the_network_page_runs_the_same_queries_however_deep_its_members_units_go(client, demo):
    """Units of units: the organisations above the members and the units below their top organisations
    (for the similar networks) are read in one query each, not one per level."""
    mige = Network.objects.get(short_name="MiGe")
    root = Organisation.objects.get(name="Der PARITÄTISCHE")

    def member_at_depth(depth, prefix):
        unit = root
        for level in range(depth):
            unit = Organisation.objects.create(name=f"{prefix} {level}", slug=f"{prefix}-{level}", parent=unit)
        Membership.objects.create(network=mige, organisation=unit)
        other = Network.objects.create(name=f"Runde {prefix}", slug=f"runde-{prefix}", purpose="Austausch")
        Membership.objects.create(network=other, organisation=unit)

    member_at_depth(1, "flach")
    shallow, _response = count_queries(client, "/netzwerke/mige/")
    member_at_depth(6, "tief")
    deep, response = count_queries(client, "/netzwerke/mige/")
    assert "tief 5" in response.content.decode()
    assert deep == shallow <= LIMITS["network"]


def test_the_organisation_page_reads_its_units_in_one_query_however_deep_they_go(client, demo):
    root = Organisation.objects.get(name="Der PARITÄTISCHE")

    def units(depth, prefix):
        unit = root
        for level in range(depth):
            unit = Organisation.objects.create(name=f"{prefix} {level}", slug=f"{prefix}-{level}", parent=unit)
        return unit

    units(1, "flach")
    shallow, _response = count_queries(client, f"/organisationen/{root.slug}/")
    units(5, "tief")
    archived = units(1, "archiviert")
    archived.archived_at = timezone.now()
    archived.save()
    Organisation.objects.create(name="Unter Archiviert", slug="unter-archiviert", parent=archived)
    deep, response = count_queries(client, f"/organisationen/{root.slug}/")
    html = response.content.decode()
    assert "tief 4" in html and "archiviert 0" not in html and "Unter Archiviert" not in html
    assert deep == shallow <= LIMITS["organisation"]


def test_the_organisation_page_names_its_networks_and_people_without_a_query_for_any(client, demo):
    """The seats are read with their networks and persons in one query, however many the page lists."""
    organisation = Organisation.objects.create(name="Beratungsstelle Nord", slug="beratungsstelle-nord")
    networks = list(Network.objects.order_by("pk")[:4])
    Membership.objects.create(network=networks[0], organisation=organisation)
    few, _response = count_queries(client, f"/organisationen/{organisation.slug}/")
    person = Person.objects.create(
        given_name="Erika", family_name="Beispiel", consent_to_publish=True, consent_recorded_at=timezone.now()
    )
    for network in networks[1:]:
        Membership.objects.create(network=network, organisation=organisation)
        Membership.objects.create(network=network, person=person, on_behalf_of=organisation)
    many, response = count_queries(client, f"/organisationen/{organisation.slug}/")
    html = response.content.decode()
    assert many == few
    assert all(f'href="{network.get_absolute_url()}"' in html for network in networks)
    assert "Erika Beispiel" in html
