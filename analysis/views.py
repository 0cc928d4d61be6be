"""The network map, its exports and the overlap pages. Public: they show organisations and networks
only; people and the cooperation layer (from survey answers) appear only for the office, and only
when it asks for them – the form offers neither to anyone else, so their parameters are ignored.

Every page is bounded, whatever the size of the register: the map shows at most
``graph.NODE_LIMIT`` nodes (``selection.bounded_map``), the overlap page a matrix of at most
``MATRIX_LIMIT`` networks or the pairs that share actors among at most ``PAIRS_LIMIT`` networks, a
page of ``PAIRS_PER_PAGE`` at a time. Beyond that the pages ask to narrow the selection.
"""

import datetime

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from register import freshness as fresh
from register import translations
from register.filters import search
from register.guards import public
from register.models import Body, Network

from . import exports, overlap
from .drawing import edge_legend, legend, table_rows, to_cytoscape
from .forms import CompareForm, MapFilterForm, OverlapFilterForm
from .graph import MapFilters, brokers, clusters, cooperation_overview, isolated
from .selection import bounded_map, overlap_selection

EXPORTS = {
    "gexf": ("application/gexf+xml", exports.to_gexf),
    "graphml": ("application/graphml+xml", exports.to_graphml),
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
}
# The search-as-you-type selects of the filters get at most this many entries.
OPTIONS_LIMIT = 20
# The entries they search, by the kind the select names: (queryset, fields searched, value field).
OPTIONS = {
    "bodies": (Body.objects.order_by("name", "pk"), ["name", "short_name"], "slug"),
    "networks": (Network.objects.order_by("name", "pk").only("name", "slug"), ["name", "short_name"], "slug"),
}
# The overlap page shows a matrix up to this many networks …
MATRIX_LIMIT = 25
# … and the pairs that share actors up to this many; more must be narrowed by body or focus area.
PAIRS_LIMIT = 1500
PAIRS_PER_PAGE = 50
# What a map shows: networks and organisations by name and place; hosts, focus areas and funders (filters,
# edges) with seats; the stored figures.
MAP_SHOWS = (
    fresh.NETWORK_NAMES, fresh.ORGANISATION_NAMES, fresh.MEMBERSHIPS, fresh.SIMILARITY, fresh.PERSONS,
    fresh.ACTOR_GROUPS, fresh.BODIES, fresh.MAP_FIGURES,
)  # fmt: skip


def _body_name(pk):
    return Body.objects.filter(pk=pk).values_list("name", flat=True).first() if pk else None


def _notice(selection):
    """What the page says about the bounds of the map: (text, whether the map is missing)."""
    size = selection.size
    figures = {"networks": size.networks, "organisations": size.organisations, "limit": selection.limit}
    if selection.graph is None:
        return (
            _(
                "This selection is too large for a map: about %(networks)d networks and %(organisations)d "
                "organisations, more than %(limit)d. Please narrow it by body, focus area or networks "
                "(or by category or municipality of the organisations)."
            )
            % figures
        )
    if selection.default_body:
        return _(
            "The whole register is too large for one map. The map shows the networks of %(body)s and the "
            "organisations in its area (%(networks)d networks, %(organisations)d organisations). Choose a body, "
            "a focus area or networks to see another part."
        ) % {**figures, "body": _body_name(selection.default_body)}
    if selection.ego_narrowed:
        return _(
            "The map with these filters is too large; the ego network is taken within the networks of the "
            "organisation, of the organisation it belongs to and of its units."
        )
    return ""


def _figures_note(graph):
    """What the page says when the stored figures (broker scores, clusters) are not current: "" when they are."""
    if graph is None or graph.graph.get("figures_current", True):
        return ""
    as_of = graph.graph.get("figures_as_of")
    if not as_of:
        return _("The broker scores and clusters are being computed; until then they are missing.")
    when = formats.date_format(timezone.localtime(datetime.datetime.fromisoformat(as_of)), "SHORT_DATETIME_FORMAT")
    return _("Figures as of %(time)s, being updated.") % {"time": when}


def _map(request, page=False):
    """The filter form and the bounded map it selects; an invalid form shows the default map.

    Only a ``page`` shows the form, with its choices."""
    form = MapFilterForm(request.GET or None, user=request.user, offer_choices=page)
    if form.is_bound and form.is_valid():
        filters, ego, radius = form.filters(), form.cleaned_data.get("ego"), form.cleaned_data.get("radius") or 2
    else:
        filters, ego, radius = MapFilters(), None, 2
    selection = bounded_map(filters, ego, radius)
    if not selection.found:
        form.add_error("ego", _("This organisation is not on the map with the chosen filters."))
    if page and selection.default_body and not form.is_bound:
        form.fields["body"].initial = (
            Body.objects.filter(pk=selection.default_body).values_list("slug", flat=True).first()
        )
    form.offer_ego(selection.graph)
    return form, selection


