"""Finds duplicate organisations: blocking so that it scales, scoring with a readable explanation.

The core (``Candidate``, ``compare``, ``find_pairs``) is pure Python on names. ``register_entries``,
``MatchIndex`` and ``propose_matches`` connect it to the register; the importers build one
``MatchIndex`` per import and ask it about every new name.

Blocking: every name gets keys made of pairs of its rarest words (a typo in one word leaves the
other pairs intact) and of its place with the first letters of its rarest words; the names are
also sorted by their joined words, and within each place by those words forwards and reversed
(sorted neighbourhood), so that compounds and typos meet their neighbours. Only pairs that share
a key or stand close in a sort order are compared: first cheaply (different places, hardly a
letter in common), then word by word with the reasons a person can read.

Scoring: the words of two names are matched exactly, then as typing errors, then as compounds
written together or apart. Different places, county against town, or words that matter on both
sides make a pair distinct; words that matter on one side only make it "unit of" when they
follow the shared words ("Internationaler Bund - Jugendmigrationsdienst"), otherwise distinct.
"""

import threading
import time
from bisect import bisect_left
from collections import ChainMap, Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from .normalise import ADMINISTRATION, CONCEPT, CONTENT, GENERIC, PLACE, Normaliser, fold_name, initials

DUPLICATE = "duplicate"
UNIT = "unit"  # the first name is probably a unit of the second
PARENT = "parent"  # the second name is probably a unit of the first
DISTINCT = "distinct"

THRESHOLD = 0.8  # a pair at or above this score is proposed
WEIGHTS = {CONTENT: 1.0, CONCEPT: 1.2, GENERIC: 0.3}
COMPOUND_RATIO = 88
MAX_BLOCK = 120  # a key shared by more names says too little; such blocks are left to the sort orders
WINDOW = 4  # neighbours compared in each sort order
KEY_WORDS = 3  # the rarest words of a name that make its keys
PREFIX = 4  # letters of a word that, with the place, make a key
PLACE_KEY_WORDS = 2  # the rarest words whose beginnings make keys with the place
PREFILTER = 75  # pairs whose joined words are less similar are not scored


@dataclass
class Candidate:
    """One thing to match: an organisation (key) with its names; a unit names its parent and ancestors."""

    key: object
    names: list
    parent: object = None
    ancestors: frozenset = frozenset()
    normalised: list = field(default_factory=list)

    @property
    def standalone(self):
        """Top-level organisations, and units whose own name names a place, are compared with all."""
        return self.parent is None or any(name.places for name in self.normalised[:1])


@dataclass
class Verdict:
    kind: str
    score: float
    reasons: list  # [(code, {params})], rendered by matching.explain

    @property
    def proposed(self):
        return self.kind != DISTINCT and self.score >= THRESHOLD


@dataclass
class Pair:
    first: object  # key of a Candidate
    second: object
    verdict: Verdict


def _weight(tokens):
    return sum(WEIGHTS.get(token.kind, 0) for token in tokens)


def _weighted(name):
    """The tokens of a name that weigh and their total weight, worked out once per name."""
    found = name.__dict__.get("_weighted")
    if found is None:
        tokens = [token for token in name.tokens if token.kind in WEIGHTS]
        found = name.__dict__["_weighted"] = (tokens, _weight(tokens))
    return found


def _display(token):
    return token.source[3] if token.kind == CONCEPT else token.text


def _spelt(token):
    """A token as its letters were written (before stemming), for comparing spellings."""
    return token.shown if token.kind == CONTENT and token.shown else token.text.lstrip("§")


def _similar(left, right):
    """Similarity (0–100) of two words if one is the other misspelt, else 0."""
    shorter = min(len(left), len(right))
    if shorter < 4:
        return 0
    distance = OSA.distance(left, right, score_cutoff=2 if shorter >= 9 else 1)
    allowed = 2 if shorter >= 9 else 1
    return 100 - 100 * distance / max(len(left), len(right)) if distance <= allowed else 0


