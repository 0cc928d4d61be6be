"""The search reads a query in German and in the visitor's language: translated texts are found in
their language, a German search finds what it found before."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.search import Index
from register.models import Network, Topic
from register.translations import translate


def network_names(results):
    return [entry.item.name for entry in results.networks]


def test_english_finds_what_the_english_texts_say_and_german_stays_german(demo):
    # Words of the English texts that no German text and no synonym holds.
    english = Index().search("commissioner", language="en")
    assert network_names(english) == ["Inklusionsforum im LaDaDi"]  # its contact, in English
    assert [reason["word"] for reason in english.networks[0].reasons] == ["commissioner"]
    assert Index().search("commissioner", language="de").networks == []
    assert network_names(Index().search("statutes", language="en")) == ["Kreisausländerbeirat im LaDaDi"]
    assert network_names(Index().search("Working Group on Migration and Health", language="en"))[0] == (
        "Arbeitskreis Migration und Gesundheit (MiGe)"
    )
    # Turkish reads no English translation.
    assert Index().search("commissioner", language="tr").networks == []


def test_a_new_translation_is_found_at_once_and_a_search_costs_the_same(demo):
    def queries(query):
        Index().search(query, language="en")
        with CaptureQueriesContext(connection) as captured:
            results = Index().search(query, language="en")
        return len(captured), results

    before, _results = queries("wellbeing")
    assert _results.networks == []
    translate(Topic.objects.get(name="Gesundheit"), "name", "en", "Health and wellbeing")
    after, results = queries("wellbeing")
    assert network_names(results) == ["Arbeitskreis Migration und Gesundheit (MiGe)"]
    assert after <= before + 2  # the ranking and the reasons run once something is found
    translate(Topic.objects.get(name="Gesundheit"), "name", "en", "")
    assert Index().search("wellbeing", language="en").networks == []
    german, _results = queries("Gesundheit")
    assert german == queries("Gesundheit")[0]


def test_the_english_search_page_finds_through_english_texts(client, demo):
    html = client.get("/en/suche/?q=commissioner").content.decode()
    assert "Inclusion Forum in the County (LaDaDi)</a>" in html
    assert "contact “commissioner”" in html
    assert Network.objects.get(name="Inklusionsforum im LaDaDi").slug in html
