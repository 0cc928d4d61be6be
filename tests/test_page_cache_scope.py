"""A change renews the cached pages that show what it changed, and only those (``register.freshness``)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from register import freshness
from register.models import Membership, Network, Organisation, Topic
from vernetzt.page_cache import PageCacheMiddleware, forget_pages

# Committed writes are what renews the tags, so these tests run outside a test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def register():
    """Network A with member B (and B's unit U); network C with member D; organisation E, in nothing."""
    a = Network.objects.create(name="Arbeitskreis Zuwanderung", slug="a", purpose="Austausch der Fachkräfte")
    c = Network.objects.create(
        name="Runder Tisch Gesundheit", slug="c", purpose="Gesundheit und Versorgung für Geflüchtete"
    )
    b = Organisation.objects.create(name="Caritasverband Darmstadt", slug="b", description="Beratung")
    u = Organisation.objects.create(name="Migrationsdienst", slug="u", parent=b)
    d = Organisation.objects.create(name="Diakonie Dieburg", slug="d", description="Pflege")
    e = Organisation.objects.create(name="Elternverein Eppertshausen", slug="e", description="Eltern")
    Membership.objects.create(network=a, organisation=b)
    Membership.objects.create(network=c, organisation=d)
    return {"a": a, "c": c, "b": b, "u": u, "d": d, "e": e}


PAGES = {
    "network A": "/netzwerke/a/",
    "network C": "/netzwerke/c/",
    "organisation B": "/organisationen/b/",
    "unit U": "/organisationen/u/",
    "organisation D": "/organisationen/d/",
    "organisation E": "/organisationen/e/",
    "directory": "/netzwerke/",
    "home": "/",
    "search for A": "/suche/?q=zuwanderung",
    "search for B": "/suche/?q=caritasverband",
    "search for D": "/suche/?q=diakonie",
    "search for E": "/suche/?q=elternverein",
    "API networks": "/api/v1/networks/",
    "API organisations": "/api/v1/organisations/",
    "network map": "/analyse/karte.json",
    "network map page": "/analyse/",
}


def cached_after(client, change):
    """Which pages are still served from the cache after the change (all were cached before)."""
    for path in PAGES.values():
        assert client.get(path).status_code == 200
    assert all(client.get(path).get("X-Page-Cache") == "hit" for path in PAGES.values())
    change()
    return {name for name, path in PAGES.items() if client.get(path).get("X-Page-Cache") == "hit"}


def test_a_networks_purpose_renews_its_page_the_lists_and_searches_that_show_it(client, register):
    def change():
        register["a"].purpose = "Austausch der Fachkräfte der Beratungsstellen"
        register["a"].save()

    kept = cached_after(client, change)
    # The map draws no purpose: it stays, and does not say that its figures are being updated.
    renewed = {"network A", "directory", "home", "search for A", "API networks"}
    assert kept == set(PAGES) - renewed
    assert "der Beratungsstellen" in client.get(PAGES["network A"]).content.decode()


def test_a_purpose_that_shares_a_word_with_another_renews_that_networks_page(client, register):
    """Network C's page names the networks with a similar purpose: A may be one now."""

    def change():
        register["a"].purpose = "Austausch der Fachkräfte zur Gesundheit und Versorgung der Geflüchtete"
        register["a"].save()

    kept = cached_after(client, change)
    assert "network C" not in kept and "organisation E" in kept
    assert 'href="/netzwerke/a/"' in client.get(PAGES["network C"]).content.decode().split("similar-heading")[-1]


def similar_on(client, slug):
    """The pages linked in a network page's list of similar networks, in their order."""
    html = client.get(f"/netzwerke/{slug}/").content.decode().split("similar-heading")[-1]
    return re.findall(r'href="/netzwerke/([^/"]+)/"', html)


def test_a_purpose_with_a_word_more_renews_the_pages_where_its_share_of_words_may_change(client, register):
    """Network pages rank similar purposes by their share of the shorter purpose's words: a word more in
    A's purpose matters to purposes longer than A's, and to those holding the new word; not to C."""
    register["a"].purpose = "Gesundheit, Versorgung und Beratung für Geflüchtete"
    register["a"].save()
    Network.objects.create(
        name="Netzwerk L",
        slug="longer",
        purpose="Gesundheit, Versorgung, Wohnen, Arbeit, Schule und Freizeit für Geflüchtete",
    )
    Network.objects.create(name="Netzwerk Z", slug="z", purpose="Wohnen, Arbeit, Schule, Freizeit, Kita und Sport")
    Network.objects.create(name="Netzwerk W", slug="word", purpose="Sprachkurse, Beratung und Versorgung")
    pages = {slug: f"/netzwerke/{slug}/" for slug in ("c", "longer", "z", "word")}
    for path in pages.values():
        client.get(path)
    # L shares 3 of A's 4 words (75 %), 4 of Z's 6 (67 %) and 3 of C's 3 (100 %): C, A, Z.
    # W shares only 2 of A's 4 words: A is not similar to it.
    assert similar_on(client, "longer") == ["c", "a", "z"] and "a" not in similar_on(client, "word")
    before = {slug: client.get(path).content for slug, path in pages.items()}
    assert all(client.get(path).get("X-Page-Cache") == "hit" for path in pages.values())
    register["a"].purpose = "Gesundheit, Versorgung, Sprachkurse und Beratung für Geflüchtete"
    register["a"].save()
    kept = {slug for slug, path in pages.items() if client.get(path).get("X-Page-Cache") == "hit"}
    assert kept == {"c", "z"}
    # Rightly so: C (3 words) and Z (no word of A's new one) look as they did; L and W do not.
    forget_pages()
    assert {slug for slug, path in pages.items() if client.get(path).content == before[slug]} == {"c", "z"}
    assert similar_on(client, "longer") == ["c", "z", "a"]  # 3 of A's 5 words now: 60 %
    assert "a" in similar_on(client, "word")  # it shares 3 words with A now


def test_a_networks_name_renews_the_pages_of_its_members(client, register):
    def change():
        register["a"].name = "Arbeitskreis Einwanderung"
        register["a"].save()

    kept = cached_after(client, change)
    # Every page that names networks is renewed (names are not kept per record: renames are rare).
    assert not {"network A", "organisation B", "unit U", "search for B", "API networks"} & kept
    assert {"API organisations"} <= kept
    assert "Arbeitskreis Einwanderung" in client.get(PAGES["organisation B"]).content.decode()


def test_an_organisations_description_renews_only_its_page_and_the_lists_of_organisations(client, register):
    def change():
        register["e"].description = "Eltern helfen Eltern"
        register["e"].save()

    kept = cached_after(client, change)
    assert kept == set(PAGES) - {"organisation E", "API organisations"}
    assert "Eltern helfen Eltern" in client.get(PAGES["organisation E"]).content.decode()


def test_an_organisations_name_renews_the_networks_it_is_a_member_of(client, register):
    def change():
        register["b"].name = "Caritasverband Darmstadt-Dieburg"
        register["b"].save()

    kept = cached_after(client, change)
    assert not {"network A", "organisation B", "unit U", "search for B", "API organisations", "network map page"} & kept
    assert {"directory", "home", "API networks"} <= kept  # lists of networks name no organisation
    assert "Caritasverband Darmstadt-Dieburg" in client.get(PAGES["network A"]).content.decode()


def test_a_units_new_seat_renews_the_page_of_the_organisation_above_it(client, register):
    kept = cached_after(client, lambda: Membership.objects.create(network=register["c"], organisation=register["u"]))
    assert not {"network C", "unit U", "organisation B", "search for B", "network map", "network map page"} & kept
    assert {"organisation D", "organisation E", "search for D", "directory"} <= kept
    assert "Runder Tisch Gesundheit" in client.get(PAGES["organisation B"]).content.decode()


def test_a_seat_moved_to_another_organisation_renews_both(client, register):
    seat = Membership.objects.get(organisation=register["d"])

    def change():
        seat.organisation = register["e"]
        seat.save()

    kept = cached_after(client, change)
    assert not {"organisation D", "organisation E", "network C"} & kept
    assert {"organisation B"} <= kept
    assert "Runder Tisch Gesundheit" in client.get(PAGES["organisation E"]).content.decode()
    assert "Runder Tisch Gesundheit" not in client.get(PAGES["organisation D"]).content.decode()


def test_deleting_an_organisation_renews_the_pages_that_named_it(client, register):
    def change():
        Membership.objects.filter(organisation=register["d"]).delete()
        register["d"].delete()

    kept = cached_after(client, change)
    assert not {"network C", "search for D", "API organisations"} & kept
    assert client.get(PAGES["organisation D"]).status_code == 404
    assert "Diakonie" not in client.get(PAGES["network C"]).content.decode()


def test_a_topic_added_renews_the_network_pages(client, register):
    topic = Topic.objects.create(name="Arbeitsmarkt", slug="arbeitsmarkt")
    kept = cached_after(client, lambda: register["c"].topics.add(topic))
    assert not {"network C", "network A", "directory", "API networks"} & kept
    assert {"organisation B", "organisation E", "search for B"} <= kept
    assert "Arbeitsmarkt" in client.get(PAGES["network C"]).content.decode()


def test_merging_two_organisations_renews_the_pages_of_both_and_of_their_networks(client, register):
    from matching.merging import merge

    kept = cached_after(client, lambda: merge(register["b"], register["d"]))
    assert not {"organisation B", "organisation D", "network A", "network C", "search for D"} & kept
    assert "Caritasverband Darmstadt" in client.get(PAGES["network C"]).content.decode()
    assert client.get(PAGES["organisation D"]).status_code == 404


def test_a_bulk_write_renews_every_page(client, register):
    def change():
        Network.objects.filter(pk=register["c"].pk).update(purpose="Ohne Signal geändert")
        freshness.data_changed()

    assert cached_after(client, change) == set()
    assert "Ohne Signal" in client.get(PAGES["network C"]).content.decode()


def test_a_page_that_says_nothing_depends_on_every_change(register):
    """A view without tags is renewed by any change, even one no tagged page shows."""

    def view(request):
        return __import__("django.http").http.HttpResponse("Hallo")

    middleware = PageCacheMiddleware(view)
    match = type("Match", (), {"namespaces": ["portal"]})()

    def hit():
        from django.test import RequestFactory

        request = RequestFactory().get("/irgendwas/")
        request.resolver_match = match
        found = middleware.process_view(request, view, (), {})
        if found is None:
            middleware(request)
        return found is not None

    assert not hit() and hit()
    register["e"].description = "Neu"
    register["e"].save()
    assert not hit() and hit()


def test_changes_no_public_page_shows_renew_no_tag(register):
    before = freshness.versions([freshness.ANY, freshness.ALL, *freshness.KINDS])
    get_user_model().objects.create_user("staff", password="x")
    assert freshness.versions(before) == before


def test_a_lost_version_counts_as_changed(client, register):
    """A tag the cache evicted gets a new version: the pages stored with the old one are not served."""
    client.get(PAGES["organisation E"])
    assert client.get(PAGES["organisation E"]).get("X-Page-Cache") == "hit"
    freshness.tag_cache().delete(freshness.tag_key(freshness.organisation(register["e"].pk)))
    assert client.get(PAGES["organisation E"]).get("X-Page-Cache") is None


def test_a_change_committed_while_a_page_renders_is_not_hidden_by_the_stored_page(client, register, monkeypatch):
    """The page read the old data, and the change committed before the page was stored: the stored
    page must not count as current – neither with the tags it learned while it ran (a new address)
    nor with the versions read before it ran (an address seen before)."""
    from portal import views

    real_render, path = views.render, PAGES["organisation E"]
    texts = iter(["Erste Änderung", "Zweite Änderung"])

    def render_then_change(request, template, context, *args, **kwargs):
        response = real_render(request, template, context, *args, **kwargs)
        organisation = Organisation.objects.get(pk=register["e"].pk)
        organisation.description = next(texts)
        organisation.save()  # committed at once: the test runs outside a transaction
        return response

    monkeypatch.setattr(views, "render", render_then_change)
    assert "Eltern" in client.get(path).content.decode()
    monkeypatch.setattr(views, "render", real_render)
    assert "Erste Änderung" in client.get(path).content.decode()
    assert client.get(path).get("X-Page-Cache") == "hit"
    freshness.touch(freshness.organisation(register["e"].pk))  # renders again, with the tags known before
    monkeypatch.setattr(views, "render", render_then_change)
    assert "Erste Änderung" in client.get(path).content.decode()
    monkeypatch.setattr(views, "render", real_render)
    assert "Zweite Änderung" in client.get(path).content.decode()


def test_the_search_index_touches_only_the_stems_an_entry_gained_or_lost(register):
    versions = freshness.versions
    stems = ["search:be", "search:ca", "search:fa", "search:st", "search:zu"]
    before = versions(stems)
    register["a"].purpose = "Austausch der Fachkräfte (Stand 2)"
    register["a"].save()
    after = versions(stems)
    assert after["search:st"] != before["search:st"]  # "stand" is new
    assert {stem for stem in stems if after[stem] == before[stem]} == {
        "search:be",
        "search:ca",
        "search:fa",
        "search:zu",
    }


def test_every_watched_model_has_a_rule():
    """A new model of a watched app must say which pages its changes renew (else it renews all)."""
    from django.apps import apps

    labels = {
        model._meta.label
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in freshness.WATCHED_APPS
    }
    assert labels - set(freshness.RULES) == set()


def test_a_translation_renews_what_its_record_renews(register):
    from register.models import Translation
    from register.translations import translate

    if not hasattr(Translation, "content_type"):
        pytest.skip("no translations")
    tag = freshness.organisation(register["e"].pk)
    before = freshness.versions([tag, freshness.ORGANISATION_NAMES])
    translate(register["e"], "description", "en", "Parents help parents")
    after = freshness.versions([tag, freshness.ORGANISATION_NAMES])
    assert after[tag] != before[tag] and after[freshness.ORGANISATION_NAMES] == before[freshness.ORGANISATION_NAMES]


def test_the_api_says_what_it_shows(client, register):
    path = reverse("api:rest:network-list")
    client.get(path)
    assert client.get(path).get("X-Page-Cache") == "hit"
    register["e"].description = "Neu"
    register["e"].save()
    assert client.get(path).get("X-Page-Cache") == "hit"
    register["c"].purpose = "Neu"
    register["c"].save()
    assert client.get(path).get("X-Page-Cache") is None


def test_the_rest_views_name_whole_tags():
    from api.rest.views import RegisterViewSet

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    named = [view.shows for view in subclasses(RegisterViewSet) if view.shows]
    assert named and all(
        isinstance(tags, tuple) and all(":" not in tag and len(tag) > 2 for tag in tags) for tags in named
    )
