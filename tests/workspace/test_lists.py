"""The staff lists: paging, sorting, filters, folded search, constant queries, accessible tables."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from register.filters import MembershipFilter, OrganisationFilter
from register.models import ActorGroup, ChangeRecord, Membership, Network, Organisation, Person


@pytest.fixture
def office_client(client, office):
    client.force_login(office)
    return client


def many_organisations(count):
    parent = Organisation.objects.create(name="Caritasverband Darmstadt e.V.", slug="caritas-parent")
    organisations = [
        Organisation(name=f"Beratungsstelle {index:03d}", slug=f"stelle-{index}", parent=parent if index % 2 else None)
        for index in range(count)
    ]
    Organisation.objects.bulk_create(organisations)
    return parent


def test_organisations_paged_and_sorted(office_client):
    many_organisations(120)
    url = reverse("workspace:organisations")
    first = office_client.get(url).content.decode()
    assert "121 Einträge – Seite 1 von 3" in first and "Filter anwenden" in first and "Nächste Seite" in first
    assert 'aria-sort="ascending"' not in first  # no sort asked for: the default order, no claim
    assert "<caption>Organisationen" in first and '<th scope="col">' in first and '<th scope="row">' in first
    last = office_client.get(url, {"sort": "-name", "page": 1}).content.decode()
    assert 'aria-sort="descending"' in last
    names = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', last)
    assert names[0] == "Caritasverband Darmstadt e.V." and names[1].endswith("Beratungsstelle 119")
    assert names == sorted(names, key=lambda name: name.rsplit(" - ", 1)[-1], reverse=True)
    third = office_client.get(url, {"page": 3}).content.decode()
    assert "Seite 3 von 3" in third and 'aria-current="page"' in third


@pytest.mark.parametrize("size", [10, 120])
def test_organisation_list_queries_constant(office_client, django_assert_max_num_queries, size):
    many_organisations(size)
    with django_assert_max_num_queries(12):
        response = office_client.get(reverse("workspace:organisations"), {"q": "stelle", "sort": "category"})
    assert response.status_code == 200


def test_folded_search_ignores_case_umlauts_and_word_order(db):
    Organisation.objects.create(name="Der Paritätische Hessen", slug="pari")
    Organisation.objects.create(name="Diakonie", slug="diakonie")
    for query in ["paritaetische", "PARITÄTISCHE", "hessen paritätische"]:
        found = OrganisationFilter({"q": query}, queryset=Organisation.objects.all()).qs
        assert [o.slug for o in found] == ["pari"], query
    assert not OrganisationFilter({"q": "paritätische bayern"}, queryset=Organisation.objects.all()).qs.exists()


def test_folded_search_finds_units_by_the_words_of_their_parent(db):
    """Each word in the unit's names or its parent's: "caritas beratung" finds the unit "Beratung" of the
    Caritas, and neither another Caritas unit nor another organisation's "Beratung"."""
    caritas = Organisation.objects.create(name="Caritasverband Darmstadt e.V.", slug="caritas")
    Organisation.objects.create(name="Migrationsberatung", slug="c-beratung", parent=caritas)
    Organisation.objects.create(name="Kleiderkammer", slug="c-kammer", parent=caritas)
    diakonie = Organisation.objects.create(name="Diakonie", slug="diakonie")
    Organisation.objects.create(name="Schuldnerberatung", slug="d-beratung", parent=diakonie)
    Organisation.objects.create(name="Beratung Caritasweg", slug="elsewhere", short_name="BC")

    def found(query):
        return sorted(o.slug for o in OrganisationFilter({"q": query}, queryset=Organisation.objects.all()).qs)

    assert found("caritas migrationsberatung") == ["c-beratung"]
    assert found("caritasverband") == ["c-beratung", "c-kammer", "caritas"]
    assert found("beratung caritas") == ["c-beratung", "elsewhere"]
    assert found("diakonie kammer") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only")
def test_the_organisation_search_reads_the_folded_names_by_their_index(db):
    """A word is looked for in an organisation's names and its parent's through the index of the folded
    names; with "or" over a join to the parent, the database read every organisation (nation: 100 ms)."""
    searched = OrganisationFilter({"q": "caritas"}, queryset=Organisation.objects.all()).qs.order_by().values("pk")
    sql, params = searched.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "organisation_folded_names_trgm" in plan and "JOIN" not in sql


def test_people_filter_and_overdue(office_client, person):
    Person.objects.create(given_name="Jürgen", family_name="Öztürk", consent_to_publish=False)
    page = office_client.get(reverse("workspace:people"), {"q": "oeztuerk"}).content.decode()
    assert "Jürgen Öztürk" in page and "Okonkwo" not in page
    page = office_client.get(reverse("workspace:people"), {"q": "caritas"}).content.decode()
    assert "Okonkwo" in page and "Öztürk" not in page


