"""The search reads a bounded number of rows however large the register grows (issue 25).

Each test compares with what the search would do if it read everything, so that a bound can never
change what is found.
"""

import pytest
from django.db import connection

from portal import search
from portal.models import SearchDocument, SearchTerm, SearchWord
from portal.search import CANDIDATES, LIMIT, MAX_STARTS, MAX_SYNONYM_STARTS, Group, Index, Synonyms

Kind = SearchDocument.Kind


def words_starting(start, count):
    """``count`` stems that ``start`` is the start of, of many lengths (and equal lengths for the order)."""
    return [f"{start}{'x' * (number % 17)}{number:03d}" for number in range(count)]


def resolved(query, synonyms, known):
    groups, exact = search.read(query, synonyms)
    found, _missing = search.resolve(groups, known)
    return [group.found for group in found]


def test_a_common_start_reads_only_the_longer_stems_the_search_takes(db):
    longer = words_starting("gesund", 300)
    SearchWord.objects.bulk_create(SearchWord(term=term) for term in ["gesund", "medizin", *longer])
    synonyms = Synonyms([("Medizin", "Gesundheit")])

    groups, exact = search.read("gesund", synonyms)
    known = search.lookup(groups, exact)
    # The word itself and its shortest longer stems in the order expand() takes them, not all 300.
    assert known == {"gesund", "medizin", *sorted(longer, key=lambda term: (len(term), term))[:MAX_STARTS]}

    groups, exact = search.read("medizin", synonyms)
    known = search.lookup(groups, exact)
    assert len(known) == 2 + MAX_SYNONYM_STARTS  # through a synonym fewer longer stems count

    everything = set(SearchWord.objects.values_list("term", flat=True))
    for query in ["gesund", "medizin", "gesund medizin"]:
        groups, exact = search.read(query, synonyms)
        assert resolved(query, synonyms, search.lookup(groups, exact)) == resolved(query, synonyms, everything)


def test_equal_entries_at_the_cut_are_of_every_kind(db):
    """More entries than CANDIDATES score the same: the ones ranked are not all of the kind indexed first."""
    documents = SearchDocument.objects.bulk_create(
        SearchDocument(kind=kind, object_id=number, name=f"Eintrag {number}", sort_key=f"eintrag {number}")
        for kind in [Kind.NETWORK, Kind.ORGANISATION]
        for number in range(CANDIDATES)
    )
    if documents[0].pk is None:  # backends that do not return ids from bulk_create
        documents = list(SearchDocument.objects.order_by("pk"))
    SearchTerm.objects.bulk_create(
        SearchTerm(document=document, term="eintrag", weight=40, field=SearchTerm.Field.NAME, word="Eintrag")
        for document in documents
    )
    group = Group("eintrag", found={"eintrag": (1.0, "eintrag")})
    entries, totals = Index().ranked([group], ["=eintrag"], None, LIMIT)
    assert sum(totals.values()) == CANDIDATES
    assert totals.get(Kind.NETWORK, 0) > CANDIDATES // 4 and totals.get(Kind.ORGANISATION, 0) > CANDIDATES // 4
    assert len(entries) == 2 * LIMIT


def test_a_typo_does_not_count_in_descriptions(db):
    """A stem found only with a typo counts in a name, not in a description (its places there are not read)."""
    named, described = SearchDocument.objects.bulk_create(
        SearchDocument(kind=Kind.NETWORK, object_id=number, name=name, sort_key=name.casefold())
        for number, name in [(1, "Netzwerk"), (2, "Runder Tisch")]
    )
    if named.pk is None:
        named, described = SearchDocument.objects.order_by("pk")
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(document=document, term="netzwerk", weight=weight, field=field, word="Netzwerk")
            for document, weight, field in [(named, 40, "name"), (described, 8, "description")]
        ]
    )
    typo = Group("netzwrek", found={"netzwerk": (search.TYPO, "netzwrek")})
    entries, _totals = Index().ranked([typo], ["=netzwrek"], None, LIMIT)
    assert [entry.object_id for entry in entries] == [1]
    written = Group("netzwerk", found={"netzwerk": (1.0, "netzwerk")})
    entries, _totals = Index().ranked([written], ["=netzwerk"], None, LIMIT)
    assert sorted(entry.object_id for entry in entries) == [1, 2]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a setting of PostgreSQL")
def test_postgresql_compiles_no_query_plans(db):
    """JIT compiling took 40 ms of a 50 ms search whose ranking reads up to POSTINGS places per stem."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
