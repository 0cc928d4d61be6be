"""The composition rules of elected networks, checked and not only shown.

- More members (or deputies) than seats is refused unless the membership states a reason.
- Seats belong to a term of office and end with it; a new term starts empty.
- A deputy names the member they stand in for, in the same term.
- Active seats whose term has ended, whose delegating council was dissolved or whose member has left
  are flagged for the office.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import MAY_CARRY_FLAG, DelegatingCouncil, LegislativeTerm, Membership, active_condition

# Roles that fill a member seat; deputies fill the deputy seats.
SEAT_ROLES = [Membership.Role.MEMBER, Membership.Role.CHAIR]
DEPUTY_ROLES = [Membership.Role.DEPUTY]


def seat_roles(role):
    if role in SEAT_ROLES:
        return SEAT_ROLES
    return DEPUTY_ROLES if role in DEPUTY_ROLES else None


def seats_of(network, term, role):
    """How many seats of the role's kind the term (or, without one, the network) has; None: no rule."""
    if role in SEAT_ROLES:
        return term.member_seats if term else network.seats_members
    if role in DEPUTY_ROLES:
        return term.deputy_seats if term else network.seats_deputies
    return None


def with_filled_seats(networks, on=None):
    """The networks annotated ``members_filled`` and ``deputies_filled``: their active seats on ``on`` (today),
    each counted by a subquery per network. Not one grouped join: that hashed every seat by network (at nation
    scale 46,000 seats of 1,200 councils, twice as long as counting them network by network) and grouped the
    networks by every column selected."""

    def filled(roles):
        seats = Membership.objects.active(on).filter(network=OuterRef("pk"), role__in=roles).order_by()
        return Coalesce(Subquery(seats.values("network").annotate(seats=Count("*")).values("seats")), 0)

    return networks.annotate(members_filled=filled(SEAT_ROLES), deputies_filled=filled(DEPUTY_ROLES))


def with_vacant_seats(networks, on=None):
    """The networks whose composition rules name more member or deputy seats than active seats fill."""
    with_rules = networks.filter(Q(seats_members__isnull=False) | Q(seats_deputies__isnull=False))
    return with_filled_seats(with_rules, on).filter(
        Q(seats_members__gt=F("members_filled")) | Q(seats_deputies__gt=F("deputies_filled"))
    )


