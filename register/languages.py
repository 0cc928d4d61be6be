"""The languages an organisation can say it offers counselling in, stored as a list of language tags.

A fixed list rather than free text, so that "Arabisch", "arabic" and "AR" are one language, pages
name it in the reader's language, and the open data carries the tag (BCP 47). The list holds the
languages most asked for in migration and inclusion work in Germany, sign language and Leichte Sprache.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LANGUAGES = [
    ("de", _("German")),
    ("de-x-ls", _("Easy German (Leichte Sprache)")),
    ("gsg", _("German Sign Language")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Persian (Farsi)")),
    ("prs", _("Dari")),
    ("ps", _("Pashto")),
    ("ku", _("Kurdish")),
    ("tr", _("Turkish")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("bg", _("Bulgarian")),
    ("hr", _("Croatian")),
    ("sr", _("Serbian")),
    ("bs", _("Bosnian")),
    ("sq", _("Albanian")),
    ("el", _("Greek")),
    ("it", _("Italian")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("fr", _("French")),
    ("ti", _("Tigrinya")),
    ("am", _("Amharic")),
    ("so", _("Somali")),
    ("ur", _("Urdu")),
    ("hi", _("Hindi")),
    ("vi", _("Vietnamese")),
    ("zh", pgettext_lazy("language", "Chinese")),
]
NAMES = dict(LANGUAGES)
SEPARATOR = ","


def split(value):
    """The tags of a stored value, in stored order: "de,ar" -> ["de", "ar"]."""
    return [tag for tag in (value or "").split(SEPARATOR) if tag]


def join(tags):
    """The stored value of a list of tags, in the order of LANGUAGES, without repeats."""
    chosen = set(tags)
    return SEPARATOR.join(code for code, _name in LANGUAGES if code in chosen)


def names(value):
    """The names of the stored languages in the active language."""
    return [str(NAMES[tag]) for tag in split(value) if tag in NAMES]


def validate(value):
    unknown = [tag for tag in split(value) if tag not in NAMES]
    if unknown:
        raise ValidationError(
            _("Unknown language: %(tags)s. Choose languages from the list."),
            code="unknown_language",
            params={"tags": ", ".join(unknown)},
        )