def _too_large(selection, notice):
    size = selection.size
    return JsonResponse(
        {
            "errors": {"__all__": [{"message": notice, "code": "too_large"}]},
            "size": {"networks": size.networks, "organisations": size.organisations, "limit": selection.limit},
        },
        status=400,
    )


@public
@fresh.shows(*MAP_SHOWS)  # and its filters' choices: focus areas, bodies, municipalities, networks, organisations
def network_map(request):
    form, selection = _map(request, page=True)
    graph = selection.graph
    query = request.GET.urlencode()
    context = {
        "form": form,
        "selection": selection,
        "notice": _notice(selection),
        "figures_note": _figures_note(graph),
        "graph": graph,
        "query": f"?{query}" if query else "",
    }
    if graph is not None:
        context.update(
            elements=to_cytoscape(graph),
            rows=table_rows(graph),
            brokers=brokers(graph),
            isolated=isolated(graph),
            clusters=clusters(graph),
            legend=legend(graph),
            edge_legend=edge_legend(graph),
            cooperation=cooperation_overview(graph),
        )
    return render(request, "analysis/map.html", context)


@public
@fresh.shows(*MAP_SHOWS)
def map_data(request):
    form, selection = _map(request)
    if form.errors:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    if selection.graph is None:
        return _too_large(selection, _notice(selection))
    graph = selection.graph
    extra = {"notice": _notice(selection)} if selection.default_body or selection.ego_narrowed else {}
    if note := _figures_note(graph):
        extra["figures_note"] = note
    return JsonResponse({**to_cytoscape(graph), **graph.graph, **extra}, json_dumps_params={"ensure_ascii": False})


@public
def map_export(request, fmt):
    form, selection = _map(request)
    if form.errors:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    if selection.graph is None:
        return _too_large(selection, _notice(selection))
    content_type, write = EXPORTS[fmt]
    response = HttpResponse(write(selection.graph), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="netzwerkkarte.{fmt}"'
    return response


@public
@fresh.shows(fresh.BODIES, fresh.NETWORK_NAMES)
def options(request, kind):
    """The options of the filters' search-as-you-type selects: a few matching entries as JSON (one query)."""
    if kind not in OPTIONS:
        raise Http404
    queryset, fields, key = OPTIONS[kind]
    found = list(search(queryset, fields, request.GET.get("q", "")[:100])[:OPTIONS_LIMIT])
    # Names staff translate in the visitor's language (one more query), as the forms' own options show them.
    named = "name" in translations.fields_of(queryset.model)
    if named:
        translations.attach(found)
    results = [
        {"value": getattr(entry, key), "text": translations.translated(entry, "name") if named else str(entry)}
        for entry in found
    ]
    return JsonResponse({"results": results})


@public
def overlap_matrix(request):
    """The overlap of the networks of a body or focus area: a matrix when few, else the pairs that share actors."""
    form = OverlapFilterForm(request.GET or None)
    body, focus_area = None, ""
    if form.is_bound and form.is_valid():
        body = form.cleaned_data["body"].pk if form.cleaned_data.get("body") else None
        focus_area = form.cleaned_data.get("focus_area") or ""
    networks, count, default_body = overlap_selection(body, focus_area, MATRIX_LIMIT)
    if default_body is not None and not form.is_bound:
        form.fields["body"].initial = Body.objects.filter(pk=default_body).values_list("slug", flat=True).first()
    context = {"form": form, "count": count, "default_body": _body_name(default_body), "limit": PAIRS_LIMIT}
    if count <= MATRIX_LIMIT:
        profiles = overlap.network_profiles(networks)
        context.update(rows=overlap.matrix(profiles), profiles=profiles)
    elif count <= PAIRS_LIMIT:
        pairs = overlap.overlapping_pairs(overlap.network_profiles(networks))
        page = Paginator(pairs, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
        context.update(page=page, pairs=page.object_list)
    return render(request, "analysis/matrix.html", context)


@public
def compare(request):
    form = CompareForm(request.GET or None)
    comparison = None
    if form.is_bound and form.is_valid():
        comparison = overlap.overlap_between(form.cleaned_data["first"], form.cleaned_data["second"])
    return render(request, "analysis/compare.html", {"form": form, "comparison": comparison})
