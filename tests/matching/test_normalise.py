"""Normalisation of German organisation names: pure functions."""

from hypothesis import given
from hypothesis import strategies as st

from matching.normalise import CONCEPT, PLACE, Normaliser, fold, legal_form_of, split_compound, stem

NORMALISE = Normaliser()


def words(name):
    return [token.text for token in NORMALISE(name).tokens]


def test_fold_writes_out_umlauts_and_sharp_s():
    assert fold("Paritätische Großstadt Ünd Öl") == "paritaetische grossstadt uend oel"
    assert fold("Café") == "cafe"


@given(st.text(max_size=40))
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def test_legal_forms_are_recognised_and_removed():
    assert legal_form_of("Caritasverband Darmstadt e.V.")[0] == "ev"
    assert legal_form_of("Caritasverband Darmstadt e. V.")[0] == "ev"
    assert legal_form_of("CARITASVERBAND DARMSTADT E.V.")[0] == "ev"
    assert legal_form_of("Caritasverband Darmstadt eV - Migrationsdienst")[0] == "ev"
    assert legal_form_of("Bildung gGmbH")[0] == "ggmbh"
    assert legal_form_of("Bildung GmbH")[0] == "gmbh"
    # "Ev." before a word is "Evangelisch", not a legal form.
    assert legal_form_of("Ev. Dekanat Vorderer Odenwald")[0] == ""


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


def test_fold_is_idempotent_for_letters_that_decompose_into_capitals():
    assert fold("ᴬ") == fold(fold("ᴬ")) == "a"