def _align(left, right, reasons, adjust):
    """Match the words of two names: exactly, then misspelt, as acronyms, then written together or apart.

    Returns (matched weight, unmatched tokens of left, unmatched tokens of right); ``adjust`` receives
    the weight to add to each name's total (an acronym weighs what it stands for).
    """
    right_rest = list(_weighted(right)[0])
    matched, left_rest = 0.0, []
    for token in _weighted(left)[0]:
        text = token.text
        position = next((index for index, other in enumerate(right_rest) if other.text == text), None)
        if position is None:
            left_rest.append(token)
            continue
        found = right_rest.pop(position)
        matched += 2 * WEIGHTS[token.kind]
        if token.kind == CONCEPT and token.source[3] != found.source[3]:
            short, long, kind, _written = token.source
            reasons.append(("concept", {"short": short, "long": long, "kind": kind}))
    if not left_rest or not right_rest:
        return matched, left_rest, right_rest
    for token in list(left_rest):
        best, best_similarity = None, 0
        for other in right_rest:
            similarity = _similar(_spelt(token), _spelt(other))
            if similarity > best_similarity:
                best, best_similarity = other, similarity
        if best is not None:
            left_rest.remove(token)
            right_rest.remove(best)
            matched += (WEIGHTS[token.kind] + WEIGHTS[best.kind]) * best_similarity / 100
            reasons.append(("spelling", {"left": _display(token), "right": _display(best)}))
    for side, (acronyms, rest, other, other_rest) in enumerate(
        ((left_rest, left_rest, right, right_rest), (right_rest, right_rest, left, left_rest))
    ):
        for token in [token for token in acronyms if token.acronym]:
            run = _acronym_run(token.text, other.tokens, {id(other_token) for other_token in other_rest})
            if run:
                rest.remove(token)
                weighted = [other_token for other_token in run if id(other_token) in {id(t) for t in other_rest}]
                for other_token in weighted:
                    other_rest.remove(other_token)
                matched += 2 * _weight(weighted)
                adjust[side] += _weight(weighted) - WEIGHTS[token.kind]  # the acronym weighs what it stands for
                reasons.append(("acronym", {"short": token.shown.upper(), "long": " ".join(map(_display, run))}))
    left_content = [token for token in left_rest if token.kind != GENERIC]
    right_content = [token for token in right_rest if token.kind != GENERIC]
    if len(left_content) == 1 == len(right_content):
        # The one word that differs, misspelt twice: "Juendhilfe" for "Jugendhilfe".
        left_text, right_text = _spelt(left_content[0]), _spelt(right_content[0])
        if min(len(left_text), len(right_text)) >= 6 and OSA.distance(left_text, right_text, score_cutoff=2) <= 2:
            similarity = fuzz.ratio(left_text, right_text)
            matched += (WEIGHTS[left_content[0].kind] + WEIGHTS[right_content[0].kind]) * similarity / 100
            reasons.append(("spelling", {"left": _display(left_content[0]), "right": _display(right_content[0])}))
            left_rest.remove(left_content[0])
            right_rest.remove(right_content[0])
    for only_content in (True, False):
        left_part = [token for token in left_rest if not only_content or token.kind != GENERIC]
        right_part = [token for token in right_rest if not only_content or token.kind != GENERIC]
        if not left_part or not right_part:
            continue
        joined_left = "".join(_spelt(token) for token in left_part)
        joined_right = "".join(_spelt(token) for token in right_part)
        similarity = _similar(joined_left, joined_right) or fuzz.ratio(
            joined_left, joined_right, score_cutoff=COMPOUND_RATIO
        )
        if similarity:
            matched += (_weight(left_part) + _weight(right_part)) * similarity / 100
            reasons.append(
                (
                    "compound",
                    {"left": " ".join(map(_display, left_part)), "right": " ".join(map(_display, right_part))},
                )
            )
            left_rest = [token for token in left_rest if token not in left_part]
            right_rest = [token for token in right_rest if token not in right_part]
            break
    return matched, left_rest, right_rest


