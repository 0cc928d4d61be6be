"""The search page links every network an entry sits in, built once per page (``portal.views.link_networks``)
and rendered without a template loop per link (``network_links``): right in every language, in the same
number of queries however many networks an entry sits in."""

import re
from html import unescape

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portal import indexing
from register.models import ActorGroup, Membership, Network, Organisation

IN_NETWORKS = re.compile(r'<span class="in-networks">(.*?)</span>', re.S)
LINK = re.compile(r'<a href="([^"]*)"( lang="de")?>([^<]*)</a>')


def network_links(html):
    """[(href, lang="de" or "", text)] of every link in the lines "in …" of the results."""
    parts = IN_NETWORKS.findall(html)
    return [(href, lang, unescape(text)) for part in parts for href, lang, text in LINK.findall(part)]


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def add_networks(group, organisation, start, count):
    networks = Network.objects.bulk_create(
        Network(name=f"Netzwerk Linkprobe {n}", short_name=f"NL{n}", slug=f"netzwerk-linkprobe-{n}", position=500 + n)
        for n in range(start, start + count)
    )
    Membership.objects.bulk_create(
        [Membership(network=network, actor_group=group) for network in networks]
        + [Membership(network=network, organisation=organisation) for network in networks]
    )
    indexing.catch_up()  # bulk_create sends no signals


def test_every_network_link_leads_to_its_network_in_the_pages_language(client, demo):
    group = ActorGroup.objects.create(name="Linkprobe Akteursgruppe", slug="linkprobe-akteursgruppe")
    organisation = Organisation.objects.create(name="Linkprobe Verein", slug="linkprobe-verein")
    add_networks(group, organisation, 0, 3)
    _html, queries = get(client, "/suche/?q=linkprobe")
    add_networks(group, organisation, 3, 40)
    html, more_queries = get(client, "/suche/?q=linkprobe")
    assert more_queries == queries

    by_slug = {network.slug: network for network in Network.objects.filter(slug__startswith="netzwerk-linkprobe-")}
    links = network_links(html)
    # The organisation's and the group's networks, each network once per entry, A–Z by position.
    assert len([link for link in links if link[2].startswith("NL")]) == 2 * 43
    for href, lang, text in links:
        slug = href.removeprefix("/netzwerke/").removesuffix("/")
        network = by_slug.get(slug) or Network.objects.get(slug=slug)
        with translation.override("de"):
            assert href == network.get_absolute_url()
        assert text == (network.short_name or network.name)
        assert lang == ""  # German page: nothing to mark
    # The networks found by the words (the best 20) link to their pages as well.
    found = re.findall(r'<a href="/netzwerke/netzwerk-linkprobe-(\d+)/">Netzwerk Linkprobe (\d+)</a>', html)
    assert len(found) == 20 and all(slug == name for slug, name in found)

    english, english_queries = get(client, "/en/suche/?q=linkprobe")
    links = network_links(english)
    assert len([link for link in links if link[2].startswith("NL")]) == 2 * 43
    for href, lang, _text in links:
        network = Network.objects.get(slug=href.removeprefix("/en/netzwerke/").removesuffix("/"))
        with translation.override("en"):
            assert href == network.get_absolute_url()
        # Untranslated short names are marked German, and the page says that some texts are German.
        assert lang == ' lang="de"'
    assert "untranslated-note" in english


def test_each_result_says_why_it_was_found_in_the_pages_language(client, demo):
    html, _queries = get(client, "/suche/?q=kreis")
    # A word found as the start of a longer one, or through a synonym, names the word it was found for.
    assert '<br><span class="why">Gefunden über: Name „Kreisausländerbeirat“ (für „kreis“)</span></li>' in html
    # On an English page, a German word is marked as German.
    html, _queries = get(client, "/en/suche/?q=Verband")
    assert '<br><span class="why">Found by: name “<span lang="de">Verband</span>”</span></li>' in html
    assert 'Found by: name “<span lang="de">Verein</span>” (for “Verein”)</span></li>' in html
    assert html.count('<span class="why">') == html.count("Found by: ")


def test_each_kind_of_result_says_when_more_were_found_than_are_shown(client, demo):
    group = ActorGroup.objects.create(name="Linkprobe Akteursgruppe", slug="linkprobe-akteursgruppe")
    organisation = Organisation.objects.create(name="Linkprobe Verein", slug="linkprobe-verein")
    add_networks(group, organisation, 0, 3)
    hint = "Add words or filters to narrow the search."
    html, _queries = get(client, "/en/suche/?q=linkprobe")
    assert hint not in html
    add_networks(group, organisation, 3, 40)
    html, _queries = get(client, "/en/suche/?q=linkprobe")
    networks = html.split("<h2>Networks")[1].split("<h2>")[0]
    assert '<p class="hint">Showing the 20 best matches. Add words or filters to narrow the search.</p>' in networks
    assert html.count(hint) == 1  # one organisation and one group of actors found: all shown
