import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def german():
    """Each test starts in German, whatever language an earlier request left active in this thread."""
    with translation.override("de"):
        yield


@pytest.fixture(autouse=True)
def search_synonyms(request):
    """The shipped synonym list, as the migrations write it: an earlier transactional test's flush
    empties the table for the tests after it."""
    if {"db", "transactional_db"} & set(request.fixturenames):
        from portal.models import SearchSynonym

        request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
        if not SearchSynonym.objects.exists():
            SearchSynonym.replace_all(SearchSynonym.shipped())
