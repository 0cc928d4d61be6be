"""Normalisation of German organisation names for matching: pure functions, no database.

A name becomes a ``Name``: its legal form, the places it names, and a list of typed tokens.
Case, umlauts and ß, punctuation and legal forms do not matter; compounds are split at the
usual heads ("Caritasverband" → "caritas verband"), adjective endings are cut ("Diakonisches"
→ "diakonisch"), and the editable list of abbreviations, synonyms and former names maps every
spelling of one concept onto one token ("DRK" and "Deutsches Rotes Kreuz" → "drk").
"""

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from register.text import fold, split_legal_form

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
    ("Uni", "Universität", "abbreviation"),
    ("Johanniter", "Johanniter-Unfall-Hilfe", "synonym"),
    ("Malteser", "Malteser Hilfsdienst", "synonym"),
]

# Places the matcher knows besides the register's municipalities (one a line, "#" starts a comment);
# "(Kreis)" marks a county whose name is no town's, "(Region)" a state or region.
PLACES = [
    line.strip()
    for line in (Path(__file__).resolve().parent / "data" / "places.txt").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
TOWN, COUNTY, REGION = "town", "county", "region"
PLACE_KINDS = {"(kreis)": COUNTY, "(region)": REGION}
# Rivers that follow a town's name ("Frankfurt am Main", "Offenbach/Main", "Frankfurt a.M."): part of the place.
RIVERS = {"main", "m", "rhein", "oder", "lahn", "neckar", "donau", "saale", "mosel", "elbe", "havel", "ruhr", "weser"}

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
    "deutsch",
    "kommunal",
    "verwaltung",
    "geschaeftsstelle",
    "hauptsitz",
    "zentrale",
    "standort",
}
# Words that name a department of an administration: "Jugendamt", "Amt für Jugend" and "Fachbereich
# Jugend" are one department. They weigh little, and a name with one is a unit of its administration.
DEPARTMENT_WORDS = {
    "amt",
    "fachbereich",
    "fachdienst",
    "abteilung",
    "referat",
    "dezernat",
    "sachgebiet",
    "fachgebiet",
    "behoerde",
    "buero",
    "stabsstelle",
    "fachstelle",
}
# The level of an association within its federation: two different ones are two associations
# ("DRK-Kreisverband Offenbach" and "DRK Ortsvereinigung Offenbach").
ORGANISATION_LEVELS = {
    "ortsverband",
    "ortsverein",
    "ortsvereinigung",
    "ortsgruppe",
    "kreisverband",
    "kreisgruppe",
    "stadtverband",
    "bezirksverband",
    "regionalverband",
    "landesverband",
    "bundesverband",
    "diözesanverband",
    "dioezesanverband",
}

# Words that say at which level a place is meant: the county or the town; names made only of these and
# places name the administration itself ("Stadt Dieburg", "Magistrat der Stadt Dieburg", "Dieburg").
COUNTY_WORDS = {"landkreis", "landkreises", "kreis", "kreises", "lk", "lkr", "landratsamt", "kreisverwaltung"}
TOWN_WORDS = {
    "stadt",
    "wissenschaftsstadt",
    "universitaetsstadt",
    "kreisstadt",
    "gemeinde",
    "hansestadt",
    "landeshauptstadt",
    "magistrat",
    "stadtverwaltung",
    "gemeindeverwaltung",
    "gemeindevorstand",
    "rathaus",
    "bezirksamt",
    "buergermeisteramt",
}
ADMINISTRATION = "§verwaltung"  # the concept of a name that names an administration

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
    "e",
    "fuers",
    "ueber",
    "unter",
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
        "fachbereich",
        "behoerde",
        "referat",
        "verwaltung",
        "universitaet",
        "kasse",
        "mission",
        "ambulanz",
    ],
    key=len,
    reverse=True,
)
# Compounds that name a level of an organisation; they are not split.
UNSPLIT = (
    GENERIC_WORDS
    | COUNTY_WORDS
    | TOWN_WORDS
    | ORGANISATION_LEVELS
    | DEPARTMENT_WORDS
    | {"fachdienst", "fachstelle", "stabsstelle", "fachgebiet", "sachgebiet"}
    | {"arbeitskreis", "kreisagentur", "kreistag", "kreisausschuss", "hochschule"}
)
# Parts that acronyms take a letter from, besides the compound heads ("VHS": Volks-hoch-schule).
ACRONYM_PARTS = sorted(
    {*COMPOUND_HEADS, "schule", "hoch", "volks", "praesidium", "kammer", "handels", "handwerks", "amt", "bund"},
    key=len,
    reverse=True,
)

