"""The start page: what needs attention."""

from django.shortcuts import render

from meetings import followups
from register.guards import requires
from register.permissions import is_office, is_staff_role, networks_visible_internally, signed_in

from .. import attention


@requires(signed_in)
def home(request):
    keeps_register = is_staff_role(request.user)
    context = {
        "summary": attention.summary(request.user) if keeps_register else None,
        "networks": networks_visible_internally(request.user),
        "tasks": list(followups.tasks_of(networks_visible_internally(request.user))[: attention.LIST_LIMIT]),
        "office": is_office(request.user),
    }
    return render(request, "workspace/home.html", context)
