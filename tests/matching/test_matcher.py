"""The matcher on names alone: verdicts, reasons, blocking and symmetry."""

import pytest
from django.core.management import call_command
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.explain import explain, explain_one
from matching.matcher import DISTINCT, DUPLICATE, PARENT, UNIT, Candidate, compare, find_pairs
from matching.normalise import Normaliser

NORMALISE = Normaliser()


def verdict(left, right):
    return compare(NORMALISE(left), NORMALISE(right))


def codes(result):
    return [code for code, _params in result.reasons]


@pytest.mark.parametrize(
    "left, right",
    [
        ("Caritas Verband Darmstadt e.V.", "Caritasverband Darmstadt e.V."),
        ("DRK Kreisverband Offenbach", "Deutsches Rotes Kreuz Kreisverband Offenbach e.V."),
        ("Der PARITÄTISCHE Hanau", "Der Paritätische Hanau"),
        ("Arbeiterwohlfahrt Kreisverband Kassel", "AWO Kreisverband Kassel"),
        ("Studentenwerk Darmstadt", "Studierendenwerk Darmstadt"),
        ("Volkshochschule Landkreis Darmstadt-Dieburg", "VHS Kreis Darmstadt-Dieburg"),
        ("Jugendmigrationsdienst Hanau", "Jugendmigrationsdinst Hanau"),
        ("Pro Familia Darmstadt", "Pro Familia Darmstadt e. V."),
    ],
)
def test_duplicates(left, right):
    result = verdict(left, right)
    assert result.kind == DUPLICATE and result.proposed, result


@pytest.mark.parametrize(
    "left, right",
    [
        ("Frauen helfen Frauen e.V.", "Frauenhaus Darmstadt"),
        ("Pflegestützpunkt Landkreis Darmstadt-Dieburg", "Pflegestützpunkt Wissenschaftsstadt Darmstadt"),
        ("Jugendamt Landkreis Kassel", "Jugendamt Stadt Kassel"),
        ("Caritasverband Offenbach - Suchtberatung", "Caritasverband Offenbach - Schuldnerberatung"),
        ("Evangelische Hochschule Darmstadt", "Hochschule Darmstadt"),
        ("Diakonisches Werk Hessen", "Diakonie Darmstadt-Dieburg"),
    ],
)
def test_distinct_actors(left, right):
    assert not verdict(left, right).proposed


def test_a_unit_is_not_a_duplicate_of_its_parent():
    result = verdict("Internationaler Bund - Jugendmigrationsdienst", "Internationaler Bund")
    assert result.kind == UNIT and result.proposed
    assert verdict("Internationaler Bund", "Internationaler Bund - Jugendmigrationsdienst").kind == PARENT


def test_the_reasons_say_what_differs():
    assert "place_differs" in codes(verdict("Diakonie Hessen", "Diakonie Darmstadt-Dieburg"))
    assert "level_differs" in codes(verdict("Jugendamt Landkreis Kassel", "Jugendamt Stadt Kassel"))
    assert "concept" in codes(verdict("DRK Offenbach", "Deutsches Rotes Kreuz Offenbach"))
    assert "spelling" in codes(verdict("Jugendmigrationsdienst Hanau", "Jugendmigrationsdinst Hanau"))
    assert "legal_form_differs" in codes(verdict("Bildungswerk Hanau e.V.", "Bildungswerk Hanau gGmbH"))
    assert "place_missing" in codes(verdict("Weiterleben e.V.", "Weiterleben Darmstadt e.V."))


REASONS = [
    ("same_words", {}, []),
    (
        "concept",
        {"short": "DRK", "long": "Deutsches Rotes Kreuz", "kind": "abbreviation"},
        ["DRK", "Deutsches Rotes Kreuz"],
    ),
    ("spelling", {"left": "Caritass", "right": "Caritas"}, ["Caritass", "Caritas"]),
    ("compound", {"left": "Caritasverband", "right": "Caritas Verband"}, ["Caritasverband", "Caritas Verband"]),
    ("place_missing", {"place": "Dieburg"}, ["Dieburg"]),
    ("place_differs", {"left": "Hanau", "right": "Kassel"}, ["Hanau", "Kassel"]),
    ("level_differs", {"left": "county", "right": "town"}, []),
    ("different_words", {"left": "Jugend", "right": "Senioren"}, ["Jugend", "Senioren"]),
    ("extra_words", {"words": "Migrationsdienst"}, ["Migrationsdienst"]),
    ("legal_form_differs", {"left": "ev", "right": "ggmbh"}, ["e.V.", "gGmbH"]),
    ("legal_form_missing", {"form": "ev"}, ["e.V."]),
    ("alias", {"left": "DW", "right": "Diakonisches Werk"}, ["DW", "Diakonisches Werk"]),
    ("nothing_shared", {}, []),
]


