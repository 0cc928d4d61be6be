"""An import rewrites each search entry once, at its end, and leaves the index as a rebuild would."""

import pytest

from importing.demo import load_demo
from portal import indexing
from portal.models import SearchDocument, SearchFacet, SearchTerm

pytestmark = pytest.mark.django_db


def index():
    fields = [field.attname for field in SearchDocument._meta.concrete_fields if field.name != "id"]
    documents = sorted(SearchDocument.objects.values_list(*fields), key=repr)
    terms = sorted(SearchTerm.objects.values_list("document__kind", "document__object_id", "term", "field", "weight"))
    facets = SearchFacet.objects.values_list("kind", "document__object_id", "facet", "start_date", "end_date")
    return documents, terms, sorted(facets, key=repr)


def test_the_demo_import_rewrites_each_kind_of_entry_once_and_as_a_rebuild_would(search_rewrites):
    load_demo()
    # 7 networks, 60 organisations, hundreds of memberships and translations: one rewrite per kind
    assert len(search_rewrites) == len(set(search_rewrites))
    assert set(search_rewrites) == set(SearchDocument.Kind)
    written = index()
    assert len(written[0]) > 50 and len(written[1]) > 1000 and len(written[2]) > 100
    indexing.rebuild()
    assert index() == written


def test_the_preview_of_an_import_writes_no_search_entries(search_rewrites):
    load_demo(dry_run=True)
    assert search_rewrites == []
    assert not SearchDocument.objects.exists()


def test_a_single_change_rewrites_its_entry_at_once(demo, search_rewrites):
    from register.models import Network

    network = Network.objects.get(short_name="KAB")
    network.name = "Kreisbeirat für Migration und Integration"
    network.save()
    assert search_rewrites == [SearchDocument.Kind.NETWORK, SearchDocument.Kind.FOCUS_AREA]
    assert SearchDocument.objects.get(kind=SearchDocument.Kind.NETWORK, object_id=network.pk).name == network.name
