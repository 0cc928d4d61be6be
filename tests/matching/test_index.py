"""The reusable matcher index: the same proposals as comparing against the whole register, asked cheaply."""

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rapidfuzz import process
from rapidfuzz.distance import OSA

from matching.matcher import (
    DISTINCT,
    Candidate,
    MatchIndex,
    candidate_pairs,
    compare_entries,
    find_pairs,
    normalise_entries,
    propose_matches,
    register_entries,
    register_normaliser,
)
from matching.models import Suggestion
from matching.normalise import Normaliser
from matching.services import decided_pairs, pairs_involving, refresh_suggestions
from register.models import Organisation

ROOT = Path(__file__).resolve().parents[2]

NAMES = [
    "Caritasverband Darmstadt",
    "Caritas Verband Darmstadt e.V. - Schuldnerberatung",
    "DRK Kreisverband Darmstadt Stadt",
    "Diakonie Darmstadt-Dieburg",
    "Diakonisches Werk Darmstadt Dieburg e.V.",
    "Frauenhaus Offenbach",
    "Interkulturelles Buero Darmstadt",
    "Sozialkritischer Arbeitskreis",
    "Arbeiterwohlfahrt Kreisverband Darmstadt-Dieburg",
    "Jugendmigrationsdienst Dieburg",
]


def proposals_as_before(name, limit=5, minimum=0.6):
    """What ``propose_matches`` did before the index: the name blocked together with the whole register."""
    normaliser = register_normaliser()
    entries = normalise_entries(register_entries(), normaliser)
    probe = normalise_entries([Candidate(None, [name])], normaliser)[0]
    indexes = {right - 1 for left, right in candidate_pairs([probe, *entries]) if left == 0 and right > 0}
    scored = []
    for index in indexes:
        entry = entries[index]
        if entry.parent is not None and not entry.standalone:
            continue
        verdict = compare_entries(probe, entry, prefilter=False)
        if verdict.kind != DISTINCT and verdict.score >= minimum:
            scored.append((verdict, entry.key))
    scored.sort(key=lambda item: (-item[0].score, item[1]))
    return [(key, verdict.kind, verdict.score, verdict.reasons) for verdict, key in scored[:limit]]


@pytest.mark.parametrize("name", NAMES)
def test_the_index_proposes_what_the_whole_register_did(demo, name):
    index = MatchIndex.of_register()
    found = [(key, verdict.kind, verdict.score, verdict.reasons) for key, verdict in index.scored(name)]
    assert found == proposals_as_before(name)
    assert [(m.organisation.pk, m.kind, m.score, m.reasons) for m in propose_matches(name)] == found


def test_asking_the_index_costs_no_queries(demo):
    index = MatchIndex.of_register()
    with CaptureQueriesContext(connection) as queries:
        for name in NAMES:
            index.scored(name)
    assert len(queries) == 0


def test_building_the_index_takes_the_same_queries_for_a_larger_register(demo):
    with CaptureQueriesContext(connection) as before:
        MatchIndex.of_register()
    for number in range(30):
        Organisation.objects.create(name=f"Verein Nummer {number} Dieburg", slug=f"verein-{number}")
    with CaptureQueriesContext(connection) as after:
        MatchIndex.of_register()
    assert len(after) == len(before)


def test_pairs_involving_gives_the_pairs_of_the_whole_run(seed):
    pairs = find_pairs(register_entries(), register_normaliser(), skip=decided_pairs(), prefilter=False)
    keys = {pair.first for pair in pairs[:3]} | {pair.second for pair in pairs[3:5]}
    expected = []
    swap = {"unit": "parent", "parent": "unit"}
    for pair in pairs:
        if pair.first in keys:
            expected.append((pair.first, pair.second, pair.verdict.kind, pair.verdict.score))
        if pair.second in keys:
            expected.append(
                (pair.second, pair.first, swap.get(pair.verdict.kind, pair.verdict.kind), pair.verdict.score)
            )
    assert expected
    assert pairs_involving(keys) == expected


def add_duplicates(start, count):
    for number in range(start, start + count):
        for suffix in ("", " e.V."):
            name = f"Sportfreunde Nummer {number} Dieburg{suffix}"
            Organisation.objects.create(name=name, slug=f"sportfreunde-{number}{suffix.strip(' .').lower()}")


def test_refreshing_writes_in_bulk(demo):
    Suggestion.objects.all().delete()
    add_duplicates(0, 3)
    with CaptureQueriesContext(connection) as few:
        created, _updated, _removed = refresh_suggestions()
    assert created == Suggestion.objects.count() >= 3
    Suggestion.objects.all().delete()
    add_duplicates(3, 30)
    with CaptureQueriesContext(connection) as many:
        created, _updated, _removed = refresh_suggestions()
    assert created == Suggestion.objects.count() >= 33
    assert len(many) == len(few)
    assert refresh_suggestions() == (0, 0, 0)


WORKERS_SCRIPT = """
from matching.matcher import Candidate, find_pairs

names = [f"{provider} {place}" for provider in ("Caritas", "Diakonie", "AWO") for place in range(4000)]
names += ["Caritasverband Darmstadt", "Caritas Verband Darmstadt", "Diakonisches Werk Dieburg", "Diakonie Dieburg"]
entries = [Candidate(number, [name]) for number, name in enumerate(names)]

def found(workers):
    return [(p.first, p.second, p.verdict.score) for p in find_pairs(entries, workers=workers, prefilter=False)]

parallel, serial = found(2), found(1)
assert parallel == serial, "the workers found other pairs"
assert (len(names) - 4, len(names) - 3, 1.0) in serial
print(len(serial))
"""


def test_scoring_in_workers_gives_the_same_pairs():
    # A fresh interpreter: this one may have threads (the browser tests' driver), and then no workers are forked.
    result = subprocess.run(
        [sys.executable, "-c", WORKERS_SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 4


def test_no_workers_are_forked_while_other_threads_run(monkeypatch):
    import multiprocessing

    def no_fork(*args, **kwargs):
        raise AssertionError("forked beside another thread")

    monkeypatch.setattr(multiprocessing, "get_context", no_fork)
    names = [f"{provider} {place}" for provider in ("Caritas", "Diakonie", "AWO") for place in range(4000)]
    names += ["Caritasverband Darmstadt", "Caritas Verband Darmstadt"]
    entries = [Candidate(number, [name]) for number, name in enumerate(names)]
    stop, timings = threading.Event(), {}
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        pairs = find_pairs(entries, workers=2, prefilter=False, timings=timings)
    finally:
        stop.set()
        other.join()
    assert timings["candidate_pairs"] > 10_000  # enough for workers, were there no other thread
    assert (len(names) - 2, len(names) - 1) in [(pair.first, pair.second) for pair in pairs]


def test_a_misspelt_place_is_found_among_the_places_of_its_length():
    normaliser = Normaliser(places=["Groß-Umstadt", "Seeheim-Jugenheim", "Offenbach am Main", "Babenhausen"])
    words = ["babenhausn", "seeheim-jugendheim", "gross-umstat", "offenbachh", "ober-ramstadt", "darmstaadt"]
    for word in words:
        allowed = 2 if len(word) >= 12 else 1
        best = process.extractOne(word, normaliser.places, scorer=OSA.distance, score_cutoff=allowed)
        assert normaliser.correct_place(word) == (best[0] if best else word)