def test_every_reason_reads_as_its_own_sentence_naming_what_differs():
    reasons = [(code, params) for code, params, _named in REASONS]
    with translation.override("en"):
        english = explain(reasons)
    with translation.override("de"):
        german = explain(reasons)
    assert len(set(english)) == len(set(german)) == len(REASONS)  # no two reasons say the same
    for (code, _params, named), in_english, in_german in zip(REASONS, english, german, strict=True):
        assert in_english[0].isupper() or in_english[0] == "“", code
        assert in_english.endswith(".") and in_german.endswith("."), code
        assert in_english != in_german, code  # translated
        for value in named:
            assert value in in_english and value in in_german, (code, value)
    assert "county" in english[6] and "Landkreis" in german[6]
    assert explain_one("legal_form_differs", {"left": "ev", "right": "ggmbh"}).count("e.V.") == 1


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["Caritasverband", "DRK", "Frauenhaus", "Diakonie", "Volkshochschule", "Tafel"]),
    st.sampled_from(["Darmstadt", "Darmstadt-Dieburg", "Hanau", ""]),
    st.sampled_from(["", "e.V.", "gGmbH"]),
    st.sampled_from(["Caritas Verband", "Deutsches Rotes Kreuz", "Frauen helfen Frauen", "Diakonisches Werk", "VHS"]),
    st.sampled_from(["Darmstadt", "Landkreis Darmstadt-Dieburg", "Stadt Hanau", ""]),
)
def test_the_score_does_not_depend_on_the_order(left_name, left_place, form, right_name, right_place):
    left, right = f"{left_name} {left_place} {form}", f"{right_name} {right_place}"
    one, other = verdict(left, right), verdict(right, left)
    assert one.score == pytest.approx(other.score, abs=0.01)
    assert (one.kind == DISTINCT) == (other.kind == DISTINCT)


def test_blocking_finds_pairs_among_many_names_and_skips_decided_ones():
    names = [f"Tafel {place} e.V." for place in ["Hanau", "Kassel", "Fulda", "Gießen", "Marburg", "Wetzlar"]]
    names += ["Tafel Hanau", "Taffel Kassel"]
    entries = [Candidate(index, [name]) for index, name in enumerate(names)]
    assert {(pair.first, pair.second) for pair in find_pairs(entries)} == {(0, 6), (1, 7)}
    assert {(pair.first, pair.second) for pair in find_pairs(entries, skip={(6, 0)})} == {(1, 7)}


def test_units_are_compared_with_their_siblings_only():
    entries = [
        Candidate("drk", ["Deutsches Rotes Kreuz Darmstadt"]),
        Candidate("caritas", ["Caritasverband Darmstadt"]),
        Candidate("drk-md", ["Migrationsdienst"], parent="drk", ancestors=frozenset({"drk"})),
        Candidate("caritas-md", ["Migrationsdienst"], parent="caritas", ancestors=frozenset({"caritas"})),
        Candidate("drk-md2", ["Migrationsdienst"], parent="drk", ancestors=frozenset({"drk"})),
    ]
    assert [(pair.first, pair.second) for pair in find_pairs(entries)] in (
        [("drk-md", "drk-md2")],
        [("drk-md2", "drk-md")],
    )


def test_the_command_stores_suggestions(db, capsys):
    from register.models import Organisation

    Organisation.objects.create(name="Weiterleben e.V.", slug="weiterleben")
    Organisation.objects.create(name="Weiterleben Darmstadt e.V.", slug="weiterleben-darmstadt")
    call_command("find_duplicates")
    call_command("find_duplicates")
    output = capsys.readouterr().out.splitlines()
    assert output[0].startswith("Vorschläge: 1 neu") and output[1].startswith("Vorschläge: 0 neu, 0 geändert")


def test_a_renaming_is_found_through_the_former_name(db):
    from matching.matcher import propose_matches
    from register.models import Organisation, OrganisationAlias

    office = Organisation.objects.create(name="Büro für Demokratie und gesellschaftlichen Zusammenhalt", slug="bdz")
    OrganisationAlias.objects.create(organisation=office, name="Interkulturelles Büro Darmstadt", kind="former")
    Organisation.objects.create(name="Büro für Senioren Darmstadt", slug="senioren")
    match = propose_matches("Interkulturelles Buero Darmstadt")[0]
    assert match.organisation == office and match.kind == "duplicate"
    assert "Interkulturelles Büro Darmstadt" in match.explanation[0]
