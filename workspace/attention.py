"""What needs the coordinators' attention: vacant seats, missing contacts, stale entries, pending work."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from matching.services import open_suggestions
from meetings.dates import networks_with_stale_prose
from register import composition
from register.composition import SEAT_ROLES
from register.models import Membership, Network, Organisation, active_condition
from register.permissions import is_office, networks_editable

from . import gdpr
from .models import Correction

# Entries not confirmed for this long are listed as stale.
STALE_AFTER = timedelta(days=365)
LIST_LIMIT = 25


@dataclass
class VacantSeats:
    network: Network
    kind: str
    seats: int
    filled: int

    @property
    def vacant(self):
        return self.seats - self.filled


def vacant_seats(networks):
    """Networks whose composition rules name more seats than active memberships fill."""
    active = active_condition(prefix="memberships__")
    rows = []
    annotated = (
        networks.filter(Q(seats_members__isnull=False) | Q(seats_deputies__isnull=False))
        .annotate(
            members_filled=Count("memberships", filter=active & Q(memberships__role__in=SEAT_ROLES)),
            deputies_filled=Count("memberships", filter=active & Q(memberships__role=Membership.Role.DEPUTY)),
        )
        .order_by("position", "name")
    )
    for network in annotated:
        if network.seats_members and network.members_filled < network.seats_members:
            rows.append(VacantSeats(network, "members", network.seats_members, network.members_filled))
        if network.seats_deputies and network.deputies_filled < network.seats_deputies:
            rows.append(VacantSeats(network, "deputies", network.seats_deputies, network.deputies_filled))
    return rows


def composition_problems(networks):
    """The flags of the elected councils (ended terms, dissolved councils, unpaired deputies, extra seats)."""
    councils = list(networks.filter(classification=Network.Classification.COUNCIL).order_by("position", "name"))
    found = composition.flags_of(councils)
    return [(network, flag) for network in councils for flag in found[network.pk]]


def first_composition_problems(networks):
    """The first ``LIST_LIMIT`` problems (``composition_problems``) with their members, and how many there are."""
    problems = composition_problems(networks)
    composition.with_members([flag for _network, flag in problems[:LIST_LIMIT]])
    return problems[:LIST_LIMIT], len(problems)


def without_contact(networks):
    """Active memberships of organisations and actor groups that name no (unerased) contact person."""
    return (
        Membership.objects.active()
        .filter(network__in=networks, person__isnull=True)
        .filter(Q(contact__isnull=True) | Q(contact__erased_at__isnull=False))
        .select_related("network", "organisation__parent__parent", "actor_group")
        .order_by("network__position", "network__name", "position", "pk")
    )


def stale_organisations(user, networks):
    """Organisations not confirmed as current for a year; coordinators see those in their networks."""
    limit = timezone.now() - STALE_AFTER
    stale = Organisation.objects.filter(Q(confirmed_at__isnull=True) | Q(confirmed_at__lt=limit))
    if not is_office(user):
        in_networks = Membership.objects.active().filter(network__in=networks, organisation=OuterRef("pk"))
        stale = stale.filter(Exists(in_networks))
    return stale.order_by("confirmed_at", "name")


def summary(user):
    """Everything the start page lists for this user, each list limited, with its total."""
    networks = networks_editable(user)
    contacts = without_contact(networks)
    stale = stale_organisations(user, networks)
    first, composition_total = first_composition_problems(networks)
    result = {
        "vacant": vacant_seats(networks),
        "composition": first,
        "composition_total": composition_total,
        "without_contact": list(contacts[:LIST_LIMIT]),
        "without_contact_total": contacts.count(),
        "stale": list(stale[:LIST_LIMIT]),
        "stale_total": stale.count(),
    }
    if is_office(user):
        result["corrections"] = list(
            Correction.objects.filter(state=Correction.State.PENDING).select_related("organisation")
        )
        duplicates = open_suggestions()
        result["duplicates"] = list(duplicates[:LIST_LIMIT])
        result["duplicates_total"] = duplicates.count()
        overdue = gdpr.overdue()
        result["overdue"] = list(overdue[:LIST_LIMIT])
        result["overdue_total"] = overdue.count()
        result["stale_prose"] = networks_with_stale_prose()
    return result
