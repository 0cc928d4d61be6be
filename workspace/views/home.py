"""The start page: what needs attention."""

from django.shortcuts import render

from meetings import followups
from register.guards import requires
from register.permissions import is_office, is_staff_role, networks_visible_internally, signed_in

from .. import attention


@requires(signed_in)
def home(request):
    keeps_register = is_staff_role(request.user)
    networks = networks_visible_internally(request.user)
    tasks = followups.tasks_of(networks)
    context = {
        "summary": attention.summary(request.user) if keeps_register else None,
        "networks": networks,
        "tasks": list(tasks[: attention.LIST_LIMIT + 1]),
        "office": is_office(request.user),
    }
    if len(context["tasks"]) > attention.LIST_LIMIT:
        # More than the page lists: each network's Beschlusskontrolle shows all of its open tasks.
        context["tasks"] = context["tasks"][: attention.LIST_LIMIT]
        context["tasks_by_network"] = followups.open_tasks_per_network(networks)
    return render(request, "workspace/home.html", context)