CONJUNCTIONS = str.maketrans({"&": " und ", "+": " und "})
ADJECTIVE_ENDING = re.compile(r"(?<=.{3})(isch|sch|al|ig|lich|ell|ar)(e|er|es|en|em)$")
# A linking "s" after a consonant other than s: "Arbeitsagentur", "Migrationsdienst", "Volkshochschule".
FUGEN_S = re.compile(r"(?<=[^aeiouys])s$")
WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# How an acronym is written: "TU", "VHS", "KfB", "SkF", or in lower case without a vowel ("vhs").
ACRONYM = re.compile(r"^(?:[A-ZÄÖÜ]{2,6}|[A-ZÄÖÜ][a-zäöü]?[A-ZÄÖÜ][A-Za-zäöü]?)$")
SNOWBALL = Stemmer.Stemmer("german")


def fold_name(text):
    """The register's ``fold`` with "&" and "+" read as "und" (also where decomposing brings them up)."""
    return fold(text).translate(CONJUNCTIONS)


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
            if FUGEN_S.search(modifier) and len(modifier) >= 5:
                modifier = modifier[:-1]
            return (*split_compound(modifier), head)
    return (word,)


@lru_cache(maxsize=200_000)
def split_level(word):
    """A county or town word glued to the front: "Kreisvolkshochschule", "Stadtverwaltung", "Kreisjugendamt"."""
    if word in UNSPLIT:
        return (word,)
    for prefix, minimum in (("kreis", 6), ("stadt", 4), ("gemeinde", 4)):
        rest = word[len(prefix) :]
        administrative = prefix == "kreis" or rest in GENERIC_WORDS or rest.endswith(tuple(DEPARTMENT_WORDS))
        if word.startswith(prefix) and len(rest) >= minimum and administrative:
            return (prefix, rest)
    return (word,)


@lru_cache(maxsize=200_000)
def content_stem(word):
    """The Snowball stem of a content word: "Flüchtlinge" and "Flüchtlingen" become one word."""
    return SNOWBALL.stemWord(word) if len(word) > 3 else word


@lru_cache(maxsize=100_000)
def initials(word):
    """The ways a word can stand in an acronym: its first letter, or one letter per part ("vhs")."""
    found = {word[:1]}
    for part in ACRONYM_PARTS:
        if word.endswith(part) and len(word) > len(part) + 2:
            head = word[: -len(part)]
            head = head[:-1] if head.endswith("s") and len(head) > 4 else head
            found.update(option + part[0] for option in initials(head))
    for part in ACRONYM_PARTS:
        if word.startswith(part) and len(word) > len(part) + 2:
            found.update(part[0] + option for option in initials(word[len(part) :]))
    return frozenset(found)


@dataclass(frozen=True)
class Token:
    text: str
    kind: str
    source: tuple = ()  # for a concept: (short form, long form, kind of entry, words as written)
    shown: str = ""  # the word before stemming, for explanations and acronyms
    acronym: bool = False  # written like an acronym ("TU", "KfB")


