"""Networks, their memberships and who has which role in them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from register.filters import MembershipFilter, NetworkFilter
from register.guards import check, requires
from register.models import Assignment, Membership, Network
from register.permissions import (
    can_create_network,
    can_edit_network,
    can_view_internal,
    is_office,
    networks_visible_internally,
    signed_in,
)
from register.subqueries import count_per_row

from ..forms import AddMember, AssignmentForm, BulkMembershipForm, EndMembershipForm, MembershipForm, NetworkForm
from ..tables import MembershipTable, NetworkTable, show
from .common import history_rows, posted, records_of
from .terms import network_council_context
from .translations import translation_url

MEMBER_RELATIONS = ["organisation", "actor_group", "person", "on_behalf_of", "contact", "deputy_of"]


def _source(request):
    """Provenance stored with a membership: data, not interface text, so not translated."""
    return f"workspace: {request.user.get_username()}"


@requires(signed_in)
def network_list(request):
    visible = networks_visible_internally(request.user)
    # Counted network by network for the rows of the page (a subquery), not by joining every membership
    # of every network and grouping; the page's count then reads the networks alone.
    open_memberships = count_per_row(Membership.objects.active().filter(network=OuterRef("pk")), "network")
    networks = visible.annotate(open_memberships=open_memberships).order_by("position", "name", "pk")
    context = {"can_create": can_create_network(request.user), "has_networks": visible.exists()}
    return show(
        request,
        "workspace/network_list.html",
        queryset=networks,
        filterset_class=NetworkFilter,
        table_class=NetworkTable,
        caption=_("Networks"),
        context=context,
    )


@requires(signed_in)
def membership_list(request):
    memberships = Membership.objects.all()
    if not is_office(request.user):  # the office sees every network: no condition on 400,000 seats to count them
        memberships = memberships.filter(network__in=networks_visible_internally(request.user))
    memberships = memberships.select_related(
        "network", "organisation", "organisation__parent", "actor_group", "person", "contact"
    )
    return show(
        request,
        "workspace/membership_list.html",
        queryset=memberships.order_by("network__name", "position", "pk"),
        filterset_class=MembershipFilter,
        table_class=MembershipTable,
        caption=_("Memberships"),
    )


@requires(can_create_network)
def network_create(request):
    form = NetworkForm(posted(request))
    if request.method == "POST" and form.is_valid():
        network = form.save()
        messages.success(request, _("The network “%(name)s” was created.") % {"name": network.name})
        return redirect("workspace:network", network.pk)
    return render(request, "workspace/form.html", {"form": form, "title": _("New network")})


@requires(signed_in)
def network_detail(request, pk):
    network = get_object_or_404(Network, pk=pk)
    check(can_view_internal(request.user, network))
    may_edit = can_edit_network(request.user, network)
    memberships = list(
        network.memberships.select_related(*MEMBER_RELATIONS, "organisation__parent", "deputy_of__organisation")
        .select_related("deputy_of__actor_group", "deputy_of__person")
        .order_by("position", "pk")
    )
    active = [m for m in memberships if m.is_active]
    ended = [m for m in memberships if not m.is_active]
    assignments = list(network.assignments.select_related("user")) if is_office(request.user) else []
    records = records_of(
        (Network, [network.pk]), (Membership, [m.pk for m in memberships]), (Assignment, [a.pk for a in assignments])
    )
    context = {
        "network": network,
        "active": active,
        "ended": ended,
        "assignments": assignments,
        "may_edit": may_edit,
        "office": is_office(request.user),
        "translations_url": translation_url(network) if is_office(request.user) else None,
        "history": history_rows(records, may_edit),
        **network_council_context(network),
    }
    return render(request, "workspace/network_detail.html", context)


@requires(signed_in)
def network_edit(request, pk):
    network = get_object_or_404(Network, pk=pk)
    check(can_edit_network(request.user, network))
    form = NetworkForm(posted(request), instance=network)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes were saved."))
        return redirect("workspace:network", network.pk)
    context = {"form": form, "title": _("Edit %(name)s") % {"name": network}}
    if is_office(request.user):
        context["translations_url"] = translation_url(network)
    return render(request, "workspace/form.html", context)


@requires(signed_in)
def membership_add(request, pk):
    """Add a member in one page: choose or create the organisation and its contact person, all in one submit."""
    network = get_object_or_404(Network, pk=pk)
    check(can_edit_network(request.user, network))
    initial = {
        "role": request.GET.get("role", Membership.Role.MEMBER),
        "deputy_of": request.GET.get("deputy_of"),
        "legislative_term": request.GET.get("legislative_term"),
    }
    adding = AddMember(posted(request), network=network, user=request.user, initial=initial)
    if request.method == "POST" and adding.is_valid():
        try:
            membership = adding.save(_source(request))
        except ValidationError as error:
            adding.membership.add_error(None, error.messages)
        else:
            messages.success(request, _("%(member)s was added.") % {"member": membership.member})
            return redirect("workspace:network", network.pk)
    context = {"adding": adding, "form": adding.membership, "network": network}
    context["title"] = _("Add a member to %(name)s") % {"name": network}
    return render(request, "workspace/membership_add.html", context)


@requires(signed_in)
def membership_bulk_add(request, pk):
    network = get_object_or_404(Network, pk=pk)
    check(can_edit_network(request.user, network))
    form = BulkMembershipForm(posted(request), network=network)
    if request.method == "POST" and form.is_valid():
        created = form.save(source=_source(request))
        count = len(created)
        messages.success(
            request,
            ngettext("%(count)d organisation was added.", "%(count)d organisations were added.", count)
            % {"count": count},
        )
        return redirect("workspace:network", network.pk)
    title = _("Add several organisations to %(name)s") % {"name": network}
    return render(request, "workspace/form.html", {"form": form, "title": title, "network": network})


@requires(signed_in)
def membership_edit(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("network", *MEMBER_RELATIONS), pk=pk)
    check(can_view_internal(request.user, membership.network))
    may_edit = can_edit_network(request.user, membership.network)
    form = MembershipForm(posted(request), instance=membership, network=membership.network, user=request.user)
    if request.method == "POST":
        check(may_edit)
        if form.is_valid():
            form.save()
            messages.success(request, _("The changes were saved."))
            return redirect("workspace:network", membership.network_id)
    context = {
        "membership": membership,
        "form": form,
        "may_edit": may_edit,
        "history": history_rows(records_of((Membership, [membership.pk])), may_edit),
    }
    return render(request, "workspace/membership.html", context)


@requires(signed_in)
def membership_end(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("network", *MEMBER_RELATIONS), pk=pk)
    check(can_edit_network(request.user, membership.network))
    form = EndMembershipForm(posted(request), instance=membership)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("The membership of %(member)s was ended; it stays in the history.") % {"member": membership.member},
        )
        return redirect("workspace:network", membership.network_id)
    title = _("End the membership of %(member)s") % {"member": membership.member}
    return render(request, "workspace/form.html", {"form": form, "title": title, "network": membership.network})


@requires(is_office)
def assignment_add(request, pk):
    network = get_object_or_404(Network, pk=pk)
    form = AssignmentForm(posted(request), network=network)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The role was given."))
        return redirect("workspace:network", network.pk)
    title = _("Give a role in %(name)s") % {"name": network}
    return render(request, "workspace/form.html", {"form": form, "title": title, "network": network})


@require_POST
@requires(is_office)
def assignment_delete(request, pk):
    assignment = get_object_or_404(Assignment.objects.select_related("network", "user"), pk=pk)
    assignment.delete()
    messages.success(request, _("The role of %(user)s was removed.") % {"user": assignment.user})
    return redirect("workspace:network", assignment.network_id)
