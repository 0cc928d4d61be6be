"""The network map, its exports and the overlap pages. Public: they show organisations and networks
only; people and the cooperation layer (from survey answers) appear only for the office, and only
when it asks for them – the form offers neither to anyone else, so their parameters are ignored."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import exports, overlap
from .forms import CompareForm, MapFilterForm
from .graph import (
    Filters,
    brokers,
    clusters,
    cooperation_overview,
    edge_legend,
    isolated,
    legend,
    select_map,
    table_rows,
    to_cytoscape,
)

EXPORTS = {
    "gexf": ("application/gexf+xml", exports.to_gexf),
    "graphml": ("application/graphml+xml", exports.to_graphml),
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
}


def _map(request):
    """The filter form and the map it selects; an invalid form shows the whole map."""
    form = MapFilterForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        graph, found = select_map(form.filters(), form.cleaned_data.get("ego"), form.cleaned_data.get("radius") or 2)
        if not found:
            form.add_error("ego", _("This organisation is not on the map with the chosen filters."))
        return form, graph
    graph, _found = select_map(Filters())
    return form, graph


def network_map(request):
    form, graph = _map(request)
    query = request.GET.urlencode()
    context = {
        "form": form,
        "elements": to_cytoscape(graph),
        "rows": table_rows(graph),
        "brokers": brokers(graph),
        "isolated": isolated(graph),
        "clusters": clusters(graph),
        "graph": graph,
        "query": f"?{query}" if query else "",
        "legend": legend(graph),
        "edge_legend": edge_legend(graph),
        "cooperation": cooperation_overview(graph),
    }
    return render(request, "analysis/map.html", context)


def map_data(request):
    form, graph = _map(request)
    if form.errors:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return JsonResponse({**to_cytoscape(graph), **graph.graph}, json_dumps_params={"ensure_ascii": False})


def map_export(request, fmt):
    form, graph = _map(request)
    if form.errors:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    content_type, write = EXPORTS[fmt]
    response = HttpResponse(write(graph), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="netzwerkkarte.{fmt}"'
    return response


def overlap_matrix(request):
    profiles = overlap.network_profiles()
    return render(request, "analysis/matrix.html", {"rows": overlap.matrix(profiles), "profiles": profiles})


def compare(request):
    form = CompareForm(request.GET or None)
    comparison = None
    if form.is_bound and form.is_valid():
        comparison = overlap.overlap_between(form.cleaned_data["first"], form.cleaned_data["second"])
    return render(request, "analysis/compare.html", {"form": form, "comparison": comparison})