def test_people_list_queries_constant(office_client, django_assert_max_num_queries, caritas):
    unit = Organisation.objects.create(name="Migrationsdienst", slug="md", parent=caritas)
    Person.objects.bulk_create([Person(family_name=f"Name {i}", organisation=unit) for i in range(80)])
    with django_assert_max_num_queries(12):
        page = office_client.get(reverse("workspace:people"), {"sort": "organisation"}).content.decode()
    assert "Caritasverband Darmstadt e.V. - Migrationsdienst" in page


def test_actor_groups_and_networks(office_client, own_network):
    ActorGroup.objects.create(name="Integrationsbeauftragte der Kommunen", slug="ib")
    page = office_client.get(reverse("workspace:actor_groups"), {"q": "kommunen"}).content.decode()
    assert "Integrationsbeauftragte der Kommunen" in page
    page = office_client.get(reverse("workspace:networks"), {"q": "eigen"}).content.decode()
    assert "Arbeitskreis Eigen" in page
    assert '<option value="" selected>alle</option>' in page and "---------" not in page  # the empty choice says it


def test_memberships_without_contact_scoped_to_own_networks(
    client, coordinator, own_network, other_network, caritas, diakonie
):
    Membership.objects.create(network=own_network, organisation=caritas)
    Membership.objects.create(network=other_network, organisation=diakonie)
    client.force_login(coordinator)
    page = client.get(reverse("workspace:memberships"), {"without_contact": "true", "active": "true"}).content.decode()
    assert "Caritasverband" in page and "Diakonie" not in page


def test_change_list_filters_by_kind_user_and_dates(office_client, office, caritas, own_network):
    old = ChangeRecord.objects.filter(object_id=caritas.pk, content_type__model="organisation")
    old.update(timestamp=timezone.now() - timedelta(days=40))
    url = reverse("workspace:changes")
    network_kind = ChangeRecord.objects.get(object_id=own_network.pk, content_type__model="network").content_type_id
    page = office_client.get(url, {"content_type": network_kind}).content.decode()
    assert "Arbeitskreis Eigen" in page and "Caritasverband" not in page
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    page = office_client.get(url, {"since": since}).content.decode()
    assert "Arbeitskreis Eigen" in page and "Caritasverband" not in page
    ChangeRecord.objects.filter(object_id=own_network.pk, content_type__model="network").update(user=office)
    page = office_client.get(url, {"user": office.pk}).content.decode()
    assert "Arbeitskreis Eigen" in page and "Caritasverband" not in page


def test_change_list_offers_the_kinds_and_users_the_history_has_changes_of(office, caritas):
    """Each kind and user looks up one change of its own (not the distinct values of the whole history)."""
    from django.contrib.auth import get_user_model

    from register.filters import ChangeFilter

    other = get_user_model().objects.create_user("ohne-aenderungen")

    def offered():
        form = ChangeFilter(None, queryset=ChangeRecord.objects.all(), request=None).form
        kinds = set(form.fields["content_type"].queryset.values_list("model", flat=True))
        return kinds, list(form.fields["user"].queryset)

    kinds, users = offered()
    assert "organisation" in kinds and "event" not in kinds and users == []
    ChangeRecord.objects.filter(object_id=caritas.pk, content_type__model="organisation").update(user=office)
    assert offered()[1] == [office] and other not in offered()[1]


def test_change_list_paged_with_constant_queries(office_client, django_assert_max_num_queries, caritas):
    template = ChangeRecord.objects.get(object_id=caritas.pk, content_type__model="organisation")
    copies = [
        ChangeRecord(
            content_type_id=template.content_type_id,
            object_id=caritas.pk,
            object_repr=f"Eintrag {i}",
            action="update",
            changes={"name": ["A", f"B {i}"]},
        )
        for i in range(130)
    ]
    ChangeRecord.objects.bulk_create(copies)
    with django_assert_max_num_queries(15):
        page = office_client.get(reverse("workspace:changes"), {"page": 2}).content.decode()
    assert "Seite 2 von" in page


def test_api_memberships_filter_by_network(client, own_network, other_network, caritas, diakonie):
    Membership.objects.create(network=own_network, organisation=caritas)
    Membership.objects.create(network=other_network, organisation=diakonie)
    found = MembershipFilter({"network": own_network.pk}, queryset=Membership.objects.all()).qs
    assert [m.organisation for m in found] == [caritas]
    assert not MembershipFilter({"network": "x"}, queryset=Membership.objects.all()).is_valid()
    assert Network.objects.count() == 2


