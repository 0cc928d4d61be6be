"""Overlap between networks: hand-computed values on the county's seed, and the pure functions."""

import datetime
from fractions import Fraction
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from analysis import overlap
from register import freshness
from register.models import (
    ActorGroup,
    Body,
    Membership,
    Municipality,
    Network,
    NetworkHost,
    Organisation,
    Person,
    Topic,
)

# Literal dates below: the clock is pinned to tests.conftest.FIXED_DAY (time-machine) for every test here.
pytestmark = pytest.mark.usefixtures("fixed_day")


@pytest.fixture(autouse=True)
def english():
    """The reasons are compared in the source language."""
    with translation.override("en"):
        yield


def profiles_by_slug(**kwargs):
    return {profile.network.slug: profile for profile in overlap.network_profiles(**kwargs)}


def test_jaccard_is_exact_and_zero_for_nothing():
    assert overlap.jaccard({1, 2, 3}, {2, 3, 4}) == Fraction(2, 4)
    assert overlap.jaccard({1}, {1}) == 1
    assert overlap.jaccard(set(), set()) == 0
    assert overlap.jaccard({1}, set()) == 0


def test_compare_counts_units_as_their_organisation():
    first = overlap.NetworkProfile(
        network=None,
        members={("organisation", 2): "Verein - Beratung", ("organisation", 5): "Schule"},
        actors={("organisation", 1): "Verein", ("organisation", 5): "Schule"},
        topics={1: "Migration", 2: "Gesundheit"},
        focus_areas={"vernetzung": "Vernetzung"},
    )
    second = overlap.NetworkProfile(
        network=None,
        members={("organisation", 1): "Verein", ("actor_group", 9): "Religionsgemeinschaften"},
        actors={("organisation", 1): "Verein", ("actor_group", 9): "Religionsgemeinschaften"},
        topics={1: "Migration"},
        focus_areas={"vernetzung": "Vernetzung", "fortbildung": "Fortbildung"},
    )
    result = overlap.compare(first, second)
    assert result.shared_members == []
    assert result.member_jaccard == 0
    assert result.shared_actors == ["Verein"]
    assert result.actor_jaccard == Fraction(1, 3)
    assert result.only_first == ["Schule"]
    assert result.only_second == ["Religionsgemeinschaften"]
    assert result.shared_topics == ["Migration"]
    assert result.topic_jaccard == Fraction(1, 2)
    assert result.shared_focus_areas == ["Vernetzung"]


def test_mila_and_mige_on_the_seed(demo):
    profiles = profiles_by_slug()
    mila, mige = profiles["mila"], profiles["mige"]
    # MiLa: 22 organisations and one actor group, each its own top organisation.
    assert len(mila.members) == 23
    assert len(mila.actors) == 23
    # MiGe: 27 organisations; the two units of Der PARITÄTISCHE count once by organisation.
    assert len(mige.members) == 27
    assert len(mige.actors) == 26
    result = overlap.compare(mila, mige)
    # As entered, "Frauen helfen Frauen e.V." sits in both, and the Sozialkritischer Arbeitskreis, which
    # the page writes twice and the office's decision made one entry: 2 / (23 + 27 - 2).
    assert result.shared_members == ["Frauen helfen Frauen e.V.", "Sozialkritischer Arbeitskreis Darmstadt e.V."]
    assert result.member_jaccard == Fraction(2, 48)
    # By organisation each actor counts once: the DRK (its Migrationsdienst in MiLa, the Kreisverband
    # in MiGe), and the near-duplicates the office decided are one actor (Caritas, Diakonie).
    assert result.shared_actors == [
        "Caritasverband Darmstadt e.V.",
        "Deutsches Rotes Kreuz Kreisverband Darmstadt Stadt e.V.",
        "Diakonisches Werk Darmstadt-Dieburg",
        "Frauen helfen Frauen e.V.",
        "Sozialkritischer Arbeitskreis Darmstadt e.V.",
    ]
    assert result.actor_jaccard == Fraction(5, 44)
    assert not any("Caritas" in name or "Sozialkritischer" in name for name in result.only_first + result.only_second)
    assert "Diakonisches Werk Hessen" in result.only_second  # another Diakonisches Werk: apart
    assert result.shared_topics == ["Migration"]
    assert result.topic_jaccard == Fraction(1, 2)
    assert result.shared_focus_areas == []


