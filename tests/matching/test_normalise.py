"""Normalisation of German organisation names: pure functions."""

from matching.normalise import CONCEPT, PLACE, Normaliser, fold_name, split_compound, stem

NORMALISE = Normaliser()


def words(name):
    return [token.text for token in NORMALISE(name).tokens]


def test_names_fold_by_the_registers_rule_with_and_for_ampersand():
    assert fold_name("Migration & Gesundheit + Pflege").split() == ["migration", "und", "gesundheit", "und", "pflege"]
    assert fold_name("Paritätische Großstadt") == "paritaetische grossstadt"
    # A compatibility form of "&" (full width) is read as "und" too.
    assert fold_name("A＆B").split() == ["a", "und", "b"]


def test_legal_forms_leave_the_words_the_matcher_compares():
    name = NORMALISE("Caritasverband Darmstadt e.V.")
    assert name.legal_form == "ev"
    assert "ev" not in words("Caritasverband Darmstadt e.V.")


def test_compounds_are_split_at_known_heads():
    assert split_compound("caritasverband") == ("caritas", "verband")
    assert split_compound("migrationsdienst") == ("migration", "dienst")
    assert split_compound("kreisverband") == ("kreisverband",)
    assert split_compound("arbeitskreis") == ("arbeitskreis",)


def test_adjective_endings_are_cut():
    assert stem("diakonisches") == stem("diakonische") == "diakonisch"
    assert stem("internationaler") == "international"


def test_written_together_or_apart_gives_the_same_words():
    assert words("Caritas Verband Darmstadt e.V.") == words("Caritasverband Darmstadt e.V.")


def test_abbreviation_and_long_form_become_one_concept():
    short, long = NORMALISE("DRK Kreisverband Darmstadt"), NORMALISE("Deutsches Rotes Kreuz Kreisverband Darmstadt")
    assert [t.text for t in short.tokens] == [t.text for t in long.tokens]
    assert short.tokens[0].kind == CONCEPT
    assert words("Diakonie Hessen") == words("Diakonisches Werk Hessen")
    assert words("Ev. Hochschule") == words("Evangelische Hochschule")


def test_places_keep_county_and_town_apart():
    county = NORMALISE("Pflegestützpunkt Landkreis Darmstadt-Dieburg")
    town = NORMALISE("Pflegestützpunkt Wissenschaftsstadt Darmstadt")
    assert county.places == {"darmstadt-dieburg"} and county.level == "county"
    assert town.places == {"darmstadt"} and town.level == "town"
    assert NORMALISE("Volkshochschule Darmstadt Dieburg").places == {"darmstadt-dieburg"}
    assert any(token.kind == PLACE for token in NORMALISE("Bad Homburg").tokens)


def test_municipalities_of_the_register_are_places():
    normaliser = Normaliser(places=["Münster (Hessen)", "Neuer Ort"])
    assert normaliser("Tafel Münster").places == {"muenster"}
    assert normaliser("Tafel Neuer Ort").places == {"neuer-ort"}


def test_misspelt_places_and_list_words_are_corrected():
    assert NORMALISE("Tafel Bad Wildugnen").places == {"bad-wildungen"}
    assert words("Deutsches Rotes Kruez Hessen") == words("DRK Hessen")


def test_an_editable_list_replaces_the_defaults():
    normaliser = Normaliser(abbreviations=[("LaDaDi", "Landkreis Darmstadt-Dieburg", "abbreviation")])
    assert [t.kind for t in normaliser("LaDaDi").tokens] == [CONCEPT]
    assert [t.kind for t in normaliser("DRK").tokens] != [CONCEPT]