def test_english_list(office_client):
    many_organisations(60)
    with translation.override("en"):
        url = reverse("workspace:organisations")
    assert url.startswith("/en/")
    page = office_client.get(url, {"sort": "name"}).content.decode()
    assert "61 entries – page 1 of 2" in page and "Apply filters" in page and "Next page" in page


def test_event_list_is_paged_with_constant_queries(office_client, django_assert_max_num_queries):
    from register.models import Event

    start = timezone.now() + timedelta(days=3)
    Event.objects.bulk_create(
        [
            Event(
                title=f"Forum {i}",
                slug=f"forum-{i}",
                start=start + timedelta(days=i),
                end=start + timedelta(days=i, hours=2),
            )
            for i in range(60)
        ]
    )
    with django_assert_max_num_queries(14):
        page = office_client.get(reverse("meetings:events"), {"page": 2}).content.decode()
    assert page.count("Forum ") == 10 and 'aria-current="page">2<' in page


def test_dashboard_lists_have_show_all(office_client, own_network, caritas):
    Membership.objects.create(network=own_network, organisation=caritas)
    page = office_client.get(reverse("workspace:home")).content.decode()
    assert reverse("workspace:memberships") + "?active=true&amp;without_contact=true" in page
    assert reverse("workspace:organisations") + "?stale=true" in page
    stale = office_client.get(reverse("workspace:organisations"), {"stale": "true"}).content.decode()
    assert "Caritasverband" in stale


@pytest.mark.parametrize("size", [5, 60])
def test_membership_list_queries_constant(office_client, own_network, django_assert_max_num_queries, size):
    parent = many_organisations(size)
    Membership.objects.bulk_create(
        [Membership(network=own_network, organisation=o) for o in Organisation.objects.exclude(pk=parent.pk)]
    )
    with django_assert_max_num_queries(12):
        page = office_client.get(reverse("workspace:memberships"), {"sort": "member", "role": "member"}).content
    assert page.decode().count("Arbeitskreis Eigen") >= min(size, 50)


def test_duplicate_queue_is_paged(office_client, django_assert_max_num_queries):
    from matching.models import Suggestion

    many_organisations(120)
    organisations = list(Organisation.objects.order_by("pk"))
    Suggestion.objects.bulk_create(
        [
            Suggestion(first=a, second=b, score=0.9)
            for a, b in zip(organisations[::2], organisations[1::2], strict=False)
        ]
    )
    with django_assert_max_num_queries(20):
        page = office_client.get(reverse("matching:queue"), {"page": 2}).content.decode()
    assert "60 Paare" in page or "60 pairs" in page
    assert 'aria-current="page">2<' in page


def seats_of_every_kind(network):
    """Seats of 7 organisations, 4 actor groups and 5 people (one named like an organisation, one with no family
    name), with two roles, in a scrambled order of keys."""
    names = ["Zentrum Ost", "Awo Dieburg", "Migrationsdienst", "Diakonie", "Beratung Süd", "Caritas", "Awo Babenhausen"]
    organisations = [Organisation.objects.create(name=name, slug=f"org-{i}") for i, name in enumerate(names)]
    groups = [
        ActorGroup.objects.create(name=name, slug=f"g-{i}")
        for i, name in enumerate(["Schulen", "Ärzte", "Kitas", "Vereine"])
    ]
    people = [
        Person.objects.create(given_name=given, family_name=family, function="Leitung")
        for given, family in [("Eva", "Zander"), ("Ali", "Caritas"), ("Ina", "Berg"), ("Olga", ""), ("Tom", "Adler")]
    ]
    members = [("person", people[0]), ("organisation", organisations[0]), ("actor_group", groups[0])]
    members += [("organisation", o) for o in organisations[1:]] + [("actor_group", g) for g in groups[1:]]
    members += [("person", p) for p in people[1:]]
    for index, (field, member) in enumerate(members):
        role = Membership.Role.GUEST if index % 3 else Membership.Role.MEMBER
        Membership.objects.create(network=network, role=role, **{field: member})


def expected_member_order(descending=False):
    """Organisations by name, actor groups by name, people by family name; ties by key – each part turned round
    for descending, and the parts in the other order."""
    parts = [
        sorted(Membership.objects.filter(organisation__isnull=False), key=lambda m: (m.organisation.name, m.pk)),
        sorted(Membership.objects.filter(actor_group__isnull=False), key=lambda m: (m.actor_group.name, m.pk)),
        sorted(Membership.objects.filter(person__isnull=False), key=lambda m: (m.person.family_name, m.pk)),
    ]
    if descending:
        parts = [part[::-1] for part in parts[::-1]]
    return [m.pk for part in parts for m in part]


