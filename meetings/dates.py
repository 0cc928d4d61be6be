"""What a network's public page says about its dates comes from the data; dates written into its prose
are checked, and prose that names a day already past is flagged to the office."""

from django.utils import timezone

from register.models import Meeting, Network
from register.prose_dates import dates_in, prose_of

from . import events


def stale_dates(network, today=None):
    """The dates already past that the network's published texts name, as written."""
    today = today or timezone.localdate()
    return [words for day, words in dates_in(prose_of(network)) if day < today]


def networks_with_stale_prose(networks=None, today=None):
    """Networks whose published texts name a past date, each with ``stale_dates`` set (for the office):
    those whose earliest date named (``Network.first_date_in_texts``, kept on every save) has passed."""
    today = today or timezone.localdate()
    networks = Network.objects.all() if networks is None else networks
    flagged = list(networks.filter(first_date_in_texts__lt=today).order_by("position", "name"))
    for network in flagged:
        network.stale_dates = stale_dates(network, today)
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
    for event in (*upcoming_events, *past_events):
        event.network = network  # the page's own network, for what names it (JSON-LD), without a join
    return {"events": upcoming_events, "meetings": meetings, "past_events": past_events}
