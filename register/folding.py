"""Text folded by the database with the register's spelling of the German letters (``text.GERMAN_SPELLING``):
case, umlauts and ß do not matter ("Paritätisch", "paritaetisch"). The filters search with it, and
``Organisation.folded_names`` keeps its names folded so that a search reads them without the functions."""

from django.db.models import TextField, Value
from django.db.models.functions import Coalesce, Left, Lower, Replace, StrIndex
from django.db.models.functions.text import ConcatPair

from .text import GERMAN_SPELLING

# The same spelling as database functions: SQLite's lower() knows only ASCII letters, so the German
# letters of both cases are written out before lowering.
SPELLED_OUT = [
    *GERMAN_SPELLING.items(),
    *((letter.upper(), written) for letter, written in GERMAN_SPELLING.items() if letter != "ß"),
    ("ẞ", "ss"),
]


def folded(field):
    expression = Coalesce(field, Value(""), output_field=TextField())
    for letter, spelled in SPELLED_OUT:
        expression = Replace(expression, Value(letter), Value(spelled), output_field=TextField())
    return Lower(expression, output_field=TextField())


def joined(*parts):
    """The parts (columns of text, ``Value``) one after the other, as text."""
    expression = parts[-1]
    for part in reversed(parts[:-1]):
        expression = ConcatPair(part, expression, output_field=TextField())
    return expression


def first_word(expression):
    """The text up to its first space (all of it without one), as a database function."""
    space = Value(" ", output_field=TextField())
    return Left(expression, StrIndex(joined(expression, space), space) - 1, output_field=TextField())


class Folded(str):
    """The name of a column that holds text already folded (``folded``): searched without the functions."""
