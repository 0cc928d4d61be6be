"""The public portal. Each page loads what it shows in a fixed number of queries."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from meetings import registrations
from register.directory import attach_ancestors, member_tree
from register.models import Event, Meeting, Membership, Network, Organisation

from . import jsonld
from .forms import SearchForm
from .models import SitePage
from .search import Index

# How many public events the home page lists.
HOME_EVENTS = 5


def upcoming_events():
    return (
        Event.objects.filter(is_public=True, cancelled=False, end__gte=timezone.now())
        .select_related("location", "network")
        .order_by("start")
    )


def home(request):
    networks = Network.objects.order_by("position", "name")
    events = list(upcoming_events()[:HOME_EVENTS])
    data = jsonld.graph(jsonld.office(request), *(jsonld.event(request, event) for event in events))
    return render(request, "portal/home.html", {"networks": networks, "events": events, "json_ld": data})


def network_detail(request, slug):
    network = get_object_or_404(
        Network.objects.select_related("programme__funder").prefetch_related(
            "focus_areas", "topics", "target_groups", "hosts__body", "programme__sites__municipality"
        ),
        slug=slug,
    )
    members = member_tree(network)
    events = list(upcoming_events().filter(network=network))
    meetings = (
        Meeting.objects.filter(network=network, is_public=True, end__gte=timezone.now())
        .exclude(state=Meeting.State.CANCELLED)
        .select_related("location")
        .order_by("start")
    )
    data = jsonld.graph(*jsonld.network(request, network, members, events))
    context = {"network": network, "members": members, "events": events, "meetings": meetings, "json_ld": data}
    return render(request, "portal/network_detail.html", context)


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.select_related("municipality"), slug=slug)
    attach_ancestors([organisation])
    units = descendants(organisation)
    family = [organisation, *units]
    ids = [org.pk for org in family]
    memberships = list(
        Membership.objects.active()
        .filter(Q(organisation_id__in=ids) | Q(on_behalf_of_id__in=ids))
        .select_related("network", "person")
        .order_by("network__position", "network__name", "pk")
    )
    by_id = {org.pk: org for org in family}
    for membership in memberships:
        # The unit (or the organisation itself) through which the organisation sits in the network.
        membership.via = by_id[membership.organisation_id or membership.on_behalf_of_id]
    data = jsonld.graph(jsonld.organisation(request, organisation, units, memberships))
    context = {
        "organisation": organisation,
        "units": units,
        "memberships": memberships,
        "aliases": list(organisation.aliases.all()),
        "json_ld": data,
    }
    return render(request, "portal/organisation_detail.html", context)


def descendants(organisation):
    """All units below the organisation, each with ``depth`` set, in tree order; one query per level."""
    children, level, depth = {}, [organisation], 1
    while level:
        found = list(Organisation.objects.filter(parent__in=level).order_by("name"))
        for unit in found:
            unit.depth = depth
            children.setdefault(unit.parent_id, []).append(unit)
        level, depth = found, depth + 1
    ordered = []

    def walk(parent):
        for unit in children.get(parent.pk, []):
            unit.parent = parent
            ordered.append(unit)
            walk(unit)

    walk(organisation)
    return ordered


def event_detail(request, slug):
    event = get_object_or_404(Event.objects.select_related("location", "network"), slug=slug, is_public=True)
    data = jsonld.graph(jsonld.event(request, event))
    context = {"event": event, "json_ld": data, "registration_closed": registrations.closed_reason(event)}
    return render(request, "portal/event_detail.html", context)


def search(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.has_criteria:
        results = Index().search(form.cleaned_data["q"], form.filters())
    return render(request, "portal/search.html", {"form": form, "results": results})


def privacy(request):
    page = get_object_or_404(SitePage, key=SitePage.Key.PRIVACY)
    return render(request, "portal/site_page.html", {"page": page, "text": page.localised()})
