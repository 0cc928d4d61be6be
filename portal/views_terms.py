"""Public pages of elected networks: each term of office with who sat in it, and which municipality sends whom.

Persons are named only with their consent; otherwise the seat shows the organisation (the municipal
council) they sit for and its municipality.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from register import composition
from register.guards import public
from register.models import LegislativeTerm, Membership, Network
from register.translations import attach


def council_context(network):
    """What the network page adds for an elected network (a council): its terms and the delegating councils.
    Other networks cost no query."""
    if network.classification != Network.Classification.COUNCIL:
        return {}
    terms = list(network.legislative_terms.all())
    current = next((term for term in terms if term.contains(timezone.localdate())), None)
    return {"terms": terms, "current_term": current, "delegations": composition.delegations(network, current)}


@public
def term_detail(request, slug, pk):
    network = get_object_or_404(Network, slug=slug)
    term = get_object_or_404(LegislativeTerm, pk=pk, network=network)
    seats = (
        Membership.objects.filter(legislative_term=term)
        .select_related("person", "organisation", "actor_group", "on_behalf_of__municipality")
        .prefetch_related(
            Prefetch(
                "deputies",
                queryset=Membership.objects.filter(legislative_term=term).select_related(
                    "person", "on_behalf_of__municipality", "organisation"
                ),
            )
        )
        .order_by("start_date", "position", "pk")
    )
    members = [m for m in seats if m.role in composition.SEAT_ROLES]
    others = [m for m in seats if m.role not in composition.SEAT_ROLES and not m.deputy_of_id]
    attach([network, *(seat.actor_group for seat in [*members, *others])])
    context = {
        "network": network,
        "term": term,
        "members": members,
        "others": others,
        "terms": list(network.legislative_terms.all()),
    }
    return render(request, "portal/term_detail.html", context)
