"""The office chooses which languages of the site visitors may choose (SiteIdentity.languages): one that
is not offered leaves the language switch, and its addresses lead to the German page."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse

from register.models import ChangeRecord, SiteIdentity
from register.permissions import OFFICE_GROUP
from register.translations import offered_languages

COOKIE = settings.LANGUAGE_COOKIE_NAME


def offer(*languages):
    identity = SiteIdentity.load()
    identity.languages = list(languages)
    identity.save()


def switch_offers(html, code):
    return f'<button type="submit" lang="{code}">' in html


@pytest.fixture
def office(django_user_model):
    user = django_user_model.objects.create_user("office", "office@example.org", "a-long-test-password-42")
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    return user


def form_data(client, url):
    """What the identity form sends as it is shown, without the languages."""
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if name not in ("logo_file", "languages")}
    return {name: "" if value is None else value for name, value in data.items()}


def test_the_office_ticks_the_languages_offered_and_german_is_always_one(client, office):
    client.force_login(office)
    url = reverse("workspace:site_identity")
    html = client.get(url).content.decode()
    assert 'name="languages" value="ar"' in html and 'name="languages" value="de"' not in html
    assert '<span lang="uk">Українська</span>' in html
    assert client.post(url, {**form_data(client, url), "languages": ["uk", "en"]}).status_code == 302
    identity = SiteIdentity.load()
    assert identity.languages == ["uk", "en"] and identity.offered_languages == ["de", "en", "uk"]
    assert ChangeRecord.objects.filter(content_type__model="siteidentity", changes__has_key="languages").exists()
    data = form_data(client, url)
    refused = client.post(url, {**data, "languages": ["en", "xx"]})
    assert refused.status_code == 200 and refused.context["form"].errors["languages"]
    assert client.post(url, data).status_code == 302
    assert SiteIdentity.load().offered_languages == ["de"]


def test_a_language_not_offered_leaves_the_switch_and_its_addresses_lead_to_german(client, db):
    offer("en", "uk")
    html = client.get("/kontakt/").content.decode()
    assert switch_offers(html, "en") and switch_offers(html, "uk") and not switch_offers(html, "ar")
    assert not switch_offers(client.get("/en/kontakt/").content.decode(), "tr")
    response = client.get("/ar/kontakt/?quelle=flyer")
    assert response.status_code == 302 and response["Location"] == "/kontakt/?quelle=flyer"
    assert client.get("/tr/")["Location"] == "/"
    assert client.get("/fa/arbeitsbereich/")["Location"] == "/arbeitsbereich/"
    assert client.get("/uk/kontakt/").status_code == 200
    # The entry page sends a browser to the first language it asks for that is offered, else German.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar,en;q=0.8")["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ar,tr;q=0.8").status_code == 200
    client.cookies[COOKIE] = "fa"  # chosen while Farsi was still offered
    entry = client.get("/", HTTP_ACCEPT_LANGUAGE="uk-UA,uk;q=0.9")
    assert entry["Location"] == "/uk/"


def test_a_language_added_in_the_settings_is_offered_once_the_office_ticks_it(client, db):
    with override_settings(LANGUAGES=[*settings.LANGUAGES, ("pl", "Polski")]):
        assert not switch_offers(client.get("/kontakt/").content.decode(), "pl")
        assert client.get("/pl/kontakt/")["Location"] == "/kontakt/"
        offer(*SiteIdentity.load().languages, "pl")
        assert switch_offers(client.get("/kontakt/").content.decode(), "pl")
        assert client.get("/pl/kontakt/").status_code == 200
        assert client.get("/", HTTP_ACCEPT_LANGUAGE="pl-PL,pl;q=0.9")["Location"] == "/pl/"


@pytest.mark.django_db(transaction=True)
def test_the_choice_is_read_from_the_cache_not_once_per_request(client, django_assert_num_queries):
    offer("en")
    assert client.get("/ar/kontakt/").status_code == 302  # reads the changed identity into the cache
    with django_assert_num_queries(0):
        assert offered_languages() == ["de", "en"]
        assert client.get("/ar/kontakt/")["Location"] == "/kontakt/"
        assert client.get("/", HTTP_ACCEPT_LANGUAGE="tr,en;q=0.5")["Location"] == "/en/"
    offer("en", "tr")
    assert client.get("/tr/kontakt/").status_code == 200
