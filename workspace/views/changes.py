"""Undoing one recorded change, and the office's list of recent changes."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from register.filters import ChangeFilter
from register.guards import check, requires
from register.models import ChangeRecord
from register.permissions import can_undo, is_office, signed_in

from ..history import UndoError, undo
from ..tables import PER_PAGE
from .common import history_rows


@require_POST
@requires(signed_in)
def change_undo(request, pk):
    record = get_object_or_404(ChangeRecord.objects.select_related("content_type"), pk=pk)
    check(can_undo(request.user, record))
    try:
        undo(record)
    except UndoError as error:
        messages.error(request, _("The change was not undone: %(reason)s") % {"reason": error})
    else:
        messages.success(request, _("The change to “%(record)s” was undone.") % {"record": record.object_repr})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "workspace:home"
    return redirect(next_url)


@requires(is_office)
def change_list(request):
    """All recorded changes, newest first, filtered by kind of record, user and dates, page by page."""
    filterset = ChangeFilter(request.GET or None, queryset=ChangeRecord.objects.all(), request=request)
    records = filterset.qs if filterset.is_bound and filterset.is_valid() else ChangeRecord.objects.all()
    page = Paginator(records.order_by("-timestamp", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "history": history_rows(records.filter(pk__in=[record.pk for record in page.object_list]), True),
    }
    return render(request, "workspace/change_list.html", context)
