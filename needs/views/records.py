"""The needs register, the offers, the coverage view and the cooperation network."""

from dataclasses import asdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from register.guards import requires
from register.history import described, history_of
from register.models import Municipality
from register.permissions import has_internal_access, is_office
from register.subqueries import count_per_row
from register.tables import PER_PAGE, listing

from ..cooperation import cooperation_edges, crossing, networks_with_members, not_cooperating, pairs_without_cooperation
from ..coverage import coverage
from ..forms import MeasureForm, NeedForm, OfferForm
from ..lists import NeedFilter, NeedTable, OfferFilter, OfferTable
from ..models import Measure, Need, Offer, Survey


@requires(has_internal_access)
def need_list(request):
    needs = (
        Need.objects.select_related("topic", "target_group")
        .prefetch_related("municipalities", "responsible_networks")
        .annotate(measure_count=count_per_row(Measure.objects.filter(need=OuterRef("pk")), "need"))
        .order_by("priority", "-created", "pk")  # the most urgent first, then the newest
    )
    filterset, table = listing(
        request, queryset=needs, filterset_class=NeedFilter, table_class=NeedTable, caption=_("Needs")
    )
    return render(request, "needs/need_list.html", {"table": table, "filter": filterset})


def readable_history(need):
    """The need's change history in words (``register.history.described``)."""
    return [{"record": record, "changes": changes} for record, changes in described(list(history_of(need)))]


@requires(has_internal_access)
def need_detail(request, pk):
    need = get_object_or_404(
        Need.objects.select_related("topic", "target_group", "survey", "meeting").prefetch_related(
            "municipalities", "responsible_networks"
        ),
        pk=pk,
    )
    measure_form = MeasureForm(request.POST if request.method == "POST" else None, prefix="measure")
    if request.method == "POST":
        if not is_office(request.user):
            messages.error(request, _("Only the office can record measures."))
            return redirect(need)
        if measure_form.is_valid():
            measure_form.instance.need = need
            measure_form.save()
            messages.success(request, _("The measure was recorded."))
            return redirect(need)
    context = {
        "need": need,
        "measures": need.measures.select_related("network"),
        "history": readable_history(need),
        "measure_form": measure_form,
    }
    return render(request, "needs/need_detail.html", context)


@requires(is_office)
def need_edit(request, pk=None):
    need = get_object_or_404(Need, pk=pk) if pk else None
    initial = {}
    if need is None and request.GET.get("survey", "").isdigit():
        survey = Survey.objects.filter(pk=int(request.GET["survey"])).first()
        if survey:
            initial = {"source": Need.Source.SURVEY, "survey": survey}
    form = NeedForm(request.POST if request.method == "POST" else None, instance=need, initial=initial)
    if request.method == "POST" and form.is_valid():
        need = form.save()
        messages.success(request, _("The need was saved."))
        return redirect(need)
    return render(request, "needs/need_form.html", {"form": form, "need": need})


@requires(has_internal_access)
def offer_list(request):
    offers = (
        Offer.objects.select_related("organisation__parent__parent__parent", "topic", "target_group")
        .prefetch_related("municipalities")
        .order_by("topic__name", "name", "pk")
    )
    filterset, table = listing(
        request, queryset=offers, filterset_class=OfferFilter, table_class=OfferTable, caption=_("Offers")
    )
    context = {"table": table, "filter": filterset, "search_options": True}  # the municipality: a search select
    return render(request, "needs/offer_list.html", context)


@requires(is_office)
def offer_edit(request, pk=None):
    offer = get_object_or_404(Offer, pk=pk) if pk else None
    form = OfferForm(request.POST if request.method == "POST" else None, instance=offer)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The offer was saved."))
        return redirect("needs:offers")
    return render(request, "needs/offer_form.html", {"form": form, "offer": offer})


@requires(has_internal_access)
def coverage_view(request):
    result = coverage(Need.objects.all(), Offer.objects.all())
    return render(
        request,
        "needs/coverage.html",
        {"coverage": result, "rows": result.rows(), "municipality_count": Municipality.objects.count()},
    )


@requires(is_office)
def cooperation_view(request):
    """Cooperation the surveys report across networks; below, page by page, the networks with how many of
    their members' pairs report no cooperation, and the pairs of one network chosen from the list."""
    edges = cooperation_edges()
    networks = networks_with_members()
    page = Paginator(networks, PER_PAGE).get_page(request.GET.get("page"))
    chosen = request.GET.get("network", "")
    chosen = networks.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    context = {
        "edges": edges,
        "crossing": crossing(edges),
        "page": page,
        "rows": not_cooperating(page.object_list, edges),
        "chosen": pairs_without_cooperation(chosen, edges) if chosen else None,
    }
    return render(request, "needs/cooperation.html", context)


@requires(is_office)
def cooperation_edges_json(request):
    """The cooperation layer for the network map: organisation ids, topics, strongest frequency, reports."""
    return JsonResponse({"edges": [asdict(edge) for edge in cooperation_edges()]})
