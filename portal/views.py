"""The public portal. Each page loads what it shows in a fixed number of queries."""

from collections import defaultdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from analysis.overlap import similar_to, similarity_tags
from meetings import dates, ratelimit, registrations
from meetings import events as event_dates
from register import freshness as fresh
from register.directory import attach_ancestors, member_tree
from register.guards import public
from register.models import Category, Event, Membership, Network, NetworkHost, Organisation, SiteIdentity, SitePage
from register.translations import attach
from register.tree import units_subquery

from . import contact, jsonld
from .context_processors import identity_for
from .forms import DirectoryForm, MessageForm, SearchForm
from .search import Index
from .views_terms import council_context

# How many public events the home page lists.
HOME_EVENTS = 5
# How many networks the home page lists, in the office's order; the directory holds them all.
HOME_NETWORKS = 12
# Networks per page of the directory.
DIRECTORY_PAGE_SIZE = 25


# Past events per page of the events list.
PAST_EVENTS_PAGE_SIZE = 20


def upcoming_events():
    return event_dates.upcoming()


@public
@fresh.shows(fresh.NETWORKS, fresh.EVENTS)
def home(request):
    """The office's own networks first (a bounded selection), the next public events, ways into the directory."""
    # Only what the cards show (``network_cards``): the long texts of twelve networks cost more to read.
    shown = ("name", "short_name", "slug", "classification", "purpose")
    networks = list(Network.objects.order_by("position", "name").only(*shown)[:HOME_NETWORKS])
    labels = dict(Network.Classification.choices)
    kinds = [
        {"value": row["classification"], "label": labels.get(row["classification"], row["classification"]), **row}
        for row in Network.objects.order_by().values("classification").annotate(count=Count("*"))
    ]
    kinds.sort(key=lambda kind: list(labels).index(kind["value"]) if kind["value"] in labels else len(labels))
    events = list(upcoming_events().select_related("network")[:HOME_EVENTS])  # the organiser in the JSON-LD
    attach([*networks, *events])
    data = jsonld.graph(jsonld.office(request), *(jsonld.event(request, event) for event in events))
    context = {
        "networks": networks,
        "network_count": sum(kind["count"] for kind in kinds),
        "kinds": kinds,
        "events": events,
        "json_ld": data,
    }
    return render(request, "portal/home.html", context)