def listed_keys(client, **query):
    """The keys of the seats of every page of the membership list, 5 rows a page, page after page."""
    keys, page = [], 1
    while True:
        content = client.get(reverse("workspace:memberships"), {**query, "page": page}).content.decode()
        keys += [int(pk) for pk in re.findall(r'href="/arbeitsbereich/mitgliedschaften/(\d+)/"', content)]
        if "Nächste Seite" not in content:
            return keys
        page += 1


@pytest.mark.parametrize("near_start", [1000, 0])
def test_membership_list_sorted_by_member_part_by_part(office_client, own_network, monkeypatch, near_start):
    """Sorted by member, the seats are read kind by kind, each by its own table (``Concatenated``), from either
    end of a part (``NEAR_START`` 0: every page beyond the first counts its parts and reads from the nearer end);
    every seat is on exactly one page, in the order of the names."""
    from register import tables

    seats_of_every_kind(own_network)
    monkeypatch.setattr(tables, "PER_PAGE", 5)
    monkeypatch.setattr(tables.Concatenated, "NEAR_START", near_start)
    assert listed_keys(office_client, sort="member") == expected_member_order()
    assert listed_keys(office_client, sort="-member") == expected_member_order(descending=True)
    assert listed_keys(office_client, sort="member", role="guest") == [
        pk for pk in expected_member_order() if Membership.objects.get(pk=pk).role == "guest"
    ]


def test_membership_list_reads_the_keys_of_a_page_first(office_client, own_network, django_assert_max_num_queries):
    """The sorted list is read as keys (the database joins only what the order needs), then the page's rows by key;
    rows that sort alike (a role) follow their keys, so each is on one page only. Sorted by member, no query joins
    the seats to organisations, actor groups and people at once to sort them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from register import tables

    seats_of_every_kind(own_network)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tables, "PER_PAGE", 5)
        by_role = listed_keys(office_client, sort="role")
        with CaptureQueriesContext(connection) as queries:
            office_client.get(reverse("workspace:memberships"), {"sort": "contact"})
            office_client.get(reverse("workspace:memberships"), {"sort": "member", "page": 2})
    members = Membership.objects.order_by("role", "pk")
    assert by_role == list(members.values_list("pk", flat=True))
    sorted_sql = [
        q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"] and "register_membership" in q["sql"]
    ]
    keys_sql = [sql for sql in sorted_sql if sql.startswith('SELECT "register_membership"."id" AS "pk" FROM')]
    assert keys_sql and "ORDER BY" in keys_sql[0] and "LIMIT 5" in keys_sql[0]
    orders = [sql.rsplit("ORDER BY", 1)[1] for sql in sorted_sql]
    assert not any(
        '"register_actorgroup"."name"' in order and '"register_organisation"."name"' in order for order in orders
    )


@pytest.mark.parametrize("active", ["true", "false"])
@pytest.mark.parametrize("without_contact", ["true", "false"])
def test_membership_filters_active_and_without_contact(own_network, active, without_contact):
    """Active today (begun, not ended) and without a contact person (none, or one whose data was erased; people's
    own seats need none), as conditions on the seats' own columns – and each the other way round."""
    today = timezone.localdate()
    day = timedelta(days=1)
    contact = Person.objects.create(given_name="Eva", family_name="Zander")
    erased = Person.objects.create(given_name="", family_name="", erased_at=timezone.now())
    seats = {}
    for index, (start, end, who) in enumerate(
        [
            (None, None, None),
            (today - day, today, contact),
            (today + day, None, None),
            (None, today - day, erased),
            (today, None, erased),
            (None, None, contact),
        ]
    ):
        organisation = Organisation.objects.create(name=f"Verein {index}", slug=f"verein-{index}")
        seat = Membership.objects.create(
            network=own_network, organisation=organisation, start_date=start, end_date=end, contact=who
        )
        seats[seat.pk] = (seat.is_active, who is None or who.pk == erased.pk)
    person_seat = Membership.objects.create(network=own_network, person=contact)
    seats[person_seat.pk] = (True, False)
    found = MembershipFilter({"active": active, "without_contact": without_contact}, queryset=Membership.objects.all())
    expected = {
        pk
        for pk, (is_active, lacks) in seats.items()
        if is_active == (active == "true") and lacks == (without_contact == "true")
    }
    assert set(found.qs.values_list("pk", flat=True)) == expected
    # The seats are read once, not joined or compared with another list of seats (a second at 400,000 seats).
    sql = str(found.qs.order_by().values("pk").query)
    assert sql.count('FROM "register_membership"') == 1 and " JOIN " not in sql
