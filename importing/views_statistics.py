"""Office pages of the population figures import: upload, preview with row problems, apply."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from register.guards import requires
from register.permissions import is_office
from register.thresholds import FOREIGN_RESIDENTS_THRESHOLD

from . import population
from .forms import StatisticsUploadForm
from .models import StatisticsImport
from .views import posted_with_files


@requires(is_office)
def statistics(request):
    form = StatisticsUploadForm(*posted_with_files(request))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        checked = population.check(
            request.user, upload.name, upload.read(), form.cleaned_data["date"], form.cleaned_data["source"]
        )
        return redirect(checked)
    context = {"form": form, "imports": StatisticsImport.objects.select_related("user")[:20]}
    return render(request, "importing/statistics_index.html", context, status=400 if form.errors else 200)


@requires(is_office)
def statistics_detail(request, pk):
    upload = get_object_or_404(StatisticsImport, pk=pk)
    context = {
        "upload": upload,
        "threshold": FOREIGN_RESIDENTS_THRESHOLD,
        "counts": {
            action: sum(1 for row in upload.plan if row["action"] == action) for action in ("new", "changed", "same")
        },
    }
    return render(request, "importing/statistics_detail.html", context)


@requires(is_office)
@require_POST
def statistics_apply(request, pk):
    upload = get_object_or_404(StatisticsImport, pk=pk)
    if upload.status != StatisticsImport.Status.READY:
        messages.error(request, _("Only a checked table without problems can be applied."))
        return redirect(upload)
    change = population.apply(upload, request.user)
    messages.success(request, _("The figures were imported."))
    if change:
        messages.warning(
            request, _("The figures change which municipalities are above the line. The office was told by e-mail.")
        )
    return redirect("workspace:thresholds")