@dataclass
class Name:
    original: str
    legal_form: str = ""
    places: frozenset = frozenset()
    level: str = ""  # "county", "town" or "" – which level of the places the name means
    tokens: list = field(default_factory=list)
    administration: bool = False  # the name names the administration of its place ("Stadt Dieburg")
    department: bool = False  # the name names a department ("Jugendamt", "Fachbereich Soziales")
    organisation_levels: frozenset = frozenset()  # "kreisverband", "ortsverein", …
    place_kinds: frozenset = frozenset()  # town, county, region

    @cached_property
    def key_tokens(self):
        """Tokens that say what the organisation is: content and concepts."""
        return [token.text for token in self.tokens if token.kind in (CONTENT, CONCEPT)]

    @cached_property
    def key_set(self):
        return frozenset(self.key_tokens)

    @cached_property
    def written(self):
        """Its content words as written, without spaces: the same for "Jugend-Migrationsdienst" and
        "Jugendmigrationsdienst"."""
        parts = []
        for token in self.tokens:
            if token.kind == CONCEPT:
                parts.append(token.source[3].replace(" ", ""))
            elif token.kind == CONTENT:
                parts.append(token.shown or token.text)
        return "".join(parts)

    @cached_property
    def joined(self):
        return "".join(token.text for token in self.tokens if token.kind in (CONTENT, CONCEPT, GENERIC))

    @cached_property
    def effective_level(self):
        """The level the name means: as it says, else what its places can be (a county-only name is the county)."""
        if self.level or not self.places:
            return self.level
        if self.place_kinds == {COUNTY}:
            return COUNTY
        if self.place_kinds == {TOWN}:
            return TOWN
        return ""

    @cached_property
    def acronyms(self):
        """Letters of the acronyms the name is written with, for blocking."""
        return [token.text for token in self.tokens if token.acronym]

    @cached_property
    def initial_letters(self):
        """The first letters of its content words (and finer, of their parts), for blocking with acronyms."""
        words = [token for token in self.tokens if token.kind in (CONTENT, CONCEPT, PLACE) and not token.acronym]
        named = [token for token in words if token.kind != PLACE]
        if not 2 <= len(words) <= 4 or len(named) > 3 or not all(token.text.lstrip("§").isalpha() for token in words):
            return ()
        options = {""}
        for token in words:
            if token.kind == CONCEPT:
                letters = {""}
                for word in fold_name(token.source[1]).split():
                    letters = {option + letter for option in letters for letter in initials(word)}
            else:
                letters = initials(token.shown or token.text)
            if token.kind == PLACE:
                letters = letters | {""}
            options = {option + letter for option in options for letter in letters}
            if len(options) > 16:
                break
        return tuple(sorted(option for option in options if 2 <= len(option) <= 6))


def _place_variants(place):
    """Other ways of writing a place: without "-Kreis", and as an adjective ("Darmstädter", "Münchner")."""
    variants = set()
    if place.endswith("kreis") and len(place) > 9:
        variants.add(place[: -len("kreis")].rstrip("-"))
    if "-" not in place and len(place) >= 4:
        variants.add(place + "er")
        umlauted = re.sub(r"(a|o|u)(?=[^aeiou]*$)", lambda match: match.group(1) + "e", place, count=1)
        variants.add(umlauted + "er")
        if place.endswith("en"):
            variants.add(place[:-2] + "ner")
    return variants