def test_matrix_on_the_seed(demo):
    rows = overlap.matrix(overlap.network_profiles())
    assert len(rows) == Network.objects.count() == 7
    table = {(row.network.slug, cell.other.network.slug): cell for row, cells in rows for cell in cells}
    assert table["mila", "mige"].shared == table["mige", "mila"].shared == 5
    assert table["mila", "mige"].jaccard == Fraction(5, 44)
    assert table["mila", "mige"].shared_topics == 1
    assert table["mila", "fachbeirat-flucht-und-integration"].shared == 0
    assert table["mila", "mila"].is_self
    assert table["mila", "mila"].jaccard == 1
    # Networks without members share nothing, and their index is 0, not an error.
    assert table["kreisauslaenderbeirat-im-ladadi", "inklusionsforum-im-ladadi"].jaccard == 0


def test_a_person_counts_for_the_organisation_they_sit_for(demo):
    mila = Network.objects.get(slug="mila")
    fachbeirat = Network.objects.get(slug="fachbeirat-flucht-und-integration")
    vhs = Organisation.objects.get(name="Volkshochschule Landkreis Darmstadt-Dieburg")
    person = Person.objects.create(given_name="Erika", family_name="Muster")
    Membership.objects.create(network=fachbeirat, person=person, on_behalf_of=vhs)
    Membership.objects.create(network=fachbeirat, person=Person.objects.create(family_name="Ohne"))
    result = overlap.overlap_between(mila, fachbeirat)
    assert result.shared_actors == ["Volkshochschule Landkreis Darmstadt-Dieburg"]
    assert "Erika" not in str(result.only_second)
    assert len(result.second.actors) == 14 + 1


def test_ended_memberships_do_not_count_today_but_did_then(demo):
    fhf = Membership.objects.get(network__slug="mila", organisation__name="Frauen helfen Frauen e.V.")
    today = timezone.localdate()
    fhf.start_date = today - datetime.timedelta(days=5 * 365)
    fhf.end_date = today - datetime.timedelta(days=365)
    fhf.save()
    mila, mige = Network.objects.get(slug="mila"), Network.objects.get(slug="mige")
    assert overlap.overlap_between(mila, mige).shared_members == ["Sozialkritischer Arbeitskreis Darmstadt e.V."]
    then = overlap.overlap_between(mila, mige, on=today - datetime.timedelta(days=2 * 365))
    assert then.shared_members == ["Frauen helfen Frauen e.V.", "Sozialkritischer Arbeitskreis Darmstadt e.V."]


def test_profiles_take_a_constant_number_of_queries(demo, django_assert_num_queries):
    # Networks, topics, focus areas, the member organisations, those above them, memberships.
    with django_assert_num_queries(6):
        overlap.network_profiles()
    network = Network.objects.create(name="Runder Tisch Sprache", slug="runder-tisch-sprache")
    group = ActorGroup.objects.create(name="Sprachkursträger", slug="sprachkurstraeger")
    Membership.objects.create(network=network, actor_group=group)
    for number in range(5):
        parent = Organisation.objects.create(name=f"Träger {number}", slug=f"traeger-{number}")
        unit = Organisation.objects.create(name="Sprachkurs", slug=f"sprachkurs-{number}", parent=parent)
        Membership.objects.create(network=network, organisation=unit)
    network.topics.add(Topic.objects.create(name="Sprache", slug="sprache"))
    with django_assert_num_queries(6):
        profiles = profiles_by_slug()
    assert len(profiles["runder-tisch-sprache"].actors) == 6


@pytest.fixture
def topics(demo):
    return {topic.name: topic.pk for topic in Topic.objects.all()}


def reasons_by_slug(found):
    return {item.network.slug: item.reasons for item in found}


def test_similar_name_is_found_and_a_different_one_is_not(demo):
    found = reasons_by_slug(overlap.similar_networks("Arbeitskreis Gesundheit und Migration"))
    assert list(found) == ["mige"]
    assert "similar name" in str(found["mige"][0])
    assert overlap.similar_networks("Arbeitskreis Sport im Verein") == []
    # The short name alone is enough.
    assert list(reasons_by_slug(overlap.similar_networks("Neuer KAB"))) == ["kreisauslaenderbeirat-im-ladadi"]


def test_similar_purpose(demo):
    found = reasons_by_slug(
        overlap.similar_networks("Fachrunde", purpose="Austausch der Fachkräfte in der Migrationsarbeit")
    )
    assert list(found) == ["mila"]
    assert "austausch, fachkräfte, migrationsarbeit" in str(found["mila"][0])


