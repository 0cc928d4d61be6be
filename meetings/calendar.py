"""iCalendar (RFC 5545) entries for meetings and events, and the subscribable feeds (RFC 5546 methods).

An entry is written in one language of the site: the texts staff wrote in their translation into it
(``register.translations``), each text with the RFC 5545 ``LANGUAGE`` parameter of the language it is
really in (German where no translation exists yet), and the links to the pages in that language.
"""

from django.conf import settings
from django.utils import timezone, translation
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from icalendar.prop import vCalAddress, vText

from register.absolute import absolute_url
from register.models import Meeting, SiteIdentity
from register.translations import SOURCE, Text, translated

PRODID = "-//vernetzt//vernetzt//DE"


def absolute(url):
    return absolute_url(url)


def organizer_address():
    """The office from the site identity; its address, or the configured fallback until one is set."""
    identity = SiteIdentity.current()
    address = vCalAddress(f"mailto:{identity.email or settings.OFFICE_EMAIL}")
    address.params["cn"] = vText(identity.name_with_body or "vernetzt")
    return address


def location_text(location):
    """The place in one line, each part once: name, room, street, postal code and locality.

    The locality is left out where the name already ends with it ("Kreisverwaltung Darmstadt-Kranichstein")."""
    if location is None:
        return ""
    parts = [location.name, location.room]
    if location.address_public:
        parts += [location.street_address, f"{location.postal_code} {location.locality}".strip()]
    elif not (location.locality and location.locality in location.name):
        parts.append(location.locality)
    seen, line = set(), []
    for part in parts:
        part = (part or "").strip()
        if part and part.casefold() not in seen:
            seen.add(part.casefold())
            line.append(part)
    return ", ".join(line)


def add_text(component, name, text):
    """A text property with the language it is in (``LANGUAGE``, RFC 5545 3.2.10)."""
    language = getattr(text, "lang", None)
    component.add(name, str(text), parameters={"LANGUAGE": language} if language else None)


def meeting_component(meeting, attendee=None, language=None, organizer=None):
    """One VEVENT for a meeting; the UID stays, SEQUENCE counts the revisions. ``language``: that of the
    texts (default: the current one); the meeting's name is the office's, the network's name translated.
    ``organizer``: ``organizer_address()``, which a feed of many entries reads once."""
    component = CalendarEvent()
    component.add("uid", f"{meeting.uid}@vernetzt")
    component.add("sequence", meeting.sequence)
    component.add("dtstamp", timezone.now())
    component.add("dtstart", meeting.start)
    component.add("dtend", meeting.end)
    network_name = translated(meeting.network, "name", language)
    summary = f"{meeting.name} – {network_name}"
    # The meeting's name is written in German: the summary is in one language only when the network's is too.
    add_text(component, "summary", Text(summary, SOURCE) if network_name.lang == SOURCE else summary)
    if meeting.location:
        add_text(component, "location", location_text(meeting.location))
    component.add("status", "CANCELLED" if meeting.state == Meeting.State.CANCELLED else "CONFIRMED")
    component.add("organizer", organizer or organizer_address())
    if attendee:
        address = vCalAddress(f"mailto:{attendee}")
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["rsvp"] = vText("TRUE")
        component.add("attendee", address)
    return component


def event_component(event, attendee=None, language=None, organizer=None):
    """One VEVENT for a public event, its title and description in ``language`` (default: the current
    one) where translated, and the link to its page in that language. ``organizer``: as for meetings."""
    language = language or translation.get_language() or SOURCE
    component = CalendarEvent()
    component.add("uid", f"{event.uid}@vernetzt")
    component.add("sequence", event.sequence)
    component.add("dtstamp", timezone.now())
    component.add("dtstart", event.start)
    component.add("dtend", event.end)
    add_text(component, "summary", translated(event, "title", language))
    if event.description:
        add_text(component, "description", translated(event, "description", language))
    if event.location:
        add_text(component, "location", location_text(event.location))
    with translation.override(language):
        component.add("url", absolute(event.get_absolute_url()))
    component.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    component.add("organizer", organizer or organizer_address())
    if attendee:
        component.add("attendee", vCalAddress(f"mailto:{attendee}"))
    return component


def calendar(components, method=None, name=None):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for component in components:
        cal.add_component(component)
    return cal.to_ical().decode()
