"""The entry page follows the browser's language once, then the visitor's choice; the switch keeps the page."""

import pytest
from django.conf import settings
from django.test import override_settings

BROWSER = {"en": "en-GB,en;q=0.9,de;q=0.5", "de": "de-DE,de;q=0.9,en;q=0.5"}
COOKIE = settings.LANGUAGE_COOKIE_NAME


def varies_on_language_and_cookie(response):
    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    return {"accept-language", "cookie"} <= vary


@pytest.mark.django_db
def test_an_english_browser_is_sent_from_the_entry_page_to_english(client):
    response = client.get("/?quelle=flyer", HTTP_ACCEPT_LANGUAGE=BROWSER["en"])
    assert response.status_code == 302 and response["Location"] == "/en/?quelle=flyer"
    assert varies_on_language_and_cookie(response)


@pytest.mark.django_db
@pytest.mark.parametrize("accept", [BROWSER["de"], "fr-FR,fr;q=0.9", None])
def test_german_and_unknown_browsers_get_the_german_entry_page(client, accept):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    response = client.get("/", **headers)
    assert response.status_code == 200 and response["Content-Language"] == "de"
    assert varies_on_language_and_cookie(response)


def test_deep_links_keep_the_language_of_their_address(client, demo):
    response = client.get("/netzwerke/mige/", HTTP_ACCEPT_LANGUAGE=BROWSER["en"])
    assert response.status_code == 200 and response["Content-Language"] == "de"


def test_the_visitors_choice_wins_over_the_browser_also_for_german(client, demo):
    chosen = client.post("/i18n/setlang/", {"language": "de", "next": "/netzwerke/mige/"})
    assert chosen.status_code == 302 and chosen["Location"] == "/netzwerke/mige/"
    assert chosen.cookies[COOKIE].value == "de"
    entry = client.get("/", HTTP_ACCEPT_LANGUAGE=BROWSER["en"])
    assert entry.status_code == 200 and entry["Content-Language"] == "de"
    client.post("/i18n/setlang/", {"language": "en", "next": "/netzwerke/mige/"})
    entry = client.get("/", HTTP_ACCEPT_LANGUAGE=BROWSER["de"])
    assert entry.status_code == 302 and entry["Location"] == "/en/"


def test_the_switch_names_each_language_in_itself_and_keeps_the_page_and_query(client, demo):
    html = client.get("/suche/?q=caritas&seite=2").content.decode()
    assert '<span class="current-language" lang="de" aria-current="true">Deutsch</span>' in html
    assert (
        '<input type="hidden" name="language" value="en">'
        '<input type="hidden" name="next" value="/en/suche/?q=caritas&amp;seite=2">'
        '<button type="submit" lang="en">English</button>'
    ) in html
    assert '<link rel="alternate" hreflang="en" href="/en/suche/?q=caritas&amp;seite=2">' in html
    # Posting what the switch sends leads there, and back.
    there = client.post("/i18n/setlang/", {"language": "en", "next": "/en/netzwerke/mige/?a=1"})
    assert there["Location"] == "/en/netzwerke/mige/?a=1"
    english = client.get("/en/netzwerke/mige/").content.decode()
    assert 'name="next" value="/netzwerke/mige/"><button type="submit" lang="de">Deutsch</button>' in english
    back = client.post("/i18n/setlang/", {"language": "de", "next": "/netzwerke/mige/"})
    assert back["Location"] == "/netzwerke/mige/" and back.cookies[COOKIE].value == "de"


def test_a_language_added_in_the_settings_appears_in_the_switch_and_at_the_entry(client, demo):
    with override_settings(LANGUAGES=[*settings.LANGUAGES, ("uk", "Українська")]):
        html = client.get("/netzwerke/mige/").content.decode()
        assert 'name="next" value="/uk/netzwerke/mige/"><button type="submit" lang="uk">Українська</button>' in html
        entry = client.get("/", HTTP_ACCEPT_LANGUAGE="uk-UA,uk;q=0.9")
        assert entry.status_code == 302 and entry["Location"] == "/uk/"


@pytest.mark.django_db
def test_a_request_another_site_started_cannot_change_the_language(client):
    refused = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert refused.status_code == 403 and COOKIE not in refused.cookies
    allowed = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, HTTP_SEC_FETCH_SITE="same-origin")
    assert allowed.cookies[COOKIE].value == "en"


@pytest.mark.django_db(transaction=True)
def test_the_page_cache_keeps_the_entry_page_apart_per_language_and_choice(client, django_assert_num_queries):
    # A visitor with an English browser who chose German: the German entry page is stored for that cookie only.
    client.cookies[COOKIE] = "de"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE=BROWSER["en"]).status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/", HTTP_ACCEPT_LANGUAGE=BROWSER["en"]).status_code == 200
    del client.cookies[COOKIE]
    assert client.get("/", HTTP_ACCEPT_LANGUAGE=BROWSER["en"])["Location"] == "/en/"
    # The German page stored for German browsers is not served to English ones either.
    german = client.get("/", HTTP_ACCEPT_LANGUAGE=BROWSER["de"])
    assert german.status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/", HTTP_ACCEPT_LANGUAGE=BROWSER["de"]).content == german.content
    assert client.get("/", HTTP_ACCEPT_LANGUAGE=BROWSER["en"]).status_code == 302
    client.cookies[COOKIE] = "en"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE=BROWSER["de"])["Location"] == "/en/"


def test_the_switch_reverses_the_page_it_is_on_without_resolving_its_path_again(client, demo, monkeypatch):
    def resolving(*args):
        raise AssertionError("translate_url resolves the path again for every language")

    monkeypatch.setattr("portal.templatetags.portal_tags.translate_url", resolving)
    html = client.get("/netzwerke/mige/").content.decode()
    assert 'name="next" value="/en/netzwerke/mige/"><button type="submit" lang="en">English</button>' in html
    # A page that does not exist has nothing resolved: the switch offers the home page in each language.
    monkeypatch.undo()
    missing = client.get("/gibt-es-nicht/")
    assert missing.status_code == 404
    assert 'name="next" value="/en/"><button type="submit" lang="en">English</button>' in missing.content.decode()