def test_similar_topics(topics):
    found = reasons_by_slug(
        overlap.similar_networks("Gesprächsrunde", topic_ids=[topics["Gesundheit"], topics["Migration"]])
    )
    # MiGe has exactly these topics (index 1), MiLa one of two (1/2); KAB 1/3 stays below the bar.
    assert set(found) == {"mige", "mila"}
    assert "Gesundheit, Migration" in str(found["mige"][0])


def test_similar_members_count_units_as_their_organisation(demo):
    drk_unit = Organisation.objects.get(name="Migrationsdienst", parent__short_name="DRK")
    fhf = Organisation.objects.get(name="Frauen helfen Frauen e.V.")
    found = overlap.similar_networks("Gesprächsrunde", organisation_ids=[drk_unit.pk, fhf.pk])
    assert reasons_by_slug(found) == {
        "mige": ["2 of the proposed 2 members already sit there"],
        "mila": ["2 of the proposed 2 members already sit there"],
    }


def test_similar_networks_ranks_by_reasons_and_can_exclude(topics):
    found = overlap.similar_networks(
        "Arbeitskreis Migration und Gesundheit",
        purpose="Arbeitskreis zu Migration und Gesundheit von Landkreis und Stadt",
        topic_ids=[topics["Gesundheit"], topics["Migration"]],
    )
    assert [(item.network.slug, item.reasons) for item in found] == [
        (
            "mige",
            [
                "a similar name (100 % alike)",
                "a similar purpose (shared words: gesundheit, migration, stadt)",
                "the same topics (Gesundheit, Migration)",
            ],
        ),
        ("mila", ["the same topics (Migration)"]),
    ]
    mige = Network.objects.get(slug="mige")
    assert "mige" not in reasons_by_slug(
        overlap.similar_networks("Arbeitskreis Migration und Gesundheit", exclude=mige)
    )


def similar_queries(**kwargs):
    with CaptureQueriesContext(connection) as context:
        found = overlap.similar_networks("Gesprächsrunde Migration", purpose="Austausch", **kwargs)
    return found, [query["sql"] for query in context.captured_queries]


def test_similar_networks_take_the_same_queries_and_read_only_the_proposed_seats_as_the_register_grows(demo):
    """The seats of the proposed organisations are looked up by the organisations' indexes (a subquery
    over organisations made the database read every seat of the country: two seconds), and all seats
    of a network only where the proposed members make up enough of it."""
    drk_unit = Organisation.objects.get(name="Migrationsdienst", parent__short_name="DRK")
    fhf = Organisation.objects.get(name="Frauen helfen Frauen e.V.")
    new = Organisation.objects.bulk_create(Organisation(name=f"Neu {n}", slug=f"neu-{n}") for n in range(2))
    migration = Topic.objects.get(name="Migration")
    proposed = {"topic_ids": [migration.pk], "organisation_ids": [drk_unit.pk, fhf.pk, *(org.pk for org in new)]}
    found, before = similar_queries(**proposed)
    assert reasons_by_slug(found)["mige"][-1] == "2 of the proposed 4 members already sit there"
    others = Organisation.objects.bulk_create(Organisation(name=f"Verein {n}", slug=f"verein-{n}") for n in range(60))
    for copy in range(30):
        network = Network.objects.create(name=f"Runde {copy}", slug=f"runde-{copy}", purpose="Austausch")
        network.topics.add(migration)
        seats = [Membership(network=network, organisation=org) for org in others[copy : copy + 20]]
        Membership.objects.bulk_create([*seats, Membership(network=network, organisation=fhf)])
    found, after = similar_queries(**proposed)
    assert len(after) == len(before)
    assert reasons_by_slug(found)["runde-0"] == ["the same topics (Migration)"]  # 1 of 4 members: no reason
    candidates = next(sql for sql in after if "register_network_topics" in sql and 'FROM "register_network"' in sql)
    assert 'FROM "register_organisation"' not in candidates
    # 1 of 4 proposed members can make no Jaccard index of 3/10: no network's seats are all read.
    assert not [sql for sql in before + after if '"register_membership"."actor_group_id"' in sql]