def _acronym_run(letters, tokens, free):
    """The run of ``tokens`` whose initials spell ``letters`` ("tu": Technische Universität), or None.

    Content words in the run must be unmatched (their ids in ``free``); places and generic words may
    give a letter or be passed over ("THM": Technische Hochschule Mittelhessen).
    """

    def consume(position, rest):
        if not rest:
            return []
        if position == len(tokens):
            return None
        token = tokens[position]
        optional = token.kind in (PLACE, GENERIC)
        if token.kind in (CONTENT, CONCEPT) and id(token) not in free:
            return None
        if token.kind == CONCEPT:
            options = {""}
            for word in fold_name(token.source[1]).split():
                options = {option + letter for option in options for letter in initials(word)}
        else:
            options = initials(token.shown or token.text)
        for option in sorted(options, key=len, reverse=True):
            if option and rest.startswith(option):
                found = consume(position + 1, rest[len(option) :])
                if found is not None:
                    return [token, *found]
        return consume(position + 1, rest) if optional else None

    for start in range(len(tokens)):
        if tokens[start].kind == PLACE or id(tokens[start]) in free:
            found = consume(start, letters)
            if found and any(token.kind in (CONTENT, CONCEPT) for token in found):
                return found
    return None


def _extra_is_suffix(longer, extra):
    """True when the extra words of the longer name all follow its shared words ("X - Migrationsdienst")."""
    extra_ids = {id(token) for token in extra}
    seen_extra = False
    for token in longer.tokens:
        if token.kind not in (CONTENT, CONCEPT):
            continue
        if id(token) in extra_ids:
            seen_extra = True
        elif seen_extra:
            return False
    return True


def quick_reject(left, right):
    """True when two names cannot be a proposed pair: different places, or hardly anything in common.

    Half the words of the shorter name found in the other keep a pair (so a unit, whose name adds
    words to its organisation's, is compared in full), and so does an acronym or an administration.
    """
    if left.places and right.places and not left.places & right.places:
        return True
    if left.administration or right.administration or left.acronyms or right.acronyms:
        return False
    shared = len(left.key_set & right.key_set)
    if shared and 2 * shared >= min(len(left.key_set), len(right.key_set)):
        return False
    return not fuzz.ratio(left.joined, right.joined, score_cutoff=PREFILTER)


def _levels_differ(left, right):
    """The county against a town of the same name ("Landkreis Kassel", "Stadt Kassel")."""
    one, other = left.effective_level, right.effective_level
    return bool(one and other and one != other)


def _compare_administrations(left, right, reasons):
    """At least one name names an administration ("Stadt Dieburg", "Kreisverwaltung Offenbach", "Dieburg")."""
    places = ", ".join(sorted(left.places & right.places))
    if not left.places & right.places:
        return Verdict(DISTINCT, 0.0, [("nothing_shared", {})])
    if _levels_differ(left, right):
        reasons.append(("level_differs", {"left": left.effective_level, "right": right.effective_level}))
        return Verdict(DISTINCT, 0.3, reasons)
    if left.administration and right.administration:
        if left.places != right.places:
            reasons.append(
                ("place_differs", {"left": ", ".join(sorted(left.places)), "right": ", ".join(sorted(right.places))})
            )
            return Verdict(DISTINCT, 0.4, reasons)
        reasons.append(("administration", {"place": places}))
        return Verdict(DUPLICATE, 1.0 if left.level == right.level else 0.95, reasons)
    unit = right if left.administration else left
    if unit.department and unit.places <= (left.places | right.places) - (unit.places - (left.places & right.places)):
        reasons.append(("department", {"place": places}))
        return Verdict(UNIT if unit is left else PARENT, 0.85, reasons)
    return Verdict(DISTINCT, 0.2, [("nothing_shared", {})])


