"""The options of the search-as-you-type selects: a few matching entries as JSON, for those who add members
and for the filters of the staff lists.

Organisations (or only those of a municipality: delegating councils) are found by their own name, short
name or the name of the organisation above them;
people by name, function, e-mail or organisation, and only the people the user may see
(``people_visible_to``, the rule the form's own select applies); networks by name or short name, only
those the user sees inside (``networks_visible_internally``, the rule of the meetings filter) or may edit
(``networks_editable``, the rule of the meeting and event forms);
meetings by their own or their network's name, the latest first, of the networks the user sees inside;
municipalities by their own or their county's name; bodies by name or short name. A fixed number of
queries, at most ``LIMIT`` results.

Those who keep the register may ask for every kind; everyone with internal access for municipalities (public
names, the filter of the offers).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse

from register.fields import municipality_label, organisation_label, person_label
from register.filters import search
from register.guards import requires
from register.models import Meeting
from register.permissions import (
    has_internal_access,
    is_staff_role,
    networks_editable,
    networks_visible_internally,
    people_visible_to,
)

from ..forms import BODIES, MUNICIPAL_ORGANISATIONS, MUNICIPALITIES, ORGANISATIONS, PEOPLE

LIMIT = 20


@requires(has_internal_access)
def options(request, kind):
    user = request.user
    if kind != "municipalities" and not is_staff_role(user):
        raise PermissionDenied
    query = request.GET.get("q", "")[:100]
    if kind in ("organisations", "municipal-organisations"):
        entries = ORGANISATIONS if kind == "organisations" else MUNICIPAL_ORGANISATIONS
        found = search(entries, ["name", "short_name", "parent__name"], query).order_by("name", "pk")
        label = organisation_label
    elif kind == "people":
        visible = PEOPLE.filter(pk__in=people_visible_to(user).values("pk"))
        fields = ["given_name", "family_name", "function", "email", "organisation__name"]
        found = search(visible, fields, query).order_by("family_name", "given_name", "pk")
        label = person_label
    elif kind == "networks":
        found = search(networks_visible_internally(user), ["name", "short_name"], query).order_by("name", "pk")
        label = str
    elif kind == "editable-networks":  # where the user may set up meetings and events
        found = search(networks_editable(user), ["name", "short_name"], query).order_by("name", "pk")
        label = str
    elif kind == "meetings":
        meetings = Meeting.objects.filter(network__in=networks_visible_internally(user).values("pk"))
        found = search(meetings, ["name", "network__name"], query).order_by("-start", "pk")
        label = str
    elif kind == "municipalities":
        found = search(MUNICIPALITIES, ["name", "county__name"], query)
        label = municipality_label
    elif kind == "bodies":
        found = search(BODIES, ["name", "short_name"], query)
        label = str
    else:
        raise Http404
    results = [{"value": str(entry.pk), "text": label(entry)} for entry in found[:LIMIT]]
    return JsonResponse({"results": results})
