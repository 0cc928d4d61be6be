"""What a network's public page says about its dates comes from the data; dates written into its prose
are checked, and prose that names a day already past is flagged to the office."""

import datetime
import re

from django.db.models import Q
from django.utils import timezone

from register.models import Meeting, Network

from . import events

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


def stale_dates(network, today=None):
    """The dates already past that the network's published texts name, as written."""
    today = today or timezone.localdate()
    text = "\n".join(getattr(network, field, "") or "" for field in PROSE_FIELDS)
    return [words for day, words in dates_in(text) if day < today]


def networks_with_stale_prose(networks=None, today=None):
    """Networks whose published texts name a past date, each with ``stale_dates`` set (for the office).

    The database picks the texts with a number followed by a full stop; Python reads the dates."""
    networks = Network.objects.all() if networks is None else networks
    has_number = Q()
    for field in PROSE_FIELDS:
        has_number |= Q(**{f"{field}__regex": r"[0-9]{1,2}\."})
    flagged = []
    for network in networks.filter(has_number).order_by("position", "name"):
        network.stale_dates = stale_dates(network, today)
        if network.stale_dates:
            flagged.append(network)
    return flagged


def public_dates(network, now=None):
    """The network's coming public events and public meetings, from the data (the next first)."""
    now = now or timezone.now()
    upcoming_events = list(events.upcoming(now).filter(network=network))
    meetings = list(
        Meeting.objects.filter(network=network, is_public=True, end__gt=now)
        .exclude(state=Meeting.State.CANCELLED)
        .select_related("location")
        .order_by("start", "pk")
    )
    past_events = list(events.past(now).filter(network=network)[:5])
    return {"events": upcoming_events, "meetings": meetings, "past_events": past_events}
