"""The matcher on real German names: the labelled pairs of benchmarks/data/real_name_pairs.tsv, the
classes of names it used to miss, and the pre-filter keeping "unit of" pairs."""

import pytest

from benchmarks.matching_benchmark import evaluate_real, real_pairs
from matching.matcher import DISTINCT, DUPLICATE, PARENT, UNIT, Candidate, compare, find_pairs
from matching.normalise import Normaliser

NORMALISE = Normaliser()


def verdict(left, right):
    return compare(NORMALISE(left), NORMALISE(right))


def test_the_evaluation_set_is_large_and_labels_every_kind():
    rows = real_pairs()
    assert len(rows) >= 300
    assert {label for label, *_rest in rows} == {"duplicate", "unit", "distinct"}
    held_out = [row for row in rows if row[1] == "holdout"]
    assert len(held_out) >= len(rows) // 5
    assert len({(left, right) for _label, _split, left, right in rows}) == len(rows)


@pytest.mark.parametrize("split", ["tune", "holdout"])
def test_precision_and_recall_on_real_names_with_the_pre_filter(split):
    result = evaluate_real([row for row in real_pairs() if row[1] == split])
    precision, recall = result["duplicates"]
    assert precision >= 0.95 and recall >= 0.90, result["misses"]
    precision, recall = result["proposals"]
    assert precision >= 0.95 and recall >= 0.90, result["misses"]


@pytest.mark.parametrize(
    "left, right",
    [
        ("Agentur für Arbeit Darmstadt", "Arbeitsagentur Darmstadt"),  # words turned around, compound
        ("Amt für Soziales Kassel", "Sozialamt Kassel"),
        ("TU Darmstadt", "Technische Universität Darmstadt"),  # acronyms from initials
        ("VHS Kreis Offenbach", "Volkshochschule Kreis Offenbach"),
        ("FH Bielefeld", "Fachhochschule Bielefeld"),
        ("Stadt Dieburg", "Magistrat der Stadt Dieburg"),  # administrations named by their place
        ("Gemeinde Messel", "Messel"),
        ("Kreisverwaltung Groß-Gerau", "Landkreis Groß-Gerau"),
        ("Jugendamt Kreis Bergstraße", "Kreis Bergstraße - Fachbereich Jugend"),  # departments, county after/before
        ("Darmstädter Tafel", "Tafel Darmstadt e.V."),  # the place as an adjective
        ("Goethe-Universität Frankfurt am Main", "Goethe-Universität Frankfurt"),
    ],
)
def test_classes_of_names_the_matcher_used_to_miss(left, right):
    result = verdict(left, right)
    assert result.kind == DUPLICATE and result.proposed, result
    assert verdict(right, left).kind == DUPLICATE


@pytest.mark.parametrize(
    "left, right",
    [
        ("Stadt Kassel", "Landkreis Kassel"),
        ("Volkshochschule Kassel", "Volkshochschule Landkreis Kassel"),  # a bare town name is the town
        ("DRK-Kreisverband Offenbach", "DRK Ortsvereinigung Offenbach"),  # levels of one federation
        ("Jobcenter Berlin Mitte", "Jobcenter Berlin Neukölln"),  # districts of one city
        ("TU München", "TU Berlin"),
        ("Stadt Dieburg", "Caritasverband Dieburg"),
    ],
)
def test_hard_negatives_stay_apart(left, right):
    assert not verdict(left, right).proposed


def test_units_of_administrations_and_services_written_first():
    assert verdict("Ordnungsamt Dieburg", "Stadt Dieburg").kind == UNIT
    assert verdict("Stadt Dieburg", "Ordnungsamt Dieburg").kind == PARENT
    assert verdict("Migrationsdienst Caritas Darmstadt", "Caritasverband Darmstadt e.V.").kind == UNIT
    assert verdict("Evangelische Hochschule Darmstadt", "Hochschule Darmstadt").kind == DISTINCT


def test_the_pre_filter_keeps_pairs_the_full_comparison_calls_unit_of():
    names = [
        "Der PARITÄTISCHE",
        "Der PARITÄTISCHE - Selbsthilfebüro Darmstadt",
        "Caritasverband Offenbach/Main e.V.",
        "Caritasverband Offenbach/Main - Jugendmigrationsdienst",
    ]
    entries = [Candidate(index, [name]) for index, name in enumerate(names)]
    with_filter = {(pair.first, pair.second): pair.verdict.kind for pair in find_pairs(entries, prefilter=True)}
    without = {(pair.first, pair.second): pair.verdict.kind for pair in find_pairs(entries, prefilter=False)}
    assert with_filter == without
    assert set(with_filter.values()) == {PARENT} or {UNIT} <= set(with_filter.values()) | {PARENT}
    assert len(with_filter) == 2