def compare(left, right):
    """Compare two normalised names; returns a Verdict with the reasons a person can read."""
    reasons = []
    if left.administration or right.administration:
        return _compare_administrations(left, right, reasons)
    adjust = [0.0, 0.0]
    matched, left_rest, right_rest = _align(left, right, reasons, adjust)
    total = _weighted(left)[1] + _weighted(right)[1] + sum(adjust)
    if not total or not matched:
        return Verdict(DISTINCT, 0.0, [("nothing_shared", {})])
    score = matched / total
    left_extra = [token for token in left_rest if token.kind != GENERIC]
    right_extra = [token for token in right_rest if token.kind != GENERIC]
    kind = DUPLICATE
    extra_place = None
    if left.places and right.places:
        only_left, only_right = left.places - right.places, right.places - left.places
        if not left.places & right.places or (only_left and only_right):
            reasons.append(
                ("place_differs", {"left": ", ".join(sorted(left.places)), "right": ", ".join(sorted(right.places))})
            )
            return Verdict(DISTINCT, round(score * 0.5, 3), reasons)
        if _levels_differ(left, right):
            reasons.append(("level_differs", {"left": left.effective_level, "right": right.effective_level}))
            return Verdict(DISTINCT, round(score * 0.5, 3), reasons)
        if only_left or only_right:
            extra_place = "left" if only_left else "right"
            reasons.append(("place_extra", {"place": ", ".join(sorted(only_left or only_right))}))
    elif left.places or right.places:
        reasons.append(("place_missing", {"place": ", ".join(sorted(left.places or right.places))}))
        score *= 0.95
    if left.organisation_levels and right.organisation_levels and left.organisation_levels != right.organisation_levels:
        reasons.append(
            (
                "organisation_level_differs",
                {
                    "left": ", ".join(sorted(left.organisation_levels)),
                    "right": ", ".join(sorted(right.organisation_levels)),
                },
            )
        )
        return Verdict(DISTINCT, round(score * 0.6, 3), reasons)
    if left_extra and right_extra:
        reasons.append(
            (
                "different_words",
                {"left": " ".join(map(_display, left_extra)), "right": " ".join(map(_display, right_extra))},
            )
        )
        return Verdict(DISTINCT, round(score * 0.6, 3), reasons)
    if (left_extra and extra_place == "right") or (right_extra and extra_place == "left"):
        return Verdict(DISTINCT, round(score * 0.6, 3), reasons)  # another site with other words
    if left_extra or right_extra:
        longer, extra = (left, left_extra) if left_extra else (right, right_extra)
        reasons.append(("extra_words", {"words": " ".join(map(_display, extra))}))
        if not _extra_is_suffix(longer, extra) and not _names_a_service(extra):
            return Verdict(DISTINCT, round(score * 0.6, 3), reasons)
        kind = UNIT if left_extra else PARENT
        side = 1 if left_extra else 0
        shorter, shorter_rest = (right, right_rest) if left_extra else (left, left_rest)
        # The shorter name is the organisation: what of it the unit's name repeats (its generic words aside).
        said = _weighted(shorter)[1] + adjust[side] - _weight([t for t in shorter_rest if t.kind == GENERIC])
        score = 0.9 * min(1.0, matched / max(2 * said, 0.001))
    elif extra_place:
        kind = UNIT if extra_place == "left" else PARENT  # a branch in another town
        score *= 0.95
    if left.legal_form and right.legal_form and left.legal_form != right.legal_form:
        reasons.append(("legal_form_differs", {"left": left.legal_form, "right": right.legal_form}))
        score *= 0.9
    elif left.legal_form != right.legal_form:
        reasons.append(("legal_form_missing", {"form": left.legal_form or right.legal_form}))
    if kind == DUPLICATE and not any(
        code in {"spelling", "compound", "concept", "acronym"} for code, _params in reasons
    ):
        reasons.insert(0, ("same_words", {}))
    return Verdict(kind, round(score, 3), reasons)


# Heads of words that name a service or a part of an organisation: such extra words make a unit
# wherever they stand ("Migrationsdienst Caritas Darmstadt").
SERVICE_HEADS = ("dienst", "berat", "stell", "zentrum", "buero", "hilf", "kurs", "projekt", "ambulanz", "angebot")


