"""Terms of office, delegating councils and the 1,000-residents rule of elected networks (the KAB)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from register import composition
from register.guards import check, requires
from register.models import DelegatingCouncil, LegislativeTerm, Network
from register.permissions import can_edit_network, can_view_internal, is_office, signed_in
from register.thresholds import FOREIGN_RESIDENTS_THRESHOLD, picture, threshold_rows

from ..forms import DelegatingCouncilForm, LegislativeTermForm
from .common import history_rows, posted, records_of


@requires(signed_in)
def term_create(request, pk):
    network = get_object_or_404(Network, pk=pk)
    check(can_edit_network(request.user, network))
    form = LegislativeTermForm(posted(request), network=network)
    if request.method == "POST" and form.is_valid():
        term = form.save()
        messages.success(
            request,
            _("The term “%(name)s” was created. It starts empty: add the members elected for it.") % {"name": term},
        )
        return redirect("workspace:term", term.pk)
    title = _("New term of office of %(name)s") % {"name": network}
    return render(request, "workspace/form.html", {"form": form, "title": title, "network": network})


@requires(signed_in)
def term_edit(request, pk):
    term = get_object_or_404(LegislativeTerm.objects.select_related("network"), pk=pk, network__isnull=False)
    check(can_edit_network(request.user, term.network))
    form = LegislativeTermForm(posted(request), instance=term, network=term.network)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes were saved."))
        return redirect("workspace:term", term.pk)
    title = _("Edit %(name)s") % {"name": term}
    return render(request, "workspace/form.html", {"form": form, "title": title, "network": term.network})


@requires(signed_in)
def term_detail(request, pk):
    term = get_object_or_404(LegislativeTerm.objects.select_related("network"), pk=pk, network__isnull=False)
    network = term.network
    check(can_view_internal(request.user, network))
    memberships = list(
        term.memberships.select_related("organisation", "actor_group", "person", "on_behalf_of__municipality")
        .select_related("deputy_of__person", "deputy_of__organisation", "deputy_of__actor_group", "contact")
        .order_by("role", "position", "pk")
    )
    seats = [
        (_("members"), term.member_seats, [m for m in memberships if m.role in composition.SEAT_ROLES]),
        (_("deputies"), term.deputy_seats, [m for m in memberships if m.role in composition.DEPUTY_ROLES]),
    ]
    may_edit = can_edit_network(request.user, network)
    context = {
        "term": term,
        "network": network,
        "memberships": memberships,
        "seats": [{"label": label, "seats": total, "filled": len(held)} for label, total, held in seats],
        "flags": [flag for flag in composition.flags(network) if flag.membership in memberships],
        "may_edit": may_edit,
        "history": history_rows(records_of((LegislativeTerm, [term.pk])), may_edit),
    }
    return render(request, "workspace/term_detail.html", context)


@requires(signed_in)
def council_create(request, pk):
    network = get_object_or_404(Network, pk=pk)
    check(can_edit_network(request.user, network))
    return _council_form(request, network, None)


@requires(signed_in)
def council_edit(request, pk):
    council = get_object_or_404(DelegatingCouncil.objects.select_related("network", "organisation"), pk=pk)
    check(can_edit_network(request.user, council.network))
    return _council_form(request, council.network, council)


def _council_form(request, network, council):
    form = DelegatingCouncilForm(posted(request), instance=council, network=network)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes were saved."))
        return redirect("workspace:network", network.pk)
    title = (
        _("Edit %(name)s") % {"name": council}
        if council
        else _("A council that sends delegates to %(name)s") % {"name": network}
    )
    return render(request, "workspace/form.html", {"form": form, "title": title, "network": network})


@requires(is_office)
def thresholds(request):
    rows = threshold_rows()
    context = {
        "rows": rows,
        "picture": picture(rows),
        "threshold": FOREIGN_RESIDENTS_THRESHOLD,
        "office": is_office(request.user),
    }
    return render(request, "workspace/thresholds.html", context)


def network_council_context(network):
    """What the network page shows of terms, councils and composition problems (four queries)."""
    return {
        "terms": list(network.legislative_terms.all()),
        "current_term": composition.current_term(network),
        "councils": list(
            DelegatingCouncil.objects.filter(network=network).select_related("organisation__municipality")
        ),
        "flags": composition.flags(network),
        "has_rules": network.seats_members is not None
        or network.seats_deputies is not None
        or network.classification == Network.Classification.COUNCIL,
    }
