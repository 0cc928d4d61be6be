"""Public pages: registration for events, cancellation, answers to invitations, calendar feeds."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from register.models import Event, Meeting, Network

from . import ratelimit, registrations
from .calendar import calendar, event_component, feed_key_valid, meeting_component
from .forms import RegistrationForm, RsvpForm
from .models import REGISTRATION_RETENTION_DAYS, Invitation, Registration

RATE_SCOPE = "registration"
WAITING_MESSAGE = gettext_lazy(
    "All places are taken. You are on the waiting list; we will write to you if a place frees up."
)


@require_http_methods(["GET", "POST"])
def register(request, slug):
    event = get_object_or_404(Event.objects.select_related("location", "network"), slug=slug, is_public=True)
    closed = registrations.closed_reason(event)
    form = RegistrationForm(
        request.POST if request.method == "POST" else None, retention_days=REGISTRATION_RETENTION_DAYS
    )
    status = 200
    if request.method == "POST" and not closed:
        if ratelimit.limit_reached(request, RATE_SCOPE):
            form.is_valid()
            form.add_error(None, _("Too many registrations from your connection. Please try again in ten minutes."))
            status = 429
        elif form.is_valid():
            ratelimit.count_attempt(request, RATE_SCOPE)
            data = form.cleaned_data
            try:
                registration = registrations.register(
                    event,
                    name=data["name"],
                    email=data["email"],
                    organisation=data["organisation"],
                    language=translation.get_language(),
                    needs={field: data[field] for field in Registration.NEEDS},
                    needs_details=data["needs_details"],
                )
            except registrations.RegistrationRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                if registration.status == Registration.Status.CONFIRMED:
                    messages.success(request, _("You are registered. We have sent you a confirmation by e-mail."))
                else:
                    messages.success(request, WAITING_MESSAGE)
                return redirect("meetings:registration", registration.cancel_token)
        elif "homepage" in form.errors:
            ratelimit.count_attempt(request, RATE_SCOPE)
    context = {
        "event": event,
        "form": form,
        "closed": closed,
        "places_left": registrations.places_left(event),
        "retention_days": REGISTRATION_RETENTION_DAYS,
    }
    return render(request, "meetings/register.html", context, status=status)


def registration_detail(request, token):
    registration = get_object_or_404(Registration.objects.select_related("event__location"), cancel_token=token)
    return render(request, "meetings/registration.html", {"registration": registration, "event": registration.event})


@require_http_methods(["GET", "POST"])
def registration_cancel(request, token):
    registration = get_object_or_404(Registration.objects.select_related("event"), cancel_token=token)
    if request.method == "POST":
        registrations.cancel(registration)
        messages.success(request, _("Your registration is cancelled. Thank you for letting us know."))
        return redirect("meetings:registration", token)
    return render(request, "meetings/registration_cancel.html", {"registration": registration})


@require_http_methods(["GET", "POST"])
def rsvp(request, token):
    invitation = get_object_or_404(
        Invitation.objects.select_related("meeting__network", "meeting__location"), token=token
    )
    initial = {"response": invitation.response} if invitation.response != Invitation.Response.PENDING else {}
    form = RsvpForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        invitation.response = form.cleaned_data["response"]
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["response", "responded_at"])
        messages.success(request, _("Thank you, your answer is saved."))
        return redirect("meetings:rsvp", token)
    return render(
        request, "meetings/rsvp.html", {"invitation": invitation, "meeting": invitation.meeting, "form": form}
    )


def ics_response(text, filename):
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def public_feed(request):
    events = Event.objects.filter(is_public=True).select_related("location")
    components = [event_component(event) for event in events]
    return ics_response(calendar(components, method="PUBLISH", name=_("Public events")), "oeffentlich.ics")


def network_feed(request, slug):
    """The network's public dates; with the private key from the staff pages, its internal meetings too."""
    network = get_object_or_404(Network, slug=slug)
    meetings = network.meetings.select_related("network", "location")
    if not feed_key_valid(network, request.GET.get("key", "")):
        meetings = meetings.filter(is_public=True)
    events = network.events.filter(is_public=True).select_related("location")
    components = [meeting_component(meeting) for meeting in meetings] + [event_component(e) for e in events]
    return ics_response(calendar(components, method="PUBLISH", name=network.name), f"{network.slug}.ics")


def public_meeting(request, pk):
    """A public meeting: its public agenda items and public files."""
    meeting = get_object_or_404(Meeting.objects.select_related("network", "location"), pk=pk, is_public=True)
    context = {
        "meeting": meeting,
        "agenda": meeting.agenda_items.filter(public=True),
        "files": meeting.files.filter(public=True),
    }
    return render(request, "meetings/public_meeting.html", context)
