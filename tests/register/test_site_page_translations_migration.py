"""Migrations 0024–0026: the English title and text of the site pages become translations, and back."""

import pytest

from tests.register.conftest import migrate

BEFORE = [
    ("register", "0023_meeting_start_index"),
    ("contenttypes", "0002_remove_content_type_name"),
]
AFTER = [("register", "0026_remove_site_page_english_columns")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_migrations")
def test_the_english_of_the_site_pages_moves_into_translations_and_back():
    apps = migrate(BEFORE)
    SitePage = apps.get_model("register", "SitePage")
    SitePage.objects.all().delete()
    SitePage.objects.create(key="imprint", title_de="Impressum", body_de="Text", title_en="Imprint", body_en="Words")
    SitePage.objects.create(key="contact", title_de="Kontakt", body_de="Schreiben Sie uns.", title_en="Contact")

    apps = migrate(AFTER)
    SitePage = apps.get_model("register", "SitePage")
    assert not {"title_en", "body_en"} & {field.name for field in SitePage._meta.get_fields()}
    Translation = apps.get_model("register", "Translation")
    rows = {
        (row.object_id, row.field): (row.language, row.text, row.source_text)
        for row in Translation.objects.filter(content_type__model="sitepage")
    }
    imprint, contact = SitePage.objects.get(key="imprint").pk, SitePage.objects.get(key="contact").pk
    assert rows == {
        (imprint, "title_de"): ("en", "Imprint", "Impressum"),
        (imprint, "body_de"): ("en", "Words", "Text"),
        (contact, "title_de"): ("en", "Contact", "Kontakt"),
    }
    offered = apps.get_model("register", "SiteIdentity").objects.get().languages
    assert offered == ["en", "ar", "tr", "uk", "fa", "de-x-ls"]

    apps = migrate(BEFORE)
    SitePage = apps.get_model("register", "SitePage")
    assert dict(SitePage.objects.values_list("key", "title_en")) == {"imprint": "Imprint", "contact": "Contact"}
    assert dict(SitePage.objects.values_list("key", "body_en")) == {"imprint": "Words", "contact": ""}
    assert not apps.get_model("register", "Translation").objects.filter(content_type__model="sitepage").exists()


def test_every_language_reads_a_site_page_through_its_translations(db):
    from django.utils import translation

    from register.models import SitePage
    from register.translations import translate

    page = SitePage.objects.get(key="contact")
    translate(page, "title_de", "uk", "Контакт")
    assert page.localised("en")["title"] == "Contact" and page.localised("en")["title_lang"] == "en"
    page = SitePage.objects.get(key="contact")
    with translation.override("uk"):
        text = page.localised()
    assert (text["title"], text["title_lang"], text["body"], text["body_lang"]) == (
        "Контакт",
        "uk",
        page.body_de,
        "de",
    )
    assert page.localised("de")["title"] == "Kontakt"