def test_similar_networks_takes_a_constant_number_of_queries(demo, django_assert_num_queries):
    # The proposed organisations (and one more for those above them if any), the candidates' keys, their
    # rows with their topics, the units below the proposed organisations (one query however deep), their seats; where
    # some resemble: the municipalities named, the networks returned, and the funded municipalities and
    # hosts only if some could be shared (here the hosts).
    # The demo's first records by key (on PostgreSQL the keys do not start at 1 in every test).
    topics = list(Topic.objects.order_by("pk").values_list("pk", flat=True)[:3])
    organisations = list(Organisation.objects.order_by("pk").values_list("pk", flat=True)[:4])
    body = Body.objects.order_by("pk").values_list("pk", flat=True)[0]
    with django_assert_num_queries(7):
        overlap.similar_networks(
            "Arbeitskreis", purpose="Austausch", topic_ids=topics[:1], organisation_ids=organisations[:2]
        )
    with django_assert_num_queries(8):
        overlap.similar_networks(
            "Arbeitskreis", purpose="Austausch", topic_ids=topics, organisation_ids=organisations, hosts=[(body, "x")]
        )


def unit_chain(top, depth, prefix):
    """``depth`` units below ``top``, each a unit of the one before: the deepest last."""
    chain = [top]
    for level in range(depth):
        chain.append(Organisation.objects.create(name=f"{prefix} {level}", slug=f"{prefix}-{level}", parent=chain[-1]))
    return chain[1:]


@pytest.mark.parametrize("depth", [1, 6])
def test_similar_networks_take_the_same_queries_however_deep_the_units_go(db, depth):
    """The units below the proposed organisations and the organisations above them are read in one
    query each (``register.tree``), not one per level."""
    top = Organisation.objects.create(name="Träger", slug="traeger")
    other = Organisation.objects.create(name="Verein", slug="verein")
    deepest = unit_chain(top, depth, "dienst")[-1]
    proposed = unit_chain(Organisation.objects.create(name="Verband", slug="verband"), depth, "stelle")[-1]
    network = Network.objects.create(name="Runde", slug="runde")
    Membership.objects.bulk_create(
        [Membership(network=network, organisation=deepest), Membership(network=network, organisation=proposed)]
    )
    with CaptureQueriesContext(connection) as context:
        found = overlap.similar_networks("Gesprächskreis", organisation_ids=[top.pk, proposed.pk, other.pk])
    # Below the proposed top organisation sits its deepest unit; the proposed unit counts as its top.
    assert reasons_by_slug(found) == {"runde": ["2 of the proposed 3 members already sit there"]}
    # The proposed organisations, those above them, the candidates' keys and rows, the units below, their
    # seats, the municipalities named and the network returned: as many at a depth of 6 as at 1.
    assert len(context.captured_queries) == 8


def test_a_municipality_is_named_once_where_several_have_its_name(db):
    """At nation scale several municipalities share a name (seven called "Felsau"): the reason names
    it once."""
    for n in range(3):
        county = Body.objects.create(name=f"Kreis {n}", slug=f"kreis-{n}")
        Municipality.objects.create(name="Felsau", slug=f"felsau-{n}", ags=f"0000000{n}", county=county)
    Network.objects.create(name="Arbeitskreis Felsau Integration", slug="felsau", purpose="Austausch")
    found = overlap.similar_networks("Arbeitskreis Integration Felsau", purpose="Austausch")
    assert [str(reason) for reason in found[0].reasons] == [
        "a similar name (100 % alike)",
        'the same municipalities (<span lang="de">Felsau</span>)',
    ]


def test_the_municipalities_a_text_may_name_are_read_by_the_first_word_of_their_names(db):
    """The database keeps each name's first word folded (case, umlauts and ß aside) with an index; only
    the municipalities whose name starts with a word of the text are read, and the text decides."""
    county = Body.objects.create(name="Kreis", slug="kreis")
    names = ["Bad Müllingen", "Müllingen", "Obermüllingen", "Äßlingen am See", "Felsau"]
    for n, name in enumerate(names):
        Municipality.objects.create(name=name, slug=f"ort-{n}", ags=f"0000000{n}", county=county)
    first_words = dict(Municipality.objects.values_list("name", "first_word"))
    assert first_words["Bad Müllingen"] == "bad"
    assert first_words["Äßlingen am See"] == "aesslingen"
    assert first_words["Felsau"] == "felsau"
    read = overlap._municipalities_in("Treffen in BAD MÜLLINGEN, Äßlingen-Nord und Felsau")
    assert sorted(read.values()) == ["Bad Müllingen", "Felsau", "Müllingen"]
    felsau = Municipality.objects.get(name="Felsau").pk
    assert sorted(overlap._municipalities_in("Treffen", [felsau]).values()) == ["Felsau"]
    Network.objects.create(name="Runde Müllingen", slug="runde", purpose="Austausch")
    found = overlap.similar_networks("Runde in Bad Müllingen", purpose="Austausch")
    assert [str(reason) for reason in found[0].reasons][-1] == (
        'the same municipalities (<span lang="de">Müllingen</span>)'
    )


