"""How the search writes texts and queries: case, umlauts and ß folded, split into words."""

import re
import unicodedata

WORD = re.compile(r"[^\W_]+")
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
# Words that say nothing on their own; a query made only of them still searches for them.
GERMAN_STOPWORDS = "der die das des dem den und oder im in am an auf für fuer von vom zu zum zur mit e v ev"
ENGLISH_STOPWORDS = "the of and for on at to a"
STOPWORDS = frozenset(f"{GERMAN_STOPWORDS} {ENGLISH_STOPWORDS}".split())


def fold(text):
    """Lower case with umlauts written out: "Der PARITÄTISCHE" -> "der paritaetische"."""
    return text.casefold().translate(UMLAUTS)


def fold_plain(text):
    """Lower case without any accents: "Der PARITÄTISCHE" -> "der paritatische"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text):
    """The folded words of a text in both spellings, so either way of typing an umlaut finds it."""
    return frozenset(WORD.findall(fold(text))) | frozenset(WORD.findall(fold_plain(text)))


def query_words(query):
    """The words of a query, without stopwords unless the query has nothing else."""
    found = list(dict.fromkeys(WORD.findall(fold(query))))
    meaningful = [word for word in found if word not in STOPWORDS]
    return meaningful or found


def joined(found):
    """Words as the search table stores them: sorted, with a space before and after each."""
    return f" {' '.join(sorted(found))} " if found else ""
