"""The office's synonym list: shipped with defaults, edited in the workspace, used by the next search."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from portal.models import SearchSynonym
from portal.search import Index

URL = "/arbeitsbereich/suche/synonyme/"


@pytest.fixture
def office_client(client, db):
    user = User.objects.create_user("buero", password="ein-langes-passwort-1")
    user.groups.add(Group.objects.get_or_create(name="office")[0])
    client.force_login(user)
    return client


def names(results):
    return [entry.name for entry in results.ranked]


def test_the_list_comes_with_defaults_in_several_languages(db):
    text = SearchSynonym.as_text()
    assert SearchSynonym.objects.count() == len(SearchSynonym.shipped())
    for line in ["Dolmetscher, Dolmetscherin, Sprachmittlung", "Kita, Kindertagesstätte", "disability", "mülteci"]:
        assert line in text


def test_the_office_edits_the_list_and_the_search_follows(office_client, demo):
    assert reverse("portal:search_synonyms") == URL
    assert not Index().search("Wohlfahrtspflege").count
    page = office_client.get(URL)
    assert page.status_code == 200
    assert "Dolmetscher, Dolmetscherin" in page.content.decode()
    text = SearchSynonym.as_text() + "\nWohlfahrtspflege, Caritas"
    response = office_client.post(URL, {"text": text})
    assert response.status_code == 302
    found = Index().search("Wohlfahrtspflege")
    assert names(found)[0] == "Caritasverband Darmstadt e.V."
    reason = found.organisations[0].reasons[0]
    assert reason["via"] == "Caritas"


def test_a_line_needs_two_words(office_client):
    before = SearchSynonym.objects.count()
    response = office_client.post(URL, {"text": "Kita, Kindergarten\nAllein"})
    assert response.status_code == 200
    assert "Zeile 2" in response.content.decode()
    assert SearchSynonym.objects.count() == before


def test_only_the_office_edits_the_list(client, db):
    client.force_login(User.objects.create_user("mitglied", password="ein-langes-passwort-2"))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"text": "a, b"}).status_code == 403
    assert SearchSynonym.objects.count() > 40
