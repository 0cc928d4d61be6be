"""The office's translation page: what is missing or outdated per language, and one page per record
to translate its texts beside the German (workspace.views.translations)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from register.models import ChangeRecord, Membership, Network, Organisation, SiteIdentity, Topic, Translation
from register.translations import translate, translated

LIST = reverse("workspace:translations")


def edit_url(record, **query):
    from urllib.parse import urlencode

    url = reverse("workspace:translation", args=[record._meta.model_name, record.pk])
    return f"{url}?{urlencode(query)}" if query else url


def form_data(response):
    """The posted values the page's form starts with (translations and their hidden German digests)."""
    form = response.context["form"]
    return {name: form[name].value() or "" for name in form.fields if not name.startswith("fits-")}


@pytest.fixture
def health(db, own_network, other_network):
    topic = Topic.objects.create(name="Gesundheit", slug="gesundheit")
    own_network.topics.add(topic)
    other_network.topics.add(topic)
    own_network.purpose = "Austausch zu Gesundheit und Pflege"
    own_network.save()
    return topic


def test_the_list_counts_what_is_missing_per_offered_language_and_lists_each_topic_once(client, office, health):
    client.force_login(office)
    html = client.get(LIST, {"language": "en", "kind": "topic"}).content.decode()
    assert html.count(f'href="{edit_url(health, language="en", kind="topic").replace("&", "&amp;")}"') == 1
    assert "Gesundheit" in html and "Arbeitskreis Eigen" not in html
    counts = {count["code"]: count for count in client.get(LIST).context["counts"]}
    assert list(counts) == ["en", "ar", "tr", "uk", "fa", "de-x-ls"]
    # The four site pages come with an English title and text: eight texts fewer are missing in English.
    before, arabic = counts["en"]["missing"], counts["ar"]["missing"]
    assert before == arabic - 8 and counts["en"]["outdated"] == 0

    translate(health, "name", "en", "Health")
    response = client.get(LIST, {"language": "en"})
    counts = {count["code"]: count for count in response.context["counts"]}
    assert counts["en"]["missing"] == before - 1 and counts["ar"]["missing"] == arabic
    records = [entry["record"] for entry in response.context["page"].object_list]
    assert health not in records and records  # the networks (and site pages) are still to translate
    assert "Übersetzungen" in client.get(reverse("workspace:home")).content.decode()  # in the office's menu


def test_the_office_translates_a_record_beside_its_german_and_the_history_keeps_it(client, office, own_network, health):
    client.force_login(office)
    url = edit_url(own_network, language="ar")
    page = client.get(url)
    html = page.content.decode()
    assert "Austausch zu Gesundheit und Pflege" in html and "fehlt" in html
    assert 'name="purpose"' in html and 'lang="ar"' in html and 'dir="rtl"' in html
    other = edit_url(own_network, language="tr").replace("&", "&amp;")
    assert f'<a href="{other}" lang="tr">Türkçe</a>' in html  # the same record in another language
    data = {**form_data(page), "purpose": "تبادل حول الصحة والرعاية", "action": "save"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    row = Translation.objects.get(object_id=own_network.pk, content_type__model="network", language="ar")
    assert (row.field, row.text, row.source_text) == ("purpose", "تبادل حول الصحة والرعاية", own_network.purpose)
    assert translated(Network.objects.get(pk=own_network.pk), "purpose", "ar") == "تبادل حول الصحة والرعاية"
    assert ChangeRecord.objects.filter(content_type__model="translation", object_id=row.pk, action="create").exists()
    html = client.get(url).content.decode()
    assert "aktuell" in html and "تبادل حول الصحة والرعاية" in html
    # Emptying the field removes the translation.
    client.post(url, {**form_data(client.get(url)), "purpose": "", "action": "save"})
    assert not Translation.objects.filter(pk=row.pk).exists()


def test_a_change_of_the_german_makes_the_translation_outdated_and_shows_what_changed(client, office, own_network):
    own_network.purpose = "Austausch zu Gesundheit"
    own_network.save()
    translate(own_network, "purpose", "en", "Exchange on health")
    own_network.purpose = "Austausch zu Gesundheit und Pflege"
    own_network.save()
    client.force_login(office)
    listing = client.get(LIST, {"language": "en", "state": "outdated"})
    assert [entry["record"] for entry in listing.context["page"].object_list] == [own_network]
    url = edit_url(own_network, language="en")
    page = client.get(url)
    html = page.content.decode()
    assert "veraltet" in html
    assert '<ins><span class="visually-hidden">[hinzugefügt: </span> und Pflege' in html
    # The translation still fits: ticked, it is up to date again without a new text.
    client.post(url, {**form_data(page), "fits-purpose": "on", "action": "save"})
    row = Translation.objects.get(content_type__model="network", object_id=own_network.pk)
    assert row.text == "Exchange on health" and not row.is_outdated(own_network.purpose)
    assert not client.get(LIST, {"language": "en", "state": "outdated"}).context["page"].object_list


def test_a_german_text_changed_while_translating_is_not_overwritten_unnoticed(client, office, own_network, health):
    client.force_login(office)
    url = edit_url(own_network, language="en")
    data = form_data(client.get(url))
    own_network.purpose = "Ein neuer Zweck"
    own_network.save()
    response = client.post(url, {**data, "purpose": "Exchange on health and care", "action": "save"})
    assert response.status_code == 200 and "während Sie übersetzt" in response.content.decode()
    assert not Translation.objects.filter(content_type__model="network").exists()


def test_save_and_next_leads_through_the_list_with_its_filters(client, office, own_network, other_network, health):
    client.force_login(office)
    first = edit_url(own_network, language="en", kind="network")
    page = client.get(first)
    response = client.post(first, {**form_data(page), "name": "Own working group", "action": "next"})
    assert response["Location"] == edit_url(other_network, language="en", kind="network")
    # own_network still has untranslated texts, so it stays in the list: after the last record the list starts again.
    last = response["Location"]
    response = client.post(last, {**form_data(client.get(last)), "action": "next"})
    assert response["Location"] == first
    # Once nothing is left, "Save and next" returns to the list.
    topic = edit_url(health, language="en", kind="topic")
    response = client.post(topic, {**form_data(client.get(topic)), "name": "Health", "action": "next"})
    assert response["Location"] == f"{LIST}?language=en&kind=topic"


def test_only_the_office_translates(client, coordinator, member, own_network):
    url = edit_url(own_network, language="en")
    assert client.get(LIST).status_code == 302  # to the login
    for user in (coordinator, member):
        client.force_login(user)
        assert client.get(LIST).status_code == 403
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "x"}).status_code == 403
    assert not Translation.objects.filter(content_type__model="network").exists()
    # The coordinator edits the network, without the link to translations.
    client.force_login(coordinator)
    for name in ("workspace:network_edit", "workspace:network"):
        html = client.get(reverse(name, args=[own_network.pk])).content.decode()
        assert edit_url(own_network) not in html and "Arbeitskreis Eigen" in html


