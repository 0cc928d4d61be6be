"""What needs the coordinators' attention: vacant seats, missing contacts, stale entries, pending work."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from matching.services import open_suggestions
from meetings.dates import networks_with_stale_prose
from register import composition
from register.composition import SEAT_ROLES  # noqa: F401 (read by callers as attention.SEAT_ROLES)
from register.models import Membership, Network, Organisation, Person
from register.permissions import is_office, networks_editable

from . import gdpr
from .models import Correction

# Entries not confirmed for this long are listed as stale.
STALE_AFTER = timedelta(days=365)
LIST_LIMIT = 25
# Long lists are counted up to here ("more than 1,000"); the whole list they link to counts them all.
COUNT_CAP = 1000
# What the start page shows of a network with seat rules, and needs to find its vacant seats and problems.
SHOWN_COLUMNS = {"name", "short_name", "classification", "seats_members", "seats_deputies", "position"}


def first_and_total(queryset):
    """The first ``LIST_LIMIT`` rows of ``queryset`` and how many there are, counted up to ``COUNT_CAP`` + 1
    (the database stops there); a list that fits is not counted again."""
    rows = list(queryset[: LIST_LIMIT + 1])
    if len(rows) <= LIST_LIMIT:
        return rows, len(rows)
    return rows[:LIST_LIMIT], queryset.order_by()[: COUNT_CAP + 1].count()


@dataclass
class VacantSeats:
    network: tuple  # the network's row: pk, name and the columns of ``SHOWN_COLUMNS``
    kind: str
    seats: int
    filled: int

    @property
    def vacant(self):
        return self.seats - self.filled


def seats_overview(networks):
    """The vacant seats (networks whose rules name more member or deputy seats than active memberships
    fill, as the network list's filter finds them) and the composition problems of the councils
    (``composition.flags_in_order``): the first ``LIST_LIMIT`` of each, the problems with their members, and
    how many there are (the problems counted up to ``COUNT_CAP`` + 1). One count of the seats serves both;
    the networks are read once, with the few columns the start page shows (not their texts)."""
    with_rules = Q(seats_members__isnull=False) | Q(seats_deputies__isnull=False)
    council = Q(classification=Network.Classification.COUNCIL)
    read = networks.filter(with_rules | council).order_by("position", "name", "pk")
    # As plain rows, made networks only where needed: 1,200 model instances took 15 ms at nation scale.
    columns = ["id", *(field.attname for field in Network._meta.concrete_fields if field.attname in SHOWN_COLUMNS)]
    # With their filled seats, counted network by network in the same query (the seats of the current terms,
    # which the councils' problems need, are counted by ``flags_in_order``).
    filled_columns = ["members_filled", "deputies_filled"]
    rows = list(composition.with_filled_seats(read).values_list("pk", *columns[1:], *filled_columns, named=True))
    councils_read = networks.filter(council).order_by().values("pk")
    counts = composition.SeatCounts.filled(rows)
    vacant = [VacantSeats(row, kind, seats, filled) for row in rows for kind, seats, filled in counts.vacancies(row)]
    councils = (
        Network.from_db(read.db, columns, row[: len(columns)])
        for row in rows
        if row.classification == Network.Classification.COUNCIL
    )
    problems = []
    # Worked out council by council, up to one more than the start page counts (thousands at nation scale).
    for network, flags in composition.flags_in_order(councils, within=councils_read, counts=counts):
        problems += [(network, flag) for flag in flags]
        if len(problems) > COUNT_CAP:
            break
    composition.with_members([flag for _network, flag in problems[:LIST_LIMIT]])
    return {
        "vacant": vacant[:LIST_LIMIT],
        "vacant_total": len(vacant),
        "composition": problems[:LIST_LIMIT],
        "composition_total": len(problems),
    }


def without_contact(networks):
    """Active memberships of organisations and actor groups that name no (unerased) contact person;
    ``networks`` None: in every network (the office's view, without a join of all networks)."""
    # The few erased people as a subquery, not a join of every membership with its contact.
    erased = Person.objects.filter(erased_at__isnull=False).values("pk")
    memberships = Membership.objects.active().filter(person__isnull=True)
    if networks is not None:
        memberships = memberships.filter(network__in=networks)
    return (
        memberships.filter(Q(contact__isnull=True) | Q(contact__in=erased))
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
    contacts = without_contact(None if is_office(user) else networks)
    stale = stale_organisations(user, networks)
    without_contact_first, without_contact_total = first_and_total(contacts)
    stale_first, stale_total = first_and_total(stale)
    result = {
        **seats_overview(networks),
        "without_contact": without_contact_first,
        "without_contact_total": without_contact_total,
        "stale": stale_first,
        "stale_total": stale_total,
        "count_cap": COUNT_CAP,
    }
    if is_office(user):
        result["corrections"] = list(
            Correction.objects.filter(state=Correction.State.PENDING).select_related("organisation")
        )
        result["duplicates"], result["duplicates_total"] = first_and_total(open_suggestions())
        result["overdue"], result["overdue_total"] = first_and_total(gdpr.overdue())
        result["stale_prose"] = networks_with_stale_prose()
    return result
