"""Checks on entry: existing organisations and people that a new or renamed entry may duplicate.

The forms, the API and the importers ask here before they save, so a person sees at once which
entries already exist and can use one of them instead. A look-up reads only the entries that share
a word or a place with the name (one query), whatever the register's size, and compares them as
the review queue does.
"""

import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from rapidfuzz.distance import OSA

from register.models import Organisation, Person

from .matcher import MatchIndex, register_entries, register_normaliser
from .normalise import GENERIC_WORDS, STOPWORDS, fold_name

# Existing entries read for one look-up at most; words shared by more entries say little anyway.
CANDIDATES = 3000
# Letters of a word that must stand in an existing name (a compound may be written apart).
STEM_LETTERS = 6
TITLES = re.compile(r"\b(dr|prof|dipl|ing|med|phil|rer|nat|mag|ba|ma|msc|bsc)\b\.?", re.IGNORECASE)


@dataclass
class Similar:
    """An existing entry that a new one may duplicate, and why."""

    entry: object
    kind: str  # "duplicate", "unit", "parent"
    score: float
    reasons: list  # sentences

    @property
    def name(self):
        return getattr(self.entry, "full_name", None) or str(self.entry)


def _search_terms(name):
    """Beginnings of the words of a name that say most: no legal forms, stopwords or generic words."""
    terms = []
    for word in re.findall(r"[\wÄÖÜäöüß]+", name):
        folded = fold_name(word)
        if len(word) < 3 or folded in STOPWORDS or folded in GENERIC_WORDS:
            continue
        terms.append(word[:STEM_LETTERS])
    return sorted(set(terms), key=len, reverse=True)[:6]


def similar_organisations(name, exclude=None, limit=5):
    """Existing organisations that ``name`` may denote, best first: [Similar].

    ``exclude`` is an organisation (or its number), or several, to leave out: the one being renamed,
    the organisation a new unit belongs to.
    """
    from .explain import explain

    terms = _search_terms(name)
    if not name.strip() or not terms:
        return []
    condition = Q()
    for term in terms:
        condition |= Q(name__icontains=term) | Q(short_name__iexact=term) | Q(aliases__name__icontains=term)
    candidates = Organisation.objects.filter(condition)
    excluded = [
        getattr(item, "pk", item) for item in (exclude if isinstance(exclude, list | tuple | set) else [exclude])
    ]
    if any(excluded):
        candidates = candidates.exclude(pk__in=[key for key in excluded if key])
    keys = list(candidates.order_by().values_list("pk", flat=True).distinct()[:CANDIDATES])
    if not keys:
        return []
    index = MatchIndex(register_entries(Organisation.objects.filter(pk__in=keys)), register_normaliser())
    scored = [(key, verdict) for key, verdict in index.scored(name, limit=limit, minimum=0.8) if verdict.proposed]
    found = Organisation.objects.select_related("parent__parent").in_bulk([key for key, _verdict in scored])
    return [
        Similar(found[key], verdict.kind, verdict.score, explain(verdict.reasons))
        for key, verdict in scored
        if key in found
    ]


def _person_parts(given_name, family_name):
    given = fold_name(TITLES.sub(" ", given_name or "")).split()
    family = fold_name(TITLES.sub(" ", family_name or "")).replace("-", " ").split()
    return given, family


def _same_family(one, other):
    """Family names alike: equal, one part of a double name, or misspelt by a letter."""
    if not one or not other:
        return False
    if set(one) & set(other):
        return True
    joined, other_joined = "".join(one), "".join(other)
    return min(len(joined), len(other_joined)) >= 5 and OSA.distance(joined, other_joined, score_cutoff=1) <= 1


def _same_given(one, other):
    """Given names alike: equal, an initial for the name, or one missing."""
    if not one or not other:
        return True
    first, second = one[0], other[0]
    return first == second or first[:1] == second[:1] and min(len(first.rstrip(".")), len(second.rstrip("."))) == 1


def similar_people(given_name="", family_name="", email="", exclude=None, limit=5):
    """Existing people (not erased) the entered person may be, best first: [Similar].

    The same e-mail address is the same person; otherwise the family name must agree (or differ by
    one letter, or be part of a double name) and the given names must not contradict each other.
    """
    given, family = _person_parts(given_name, family_name)
    email = (email or "").strip().lower()
    if not family and not email:
        return []
    condition = Q(email__iexact=email) if email else Q(pk__in=[])
    for part in family:
        condition |= Q(family_name__icontains=part[:3]) | Q(family_name__icontains=family_name.strip()[:3])
    candidates = Person.objects.filter(condition, erased_at__isnull=True).select_related("organisation")
    excluded = getattr(exclude, "pk", exclude)
    if excluded:
        candidates = candidates.exclude(pk=excluded)
    found = []
    for person in candidates[:CANDIDATES]:
        other_given, other_family = _person_parts(person.given_name, person.family_name)
        reasons = []
        if email and person.email and person.email.lower() == email:
            reasons.append(_("The same e-mail address."))
        if family and _same_family(family, other_family) and _same_given(given, other_given):
            if other_family == family:
                reasons.append(_("The same family name."))
            else:
                reasons.append(_("The family names differ only slightly."))
            if given and other_given and given[0] != other_given[0]:
                reasons.append(_("One given name is written as its initial."))
            elif given and other_given:
                reasons.append(_("The same given name."))
        if reasons:
            score = 1.0 if email and person.email and person.email.lower() == email else 0.9
            if given and other_given and given[0] != other_given[0]:
                score -= 0.1
            found.append(Similar(person, "duplicate", score, reasons))
    found.sort(key=lambda item: (-item.score, str(item.entry)))
    return found[:limit]
