"""Calendar dates written in prose ("am 12.03.2026", "3. März 2026"), read the way the office reads them."""

import datetime
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januar", "jan", "january"),
            ("februar", "feb", "february"),
            ("märz", "maerz", "mär", "march"),
            ("april", "apr"),
            ("mai", "may"),
            ("juni", "jun", "june"),
            ("juli", "jul", "july"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "october", "oct"),
            ("november", "nov"),
            ("dezember", "dez", "december", "dec"),
        ],
        start=1,
    )
    for name in names
}
NUMERIC = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})\b")
WORDED = re.compile(r"\b(\d{1,2})\.?\s+([A-Za-zÄÖÜäöü]+)\.?\s+(\d{4})\b")
# The texts of a network that are published and may name dates.
PROSE_FIELDS = ("purpose", "description", "history", "easy_language")


def dates_in(text):
    """Every calendar date written in the text, as (date, the words as written)."""
    found = []
    for match in NUMERIC.finditer(text or ""):
        day, month, year = (int(part) for part in match.groups())
        year += 2000 if year < 100 else 0
        found.append((day, month, year, match.group(0)))
    for match in WORDED.finditer(text or ""):
        month = MONTHS.get(match.group(2).lower())
        if month:
            found.append((int(match.group(1)), month, int(match.group(3)), match.group(0)))
    result = []
    for day, month, year, words in found:
        try:
            result.append((datetime.date(year, month, day), words))
        except ValueError:
            continue
    return sorted(result)


def prose_of(network):
    """The published texts of a network as one text."""
    return "\n".join(getattr(network, field, "") or "" for field in PROSE_FIELDS)


def first_date_in(network):
    """The earliest date the network's published texts name; None when they name none."""
    found = dates_in(prose_of(network))
    return found[0][0] if found else None
