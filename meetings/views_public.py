"""Public pages: registration for events (double opt-in), cancellation, answers to invitations,
public meetings with their approved minutes, documents and calendar feeds."""

import os

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from register import permissions, translations
from register.guards import public
from register.models import Event, File, Meeting, Network
from register.translations import attach

from . import feeds, minutes, ratelimit, registrations
from .calendar import calendar, event_component, meeting_component, organizer_address
from .forms import RegistrationForm, RsvpForm
from .models import CONFIRMATION_HOURS, REGISTRATION_RETENTION_DAYS, Invitation, Registration

RATE_SCOPE = "registration"
WAITING_MESSAGE = gettext_lazy(
    "All places are taken. You are on the waiting list; we will write to you if a place frees up."
)


@public
@require_http_methods(["GET", "POST"])
def registration_form(request, slug):
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
                registrations.request_registration(
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
                # The same answer whether or not the address was registered before: the mail tells the rest.
                return redirect("meetings:registration_sent", event.slug)
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


@public
def registration_sent(request, slug):
    event = get_object_or_404(Event, slug=slug, is_public=True)
    return render(request, "meetings/registration_sent.html", {"event": event, "hours": CONFIRMATION_HOURS})


@public
def registration_detail(request, token):
    """The registration's own page; while the address is unconfirmed, it offers the confirmation."""
    registration = get_object_or_404(Registration.objects.select_related("event__location"), cancel_token=token)
    context = {
        "registration": registration,
        "event": registration.event,
        "closed": registrations.closed_reason(registration.event),
        "hours": CONFIRMATION_HOURS,
    }
    return render(request, "meetings/registration.html", context)


@public
@require_POST
def registration_confirm(request, token):
    """Confirming takes a button press (POST), so that mail scanners opening the link confirm nothing."""
    registration = get_object_or_404(Registration.objects.select_related("event"), cancel_token=token)
    try:
        registration = registrations.confirm(registration)
    except registrations.RegistrationRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, _("You are registered. We have sent you a confirmation by e-mail."))
        elif registration.status == Registration.Status.WAITING:
            messages.success(request, WAITING_MESSAGE)
    return redirect("meetings:registration", token)


@public
@require_http_methods(["GET", "POST"])
def registration_cancel(request, token):
    registration = get_object_or_404(Registration.objects.select_related("event"), cancel_token=token)
    if request.method == "POST":
        pending = registration.status == Registration.Status.PENDING
        registrations.cancel(registration)
        if pending:  # never confirmed: deleted with everything entered, so there is no page left to show
            messages.success(request, _("Your request is deleted, with everything you entered."))
            return redirect(registration.event.get_absolute_url())
        messages.success(request, _("Your registration is cancelled. Thank you for letting us know."))
        return redirect("meetings:registration", token)
    return render(request, "meetings/registration_cancel.html", {"registration": registration})


@public
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


def ics_response(text, filename, language):
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = language
    return response


@public
def public_feed(request):
    """The public events, in the language of the address (``/en/…``, or ``?lang=en``)."""
    language = feeds.feed_language(request)
    with translation.override(language):
        events = translations.attach(
            list(feeds.recent(Event.objects.filter(is_public=True)).select_related("location"))
        )
        organizer = organizer_address()  # the same for all: read once (the site identity, from the cache)
        components = [event_component(event, language=language, organizer=organizer) for event in events]
        text = calendar(components, method="PUBLISH", name=_("Public events"))
    return ics_response(text, "oeffentlich.ics", language)


@public
def network_feed(request, slug):
    """The network's public dates; with the private key from the staff pages, its internal meetings too.
    In the language of the address (``/en/…``, or ``?lang=en``); with a key and neither, in the key
    holder's preferred language (``feeds.feed_language``)."""
    network = get_object_or_404(Network, slug=slug)
    meetings = feeds.recent(network.meetings.select_related("location"))
    user = feeds.user_for_key(network, request.GET.get("key", ""))
    if user is None:
        meetings = meetings.filter(is_public=True)
    language = feeds.feed_language(request, user)
    with translation.override(language):
        translations.attach([network])
        events = translations.attach(
            list(feeds.recent(network.events.filter(is_public=True)).select_related("location"))
        )
        organizer = organizer_address()
        components = [meeting_component(meeting, language=language, organizer=organizer) for meeting in meetings]
        components += [event_component(event, language=language, organizer=organizer) for event in events]
        text = calendar(components, method="PUBLISH", name=translations.translated(network, "name"))
    return ics_response(text, f"{network.slug}.ics", language)


@public
def public_meeting(request, pk):
    """A public meeting: its public agenda items, their results once the minutes are approved, and
    its public files."""
    meeting = get_object_or_404(Meeting.objects.select_related("network", "location"), pk=pk, is_public=True)
    context = minutes.context(meeting, public_only=True)
    attach([meeting.network, meeting.location, *context.get("agenda", [])])
    context["files"] = meeting.files.filter(public=True).filter(agenda_item__isnull=True) | meeting.files.filter(
        public=True, agenda_item__public=True
    )
    return render(request, "meetings/public_meeting.html", context)


@public
def public_minutes_pdf(request, pk):
    """The approved minutes of a public meeting, public items only (PDF)."""
    meeting = get_object_or_404(Meeting, pk=pk, is_public=True, minutes_approved_at__isnull=False)
    response = HttpResponse(minutes.pdf(meeting, public_only=True), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="protokoll-{meeting.pk}.pdf"'
    return response


@public
def event_file(request, slug, file_pk):
    """A document of an event: public ones for everyone, the others for its organisers."""
    document = get_object_or_404(File.objects.select_related("event__network"), event__slug=slug, pk=file_pk)
    event = document.event
    if not (document.public and event.is_public):
        organiser = permissions.is_office(request.user) or (
            event.network_id and permissions.can_edit_network(request.user, event.network)
        )
        if not organiser:
            raise Http404
    filename = os.path.basename(document.file.name)
    return FileResponse(document.file.open("rb"), content_type=document.mime_type, filename=filename)