def _names_a_service(extra):
    return any(
        token.kind == CONTENT
        and any((token.shown or token.text).endswith(head) or token.text.startswith(head) for head in SERVICE_HEADS)
        for token in extra
    )


def compare_entries(left, right, prefilter=True):
    """The best verdict over all names of two entries (name, short name, aliases).

    With ``prefilter`` name pairs that ``quick_reject`` turns down are not compared in full.
    """
    best = None
    for index, left_name in enumerate(left.normalised):
        for other_index, right_name in enumerate(right.normalised):
            if prefilter and quick_reject(left_name, right_name):
                continue
            verdict = compare(left_name, right_name)
            if index or other_index:
                verdict.reasons.insert(0, ("alias", {"left": left_name.original, "right": right_name.original}))
            if best is None or (verdict.kind != DISTINCT, verdict.score) > (best.kind != DISTINCT, best.score):
                best = verdict
    return best or Verdict(DISTINCT, 0.0, [("nothing_shared", {})])


def comparable(left, right):
    """Units are compared with their siblings; a unit that names a place also with top-level entries."""
    if left.key in right.ancestors or right.key in left.ancestors:
        return False
    if left.parent == right.parent:
        return True
    if left.parent is None:
        return right.standalone
    if right.parent is None:
        return left.standalone
    return False


def _keys(name, frequency, acronyms=None):
    """Blocking keys of one name: pairs of its rarest words, and its places with the beginnings of its rarest words.

    ``acronyms``: the acronyms written in any name of the run; only those initials of a name make keys
    (None: all, for an index that is asked about names not in it).
    """
    words = set(name.key_tokens)
    rare = sorted(words | name.places, key=lambda word: (frequency[word], word))[:KEY_WORDS]
    keys = set(combinations(sorted(rare), 2))
    if len(rare) == 1:
        keys.add((rare[0],))
    if name.key_tokens:
        # An organisation meets its units written as "X - Y Darmstadt" (in small registers: at scale
        # such a block is larger than MAX_BLOCK and left to the other keys).
        keys.add((name.key_tokens[0],))
    rare_words = sorted(words - name.places, key=lambda word: (frequency[word], word))[:PLACE_KEY_WORDS]
    for anchor in name.places or rare[:1]:
        keys.update((anchor, word.lstrip("§")[:PREFIX]) for word in rare_words if word != anchor)
        if name.places:
            keys.add((anchor, "=" + name.written))  # written together or apart: "Jugend-Migrationsdienst"
    # Acronyms meet the names whose initials they are; departments meet their administration.
    letters = (
        *name.acronyms,
        *(option for option in name.initial_letters if acronyms is None or option in acronyms),
    )
    keys.update(("~", "~" + option) for option in letters if len(option) >= (4 if name.places else 2))
    for anchor in sorted(name.places) or ["~"]:
        keys.update((anchor, "~" + option) for option in letters)
        if name.administration or (name.department and name.places):
            keys.add((anchor, ADMINISTRATION))
    return keys


def word_frequency(entries):
    """In how many entries each word and place occurs: the rarer a word, the more it says."""
    frequency = Counter()
    for entry in entries:
        words = set()
        for name in entry.normalised:
            words.update(name.key_tokens)
            words.update(name.places)
        frequency.update(words)
    return frequency


def entry_keys(entry, frequency, acronyms=None):
    """The blocking keys of all names of an entry."""
    keys = set()
    for name in entry.normalised:
        keys |= _keys(name, frequency, acronyms)
    return keys


def sort_keys(name):
    """The three sort orders of the sorted neighbourhood: joined words, place and words, place and reversed words."""
    places = "|".join(sorted(name.places))
    return (name.joined, f"{places}|{name.joined}", f"{places}|{name.joined[::-1]}")


