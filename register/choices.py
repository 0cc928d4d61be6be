"""The register's choices in words. Each label lives once, on the model's ``TextChoices``; this reads it.

Pages show the label in the language of the page (``get_FOO_display`` or ``label``); what is published
as data – exports, open data, OParl – speaks the language of the data, ``settings.LANGUAGE_CODE``
(``data_label``); the import reads the labels of every language of the site (``labels_in_every_language``).
"""

from django.conf import settings
from django.utils import translation


def pairs(choices):
    """(value, label) pairs of a ``TextChoices`` class or of a field's ``choices``."""
    return list(getattr(choices, "choices", choices))


def label(choices, value, language=None):
    """The label of the stored ``value`` in ``language`` (default: the active one), or the value itself
    when it is none of the choices."""
    labels = dict(pairs(choices))
    if value not in labels:
        return value
    if language is None:
        return str(labels[value])
    with translation.override(language):
        return str(labels[value])


def data_labels(choices):
    """{value: label} in the language of the data: ``data_label`` for a whole table, each label translated
    once rather than once a row (``labels.get(value, value)`` gives what ``data_label`` gives)."""
    with translation.override(settings.LANGUAGE_CODE):
        return {value: str(text) for value, text in pairs(choices)}


def data_label(choices, value):
    """The label in the language of the data, as exports, open data and OParl write it."""
    return label(choices, value, settings.LANGUAGE_CODE)


def labels_in_every_language(choices):
    """{language: [(value, label), …]} for every language of the site, the language of the data first."""
    languages = sorted((code for code, _name in settings.LANGUAGES), key=lambda code: code != settings.LANGUAGE_CODE)
    result = {}
    for language in languages:
        with translation.override(language):
            result[language] = [(value, str(text)) for value, text in pairs(choices)]
    return result
