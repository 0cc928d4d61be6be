"""Places of meetings and events: their address, access facts and whether the address is public."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from meetings.forms import LocationForm
from register import permissions
from register.guards import requires
from register.models import Location

from .common import history_rows, posted, records_of


@requires(permissions.can_edit_locations)
def location_list(request):
    locations = Location.objects.annotate(event_count=Count("events", distinct=True)).order_by("name", "pk")
    return render(request, "workspace/location_list.html", {"locations": locations})


@requires(permissions.can_edit_locations)
def location_edit(request, pk):
    location = get_object_or_404(Location, pk=pk)
    form = LocationForm(posted(request), instance=location)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The location “%(name)s” is saved.") % {"name": location})
        return redirect("workspace:locations")
    context = {
        "form": form,
        "title": _("Edit location %(name)s") % {"name": location.name},
        "history": history_rows(records_of((Location, [location.pk])), False),
        "intro": _("Say what you know about access; leave “unknown” where you are not sure."),
    }
    return render(request, "workspace/location_form.html", context)
