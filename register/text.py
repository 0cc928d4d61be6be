"""How the register reads and writes names: folding, slugs and the legal form a name states.

Each rule lives here once; the matcher, the importers, the slugs of every model (and the search)
call these functions instead of keeping their own copy.
"""

import re
import unicodedata

from django.utils.text import slugify

GERMAN_SPELLING = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
GERMAN_LETTERS = str.maketrans(GERMAN_SPELLING)

# The legal forms a German organisation's name states, each with the way it is written. The
# abbreviation is taken out of the name, so that "Caritas e.V." and "Caritas" compare by their words.
LEGAL_FORMS = [
    (re.compile(r"\bg(?:emeinnützige)?\s?GmbH\b", re.IGNORECASE), "ggmbh", "gGmbH"),
    (re.compile(r"\bgUG\b(?:\s*\(haftungsbeschränkt\))?"), "gug", "gUG"),
    (re.compile(r"\bGmbH\b(?:\s*&\s*Co\.?\s*KG)?", re.IGNORECASE), "gmbh", "GmbH"),
    (re.compile(r"\bUG\b(?:\s*\(haftungsbeschränkt\))?"), "ug", "UG"),
    (re.compile(r"\bmbH\b"), "gmbh", "GmbH"),
    (re.compile(r"(?<![A-Za-zÄÖÜäöüß])[eE]\.\s?[Vv]\.?(?![A-Za-zÄÖÜäöüß])"), "ev", "e.V."),
    (re.compile(r"\b(?:eV|ev)\b(?!\.)"), "ev", "e.V."),
    (re.compile(r"\bEV\b(?=\s*(?:$|[,;–-]))"), "ev", "e.V."),
    (re.compile(r"\beingetragener Verein\b", re.IGNORECASE), "ev", "e.V."),
    (re.compile(r"\bK\.?d\.?ö\.?R\.?(?![A-Za-z])"), "kdoer", "KdöR"),
    (re.compile(r"\bAöR\b"), "aoer", "AöR"),
]
LEGAL_FORM_ABBREVIATIONS = {code: written for _pattern, code, written in LEGAL_FORMS}


def fold(text):
    """Lower case, umlauts and ß written out, other accents dropped: "Der PARITÄTISCHE" -> "der paritaetische"."""
    text = text.lower().translate(GERMAN_LETTERS)
    while not text.isascii():
        # Decomposing can bring up letters that fold again ("ᴬ" becomes "A"): repeat until nothing changes.
        decomposed = unicodedata.normalize("NFKD", text)
        folded = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
        folded = folded.translate(GERMAN_LETTERS)
        if folded == text:
            break
        text = folded
    return text


def slug_base(text, max_length=120):
    """The slug a text asks for before a number makes it unique: "Arbeitskreis Migration & Gesundheit"
    -> "arbeitskreis-migration-gesundheit"."""
    return slugify(fold(text))[:max_length].strip("-") or "eintrag"


def free_slug(text, taken, max_length=120):
    """The text's slug, numbered ("-2", "-3", …) while ``taken(slug)`` says another row has it."""
    base = slug_base(text, max_length)
    slug, number = base, 2
    while taken(slug):
        suffix = f"-{number}"
        slug = base[: max_length - len(suffix)] + suffix
        number += 1
    return slug


def split_legal_form(name):
    """The legal form a name states ("ev", "ggmbh", "kdoer", …; "" for none) and the name without it."""
    found = ""
    for pattern, form, _written in LEGAL_FORMS:
        if pattern.search(name):
            found = found or form
            name = pattern.sub(" ", name)
    return found, name