@public
@fresh.shows(fresh.NETWORKS, fresh.BODIES, fresh.TOPICS)
def network_list(request):
    """The directory of all networks: filtered by authority, kind, topic and focus area, sorted, in pages."""
    form = DirectoryForm(request.GET or None)
    networks = form.networks() if form.is_bound else Network.objects.order_by("name", "pk")
    paginator = Paginator(networks, DIRECTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = attach_host_names(attach(list(page.object_list)))
    return render(request, "portal/network_list.html", {"form": form, "page": page})


def attach_host_names(networks):
    """Set ``host_names`` on each network (what ``network_cards`` shows): the names of its hosting bodies
    in their order, read as plain values with one query (a model instance for each host and its body
    took a fifth of the directory's time). Returns ``networks``."""
    names = defaultdict(list)
    hosts = NetworkHost.objects.filter(network__in=networks).order_by("network_id", "position", "pk")
    for network_pk, name in hosts.values_list("network_id", "body__name"):
        names[network_pk].append(name)
    for network in networks:
        network.host_names = names[network.pk]
    return networks


@public
# Other networks and organisations by name; their seats, topics and hosts through ``similarity``.
@fresh.shows(fresh.NETWORK_NAMES, fresh.ORGANISATION_NAMES, fresh.PERSONS, fresh.ACTOR_GROUPS, fresh.TOPICS)
@fresh.shows(fresh.BODIES, fresh.LOCATIONS)
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
    fresh.depends_on(request, fresh.network(network.pk), fresh.parts(network.pk), *similarity_tags(network))
    if network.organisation_id:  # the networks it sits in itself
        fresh.depends_on(request, fresh.seats(network.organisation_id))
    members = member_tree(network)
    groups, actor_groups, persons = members
    link_organisations(
        [org for group in groups for entry in group.entries for org in entry_organisations(entry)]
        + [membership.on_behalf_of for membership in persons if membership.on_behalf_of_id]
    )
    public_dates = dates.public_dates(network)
    similar = similar_to(network, [membership.organisation_id for membership in member_memberships(members)])
    # A network that is no organisation sits nowhere: no query (one for nothing took the database 10 ms).
    sits_in = (
        list(
            Membership.objects.active()
            .filter(organisation=network.organisation_id)
            .select_related("network")
            .order_by("network__name")
        )
        if network.organisation_id
        else []
    )
    attach(
        [
            network,
            *network.focus_areas.all(),
            *network.topics.all(),
            *network.target_groups.all(),
            getattr(network, "programme", None),
            *(membership.actor_group for membership in actor_groups),
            *public_dates["events"],
            *public_dates["past_events"],
            *(item.network for item in similar),
            *(membership.network for membership in sits_in),
        ]
    )
    data = jsonld.graph(*jsonld.network(request, network, members, public_dates["events"]))
    context = {
        "network": network,
        "members": members,
        "member_count": sum(len(entry.memberships) for group in groups for entry in group.entries)
        + len(actor_groups)
        + len(persons),
        **public_dates,
        "stale_dates": dates.stale_dates(network),
        "json_ld": data,
        "similar": similar,
        "sits_in": sits_in,
    }
    context.update(council_context(network))
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


def link_networks(networks):
    """Set ``url`` on every network with one reverse() for all (slugs need no quoting)."""
    pattern = reverse("portal:network", args=["-slug-"])
    for network in networks:
        network.url = pattern.replace("-slug-", network.slug)


def entry_organisations(entry):
    """The top organisation of a member-list entry and the units below it that are listed."""
    yield entry.root
    for _membership, units in entry.memberships:
        yield from units


@public
def organisation_detail(request, slug):
    # Its units, seats and those of its units renew its tag; the names of others, their own tags.
    fresh.depends_on(request, fresh.ORGANISATION_NAMES, fresh.NETWORK_NAMES, fresh.PERSONS, fresh.BODIES)
    organisation = get_object_or_404(Organisation.objects.current().select_related("municipality"), slug=slug)
    fresh.depends_on(request, fresh.organisation(organisation.pk), fresh.seats(organisation.pk))
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
    attach([organisation, *(membership.network for membership in memberships)])
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
    """All units below the organisation that are not archived (nor below an archived one), each with
    ``depth`` set, in tree order: one query however deep."""
    children = {}
    below = Organisation.objects.current().filter(pk__in=units_subquery([organisation.pk])).exclude(pk=organisation.pk)
    for unit in below.order_by("name"):
        children.setdefault(unit.parent_id, []).append(unit)
    ordered = []

    def walk(parent, depth):
        for unit in children.get(parent.pk, []):
            unit.parent, unit.depth = parent, depth
            ordered.append(unit)
            walk(unit, depth + 1)

    walk(organisation, 1)
    return ordered


@public
@fresh.shows(fresh.EVENTS, fresh.NETWORK_NAMES)
def event_detail(request, slug):
    """An event: before it, how to register; after it, that it took place and its documents."""
    event = get_object_or_404(Event.objects.select_related("location", "network"), slug=slug, is_public=True)
    attach([event, event.location, event.network])
    data = jsonld.graph(jsonld.event(request, event))
    context = {
        "event": event,
        "json_ld": data,
        "registration_closed": registrations.closed_reason(event),
        "files": list(event_dates.public_files(event)),
    }
    return render(request, "portal/event_detail.html", context)


@public
@fresh.shows(fresh.EVENTS, fresh.NETWORK_NAMES)
def event_list(request):
    """Coming public events, and the past ones page by page."""
    paginator = Paginator(event_dates.past(), PAST_EVENTS_PAGE_SIZE)
    upcoming, past = list(event_dates.upcoming()), paginator.get_page(request.GET.get("page"))
    past.object_list = list(past.object_list)
    attach([*upcoming, *past.object_list])
    context = {"upcoming": upcoming, "past": past}
    return render(request, "portal/event_list.html", context)


@public
def search(request):
    fresh.depends_on(request, fresh.TOPICS, fresh.BODIES)  # the form's choices
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and form.has_criteria:
        filters = form.filters()
        results = Index().search(form.cleaned_data["q"], filters)
        fresh.depends_on(request, *results.tags(filters))
        shown = [*results.networks, *results.organisations, *results.actor_groups, *results.focus_areas]
        attach(
            [entry.item for entry in shown if entry.kind != "organisation"]
            + [network for entry in shown for network in entry.networks]
            + [entry.item.network for entry in results.focus_areas]
        )
        # Every network shown is in some entry's networks (a network's entry and a focus area's hold theirs).
        link_networks([network for entry in shown for network in entry.networks])
        link_organisations([entry.item for entry in results.organisations])
        label_kinds(results)
    return render(request, "portal/search.html", {"form": form, "results": results})


def label_kinds(results):
    """Set ``kind_label`` on the networks and organisations found: their kind and category, each list of
    labels read once (``get_..._display`` builds its labels anew for every entry)."""
    kinds, categories = dict(Network.Classification.choices), dict(Category.choices)
    for entry in results.networks:
        entry.kind_label = kinds.get(entry.item.classification, entry.item.classification)
    for entry in results.organisations:
        entry.kind_label = categories.get(entry.item.category, entry.item.category)


def site_page(request, key, template="portal/site_page.html", **context):
    page = get_object_or_404(SitePage, key=key)
    return render(request, template, {"page": page, "text": page.localised(), **context})


@public
@fresh.shows()  # the site's own pages
def privacy(request):
    return site_page(request, SitePage.Key.PRIVACY)


@public
@fresh.shows()  # the site's own pages
def imprint(request):
    return site_page(request, SitePage.Key.IMPRINT)


@public
@fresh.shows()  # the site's own pages
def accessibility(request):
    return site_page(request, SitePage.Key.ACCESSIBILITY)


@public
@fresh.shows()  # the site's own pages
def contact_page(request):
    return site_page(request, SitePage.Key.CONTACT, template="portal/contact.html", identity=identity_for(request))


# Messages one address may send in the rate limit's window (meetings.ratelimit).
MESSAGES_PER_WINDOW = 5
# The page each form belongs to, where the visitor returns once the message is sent.
MESSAGE_PAGES = {"contact": "portal:contact", "barrier": "portal:accessibility"}


@public
@require_http_methods(["GET", "POST"])
def write_message(request, kind):
    """The contact form ("contact") and the accessibility statement's feedback form ("barrier")."""
    back = MESSAGE_PAGES[kind]
    initial = {"network": request.GET.get("netzwerk")} if kind == "contact" else {"page": request.GET.get("seite", "")}
    form = MessageForm(request.POST if request.method == "POST" else None, kind=kind, initial=initial)
    status = 200
    if request.method == "POST":
        scope = f"message-{kind}"
        if ratelimit.limit_reached(request, scope, MESSAGES_PER_WINDOW):
            form.is_valid()
            form.add_error(None, _("Too many messages from your connection. Please try again in ten minutes."))
            status = 429
        elif form.is_valid():
            ratelimit.count_attempt(request, scope)
            try:
                contact.send_message(kind, form.cleaned_data, translation.get_language())
            except contact.NoRecipient:
                form.add_error(None, _("Messages cannot be sent through the website yet. Please write to us by post."))
                status = 503
            else:
                messages.success(request, _("Thank you. Your message has been sent to the office."))
                return redirect(back)
        elif "homepage" in form.errors:
            ratelimit.count_attempt(request, scope)
    context = {"form": form, "kind": kind, "back": back, "identity": identity_for(request)}
    return render(request, "portal/message_form.html", context, status=status)


@public
@fresh.shows()  # the same for any data: each network's calendar is linked from the network's own page
def open_data(request):
    """Where machines and analysts get the register's public data: OParl, the JSON API, calendars, exports."""
    return render(request, "portal/open_data.html")


@public
def logo(request):
    """The office's logo from the site identity, cached by browsers until it changes (its URL changes)."""
    identity = SiteIdentity.objects.filter(pk=1).only("logo", "logo_type").first()
    if identity is None or not identity.logo_type:
        raise Http404
    response = HttpResponse(bytes(identity.logo), content_type=identity.logo_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
