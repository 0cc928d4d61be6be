"""On the county's page (before the office's decisions): the real duplicates are proposed, distinct actors are not."""

import pytest

from matching.matcher import propose_matches
from matching.models import Suggestion
from matching.services import in_several_networks, refresh_suggestions
from register.models import Organisation


def top(name):
    return Organisation.objects.get(name=name, parent=None)


def suggested_pairs():
    return {
        frozenset((suggestion.first.full_name, suggestion.second.full_name)): suggestion
        for suggestion in Suggestion.objects.select_related("first__parent", "second__parent")
    }


@pytest.fixture
def suggestions(seed):
    refresh_suggestions()
    return suggested_pairs()


DUPLICATES = [
    ("Caritas Verband Darmstadt e.V.", "Caritasverband Darmstadt e.V."),
    ("Diakonisches Werk Darmstadt-Dieburg e.V.", "Diakonisches Werk Darmstadt-Dieburg"),
    ("Sozialkritischer Arbeitskreis Darmstadt e.V.", "Sozialkritischer Arbeitskreis e.V."),
]
DISTINCT = [
    ("Frauen helfen Frauen e.V.", "Frauenhaus Darmstadt"),
    (
        "Büro für Senioren, Beratung und Pflege Landkreis Darmstadt-Dieburg - Pflegestützpunkt Landkreis "
        "Darmstadt-Dieburg",
        "Pflegestützpunkt Wissenschaftsstadt Darmstadt",
    ),
    ("Diakonisches Werk Hessen", "Diakonisches Werk Darmstadt-Dieburg"),
    (
        "Caritas Verband Darmstadt e.V. - Migrationsdienst",
        "Deutsches Rotes Kreuz Kreisverband Darmstadt Stadt e.V. - Migrationsdienst",
    ),
    ("Kreisausländerbeirat Darmstadt-Dieburg", "Kreisausschuss Darmstadt-Dieburg"),
    (
        "Deutsches Rotes Kreuz Kreisverband Darmstadt Stadt e.V.",
        "Deutsches Rotes Kreuz Kreisverband Darmstadt Stadt e.V. - Migrationsdienst",
    ),
]


def test_the_real_duplicates_and_nothing_else_are_proposed(suggestions):
    for first, second in DUPLICATES:
        suggestion = suggestions[frozenset((first, second))]
        assert suggestion.kind == Suggestion.Kind.DUPLICATE, (first, second)
        assert suggestion.score >= 0.8
        assert suggestion.explanation and all(isinstance(line, str) and line for line in suggestion.explanation)
    for first, second in DISTINCT:
        assert frozenset((first, second)) not in suggestions, (first, second)
    assert set(suggestions) == {frozenset(pair) for pair in DUPLICATES}


def test_entries_present_in_two_networks_are_shown_as_one_organisation(seed):
    several = {
        organisation.name: networks for organisation, networks in in_several_networks(Organisation.objects.all())
    }
    assert several["Frauen helfen Frauen e.V."] == ["MiGe", "MiLa"]
    # The DRK sits in MiLa through its unit "Migrationsdienst" and in MiGe itself.
    assert several["Deutsches Rotes Kreuz Kreisverband Darmstadt Stadt e.V."] == ["MiGe", "MiLa"]


def test_an_abbreviation_finds_the_long_name(seed):
    matches = propose_matches("DRK Kreisverband Darmstadt Stadt")
    assert matches[0].organisation == top("Deutsches Rotes Kreuz Kreisverband Darmstadt Stadt e.V.")
    assert matches[0].kind == "duplicate"
    assert any("DRK" in line for line in matches[0].explanation)


def test_the_importers_get_scored_organisations(seed):
    matches = propose_matches("Caritasverband Darmstadt", limit=2)
    assert {match.organisation.name for match in matches} == {
        "Caritas Verband Darmstadt e.V.",
        "Caritasverband Darmstadt e.V.",
    }
    assert all(0.6 <= match.score <= 1 for match in matches)
    assert propose_matches("Frauenhaus Offenbach") == []
    unit = propose_matches("Caritasverband Darmstadt e.V. - Schuldnerberatung", limit=1)[0]
    assert unit.kind == "unit"


def test_propose_matches_can_be_limited_to_candidates(seed):
    candidates = Organisation.objects.filter(name__startswith="Diakonisches Werk Darmstadt")
    matches = propose_matches("Diakonie Darmstadt-Dieburg", candidates=candidates)
    assert {match.organisation.name for match in matches} == {
        "Diakonisches Werk Darmstadt-Dieburg e.V.",
        "Diakonisches Werk Darmstadt-Dieburg",
    }