def candidate_pairs(entries):
    """Index pairs that blocking lets through: shared keys and sorted neighbourhoods."""
    frequency = word_frequency(entries)
    acronyms = {letters for entry in entries for name in entry.normalised for letters in name.acronyms}
    blocks = defaultdict(list)
    order = []
    for index, entry in enumerate(entries):
        for name in entry.normalised:
            order.append((sort_keys(name), index))
        for key in entry_keys(entry, frequency, acronyms):
            blocks[key].append(index)
    pairs = set()
    for members in blocks.values():
        if 1 < len(members) <= MAX_BLOCK:
            pairs.update(combinations(members, 2))
    for sort_key in range(3):
        ordered = [index for _keys, index in sorted(order, key=lambda item, sort_key=sort_key: item[0][sort_key])]
        for position, index in enumerate(ordered):
            for other in ordered[position + 1 : position + 1 + WINDOW]:
                if other != index:
                    pairs.add((index, other) if index < other else (other, index))
    return pairs


def normalise_entries(entries, normaliser):
    for entry in entries:
        entry.normalised = [normaliser(name) for name in entry.names if name]
    return entries


def _score(entries, index_pairs, skip, prefilter=True, calibration=None):
    """Proposed pairs among ``index_pairs`` of ``entries``; cheap tests first, the full comparison last.

    Two names of different places are never proposed (``compare`` calls them distinct), so such
    pairs are passed over before comparing, with or without ``prefilter``.
    """
    found = []
    for left_index, right_index in index_pairs:
        left, right = entries[left_index], entries[right_index]
        if left.key == right.key or not comparable(left, right):
            continue
        if len(left.normalised) == 1 == len(right.normalised):
            left_name, right_name = left.normalised[0], right.normalised[0]
            if left_name.places and right_name.places and left_name.places.isdisjoint(right_name.places):
                continue
            if prefilter and quick_reject(left_name, right_name):
                continue
        if skip and ((left.key, right.key) in skip or (right.key, left.key) in skip):
            continue
        verdict = compare_entries(left, right, prefilter)
        if calibration is not None:
            verdict = calibration.adjust(verdict)
        if verdict.proposed:
            found.append(Pair(left.key, right.key, verdict))
    return found


_shared = {}  # the entries of a parallel run, inherited by the forked workers


def _score_chunk(index_pairs):
    return _score(_shared["entries"], index_pairs, _shared["skip"], _shared["prefilter"], _shared["calibration"])


def pair_order(pair):
    return (-pair.verdict.score, str(pair.first), str(pair.second))


def find_pairs(entries, normaliser=None, skip=frozenset(), workers=1, prefilter=True, timings=None, calibration=None):
    """All proposed pairs among ``entries``: [Pair], best first. ``skip`` holds pairs of keys not to propose.

    ``prefilter`` skips pairs whose words are hardly alike before the full comparison; it is
    needed at scale and may drop a few "unit of" pairs. With ``workers`` > 1 the scoring runs
    in forked processes (for scripts, not inside requests; in this process if it has other
    threads). ``timings``, a dict, receives the seconds of each phase (normalising, blocking, scoring).
    ``calibration`` (``matching.learning.Calibration``) applies weights learnt from the office's decisions.
    """
    timings = {} if timings is None else timings
    started = time.perf_counter()
    normaliser = normaliser or Normaliser()
    entries = normalise_entries(list(entries), normaliser)
    timings["normalising"] = time.perf_counter() - started
    started = time.perf_counter()
    index_pairs = list(candidate_pairs(entries))
    timings["blocking"] = time.perf_counter() - started
    timings["candidate_pairs"] = len(index_pairs)
    started = time.perf_counter()
    # Forked workers only from a process without other threads: a lock that another thread holds at
    # the fork stays locked in the worker for ever (seen in the test suite beside a browser driver).
    if workers > 1 and len(index_pairs) > 10_000 and threading.active_count() == 1:
        import gc
        import multiprocessing

        _shared.update(entries=entries, skip=skip, prefilter=prefilter, calibration=calibration)
        # Objects alive now are left out of the workers' garbage collection, which would otherwise
        # touch, and so copy, every page of the entries the workers share with this process.
        gc.freeze()
        size = len(index_pairs) // (workers * 4) + 1
        chunks = [index_pairs[start : start + size] for start in range(0, len(index_pairs), size)]
        del index_pairs
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                found = [pair for part in pool.imap_unordered(_score_chunk, chunks) for pair in part]
        finally:
            gc.unfreeze()
            _shared.clear()
    else:
        found = _score(entries, index_pairs, skip, prefilter, calibration)
    found.sort(key=pair_order)
    timings["scoring"] = time.perf_counter() - started
    return found


