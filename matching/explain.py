"""Turns the matcher's reasons (codes with parameters) into sentences a person can read."""

from django.utils.translation import gettext as _

from register.text import LEGAL_FORM_ABBREVIATIONS


def _kind_of_entry(kind):
    return {
        "abbreviation": _("abbreviation"),
        "synonym": _("other name for the same"),
        "former": _("former name"),
    }.get(kind, kind)


def _level(level):
    return {"county": _("the county"), "town": _("the town")}.get(level, level)


def explain_one(code, params):
    """One reason as a sentence in the active language."""
    params = dict(params)
    if code == "same_words":
        return _("The names agree once case, umlauts, punctuation, legal form and compounds are set aside.")
    if code == "concept":
        params["kind"] = _kind_of_entry(params.get("kind", ""))
        return _("“%(short)s” and “%(long)s” mean the same (%(kind)s on the list).") % params
    if code == "spelling":
        return _("“%(left)s” and “%(right)s” differ only by a typing error.") % params
    if code == "compound":
        return _("“%(left)s” and “%(right)s” are the same words, written together or apart.") % params
    if code == "place_missing":
        return _("Only one of the names gives the place (%(place)s).") % params
    if code == "place_differs":
        return _("The names give different places: %(left)s and %(right)s.") % params
    if code == "level_differs":
        return _("One name means %(left)s, the other %(right)s.") % {
            "left": _level(params.get("left")),
            "right": _level(params.get("right")),
        }
    if code == "different_words":
        return _("The names differ in words that matter: “%(left)s” and “%(right)s”.") % params
    if code == "extra_words":
        return _("Only one name has the words “%(words)s” – a unit is named after its organisation.") % params
    if code == "legal_form_differs":
        return _("The legal forms differ: %(left)s and %(right)s.") % {
            "left": LEGAL_FORM_ABBREVIATIONS.get(params.get("left"), params.get("left")),
            "right": LEGAL_FORM_ABBREVIATIONS.get(params.get("right"), params.get("right")),
        }
    if code == "legal_form_missing":
        return _("Only one of the names states the legal form (%(form)s).") % {
            "form": LEGAL_FORM_ABBREVIATIONS.get(params.get("form"), params.get("form"))
        }
    if code == "alias":
        return _("Compared under the names “%(left)s” and “%(right)s”.") % params
    if code == "nothing_shared":
        return _("The names share no word that matters.")
    if code == "acronym":
        return _("“%(short)s” is the acronym of “%(long)s”.") % params
    if code == "administration":
        return _("Both name the administration of %(place)s.") % params
    if code == "department":
        return _("One names a department of the administration of %(place)s.") % params
    if code == "place_extra":
        return _("Only one of the names adds the place %(place)s – a branch there.") % params
    if code == "organisation_level_differs":
        return _("The names give different levels of the association: %(left)s and %(right)s.") % params
    if code == "merge_undone":
        return _("A merge of the two was undone: please decide again.")
    if code == "by_hand":
        return _("Put in the queue by a person.")
    return code


def explain(reasons):
    """All reasons of a verdict as sentences."""
    return [explain_one(code, params) for code, params in reasons]
