"""A network's mailing list: the people the office may write to about the network's work.

A person is on the list of a network when they sit in it (a membership of their own) or are the
contact person of a member that sits in it, today; when their data is not erased, has an e-mail
address and is kept for the purpose of the network work ("Coordination of the networks …", the
register's default purpose, in either language). A person whose data is kept for another purpose
is left out, and the list says why. Each address is listed once.
"""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

NO_CONTACT = _("no contact person")
NO_EMAIL = _("no e-mail address")
ERASED = _("data erased")
OTHER_PURPOSE = _("data kept for another purpose")


@dataclass
class Entry:
    membership: object
    person: object = None
    reason: str = ""  # why the membership is not on the list; empty when it is


def network_purposes():
    """The purpose texts (their beginning) under which a person's contact serves the network work."""
    phrases = set()
    for language in ("de", "en"):
        with translation.override(language):
            phrases.add(gettext("Coordination of the networks").casefold())
    return phrases


def reason_left_out(person, purposes=None):
    """Why this person's contact may not be used for the network work; empty if it may."""
    if person is None:
        return NO_CONTACT
    if person.erased_at is not None:
        return ERASED
    if not person.email:
        return NO_EMAIL
    purposes = purposes or network_purposes()
    if not any(person.purpose.casefold().startswith(phrase) for phrase in purposes):
        return OTHER_PURPOSE
    return ""


def mailing_list(network):
    """(on the list, left out): ``Entry`` rows in the network's order; every address once."""
    memberships = (
        network.memberships.active()
        .select_related("organisation", "actor_group", "person", "contact", "contact__organisation")
        .select_related("person__organisation")
        .order_by("position", "pk")
    )
    purposes, seen = network_purposes(), set()
    listed, left_out = [], []
    for membership in memberships:
        person = membership.person or membership.contact
        reason = reason_left_out(person, purposes)
        if reason:
            left_out.append(Entry(membership, person, reason))
        elif person.email.casefold() not in seen:
            seen.add(person.email.casefold())
            listed.append(Entry(membership, person))
    return listed, left_out


def rows(entries):
    """Headings and rows of the list for a spreadsheet."""
    headers = [
        gettext("Member"),
        gettext("Role"),
        gettext("Name"),
        gettext("Function"),
        gettext("Organisation"),
        gettext("E-mail"),
        gettext("Phone"),
    ]
    body = [
        [
            str(entry.membership.member),
            entry.membership.get_role_display(),
            str(entry.person),
            entry.person.function,
            entry.person.organisation.full_name if entry.person.organisation else "",
            entry.person.email,
            entry.person.phone,
        ]
        for entry in entries
    ]
    return headers, body