def test_the_network_and_site_page_edit_pages_link_to_their_translations(client, office, own_network):
    client.force_login(office)
    for name in ("workspace:network_edit", "workspace:network"):
        html = client.get(reverse(name, args=[own_network.pk])).content.decode()
        assert f'href="{edit_url(own_network)}"' in html
    html = client.get(reverse("workspace:site_page", args=["imprint"])).content.decode()
    assert 'href="/arbeitsbereich/uebersetzungen/sitepage/' in html and 'name="title_en"' not in html


def test_a_language_the_site_does_not_offer_is_named_so(client, office, own_network):
    identity = SiteIdentity.load()
    identity.languages = ["en"]
    identity.save()
    client.force_login(office)
    response = client.get(LIST, {"language": "tr"})
    assert [count["code"] for count in response.context["counts"]] == ["en"]
    assert "nicht für Besucher angeboten" in response.content.decode()
    assert "Besucher können diese Sprache noch nicht wählen" in response.content.decode()


def test_the_pages_ask_the_same_number_of_queries_however_many_records(client, office, health):
    client.force_login(office)

    def queries(url):
        client.get(url)  # caches warmed (content types, site identity)
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
            assert response.status_code == 200
        if "page" not in response.context:
            return len(context)
        # The list reads the records of its page with two queries per kind of record on it.
        return len(context) - 2 * len({entry["kind"] for entry in response.context["page"].object_list})

    translate(health, "name", "en", "Health")
    few = queries(LIST), queries(edit_url(health, language="en"))
    for n in range(12):
        network = Network.objects.create(name=f"Netzwerk {n}", slug=f"netzwerk-{n}", purpose=f"Zweck {n}")
        topic = Topic.objects.create(name=f"Thema {n}", slug=f"thema-{n}")
        network.topics.add(topic)
        translate(network, "name", "en", f"Network {n}")
        translate(topic, "name", "uk", f"Тема {n}")
        translate(health, "name", "en", f"Health {n}")  # a longer history
        parent = Organisation.objects.create(name=f"Träger {n}", slug=f"traeger-{n}")
        Organisation.objects.create(name=f"Beratung {n}", slug=f"beratung-{n}", parent=parent, description="Hilfe")
    assert (queries(LIST), queries(edit_url(health, language="en"))) == few


def members(network, numbers):
    """Units three levels down, numbered ``numbers``, members of ``network``: their names and those of
    their memberships read the organisations above them."""
    top, _new = Organisation.objects.get_or_create(name="Landkreis", slug="landkreis")
    office, _new = Organisation.objects.get_or_create(name="Amt", slug="amt", parent=top)
    team, _new = Organisation.objects.get_or_create(name="Team", slug="team", parent=office)
    units = Organisation.objects.bulk_create(
        Organisation(name=f"Stelle {n:03}", slug=f"stelle-{n}", parent=team, description=f"Hilfe {n}") for n in numbers
    )
    Membership.objects.bulk_create(
        Membership(network=network, organisation=unit, label=f"Mitglied {n}", position=n)
        for n, unit in zip(numbers, units, strict=True)
    )
    return units


