"""The duplicate review for office staff: the queue, one pair, the merges and the abbreviation list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from register.guards import requires
from register.models import Organisation
from register.permissions import is_office
from register.tables import listing

from . import merging, services
from .forms import AbbreviationForm, DecisionForm
from .lists import SuggestionFilter, SuggestionTable
from .models import Abbreviation, LearnedWeights, MatchDecision, Merge, Suggestion

# Organisations in several networks listed on one page.
SEVERAL_PER_PAGE = 50


@requires(is_office)
def queue(request):
    suggestions = Suggestion.objects.select_related("first__parent__parent", "second__parent__parent").order_by(
        "-score", "pk"
    )
    filterset, table = listing(
        request,
        queryset=suggestions,
        filterset_class=SuggestionFilter,
        table_class=SuggestionTable,
        caption=_("Suggested pairs, most likely first"),
    )
    # The networks of the entries on this page only.
    shown = {side.pk for suggestion in table.page.object_list.data for side in (suggestion.first, suggestion.second)}
    table.networks = services.networks_by_organisation(shown)
    return render(
        request,
        "matching/queue.html",
        {
            "table": table,
            "filter": filterset,
            "waiting": Suggestion.objects.count(),
            "decision_count": MatchDecision.objects.count(),
            "merge_count": Merge.objects.filter(undone_at=None).count(),
            "learnt": LearnedWeights.objects.order_by("-trained_at", "-pk").first(),
        },
    )


@requires(is_office)
def several(request):
    """Organisations with seats in several networks (directly or through their units), by name, paged."""
    page = Paginator(services.in_several_networks_query(), SEVERAL_PER_PAGE).get_page(request.GET.get("page"))
    found = Organisation.objects.in_bulk(page.object_list)
    organisations = [found[pk] for pk in page.object_list if pk in found]
    networks = services.networks_by_organisation(found)
    context = {"page": page, "several": services.in_several_networks(organisations, networks)}
    return render(request, "matching/several.html", context)


@requires(is_office)
def pair(request, pk):
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("first__parent__parent", "second__parent__parent"), pk=pk
    )
    form = DecisionForm(request.POST if request.method == "POST" else None, suggestion=suggestion)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == form.MERGE:
                survivor, merged = form.organisations(form.cleaned_data["keep"])
                merged_name = merged.full_name
                choices = form.field_choices(form.cleaned_data["keep"])
                merging.merge(survivor, merged, user=request.user, field_choices=choices)
                messages.success(
                    request,
                    _("“%(merged)s” was merged into “%(survivor)s”. You can undo this under Merges.")
                    % {"merged": merged_name, "survivor": survivor.full_name},
                )
            elif decision == form.REJECT:
                merging.reject(suggestion.first, suggestion.second, user=request.user)
                messages.success(
                    request, _("Recorded as different organisations; the pair will not be proposed again.")
                )
            else:
                unit, parent = form.organisations(form.cleaned_data["unit"])
                merging.make_unit(unit, parent, user=request.user)
                messages.success(
                    request, _("“%(unit)s” is now a unit of “%(parent)s”.") % {"unit": unit.name, "parent": parent}
                )
            return redirect("matching:queue")
        except ValidationError as error:
            form.add_error(None, error)
    sides = [services.side_of(organisation) for organisation in (suggestion.first, suggestion.second)]
    context = {"suggestion": suggestion, "form": form, "sides": sides, "rows": form.choice_rows()}
    return render(request, "matching/pair.html", context)


@requires(is_office)
@require_POST
def keep_pair(request):
    """Put two organisations into the queue by hand (from a form that found them alike) and review them."""
    keys = [request.POST.get("first", ""), request.POST.get("second", "")]
    if not all(key.isdigit() for key in keys) or keys[0] == keys[1]:
        raise Http404
    found = Organisation.objects.in_bulk([int(key) for key in keys])
    if len(found) != 2:
        raise Http404
    suggestion = services.keep_pair(found[int(keys[0])], found[int(keys[1])], ("by_hand", {}))
    return redirect("matching:pair", suggestion.pk)


@requires(is_office)
def merge_list(request):
    merges = Merge.objects.select_related("survivor", "merged_by", "undone_by")[:200]
    return render(request, "matching/merge_list.html", {"merges": merges})


@requires(is_office)
@require_POST
def merge_undo(request, pk):
    record = get_object_or_404(Merge, pk=pk)
    try:
        merging.undo(record, user=request.user)
        messages.success(request, _("The merge of “%(name)s” was undone.") % {"name": record.merged_name})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("matching:merges")


@requires(is_office)
def abbreviation_list(request):
    form = AbbreviationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        entry = form.save()
        messages.success(request, _("“%(entry)s” was added to the list.") % {"entry": entry})
        return redirect("matching:abbreviations")
    return render(
        request, "matching/abbreviation_list.html", {"form": form, "abbreviations": Abbreviation.objects.all()}
    )


@requires(is_office)
@require_POST
def abbreviation_delete(request, pk):
    entry = get_object_or_404(Abbreviation, pk=pk)
    entry.delete()
    messages.success(request, _("“%(entry)s” was removed from the list.") % {"entry": entry})
    return redirect("matching:abbreviations")
