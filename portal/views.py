"""The public portal. Each page loads what it shows in a fixed number of queries."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from analysis.overlap import similar_to
from meetings import registrations
from register.directory import attach_ancestors, member_tree
from register.models import Event, Meeting, Membership, Network, NetworkHost, Organisation

from . import jsonld
from .forms import DirectoryForm, SearchForm
from .models import SitePage
from .search import Index

# How many public events the home page lists.
HOME_EVENTS = 5
# How many networks the home page lists, in the office's order; the directory holds them all.
HOME_NETWORKS = 12
# Networks per page of the directory.
DIRECTORY_PAGE_SIZE = 25


def upcoming_events():
    return (
        Event.objects.filter(is_public=True, cancelled=False, end__gte=timezone.now())
        .select_related("location", "network")
        .order_by("start")
    )


def home(request):
    """The office's own networks first (a bounded selection), the next public events, ways into the directory."""
    networks = list(Network.objects.order_by("position", "name")[:HOME_NETWORKS])
    labels = dict(Network.Classification.choices)
    kinds = [
        {"value": row["classification"], "label": labels.get(row["classification"], row["classification"]), **row}
        for row in Network.objects.order_by().values("classification").annotate(count=Count("pk"))
    ]
    kinds.sort(key=lambda kind: list(labels).index(kind["value"]) if kind["value"] in labels else len(labels))
    events = list(upcoming_events()[:HOME_EVENTS])
    data = jsonld.graph(jsonld.office(request), *(jsonld.event(request, event) for event in events))
    context = {
        "networks": networks,
        "network_count": sum(kind["count"] for kind in kinds),
        "kinds": kinds,
        "events": events,
        "json_ld": data,
    }
    return render(request, "portal/home.html", context)


def network_list(request):
    """The directory of all networks: filtered by authority, kind, topic and focus area, sorted, in pages."""
    form = DirectoryForm(request.GET or None)
    networks = form.networks() if form.is_bound else Network.objects.order_by("name", "pk")
    paginator = Paginator(networks.prefetch_related("hosts__body"), DIRECTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "portal/network_list.html", {"form": form, "page": page})


def network_detail(request, slug):
    network = get_object_or_404(
        Network.objects.select_related("programme__funder").prefetch_related(
            "focus_areas",
            "topics",
            "target_groups",
            Prefetch("hosts", queryset=NetworkHost.objects.select_related("body")),
            "programme__sites__municipality",
        ),
        slug=slug,
    )
    members = member_tree(network)
    groups, _actor_groups, persons = members
    link_organisations(
        [org for group in groups for entry in group.entries for org in entry_organisations(entry)]
        + [membership.on_behalf_of for membership in persons if membership.on_behalf_of_id]
    )
    events = list(upcoming_events().filter(network=network))
    meetings = (
        Meeting.objects.filter(network=network, is_public=True, end__gte=timezone.now())
        .exclude(state=Meeting.State.CANCELLED)
        .select_related("location")
        .order_by("start")
    )
    data = jsonld.graph(*jsonld.network(request, network, members, events))
    context = {
        "network": network,
        "members": members,
        "events": events,
        "meetings": meetings,
        "json_ld": data,
        "similar": similar_to(network, [membership.organisation_id for membership in member_memberships(members)]),
        "sits_in": Membership.objects.active()
        .filter(organisation=network.organisation_id, organisation__isnull=False)
        .select_related("network")
        .order_by("network__name"),
    }
    return render(request, "portal/network_detail.html", context)


def member_memberships(members):
    """The memberships of organisations in a member tree (already loaded)."""
    groups, _actor_groups, _persons = members
    return [membership for group in groups for entry in group.entries for membership, _units in entry.memberships]


def link_organisations(organisations):
    """Set ``url`` on every organisation with one reverse() for all (slugs need no quoting)."""
    pattern = reverse("portal:organisation", args=["-slug-"])
    for org in organisations:
        org.url = pattern.replace("-slug-", org.slug)


def entry_organisations(entry):
    """The top organisation of a member-list entry and the units below it that are listed."""
    yield entry.root
    for _membership, units in entry.memberships:
        yield from units


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