def test_a_page_of_many_records_asks_as_many_queries_as_one_of_few(client, office, own_network):
    client.force_login(office)

    def queries(**query):
        client.get(LIST, {"language": "en", **query})
        with CaptureQueriesContext(connection) as context:
            html = client.get(LIST, {"language": "en", **query}).content.decode()
        assert "Landkreis - Amt - Team - Stelle 002" in html
        return len(context)

    members(own_network, range(3))
    few = queries(kind="membership"), queries(kind="organisation")
    members(own_network, range(3, 140))
    assert (queries(kind="membership"), queries(kind="organisation")) == few


def test_the_pages_of_the_list_follow_each_other_in_order(client, office, own_network):
    units = members(own_network, range(60))
    client.force_login(office)
    first = client.get(LIST, {"language": "en", "kind": "organisation"}).context["page"]
    second = client.get(LIST, {"language": "en", "kind": "organisation", "page": 2}).context["page"]
    assert (first.paginator.count, first.paginator.num_pages) == (60, 2)
    assert [entry["record"] for entry in first.object_list + second.object_list] == units
    # Every kind: the networks first (the order of translations.FIELDS), then the organisations, the memberships.
    pages = [client.get(LIST, {"language": "en", "page": number}).context["page"] for number in (1, 2, 3)]
    records = [entry["record"] for page in pages for entry in page.object_list]
    assert records[0] == own_network and records[1:61] == units
    assert [str(record) for record in records[61:63]] == [
        "Landkreis - Amt - Team - Stelle 000 – Arbeitskreis Eigen (Mitglied)",
        "Landkreis - Amt - Team - Stelle 001 – Arbeitskreis Eigen (Mitglied)",
    ]
    assert len(records) == pages[0].paginator.count == 1 + 60 + 60  # (the site pages come in English)


def test_save_and_next_goes_on_to_the_next_kind_of_record(client, office, own_network, other_network, health):
    client.force_login(office)
    units = members(own_network, range(2))
    last_network = edit_url(other_network, language="en")
    response = client.post(last_network, {**form_data(client.get(last_network)), "action": "next"})
    assert response["Location"] == edit_url(health, language="en")
    last_topic = response["Location"]
    response = client.post(last_topic, {**form_data(client.get(last_topic)), "action": "next"})
    assert response["Location"] == edit_url(units[0], language="en")
    outdated = edit_url(units[1], language="en", state="outdated")
    response = client.post(outdated, {**form_data(client.get(outdated)), "action": "next"})
    assert response["Location"] == f"{LIST}?language=en&state=outdated"


def test_the_list_asks_a_few_queries_however_large_the_register(client, office, own_network, health):
    """The counts per language are read, not counted: one query for all kinds of record and languages,
    and two per kind of record on the page for its records."""
    client.force_login(office)

    def queries(**query):
        client.get(LIST, {"language": "en", **query})  # caches warmed (content types, site identity)
        with CaptureQueriesContext(connection) as context:
            response = client.get(LIST, {"language": "en", **query})
            assert response.status_code == 200
        page = response.context["page"]
        return len(context) - 2 * len({entry["kind"] for entry in page.object_list}), page.paginator.count

    few = [queries(), queries(kind="organisation"), queries(state="outdated", page=2)]
    assert max(number for number, _records in few) <= 6  # (when the counts were counted: 24 more)
    for n in range(40):
        network = Network.objects.create(name=f"Netzwerk {n}", slug=f"netzwerk-{n}", purpose=f"Zweck {n}")
        translate(network, "purpose", "en", f"Purpose {n}")
        network.purpose = f"Zweck {n}, neu"
        network.save()
        Topic.objects.create(name=f"Thema {n}", slug=f"thema-{n}")
    units = [Organisation(name=f"Stelle {n}", slug=f"stelle-{n}", description=f"Hilfe {n}") for n in range(40)]
    Organisation.create_in_bulk(units)
    Membership.create_in_bulk([Membership(network=own_network, organisation=unit, label="Mitglied") for unit in units])
    many = [queries(), queries(kind="organisation"), queries(state="outdated", page=2)]
    assert [number for number, _records in many] == [number for number, _records in few]
    # (the networks' purposes are outdated, their other texts missing)
    assert [records for _number, records in many] == [few[0][1] + 160, few[1][1] + 40, few[2][1] + 40]


def test_the_list_without_a_language_is_that_of_the_first_language_offered(client, office, own_network):
    identity = SiteIdentity.load()
    identity.languages = ["uk", "fa"]
    identity.save()
    client.force_login(office)
    for query in ({}, {"page": 2}, {"kind": "network"}, {"language": ""}):  # from the menu, a page of the list
        response = client.get(LIST, query)
        html = response.content.decode()
        assert response.context["language"] == "uk" and "errorlist" not in html
        assert '<option value="uk" selected>' in html
    assert [entry["record"] for entry in client.get(LIST, {"kind": "network"}).context["page"].object_list] == [
        own_network
    ]
    # A language the site does not know: said so, the other filters still apply.
    response = client.get(LIST, {"language": "xx", "kind": "network"})
    assert "errorlist" in response.content.decode()
    assert [entry["record"] for entry in response.context["page"].object_list] == [own_network]
