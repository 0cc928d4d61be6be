"""The needs register, the offers, the coverage view and the cooperation network."""

from dataclasses import asdict

from django.contrib import messages
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from register.guards import requires
from register.history import described, history_of
from register.models import Municipality, TargetGroup, Topic
from register.permissions import has_internal_access, is_office

from ..cooperation import cooperation_edges, cooperation_report
from ..coverage import coverage
from ..forms import MeasureForm, NeedForm, OfferForm
from ..models import Need, Offer, Survey


@requires(has_internal_access)
def need_list(request):
    needs = (
        Need.objects.select_related("topic", "target_group")
        .prefetch_related("municipalities", "responsible_networks")
        .annotate(measure_count=Count("measures"))
    )
    status = request.GET.get("status", "")
    if status in Need.Status.values:
        needs = needs.filter(status=status)
    topic = request.GET.get("topic", "")
    if topic.isdigit():
        needs = needs.filter(topic_id=int(topic))
    context = {
        "needs": needs,
        "statuses": Need.Status.choices,
        "status": status,
        "topics": Topic.objects.all(),
        "topic": int(topic) if topic.isdigit() else None,
    }
    return render(request, "needs/need_list.html", context)


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
        Offer.objects.select_related("organisation__parent", "topic", "target_group")
        .prefetch_related("municipalities")
        .order_by("topic__name", "name")
    )
    filters = {key: request.GET.get(key, "").strip() for key in ("topic", "target_group", "municipality", "language")}
    if filters["topic"].isdigit():
        offers = offers.filter(topic_id=int(filters["topic"]))
    if filters["target_group"].isdigit():
        offers = offers.filter(target_group_id=int(filters["target_group"]))
    if filters["municipality"].isdigit():
        offers = offers.filter(municipalities=int(filters["municipality"]))
    if filters["language"]:
        offers = offers.filter(languages__icontains=filters["language"])
    context = {
        "offers": offers,
        "filters": filters,
        "topics": Topic.objects.all(),
        "target_groups": TargetGroup.objects.all(),
        "municipalities": Municipality.objects.all(),
    }
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
    return render(request, "needs/cooperation.html", cooperation_report())


@requires(is_office)
def cooperation_edges_json(request):
    """The cooperation layer for the network map: organisation ids, topics, strongest frequency, reports."""
    return JsonResponse({"edges": [asdict(edge) for edge in cooperation_edges()]})
