"""The English title and text of the site pages become translations (register.translations), like any
other text staff write; backwards, the English translations go back into the columns."""

import datetime
import hashlib
import importlib

from django.db import migrations

FIELDS = {"title_en": "title_de", "body_en": "body_de"}


def digest(text):
    return hashlib.sha256((text or "").encode()).hexdigest()


def store_english(apps, page, english):
    """Translation rows for ``english`` = {"title_en": ..., "body_en": ...} of ``page``, made from its German
    as it is now (the page showed both side by side until this migration)."""
    Translation = apps.get_model("register", "Translation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(app_label="register", model="sitepage")
    for column, german in FIELDS.items():
        text = (english.get(column) or "").strip()
        if not text:
            continue
        Translation.objects.update_or_create(
            content_type=content_type,
            object_id=page.pk,
            field=german,
            language="en",
            defaults={
                "text": text,
                "source_text": getattr(page, german),
                "source_digest": digest(getattr(page, german)),
            },
        )


def columns_to_translations(apps, schema_editor):
    for page in apps.get_model("register", "SitePage").objects.all():
        store_english(apps, page, {column: getattr(page, column) for column in FIELDS})


def create_site_pages(apps, schema_editor):
    """The site pages as migrations 0014 and this one leave them, English as translations (tests call this
    after emptying the tables)."""
    SitePage = apps.get_model("register", "SitePage")
    examples = importlib.import_module("register.migrations.0014_mandatory_site_pages")
    privacy = importlib.import_module("portal.migrations.0002_default_privacy_statement")
    pages = {
        "privacy": {
            "title_de": privacy.TITLE_DE,
            "body_de": privacy.BODY_DE,
            "title_en": privacy.TITLE_EN,
            "body_en": privacy.BODY_EN,
            "is_example": False,
        },
        **{key: {**values, "is_example": True} for key, values in examples.PAGES.items()},
    }
    for key, values in pages.items():
        defaults = {name: value for name, value in values.items() if name not in FIELDS}
        if key == "accessibility":
            defaults["reviewed_on"] = datetime.date.today()  # noqa: DTZ011 – the day the example is installed
        page, created = SitePage.objects.get_or_create(key=key, defaults=defaults)
        if created:
            store_english(apps, page, values)


def translations_to_columns(apps, schema_editor):
    SitePage = apps.get_model("register", "SitePage")
    Translation = apps.get_model("register", "Translation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="register", model="sitepage").first()
    if content_type is None:
        return
    rows = Translation.objects.filter(content_type=content_type, language="en", field__in=FIELDS.values())
    texts = {(row.object_id, row.field): row.text for row in rows}
    for page in SitePage.objects.all():
        for english, german in FIELDS.items():
            setattr(page, english, texts.get((page.pk, german), "")[: 200 if english == "title_en" else None])
        page.save(update_fields=list(FIELDS))
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("register", "0024_translation_source_text_and_offered_languages"),
    ]

    operations = [migrations.RunPython(columns_to_translations, translations_to_columns)]
