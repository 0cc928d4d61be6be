"""The office's translations of texts staff write: what is missing or outdated per language, and one
page per record to translate its texts beside the German (register.translations)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from register import translations
from register.guards import requires
from register.models import Translation
from register.permissions import is_office

from ..forms import TranslationFilterForm, TranslationForm
from ..tables import PER_PAGE
from .common import history_rows, records_of

# The filters of the list that the editing page keeps, for "Save and next" and the way back.
KEPT = ("language", "kind", "state")


def translation_url(record, language=None, **query):
    """The translation page of ``record`` (into ``language``), keeping the list's filters in ``query``."""
    url = reverse("workspace:translation", args=[record._meta.model_name, record.pk])
    query = {key: value for key, value in {"language": language, **query}.items() if value}
    return f"{url}?{urlencode(query)}" if query else url


def _names():
    return dict(settings.LANGUAGES)


@requires(is_office)
def translation_list(request):
    """Per language the office offers: how many texts have no translation or an outdated one; below,
    the records to work through, filtered by language, kind of record and state, page by page."""
    offered = translations.offered_languages()
    form = TranslationFilterForm(request.GET, offered=offered)
    language, kinds, states = form.choice()
    counted = [code for code in translations.target_languages() if code in offered]
    work = translations.stored_work([*counted, language])
    names = _names()
    counts = [
        {
            "code": code,
            "name": names[code],
            "current": code == language,
            "records": sum(count.records for count in work[code].values()),
            "missing": sum(count.missing for count in work[code].values()),
            "outdated": sum(count.outdated for count in work[code].values()),
        }
        for code in counted
    ]
    listing = translations.OpenWork(language, kinds, states, work[language])
    page = Paginator(listing, PER_PAGE).get_page(request.GET.get("page"))
    kept = _kept(request.GET, exclude="language")
    page.object_list = [
        {
            "record": entry.record,
            "kind": entry.record._meta.verbose_name,
            "fields": [(entry.record._meta.get_field(name).verbose_name, state) for name, state in entry.fields],
            "url": translation_url(entry.record, language, **kept),
        }
        for entry in page.object_list
    ]
    context = {
        "filter": {"form": form},
        "page": page,
        "counts": counts,
        "language": language,
        "language_name": names[language],
        "offered": language in offered,
    }
    return render(request, "workspace/translation_list.html", context)


def _kept(data, exclude=None):
    return {key: data[key] for key in KEPT if key != exclude and data.get(key)}


@requires(is_office)
def translation_edit(request, kind, pk):
    """Every translatable text of one record beside a field for its translation into one language;
    "Save and next" leads to the next record of the list with the same filters."""
    model = translations.model_of_kind(kind)
    if model is None:
        raise Http404
    record = get_object_or_404(model, pk=pk)
    offered = translations.offered_languages()
    targets = translations.target_languages()
    language = request.GET.get("language")
    if language not in targets:
        language = next((code for code in targets if code in offered), targets[0])
    form = TranslationForm(request.POST if request.method == "POST" else None, record=record, language=language)
    kept = _kept(request.GET, exclude="language")
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if saved:
            messages.success(request, _("The translations of “%(record)s” were saved.") % {"record": record})
        else:
            messages.info(request, _("Nothing was changed."))
        if request.POST.get("action") == "next":
            return redirect(_next_url(request, record, language, kept))
        return redirect(translation_url(record, language, **kept))
    names = _names()
    context = {
        "record": record,
        "kind": record._meta.verbose_name,
        "form": form,
        "entries": [
            {**entry, "field": form[entry["name"]], "fits": entry["still_fits"] and form[entry["still_fits"]]}
            for entry in form.entries
        ],
        "language": language,
        "language_name": names[language],
        "offered": language in offered,
        "targets": [
            {
                "code": code,
                "name": names[code],
                "url": translation_url(record, code, **kept),
                "current": code == language,
            }
            for code in targets
        ],
        "list_url": f"{reverse('workspace:translations')}?{urlencode({'language': language, **kept})}",
        "history": history_rows(records_of((Translation, [row.pk for row in form.rows.values()])), False),
    }
    return render(request, "workspace/translation_edit.html", context)


def _next_url(request, record, language, kept):
    """The record after this one in the list with the same filters (from its start again after the
    last one), else the list: nothing is left to do."""
    kinds = [kept["kind"]] if kept.get("kind") else None
    states = [kept["state"]] if kept.get("state") in translations.OPEN else translations.OPEN
    following = translations.next_work(record, language, kinds, states)
    if following is None:
        messages.success(request, _("Nothing is left to translate in this list."))
        return f"{reverse('workspace:translations')}?{urlencode({'language': language, **kept})}"
    return translation_url(following, language, **kept)
