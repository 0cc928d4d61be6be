"""The English title and text of the site pages become translations (register.translations), like any
other text staff write; backwards, the English translations go back into the columns."""

import hashlib

from django.db import migrations

FIELDS = {"title_en": "title_de", "body_en": "body_de"}


def digest(text):
    return hashlib.sha256((text or "").encode()).hexdigest()


def columns_to_translations(apps, schema_editor):
    SitePage = apps.get_model("register", "SitePage")
    Translation = apps.get_model("register", "Translation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    pages = list(SitePage.objects.all())
    if not pages:
        return
    content_type, _created = ContentType.objects.get_or_create(app_label="register", model="sitepage")
    for page in pages:
        for english, german in FIELDS.items():
            text = (getattr(page, english) or "").strip()
            if not text:
                continue
            # Made from the German as it is now: the page showed both side by side until today.
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
        ("register", "0021_translation_source_text_and_offered_languages"),
    ]

    operations = [migrations.RunPython(columns_to_translations, translations_to_columns)]