class Normaliser:
    """Turns names into ``Name`` objects with one abbreviation list and one gazetteer."""

    def __init__(self, abbreviations=DEFAULT_ABBREVIATIONS, places=()):
        self.vocabulary, self._corrections, self._cache = set(), {}, {}
        self.canonical, self.place_kind = {}, {}  # written place -> place; place -> town/county/region
        variants = {}
        for place in [*PLACES, *places]:
            folded = fold_name(place).strip()
            kind = next((kind for marker, kind in PLACE_KINDS.items() if folded.endswith(marker)), TOWN)
            folded = re.sub(r"\s*\(.*\)$", "", folded).strip()
            canonical = re.sub(r"[\s-]+", "-", folded)
            self.canonical[canonical] = canonical
            self.place_kind[canonical] = kind
            for variant in _place_variants(canonical):
                variants.setdefault(variant, canonical)
        for variant, canonical in variants.items():
            self.canonical.setdefault(variant, canonical)
        self.places = set(self.canonical)
        self.phrases = {}  # tuple of words → (concept token, short form, long form, kind)
        for short, long, kind in abbreviations:
            long_words = tuple(self._words(long))
            concept = "§" + "".join(long_words)
            for phrase in (tuple(self._words(short)), long_words):
                if phrase:
                    self.phrases[phrase] = (concept, short, long, kind)
            head, _for, modifier = fold_name(long).partition(" fuer ")
            if modifier and " " not in head:
                # "Agentur für Arbeit" is also written "Arbeitsagentur".
                self.phrases.setdefault((*self._words(modifier), *self._words(head)), (concept, short, long, kind))
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
        """Folded, split and stemmed words without stopwords (and legal forms); places in their one spelling."""
        if strip_legal_form:
            _form, text = split_legal_form(text)
        raw = WORD.findall(fold_name(text).replace(".", " "))
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
                words.append(self.canonical[word])
                continue
            for part in word.split("-"):
                if not part or part in STOPWORDS:
                    continue
                if part in self.places:
                    words.append(self.canonical[part])
                    continue
                if words and words[-1] in self.place_kind and part in RIVERS:
                    continue  # "Frankfurt am Main": the river belongs to the place
                if words and words[-1] in self.place_kind and part == "land":
                    words.append("landkreis")  # "Darmstadt-Land", "Offenbach-Land": the county
                    continue
                part = self.correct(part)
                if part.endswith("s") and (part[:-1] in GENERIC_WORDS or part[:-1] in COMPOUND_HEADS):
                    part = part[:-1]  # genitive: "des Diakonischen Werks"
                for level_part in split_level(part):
                    words.extend(self.correct(stem(piece)) for piece in split_compound(level_part))
        return [word for word in words if word not in STOPWORDS]

    def __call__(self, name):
        """The ``Name`` of a string; names seen before come from a cache."""
        found = self._cache.get(name)
        if found is None:
            found = self._cache[name] = self._normalise(name)
        return found

    def _normalise(self, name):
        legal_form, rest = split_legal_form(name)
        acronyms = {fold_name(word) for word in re.findall(r"[\w]+", rest) if ACRONYM.match(word)}
        words = self._words(rest, strip_legal_form=False)
        tokens, places, level, seen = [], set(), "", set()
        levels_named, organisation_levels, department = [], set(), False
        index = 0
        while index < len(words):
            for size in range(min(self.longest_phrase, len(words) - index), 0, -1):
                phrase = tuple(words[index : index + size])
                if phrase in self.phrases:
                    concept, short, long, kind = self.phrases[phrase]
                    token = Token(concept, CONCEPT, (short, long, kind, " ".join(phrase)))
                    index += size
                    break
            else:
                word = words[index]
                if word in self.place_kind:
                    places.add(word)
                    token = Token(word, PLACE)
                    neighbours = words[max(index - 1, 0) : index] + words[index + 1 : index + 2]
                    if any(neighbour in COUNTY_WORDS for neighbour in neighbours):
                        level = level or COUNTY
                    elif any(neighbour in TOWN_WORDS for neighbour in neighbours):
                        level = level or TOWN
                elif word in COUNTY_WORDS:
                    token = Token("landkreis", GENERIC)
                    levels_named.append(COUNTY)
                elif word in TOWN_WORDS:
                    token = Token("stadt", GENERIC)
                    levels_named.append(TOWN)
                elif word in DEPARTMENT_WORDS:
                    token, department = Token("amt", GENERIC, shown=word), True
                elif word in ORGANISATION_LEVELS:
                    token = Token(word, GENERIC)
                    organisation_levels.add(word)
                elif word in GENERIC_WORDS:
                    token = Token(word, GENERIC)
                elif word in acronyms and len(word) <= 6:
                    token = Token(word, CONTENT, shown=word, acronym=True)
                else:
                    token = Token(content_stem(word), CONTENT, shown=word)
                index += 1
            if (token.text, token.kind) not in seen:
                seen.add((token.text, token.kind))
                tokens.append(token)
        if places and not level and levels_named:
            level = levels_named[0]
        administration = bool(places) and all(
            token.kind == PLACE or (token.kind == GENERIC and token.text in ("landkreis", "stadt", "verwaltung"))
            for token in tokens
        )
        if administration:
            source = ("", "Verwaltung", "administration", "")
            tokens = [Token(ADMINISTRATION, CONCEPT, source), *(token for token in tokens if token.kind == PLACE)]
        kinds = frozenset(self.place_kind[place] for place in places)
        return Name(
            name,
            legal_form,
            frozenset(places),
            level,
            tokens,
            administration,
            department,
            frozenset(organisation_levels),
            kinds,
        )
