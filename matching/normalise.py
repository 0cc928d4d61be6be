"""Normalisation of German organisation names for matching: pure functions, no database.

A name becomes a ``Name``: its legal form, the places it names, and a list of typed tokens.
Case, umlauts and ß, punctuation and legal forms do not matter; compounds are split at the
usual heads ("Caritasverband" → "caritas verband"), adjective endings are cut ("Diakonisches"
→ "diakonisch"), and the editable list of abbreviations, synonyms and former names maps every
spelling of one concept onto one token ("DRK" and "Deutsches Rotes Kreuz" → "drk").
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Kinds of token.
CONTENT = "content"  # words that say what the organisation is or does
GENERIC = "generic"  # words that many names share and that say little ("Verband", "Kreisverband")
CONCEPT = "concept"  # an entry of the abbreviation list
PLACE = "place"  # a municipality, county or region

# Abbreviations, synonyms and former names of the social sector and public administration.
# (short form, long form, kind) – the defaults of the editable list (matching.models.Abbreviation).
DEFAULT_ABBREVIATIONS = [
    ("DRK", "Deutsches Rotes Kreuz", "abbreviation"),
    ("AWO", "Arbeiterwohlfahrt", "abbreviation"),
    ("IB", "Internationaler Bund", "abbreviation"),
    ("BAMF", "Bundesamt für Migration und Flüchtlinge", "abbreviation"),
    ("VHS", "Volkshochschule", "abbreviation"),
    ("KfB", "Kreisagentur für Beschäftigung", "abbreviation"),
    ("Ev.", "Evangelisch", "abbreviation"),
    ("Evang.", "Evangelisch", "abbreviation"),
    ("Kath.", "Katholisch", "abbreviation"),
    ("Diakonie", "Diakonisches Werk", "synonym"),
    ("Paritätischer", "Paritätischer Wohlfahrtsverband", "synonym"),
    ("Caritas", "Caritasverband", "synonym"),
    ("DGB", "Deutscher Gewerkschaftsbund", "abbreviation"),
    ("IHK", "Industrie- und Handelskammer", "abbreviation"),
    ("HWK", "Handwerkskammer", "abbreviation"),
    ("DPWV", "Paritätischer Wohlfahrtsverband", "abbreviation"),
    ("ASB", "Arbeiter-Samariter-Bund", "abbreviation"),
    ("JMD", "Jugendmigrationsdienst", "abbreviation"),
    ("MBE", "Migrationsberatung für erwachsene Zuwanderer", "abbreviation"),
    ("SPZ", "Sozialpädiatrisches Zentrum", "abbreviation"),
    ("MGH", "Mehrgenerationenhaus", "abbreviation"),
    ("SkF", "Sozialdienst katholischer Frauen", "abbreviation"),
    ("SKM", "Sozialdienst katholischer Männer", "abbreviation"),
    ("KAB", "Kreisausländerbeirat", "abbreviation"),
    ("HMSI", "Hessisches Ministerium für Soziales und Integration", "abbreviation"),
    ("Jobcenter", "Kreisagentur für Beschäftigung", "synonym"),
    ("Arbeitsamt", "Agentur für Arbeit", "former"),
    ("Studentenwerk", "Studierendenwerk", "former"),
    ("Ausländerbeirat", "Integrationsbeirat", "former"),
]

# Places the matcher knows besides the register's municipalities (one a line, "#" starts a comment).
PLACES = [
    line.strip()
    for line in (Path(__file__).resolve().parent / "data" / "places.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]

# Words many organisation names share; they weigh little and are never a reason to keep two apart.
GENERIC_WORDS = {
    "verband",
    "verein",
    "werk",
    "kreisverband",
    "stadtverband",
    "ortsverband",
    "bezirksverband",
    "landesverband",
    "regionalverband",
    "ortsverein",
    "gemeinde",
    "stadt",
    "landkreis",
    "kreis",
    "wissenschaftsstadt",
    "universitaetsstadt",
    "kreisstadt",
    "region",
    "gruppe",
    "einrichtung",
    "dienststelle",
    "traeger",
}

# Words that say at which level a place is meant: the county or the town.
COUNTY_WORDS = {"landkreis", "landkreises", "kreis", "kreises", "lk", "lkr"}
TOWN_WORDS = {"stadt", "wissenschaftsstadt", "universitaetsstadt", "kreisstadt", "gemeinde", "hansestadt"}

STOPWORDS = {
    "der",
    "die",
    "das",
    "des",
    "dem",
    "den",
    "und",
    "fuer",
    "im",
    "in",
    "am",
    "an",
    "von",
    "vom",
    "zur",
    "zum",
    "zu",
    "mit",
    "bei",
    "auf",
    "fur",
    "u",
    "a",
}

# The heads at which compounds are split: "Caritasverband" → "caritas" + "verband".
COMPOUND_HEADS = sorted(
    [
        "verband",
        "verein",
        "werk",
        "dienst",
        "dienste",
        "stelle",
        "beratung",
        "zentrum",
        "haus",
        "amt",
        "buero",
        "arbeitskreis",
        "schule",
        "hochschule",
        "hilfe",
        "hilfen",
        "gemeinschaft",
        "stiftung",
        "bund",
        "netzwerk",
        "forum",
        "beirat",
        "rat",
        "gruppe",
        "projekt",
        "initiative",
        "treff",
        "werkstatt",
        "klinik",
        "praxis",
        "station",
        "heim",
        "kammer",
        "agentur",
        "behoerde",
        "dezernat",
        "bereich",
        "abteilung",
        "koordination",
        "kirche",
        "gemeinde",
        "foerderung",
        "arbeit",
        "bildung",
        "zentrale",
        "punkt",
        "stuetzpunkt",
        "kommission",
        "ausschuss",
    ],
    key=len,
    reverse=True,
)
# Compounds that name a level of an organisation; they are not split.
UNSPLIT = GENERIC_WORDS | COUNTY_WORDS | TOWN_WORDS | {"arbeitskreis", "kreisagentur", "kreistag", "kreisausschuss"}

FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "&": " und ", "+": " und "})
LEGAL_FORMS = [
    (re.compile(r"\bg(?:emeinnützige)?\s?GmbH\b", re.IGNORECASE), "ggmbh"),
    (re.compile(r"\bgUG\b(?:\s*\(haftungsbeschränkt\))?"), "gug"),
    (re.compile(r"\bGmbH\b(?:\s*&\s*Co\.?\s*KG)?", re.IGNORECASE), "gmbh"),
    (re.compile(r"\bUG\b(?:\s*\(haftungsbeschränkt\))?"), "ug"),
    (re.compile(r"\bmbH\b"), "gmbh"),
    (re.compile(r"(?<![A-Za-zÄÖÜäöüß])[eE]\.\s?[Vv]\.?(?![A-Za-zÄÖÜäöüß])"), "ev"),
    (re.compile(r"\b(?:eV|ev)\b(?!\.)"), "ev"),
    (re.compile(r"\bEV\b(?=\s*(?:$|[,;–-]))"), "ev"),
    (re.compile(r"\beingetragener Verein\b", re.IGNORECASE), "ev"),
    (re.compile(r"\bK\.?d\.?ö\.?R\.?(?![A-Za-z])"), "kdoer"),
    (re.compile(r"\bAöR\b"), "aoer"),
]
ADJECTIVE_ENDING = re.compile(r"(?<=.{3})(isch|sch|al|ig|lich|ell|ar)(e|er|es|en|em)$")
FUGEN_S = re.compile(r"(ungs|ions|heits|keits|schafts|taets|ings|ats)$")
WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def fold(text):
    """Lower case, umlauts and ß written out, other accents dropped."""
    text = text.lower().translate(FOLD)
    while not text.isascii():
        # Decomposing can bring up letters that fold again ("ᴬ" becomes "A"): repeat until nothing changes.
        decomposed = unicodedata.normalize("NFKD", text)
        folded = "".join(char for char in decomposed if not unicodedata.combining(char)).lower().translate(FOLD)
        if folded == text:
            break
        text = folded
    return text


def legal_form_of(name):
    """The legal form a name states ("ev", "ggmbh", …) and the name without it."""
    found = ""
    for pattern, form in LEGAL_FORMS:
        if pattern.search(name):
            found = found or form
            name = pattern.sub(" ", name)
    return found, name


@lru_cache(maxsize=200_000)
def stem(word):
    """Cut adjective endings, so that "Diakonisches" and "Diakonische" are one word."""
    return ADJECTIVE_ENDING.sub(r"\1", word) if len(word) > 5 else word


@lru_cache(maxsize=200_000)
def split_compound(word):
    """Split a compound at a known head; the modifier loses its linking s ("Migrationsdienst")."""
    if word in UNSPLIT or len(word) < 8:
        return (word,)
    for head in COMPOUND_HEADS:
        if word.endswith(head) and len(word) - len(head) >= 4:
            modifier = word[: -len(head)]
            if FUGEN_S.search(modifier):
                modifier = modifier[:-1]
            return (*split_compound(modifier), head)
    return (word,)


@dataclass(frozen=True)
class Token:
    text: str
    kind: str
    source: tuple = ()  # for a concept: (short form, long form, kind of entry, words as written)


@dataclass
class Name:
    original: str
    legal_form: str = ""
    places: frozenset = frozenset()
    level: str = ""  # "county", "town" or "" – which level of the places the name means
    tokens: list = field(default_factory=list)

    @cached_property
    def key_tokens(self):
        """Tokens that say what the organisation is: content and concepts."""
        return [token.text for token in self.tokens if token.kind in (CONTENT, CONCEPT)]

    @cached_property
    def joined(self):
        return "".join(token.text for token in self.tokens if token.kind in (CONTENT, CONCEPT, GENERIC))


class Normaliser:
    """Turns names into ``Name`` objects with one abbreviation list and one gazetteer."""

    def __init__(self, abbreviations=DEFAULT_ABBREVIATIONS, places=()):
        self.places, self.vocabulary, self._corrections, self._cache = set(), set(), {}, {}
        for place in [*PLACES, *places]:
            folded = re.sub(r"\s*\(.*\)$", "", fold(place)).strip()
            self.places.add(re.sub(r"[\s-]+", "-", folded))
        self.phrases = {}  # tuple of words → (concept token, short form, long form, kind)
        for short, long, kind in abbreviations:
            long_words = tuple(self._words(long))
            concept = "§" + "".join(long_words)
            for phrase in (tuple(self._words(short)), long_words):
                if phrase:
                    self.phrases[phrase] = (concept, short, long, kind)
        self.longest_phrase = max((len(phrase) for phrase in self.phrases), default=1)
        self.vocabulary = {word for phrase in self.phrases for word in phrase if len(word) >= 5}
        self.vocabulary |= {word for word in GENERIC_WORDS | set(COMPOUND_HEADS) if len(word) >= 5}
        self._corrections.clear()

    @cached_property
    def _places_by_length(self):
        """{length of a word: the places within its allowed distance}: only those can be that close."""
        lengths = {}
        for place in sorted(self.places):
            lengths.setdefault(len(place), []).append(place)
        found = {}
        for length in range(6, max(lengths, default=0) + 3):
            allowed = 2 if length >= 12 else 1
            found[length] = [
                place for near in range(length - allowed, length + allowed + 1) for place in lengths.get(near, ())
            ]
        return found

    def correct_place(self, word):
        """The place that ``word`` misspells by one letter (two in long names), or ``word``."""
        if len(word) < 6 or word in self.places:
            return word
        found = self._corrections.get(("place", word))
        if found is None:
            allowed = 2 if len(word) >= 12 else 1
            candidates = self._places_by_length.get(len(word), ())
            best = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=allowed)
            found = self._corrections["place", word] = best[0] if best else word
        return found

    def correct(self, word):
        """A word of the abbreviation list or a common word that ``word`` misspells by one letter, or ``word``."""
        if len(word) < 5 or word in self.vocabulary or word in self.places:
            return word
        found = self._corrections.get(word)
        if found is None:
            close = [known for known in self.vocabulary if OSA.distance(word, known, score_cutoff=1) <= 1]
            found = self._corrections[word] = close[0] if len(close) == 1 else word
        return found

    def _words(self, text, strip_legal_form=True):
        """Folded, split and stemmed words without stopwords (and legal forms)."""
        if strip_legal_form:
            _form, text = legal_form_of(text)
        raw = WORD.findall(fold(text).replace(".", " "))
        merged, index = [], 0
        while index < len(raw):
            pair = self.correct_place(f"{raw[index]}-{raw[index + 1]}") if index + 1 < len(raw) else ""
            if pair in self.places:
                merged.append(pair)
                index += 2
            else:
                merged.append(self.correct_place(raw[index]))
                index += 1
        words = []
        for word in merged:
            if word in self.places:
                words.append(word)
                continue
            for part in word.split("-"):
                if part and part not in STOPWORDS:
                    words.extend(self.correct(stem(piece)) for piece in split_compound(self.correct(part)))
        return [word for word in words if word not in STOPWORDS]

    def __call__(self, name):
        """The ``Name`` of a string; names seen before come from a cache."""
        found = self._cache.get(name)
        if found is None:
            found = self._cache[name] = self._normalise(name)
        return found

    def _normalise(self, name):
        legal_form, rest = legal_form_of(name)
        words = self._words(rest, strip_legal_form=False)
        tokens, places, level = [], set(), ""
        index = 0
        while index < len(words):
            for size in range(min(self.longest_phrase, len(words) - index), 0, -1):
                phrase = tuple(words[index : index + size])
                if phrase in self.phrases:
                    concept, short, long, kind = self.phrases[phrase]
                    tokens.append(Token(concept, CONCEPT, (short, long, kind, " ".join(phrase))))
                    index += size
                    break
            else:
                word = words[index]
                if word in self.places:
                    places.add(word)
                    tokens.append(Token(word, PLACE))
                    neighbours = words[max(index - 1, 0) : index] + words[index + 1 : index + 2]
                    if any(neighbour in COUNTY_WORDS for neighbour in neighbours):
                        level = level or "county"
                    elif any(neighbour in TOWN_WORDS for neighbour in neighbours):
                        level = level or "town"
                elif word in COUNTY_WORDS:
                    tokens.append(Token("landkreis", GENERIC))
                elif word in TOWN_WORDS:
                    tokens.append(Token("stadt", GENERIC))
                else:
                    tokens.append(Token(word, GENERIC if word in GENERIC_WORDS else CONTENT))
                index += 1
        return Name(name, legal_form, frozenset(places), level, tokens)
