"""Names as people read them: one Unicode form, and no characters that nobody can see.

``Caritas\\u200bverband`` looks like ``Caritasverband`` but is another name (an invisible duplicate);
a line break in a name breaks the subject of every mail that names it; right-to-left overrides make
text read differently from how it is stored. ``NameField`` stores names in Unicode NFC and refuses
such characters with a message that names them, in every write path: forms, the API and imports
validate the model (``full_clean``), and whatever is saved is normalised.

``PreferredLanguageField``: the language of the site in which a person reads the office's mails.
"""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Characters that render as nothing or reorder text: zero-width and joiners, bidirectional
# marks, embeddings, overrides and isolates, word joiner and invisible operators, byte-order mark.
INVISIBLE = {
    "\u00ad",  # soft hyphen
    "\u061c",  # Arabic letter mark
    "\u180e",  # Mongolian vowel separator
    *map(chr, range(0x200B, 0x2010)),  # zero-width space, joiners, LRM, RLM
    *map(chr, range(0x202A, 0x202F)),  # embeddings and overrides
    *map(chr, range(0x2060, 0x2070)),  # word joiner, invisible operators, isolates
    "\ufeff",  # zero-width no-break space
}


# Joiners that Persian, Arabic or Indic writing needs between two of its letters (never between Latin ones).
JOINERS = {"\u200c", "\u200d"}
FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}


def _joins_letters(value, index):
    """Whether the joiner at ``index`` stands between two letters of a script that uses it."""
    if index == 0 or index == len(value) - 1:
        return False
    neighbours = value[index - 1], value[index + 1]
    return all(
        unicodedata.category(char).startswith("L") and not unicodedata.name(char, "LATIN").startswith("LATIN")
        for char in neighbours
    )


def unwanted_characters(value):
    """The characters of ``value`` a name must not hold: control characters (also line breaks and
    tabs), format characters and the invisible ones above."""
    return [
        char
        for index, char in enumerate(value)
        if (char in INVISIBLE or unicodedata.category(char) in FORBIDDEN_CATEGORIES)
        and not (char in JOINERS and _joins_letters(value, index))
    ]


def describe(char):
    name = unicodedata.name(char, "")
    if char in "\r\n":
        name = "LINE BREAK"
    elif char == "\t":
        name = "TAB"
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def validate_name(value):
    found = unwanted_characters(value)
    if found:
        raise ValidationError(
            _(
                "The name contains characters that cannot be seen or that break lines (%(characters)s). "
                "Please type it again or remove them."
            ),
            code="invisible_characters",
            params={"characters": ", ".join(dict.fromkeys(describe(char) for char in found))},
        )


def normalise_name(value):
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


class NameField(models.CharField):
    """A CharField for names and titles: stored in NFC, refusing invisible and control characters."""

    default_validators = [validate_name]

    def to_python(self, value):
        return normalise_name(super().to_python(value))

    def pre_save(self, model_instance, add):
        value = normalise_name(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value


def site_language(code):
    """The language of the site that ``code`` names ("en-gb" → "en"); the site's language for any other."""
    offered = {language for language, _name in settings.LANGUAGES}
    code = (code or "").lower()
    for candidate in (code, code.split("-")[0], code.split("_")[0]):
        if candidate in offered:
            return candidate
    return settings.LANGUAGE_CODE


def default_language():
    return settings.LANGUAGE_CODE


def language_choices():
    """The languages of the site (a callable, so that a language added to the site needs no migration)."""
    return settings.LANGUAGES


class PreferredLanguageField(models.CharField):
    """The language of the site in which someone reads the mails the office sends them: one of
    ``settings.LANGUAGES``, the site's language unless they chose another."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("choices", language_choices)
        kwargs.setdefault("default", default_language)
        super().__init__(*args, **kwargs)