# The register side ---------------------------------------------------------------------------


def register_normaliser():
    """A Normaliser with the editable abbreviation list and the register's municipalities."""
    from register.models import Municipality

    from .models import Abbreviation

    abbreviations = [(a.short_form, a.long_form, a.kind) for a in Abbreviation.objects.all()]
    places = list(Municipality.objects.values_list("name", flat=True))
    return Normaliser(abbreviations, places)


def register_entries(queryset=None):
    """Entries for organisations of the register (all by default), with short names and aliases.

    Reads only the columns the matcher needs, in three queries at most, whatever the register's size.
    """
    from register.models import Organisation, OrganisationAlias

    rows = list(
        (queryset if queryset is not None else Organisation.objects.all()).values_list(
            "pk", "name", "short_name", "parent_id"
        )
    )
    aliases = OrganisationAlias.objects.order_by("name")
    if queryset is not None:
        aliases = aliases.filter(organisation__in=queryset.values("pk"))
    names_of = defaultdict(list)
    for organisation, name in aliases.values_list("organisation_id", "name"):
        names_of[organisation].append(name)
    if queryset is None:
        parents = {pk: parent for pk, _name, _short_name, parent in rows}
    else:
        parents = dict(Organisation.objects.values_list("pk", "parent_id"))
    entries = []
    for pk, name, short_name, parent in rows:
        ancestors, node = set(), parent
        while node is not None and node not in ancestors:
            ancestors.add(node)
            node = parents.get(node)
        entries.append(Candidate(pk, [name, short_name, *names_of.get(pk, ())], parent, frozenset(ancestors)))
    return entries


