"""How the search reads a text: words, their German stems (Snowball) and the parts of compounds.

Indexing and searching both go through ``terms()``, so that a word finds the same stem however it
is written: "Flüchtlinge", "Fluechtlinge" and "Fluchtlinge" all become "fluchtling". Compounds are
split where their end is a word of this field ("Kreisausländerbeirat" also stands for
"Ausländerbeirat", "Beirat" and "Ausländer"): ``COMPOUND_PARTS`` lists those words.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[^\W_]+")
# Words that say nothing on their own; a query made only of them still searches for them.
_STOPWORDS = """
der die das des dem den ein eine einer eines und oder im in am an auf für von vom zu zum zur mit bei e v ev
the of and for on at to a an in with by
"""
STOPWORDS = frozenset(_STOPWORDS.split())
# Words that end (or start) compounds in this field; a word made of them is also indexed by its parts.
_COMPOUND_PARTS = """
amt arbeit arbeitskreis arzt ärztin ausländer ausländerbeirat aufenthalt asyl beauftragte beirat behinderte beratung
berater behörde beruf betreuung bildung büro dienst ehrenamt einrichtung eltern familie flucht flüchtling
forum frauen freiwillige förderung gemeinde gesundheit gruppe haus heim hilfe hochschule integration inklusion
jugend kinder klinik kommission kreis kultur kurs leben medizin migranten migration netzwerk pflege politik
praxis projekt psychologie recht religion schule senioren sozial sprache stelle stadt stätte tagesstätte
stützpunkt teilhabe treff verband verein vermittlung werk wohnung zentrum zuwanderung
"""
COMPOUND_PARTS = frozenset(_COMPOUND_PARTS.split())
# Shorter words than this are matched whole (abbreviations: DRK, IB, VHS), never as a start or in a compound.
MIN_PART = 4

_stemmer = snowballstemmer.stemmer("german")
# The Snowball stemmers of the other languages texts are translated into. Their stems are kept apart
# from the German ones ("en:health"): a search reads the German and the visitor's language, never a
# third, and a German search finds what it found before. A language without a stemmer (Ukrainian)
# is matched by whole words.
STEMMERS = {"en": "english", "tr": "turkish", "ar": "arabic", "fa": "persian"}
_UMLAUTS = {"ä", "ö", "ü"}


def fold_keeping_umlauts(text):
    """Lower case, "ß" as "ss", accents removed except the German umlauts, which the Snowball stemmer
    folds itself (``register.text.fold`` writes them out, for names compared letter by letter)."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("ß", "ss").replace("ı", "i"))
    kept = []
    for char in decomposed:
        if unicodedata.combining(char):
            if char == "\u0308" and kept and kept[-1] in "aou":
                kept[-1] = unicodedata.normalize("NFC", kept[-1] + char)
            continue
        kept.append(char)
    return "".join(kept)


def words(text):
    """The folded words of a text, in order."""
    return WORD.findall(fold_keeping_umlauts(text))


@lru_cache(maxsize=50_000)
def stem(word):
    """The Snowball stem of a folded word: "beratungen" -> "berat", "flüchtlinge" -> "fluchtling"."""
    return _stemmer.stemWord(word)


@lru_cache(maxsize=1)
def _part_stems():
    return {stem(fold_keeping_umlauts(part)): len(fold_keeping_umlauts(part)) for part in COMPOUND_PARTS}


def split(word):
    """(start, end) of a compound whose end is a known part, the longest such end; None for other words."""
    known = _part_stems()
    for cut in range(3, len(word) - 2):
        end = word[cut:]
        if stem(end) in known:
            start = word[: -len(end)]
            if start.endswith("s") and len(start) >= 7:
                start = start[:-1]  # the linking s: "Migrationsberatung"
            return (start, end) if len(start) >= MIN_PART else None
    return None


@lru_cache(maxsize=50_000)
def compound_parts(word):
    """The stems a compound also stands for: "kreisausländerbeirat" -> ausländerbeirat, beirat, ausland, kreis.

    Empty for a word that is no compound of a known part (``COMPOUND_PARTS``).
    """
    parts = split(word)
    if parts is None:
        return ()
    start, end = parts
    found = [stem(end), *compound_parts(end), stem(start), *compound_parts(start)]
    return tuple(dict.fromkeys(part for part in found if part != stem(word) and len(part) >= 3))


@lru_cache(maxsize=8)
def _stemmer_of(name):
    return snowballstemmer.stemmer(name)


@lru_cache(maxsize=50_000)
def stem_in(language, word):
    """The stem of a folded word of a translation into ``language``, marked with it: "en:refuge"."""
    name = STEMMERS.get(language)
    return f"{language}:{_stemmer_of(name).stemWord(word) if name else word}"


def bare(term):
    """A stem without the language it is marked with ("en:refuge" -> "refuge"; German stems have none)."""
    return term.partition(":")[2] or term


def phrase_in(language, text):
    """The whole text of a translation as one key, for matching a name exactly."""
    return " ".join(stem_in(language, word) for word in words(text) if word not in STOPWORDS)[:190]


def terms(text):
    """(stem, word) for every word of a text, stopwords left out."""
    return [(stem(word), word) for word in words(text) if word not in STOPWORDS]


def phrase(text):
    """The whole text as one key, for matching a name exactly: its stems without stopwords."""
    return " ".join(term for term, _word in terms(text))[:190]