def current_term(network, on=None):
    on = on or timezone.localdate()
    return (
        LegislativeTerm.objects.filter(network=network, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .first()
    )


def _span(membership, term):
    start = membership.start_date or (term.start_date if term else datetime.date.min)
    end = membership.end_date or (term.end_date if term and term.end_date else datetime.date.max)
    return start, end


def peak(spans, within):
    """The largest number of ``spans`` (start, end) that run on one day of ``within``."""
    low, high = within
    days = {low} | {start for start, _end in spans if low <= start <= high}
    return max((sum(1 for start, end in spans if start <= day <= end) for day in days), default=0)


def composition_errors(membership):
    """{field: message} for what breaks the network's composition rules; empty when all is well."""
    errors = {}
    network = membership.network
    term = membership.legislative_term if membership.legislative_term_id else None
    roles = seat_roles(membership.role)
    if term is not None:
        if term.network_id != network.pk:
            return {"legislative_term": _("This term belongs to another network.")}
        if membership.start_date and membership.start_date < term.start_date:
            errors["start_date"] = _("The seat cannot start before its term (%(start)s).") % {
                "start": term.start_date.strftime("%d.%m.%Y")
            }
        if term.end_date and membership.end_date and membership.end_date > term.end_date:
            errors["end_date"] = _("The seat ends with its term, on %(end)s at the latest.") % {
                "end": term.end_date.strftime("%d.%m.%Y")
            }
    elif roles and LegislativeTerm.objects.filter(network=network).exists():
        errors["legislative_term"] = _("Choose the term of office this seat belongs to.")
    if membership.role in DEPUTY_ROLES:
        errors.update(_deputy_errors(membership, term))
    seats = seats_of(network, term, membership.role)
    if roles and seats is not None and not membership.over_seats_reason.strip() and not errors:
        others = Membership.objects.filter(network=network, role__in=roles).exclude(pk=membership.pk)
        if term is not None:
            others = others.filter(legislative_term=term)
        others = others.select_related("legislative_term")
        spans = [_span(other, other.legislative_term) for other in others]
        if peak(spans, _span(membership, term)) >= seats:
            errors["over_seats_reason"] = ngettext(
                "The %(seats)d seat is already filled at this time. End a membership first, or state why "
                "one more sits in.",
                "All %(seats)d seats are already filled at this time. End a membership first, or state why "
                "one more sits in.",
                seats,
            ) % {"seats": seats}
    return errors


def _deputy_errors(membership, term):
    network = membership.network
    deputy_seats = seats_of(network, term, membership.role)
    if not membership.deputy_of_id:
        if deputy_seats:
            return {"deputy_of": _("Choose the member this deputy stands in for.")}
        return {}
    member = membership.deputy_of
    if member.legislative_term_id != membership.legislative_term_id:
        return {"deputy_of": _("The deputy and the member they stand in for belong to the same term.")}
    if deputy_seats and not membership.over_seats_reason.strip():
        taken = Membership.objects.filter(deputy_of=member, role__in=DEPUTY_ROLES).exclude(pk=membership.pk)
        span = _span(membership, term)
        if peak([_span(other, term) for other in taken], span):
            return {"deputy_of": _("This member already has a deputy at this time.")}
    return {}


@dataclass
class Seat:
    """A flagged seat as ``flags_of`` reads it: the few columns the rules need, not a record (thousands of
    seats at nation scale). ``with_members`` reads the seats of the flags shown as memberships."""

    pk: int
    network_id: int
    role: str
    on_behalf_of_id: int | None
    deputy_of_id: int | None
    legislative_term_id: int | None
    over_seats_reason: str
    position: int
    member_gone: bool
    legislative_term: LegislativeTerm | None = None
    network: object = None


SEAT_COLUMNS = [
    "pk",
    "network_id",
    "role",
    "on_behalf_of_id",
    "deputy_of_id",
    "legislative_term_id",
    "over_seats_reason",
    "position",
    "member_gone",
]


@dataclass
class Flag:
    membership: Membership | None
    code: str
    message: str


def flags(network, on=None):
    """What is wrong with the active seats of a network today: ended terms, dissolved councils, deputies
    without their member, more seats filled than the rules allow."""
    return with_members(flags_of([network], on)[network.pk])


def with_members(found):
    """The flags, each with its seat read as a membership with its member, in one query (``flags_of``
    reads only the columns of the seats)."""
    seats = [flag.membership for flag in found if flag.membership]
    read = (
        Membership.objects.filter(pk__in={seat.pk for seat in seats})
        .order_by()  # in_bulk: the model's order would join the network and sort for nothing
        .select_related("organisation__parent__parent", "actor_group", "person", "legislative_term")
        .in_bulk()
        if seats
        else {}
    )
    for flag in found:
        if flag.membership:
            seat = flag.membership
            flag.membership = read[seat.pk]
            flag.membership.network = seat.network
    return found


@dataclass
class SeatCounts:
    """The active seats of networks as ``seat_counts`` counts them: per (network, term, deputies) and per
    (network, deputies) in any term."""

    in_term: dict | None  # None: not counted (``flags_in_order`` counts those of the current terms)
    in_any_term: dict

    @classmethod
    def filled(cls, networks):
        """The counts of networks annotated by ``with_filled_seats``: in any term only."""
        in_any_term = {}
        for network in networks:
            in_any_term[network.pk, False] = network.members_filled
            in_any_term[network.pk, True] = network.deputies_filled
        return cls(None, in_any_term)

    def vacancies(self, network):
        """(kind, seats, filled) for each kind of seat of which the network's rules name more than are filled:
        the rule of ``with_vacant_seats`` (the network list's filter), for networks already read and counted."""
        found = []
        for kind, seats, deputies in (
            ("members", network.seats_members, False),
            ("deputies", network.seats_deputies, True),
        ):
            filled = self.in_any_term.get((network.pk, deputies), 0)
            if seats and filled < seats:
                found.append((kind, seats, filled))
        return found


def seat_counts(*within, on=None):
    """The active member and deputy seats of the networks ``within`` (keys or queries of them; several, which
    must not overlap, are counted in one query but planned each on its own) on ``on``, counted by the database."""
    counted = [
        Membership.objects.active(on)
        .filter(network__in=networks, role__in=SEAT_ROLES + DEPUTY_ROLES)
        .values_list("network_id", "legislative_term_id", "role")
        .annotate(seats=Count("pk"))
        .order_by()
        for networks in within
    ]
    in_term, in_any_term = defaultdict(int), defaultdict(int)
    for network, term, role, seats in counted[0].union(*counted[1:], all=True):
        in_term[network, term, role in DEPUTY_ROLES] += seats
        in_any_term[network, role in DEPUTY_ROLES] += seats
    return SeatCounts(in_term, in_any_term)


def seats_in_terms(terms, on=None):
    """{(network, term, deputies): active seats} of the terms ``terms`` (a query of their keys) on ``on``."""
    counted = (
        Membership.objects.active(on)
        .filter(legislative_term__in=terms, role__in=SEAT_ROLES + DEPUTY_ROLES)
        .values_list("network_id", "legislative_term_id", "role")
        .annotate(seats=Count("*"))
        .order_by()
    )
    in_term = defaultdict(int)
    for network, term, role, seats in counted:
        in_term[network, term, role in DEPUTY_ROLES] += seats
    return in_term


def flags_of(networks, on=None, within=None, counts=None):
    """{network id: its flags (``flags``)} for several networks in five queries, whatever their number
    (``flags_in_order``)."""
    return {network.pk: found for network, found in flags_in_order(networks, on, within, counts)}


def flags_in_order(networks, on=None, within=None, counts=None):
    """(network, its flags) for each of several networks in their order, read in five queries whatever
    their number; the flags of a network are worked out only when it is reached (a caller that needs the
    first few may stop early).

    Only the seats that can carry a flag are read in full (on a term that has ended, sent by a council that
    was dissolved, a deputy without an active member, a seat with a reason for sitting over the rules); the
    seats filled per network and term are counted by the database (``counts``: already counted, for these
    networks or more; without ``in_term``, the seats of the current terms are counted here). ``within``, a
    query of the networks' keys, selects their seats instead of the list of keys: a thousand keys take longer
    to send and plan than the queries take to run; with it, ``networks`` may be an iterator, from which each
    network is taken only when reached."""
    on = on or timezone.localdate()
    if within is None:
        networks = list(networks)
        within = [network.pk for network in networks]
    dissolved = DelegatingCouncil.objects.filter(
        network=OuterRef("network"), organisation=OuterRef("on_behalf_of"), dissolved_on__lte=on
    )
    member_active = Membership.objects.active(on).filter(pk=OuterRef("deputy_of"))
    deputy_alone = Q(deputy_of__isnull=True) | ~Q(Exists(member_active))
    # The exact conditions, each on the seats of one cheap sieve: the deputies and the seats with a reason by
    # their own index (a tenth of the seats), the others by their term or council. The sieves as one
    # condition made the database read every seat of the networks (at nation 22 ms, now 12).
    sieves = [
        MAY_CARRY_FLAG,
        Q(legislative_term__in=LegislativeTerm.objects.filter(end_date__lt=on).values("pk")),
        Q(on_behalf_of__in=DelegatingCouncil.objects.filter(dissolved_on__lte=on).values("organisation")),
    ]
    flagged = (
        Membership.objects.active(on)
        .filter(network__in=within)
        .filter(
            Q(legislative_term__end_date__lt=on)
            | Q(Exists(dissolved))
            | (Q(role__in=DEPUTY_ROLES) & deputy_alone)
            | ~Q(over_seats_reason="")
        )
        # By a join with the member's seat: a subquery per row would be costed so high that PostgreSQL
        # compiles the query (JIT) first, which takes longer than running it.
        .annotate(member_gone=Q(deputy_of__isnull=False) & ~active_condition(on, prefix="deputy_of__"))
        .order_by()
        .values_list(*SEAT_COLUMNS)
    )
    first, *others = [flagged.filter(sieve) for sieve in sieves]
    # Their columns only, in the seats' own order (the model's order would join every network); a seat that
    # passes two sieves comes twice, next to itself.
    candidates = dict.fromkeys(first.union(*others, all=True).order_by("position", "pk"))
    # Kept as rows by network, made seats only for the networks reached (thousands of seats at nation scale, of
    # which the start page reaches a fifth).
    rows, councils, terms = defaultdict(list), defaultdict(dict), {}
    network_at, term_at = SEAT_COLUMNS.index("network_id"), SEAT_COLUMNS.index("legislative_term_id")
    for row in candidates:
        rows[row[network_at]].append(row)
    seat_terms = LegislativeTerm.objects.in_bulk({row[term_at] for row in candidates} - {None})
    for council in DelegatingCouncil.objects.filter(network__in=within).select_related("organisation"):
        councils[council.network_id][council.organisation_id] = council
    current = LegislativeTerm.objects.filter(network__in=within, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    for term in current.order_by("start_date", "pk"):  # the latest start of each, as ``current_term`` takes
        terms[term.network_id] = term
    if counts is None:
        counts = seat_counts(within, on=on)
    elif counts.in_term is None:  # counted in any term only: the seats of the current terms counted here
        counts = SeatCounts(seats_in_terms(current.values("pk"), on), counts.in_any_term)
    texts = _texts()
    for network in networks:
        pk = network.pk
        seats = [Seat(*row) for row in rows[pk]]
        for seat in seats:
            seat.legislative_term = seat_terms.get(seat.legislative_term_id)
        yield network, _flags(network, seats, councils[pk], terms.get(pk), counts, on, texts)


def _texts():
    """The flags' texts in the active language, translated once for all the networks read together."""
    return {
        "term_ended": _("Its term “%(term)s” ended on %(end)s, but the seat is still open."),
        "council_dissolved": _("The council that sent this member, %(council)s, was dissolved on %(day)s."),
        "member_gone": _("The member this deputy stands in for no longer holds the seat."),
        "deputy_unpaired": _("This deputy stands in for no member."),
        "members": _("members"),
        "deputies": _("deputies"),
        "over_seats": _("%(filled)d %(kind)s for %(seats)d seats. Reasons given: %(reasons)s"),
    }


def _flags(network, memberships, councils, term, counts, on, texts):
    found = []
    if term is not None:
        term.network = network
    for membership in memberships:
        membership.network = network
        seat_term = membership.legislative_term
        if seat_term is not None and seat_term.network_id == network.pk:
            seat_term.network = network  # its seats default to the network's
        if seat_term and seat_term.end_date and seat_term.end_date < on:
            found.append(
                Flag(
                    membership,
                    "term_ended",
                    texts["term_ended"] % {"term": seat_term.name, "end": seat_term.end_date.strftime("%d.%m.%Y")},
                )
            )
        council = councils.get(membership.on_behalf_of_id)
        if council and not council.is_active(on):
            found.append(
                Flag(
                    membership,
                    "council_dissolved",
                    texts["council_dissolved"]
                    % {"council": council.organisation.name, "day": council.dissolved_on.strftime("%d.%m.%Y")},
                )
            )
        if membership.role in DEPUTY_ROLES and membership.member_gone:
            found.append(Flag(membership, "member_gone", texts["member_gone"]))
        if (
            membership.role in DEPUTY_ROLES
            and not membership.deputy_of_id
            and seats_of(network, seat_term, membership.role)
        ):
            found.append(Flag(membership, "deputy_unpaired", texts["deputy_unpaired"]))
    for roles, label in ((SEAT_ROLES, texts["members"]), (DEPUTY_ROLES, texts["deputies"])):
        seats = seats_of(network, term, roles[0])
        deputies = roles is DEPUTY_ROLES
        if term is None:
            count = counts.in_any_term.get((network.pk, deputies), 0)
        else:
            count = counts.in_term.get((network.pk, term.pk, deputies), 0)
        if seats is not None and count > seats:
            in_term = [m for m in memberships if m.role in roles and (term is None or m.legislative_term_id == term.pk)]
            reasons = "; ".join(m.over_seats_reason for m in in_term if m.over_seats_reason)
            found.append(
                Flag(
                    None,
                    "over_seats",
                    texts["over_seats"] % {"filled": count, "kind": label, "seats": seats, "reasons": reasons or "–"},
                )
            )
    return found


@dataclass
class Delegation:
    council: DelegatingCouncil
    memberships: list

    @property
    def municipality(self):
        return self.council.organisation.municipality


def delegations(network, term=None, on=None):
    """Which municipality's council sends whom: the councils of the network with the seats held on their
    behalf in the term (or, without one, today). Dissolved councils appear while they still hold a seat."""
    on = on or timezone.localdate()
    seats = Membership.objects.filter(network=network, on_behalf_of__delegations__network=network)
    seats = seats.filter(legislative_term=term) if term else seats.active(on)
    by_council = {}
    seats = seats.select_related("person", "on_behalf_of", "deputy_of__person").order_by("pk")
    for membership in sorted(seats, key=lambda m: m.role in DEPUTY_ROLES):  # members before deputies
        by_council.setdefault(membership.on_behalf_of_id, []).append(membership)
    councils = DelegatingCouncil.objects.filter(network=network).select_related("organisation__municipality")
    return [
        Delegation(council, by_council.get(council.organisation_id, []))
        for council in councils
        if council.is_active(on) or council.organisation_id in by_council
    ]
