from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from register.directory import member_tree
from register.models import Event, Network, Organisation


def home(request):
    networks = Network.objects.order_by("position", "name")
    events = Event.objects.filter(is_public=True, cancelled=False, end__gte=timezone.now()).select_related("location")
    return render(request, "portal/home.html", {"networks": networks, "events": events[:5]})


def network_detail(request, slug):
    network = get_object_or_404(
        Network.objects.prefetch_related("focus_areas", "topics", "target_groups", "hosts__body"), slug=slug
    )
    events = network.events.filter(is_public=True, cancelled=False, end__gte=timezone.now()).select_related("location")
    return render(
        request,
        "portal/network_detail.html",
        {"network": network, "members": member_tree(network), "events": events},
    )


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), slug=slug)
    return render(request, "portal/organisation_detail.html", {"organisation": organisation})


def event_detail(request, slug):
    event = get_object_or_404(Event.objects.select_related("location", "network"), slug=slug, is_public=True)
    return render(request, "portal/event_detail.html", {"event": event})