class MatchIndex:
    """The register's entries normalised and blocked once, then asked about one name at a time.

    Built once per import (or per task) and queried for every row: a query compares the name only
    with the entries that share a blocking key with it or stand next to it in a sort order, as
    ``find_pairs`` would if the name were added to the register. The index does not see later
    changes of the register: build a new one for the next import.
    """

    def __init__(self, entries, normaliser=None, calibration=None):
        self.normaliser = normaliser or Normaliser()
        self.calibration = calibration
        self.entries = normalise_entries(list(entries), self.normaliser)
        self.position = {entry.key: position for position, entry in enumerate(self.entries)}
        self.frequency = word_frequency(self.entries)
        self.keys = []
        self.blocks = defaultdict(list)
        items = []
        for position, entry in enumerate(self.entries):
            keys = entry_keys(entry, self.frequency)
            self.keys.append(keys)
            for key in keys:
                self.blocks[key].append(position)
            items.extend((sort_keys(name), position) for name in entry.normalised)
        self.orders = []  # per sort order: (sorted keys, entry positions, {entry position: its ranks})
        for sort_key in range(3):
            ordered = sorted(items, key=lambda item, sort_key=sort_key: item[0][sort_key])
            ranks = defaultdict(list)
            for rank, (_keys, position) in enumerate(ordered):
                ranks[position].append(rank)
            self.orders.append(([keys[sort_key] for keys, _position in ordered], [p for _k, p in ordered], ranks))

    @classmethod
    def of_register(cls, queryset=None):
        """The index of the register's organisations (all by default): a handful of queries."""
        from .learning import current_calibration

        return cls(register_entries(queryset), register_normaliser(), current_calibration())

    def _neighbours(self, positions, rank, inserted=False):
        """Entries within the window of the item at ``rank``; ``inserted``: a new item placed before ``rank``."""
        before = positions[max(rank - WINDOW, 0) : rank]
        after = positions[rank : rank + WINDOW] if inserted else positions[rank + 1 : rank + 1 + WINDOW]
        return [*before, *after]

    def _candidates_of_new(self, probe):
        """Positions of the entries blocking pairs with ``probe``, an entry that is not in the index."""
        own = set()
        for name in probe.normalised:
            own.update(name.key_tokens)
            own.update(name.places)
        frequency = ChainMap({word: self.frequency[word] + 1 for word in own}, self.frequency)
        found = set()
        for key in entry_keys(probe, frequency):
            members = self.blocks.get(key, ())
            if len(members) < MAX_BLOCK:  # with the probe the block has one member more
                found.update(members)
        for name in probe.normalised:
            for sort_key, (keys, positions, _ranks) in enumerate(self.orders):
                rank = bisect_left(keys, sort_keys(name)[sort_key])
                found.update(self._neighbours(positions, rank, inserted=True))
        return found

    def _candidates_of_member(self, position):
        """Positions of the entries ``find_pairs`` pairs with the entry at ``position``."""
        found = set()
        for key in self.keys[position]:
            members = self.blocks[key]
            if 1 < len(members) <= MAX_BLOCK:
                found.update(members)
        for _keys, positions, ranks in self.orders:
            for rank in ranks.get(position, ()):
                found.update(self._neighbours(positions, rank))
        found.discard(position)
        return found

    def scored(self, name, limit=5, minimum=0.6):
        """[(key, Verdict)] of the entries that ``name`` may denote, best first (see ``propose_matches``)."""
        probe = normalise_entries([Candidate(None, [name])], self.normaliser)[0]
        scored = []
        for position in self._candidates_of_new(probe):
            entry = self.entries[position]
            if entry.parent is not None and not entry.standalone:
                continue
            verdict = self._calibrated(compare_entries(probe, entry, prefilter=False))
            if verdict.kind != DISTINCT and verdict.score >= minimum:
                scored.append((verdict, entry.key))
        scored.sort(key=lambda item: (-item[0].score, item[1]))
        return [(key, verdict) for verdict, key in scored[:limit]]

    def pairs_of(self, key, skip=frozenset()):
        """The pairs ``find_pairs(..., prefilter=False)`` proposes in which the entry ``key`` takes part."""
        position = self.position.get(key)
        if position is None:
            return []
        found = []
        for other in self._candidates_of_member(position):
            left, right = self.entries[min(position, other)], self.entries[max(position, other)]
            if left.key == right.key or not comparable(left, right):
                continue
            if (left.key, right.key) in skip or (right.key, left.key) in skip:
                continue
            verdict = self._calibrated(compare_entries(left, right, prefilter=False))
            if verdict.proposed:
                found.append(Pair(left.key, right.key, verdict))
        return found

    def _calibrated(self, verdict):
        return self.calibration.adjust(verdict) if self.calibration is not None else verdict


@dataclass
class Match:
    organisation: object
    kind: str
    score: float
    reasons: list

    @property
    def explanation(self):
        from .explain import explain

        return explain(self.reasons)


def propose_matches(name, candidates=None, limit=5, minimum=0.6):
    """Existing organisations that ``name`` may denote, best first: [Match(organisation, kind, score, reasons)].

    ``candidates`` is a queryset of organisations (all by default). ``kind`` is "duplicate" (the
    same organisation), "unit" (``name`` looks like a unit of it) or "parent" (it looks like a unit
    of ``name``). The candidates are blocked like ``find_pairs`` does, so a large register is fine.
    This builds a ``MatchIndex`` for one name; to ask about many names, build the index once and
    ask it (``MatchIndex.of_register().scored(name)``).
    """
    from register.models import Organisation

    scored = MatchIndex.of_register(candidates).scored(name, limit, minimum)
    organisations = Organisation.objects.in_bulk([key for key, _verdict in scored])
    return [Match(organisations[key], verdict.kind, verdict.score, verdict.reasons) for key, verdict in scored]
