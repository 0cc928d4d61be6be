"""iCalendar (RFC 5545) entries for meetings and events, and the subscribable feeds (RFC 5546 methods)."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from icalendar.prop import vCalAddress, vText

from register.absolute import absolute_url
from register.models import Meeting, SiteIdentity

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


def meeting_component(meeting, attendee=None):
    """One VEVENT for a meeting; the UID stays, SEQUENCE counts the revisions."""
    component = CalendarEvent()
    component.add("uid", f"{meeting.uid}@vernetzt")
    component.add("sequence", meeting.sequence)
    component.add("dtstamp", timezone.now())
    component.add("dtstart", meeting.start)
    component.add("dtend", meeting.end)
    component.add("summary", f"{meeting.name} – {meeting.network.name}")
    if meeting.location:
        component.add("location", location_text(meeting.location))
    component.add("status", "CANCELLED" if meeting.state == Meeting.State.CANCELLED else "CONFIRMED")
    component.add("organizer", organizer_address())
    if attendee:
        address = vCalAddress(f"mailto:{attendee}")
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["rsvp"] = vText("TRUE")
        component.add("attendee", address)
    return component


def event_component(event, attendee=None):
    component = CalendarEvent()
    component.add("uid", f"{event.uid}@vernetzt")
    component.add("sequence", event.sequence)
    component.add("dtstamp", timezone.now())
    component.add("dtstart", event.start)
    component.add("dtend", event.end)
    component.add("summary", event.title)
    if event.description:
        component.add("description", event.description)
    if event.location:
        component.add("location", location_text(event.location))
    component.add("url", absolute(event.get_absolute_url()))
    component.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    component.add("organizer", organizer_address())
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
