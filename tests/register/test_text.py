"""The register's one reading of names: folding, slugs and legal forms (register.text)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from register.models import ActorGroup, LegalForm, unique_slug
from register.text import LEGAL_FORM_ABBREVIATIONS, fold, free_slug, slug_base, split_legal_form


def test_fold_writes_out_umlauts_and_sharp_s():
    assert fold("Paritätische Großstadt Ünd Öl") == "paritaetische grossstadt uend oel"
    assert fold("Café") == "cafe"


@given(st.text(max_size=40))
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def test_fold_is_idempotent_for_letters_that_decompose_into_capitals():
    assert fold("ᴬ") == fold(fold("ᴬ")) == "a"


def test_slugs_write_umlauts_out():
    assert slug_base("Arbeitskreis Migration & Gesundheit") == "arbeitskreis-migration-gesundheit"
    assert slug_base("Ökumenische Flüchtlingshilfe Groß-Umstadt") == "oekumenische-fluechtlingshilfe-gross-umstadt"
    assert slug_base("—") == "eintrag"


def test_free_slug_numbers_taken_slugs_within_the_length():
    taken = {"kab", "kab-2"}
    assert free_slug("KAB", taken.__contains__) == "kab-3"
    assert free_slug("a" * 30, {"a" * 10}.__contains__, max_length=10) == "a" * 8 + "-2"


@pytest.mark.django_db
def test_unique_slug_and_the_table_import_share_the_rule():
    ActorGroup.objects.create(name="Religionsgemeinschaften", slug="religionsgemeinschaften")
    assert unique_slug(ActorGroup, "Religionsgemeinschaften") == "religionsgemeinschaften-2"


def test_legal_forms_are_recognised_and_removed():
    assert split_legal_form("Caritasverband Darmstadt e.V.")[0] == "ev"
    assert split_legal_form("Caritasverband Darmstadt e. V.")[0] == "ev"
    assert split_legal_form("CARITASVERBAND DARMSTADT E.V.")[0] == "ev"
    assert split_legal_form("Caritasverband Darmstadt eV - Migrationsdienst")[0] == "ev"
    assert split_legal_form("Bildung gGmbH")[0] == "ggmbh"
    assert split_legal_form("Bildung GmbH")[0] == "gmbh"
    assert split_legal_form("Bildung GmbH")[1].split() == ["Bildung"]
    # "Ev." before a word is "Evangelisch", not a legal form.
    assert split_legal_form("Ev. Dekanat Vorderer Odenwald")[0] == ""
    assert LEGAL_FORM_ABBREVIATIONS["kdoer"] == "KdöR"


def test_the_organisations_legal_form_comes_from_the_same_reading():
    assert LegalForm.stated_in("Caritasverband Darmstadt e.V. - Migrationsdienst") == LegalForm.REGISTERED_ASSOCIATION
    assert LegalForm.stated_in("Jugendberufshilfe gGmbH") == LegalForm.NONPROFIT_COMPANY
    assert LegalForm.stated_in("Beratung gUG (haftungsbeschränkt)") == LegalForm.NONPROFIT_COMPANY
    assert LegalForm.stated_in("Kommunale Dienste GmbH & Co. KG") == LegalForm.COMPANY
    assert LegalForm.stated_in("Jüdische Gemeinde KdöR") == LegalForm.PUBLIC_LAW
    assert LegalForm.stated_in("Stiftung Nieder-Ramstädter Diakonie") == LegalForm.FOUNDATION
    assert LegalForm.stated_in("Ev. Dekanat Vorderer Odenwald") == LegalForm.UNKNOWN