def test_a_purpose_that_names_another_municipality_renews_the_similar_networks_everywhere(db):
    """A municipality named in a purpose is a reason of resemblance: the pages of all networks are
    renewed when the municipalities named change, not when only other words do."""
    county = Body.objects.create(name="Kreis", slug="kreis")
    Municipality.objects.create(name="Bad Felsau", slug="bad-felsau", ags="00000001", county=county)
    network = Network.objects.create(name="Runde", slug="runde", purpose="Austausch")
    renewed = []  # per save: the tags renewed
    with mock.patch.object(freshness, "touch", side_effect=lambda *tags, **_: renewed[-1].update(tags)):
        for purpose in [
            "Austausch der Fachkräfte",
            "Austausch der Fachkräfte in Bad Felsau",
            "Fachkräfte in Bad Felsau",
        ]:
            network = Network.objects.get(pk=network.pk)
            network.purpose = purpose
            renewed.append(set())
            network.save()
    assert [freshness.SIMILARITY in tags for tags in renewed] == [False, True, False]


def plan(sql, params):
    """PostgreSQL's plan for a query when it would rather not read whole tables."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
def test_the_words_of_names_and_purposes_and_the_first_words_of_municipalities_are_looked_up_by_indexes(db):
    """Where few networks share a word, the database found them by testing every network (nation: 45 ms
    for a network with words of its own): the lookups are written as the indexes are (``icontains``, an
    upper-case short name, the first word of a municipality's name)."""
    textual = Network.objects.filter(overlap._sharing_words("Netzwerk Frühe Hilfen (FH)", "Familienhebammen"))
    sql = plan(*textual.order_by().values("pk").query.sql_with_params())
    assert {"network_name_trgm", "network_purpose_trgm", "network_short_name_upper"} <= set(
        sql.replace("(", " ").split()
    )
    named = Municipality.objects.filter(first_word__in=["bad", "felsau"]).values("pk", "name")
    assert "register_municipality_first_word" in plan(*named.query.sql_with_params())


def test_a_host_is_named_once_where_two_bodies_host_with_the_same_unit(db):
    bodies = [Body.objects.create(name=f"Kreis {n}", slug=f"kreis-{n}") for n in range(2)]
    network = Network.objects.create(name="Arbeitskreis Integration", slug="integration")
    NetworkHost.objects.bulk_create(NetworkHost(network=network, body=body, unit="Fachstelle") for body in bodies)
    found = overlap.similar_networks("Arbeitskreis Integration", hosts=[(body.pk, "Fachstelle") for body in bodies])
    assert [str(reason) for reason in found[0].reasons] == [
        "a similar name (100 % alike)",
        'the same host (<span lang="de">Fachstelle</span>)',
    ]


def test_a_purpose_of_many_words_renews_the_pages_of_long_purposes_by_their_count_capped():
    """A network page depends on its purpose's words with their count (at most ``COUNTED_WORDS_MAX``); a
    purpose of 20 words that gains one renews the pages longer than 20 words, which count as 16."""
    old = {f"thema{number}" for number in range(20)}
    tags = overlap._resembling_purposes(old, old | {"sprachkurse"})
    long_page = overlap.similarity_tags(Network(name="Forum", purpose=" ".join(sorted(old)) + " wohnen arbeit"))
    assert freshness.purpose_word("thema1", overlap.COUNTED_WORDS_MAX) in long_page & tags
    # 15 words: its share was of its own 15 words before and after, and it holds no new word.
    assert not {freshness.purpose_word(word, 15) for word in old} & tags
    assert {freshness.purpose_word("sprachkurse", count) for count in (3, 15, 16)} <= tags
    # Fewer than three words: no purpose resembles it, so it depends on none.
    assert not any(
        tag.startswith("purpose-word:") for tag in overlap.similarity_tags(Network(purpose="Wohnen, Arbeit"))
    )
