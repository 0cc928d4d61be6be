"""The residents' form (public) and the confidential inbox (staff)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from meetings import ratelimit
from register.guards import public, requires
from register.models import Network
from register.permissions import (
    can_assign_inquiries,
    can_handle_inquiries,
    can_read_inquiry,
    has_internal_access,
    is_office,
    networks_handling_inquiries,
    signed_in,
)

from . import services
from .forms import EasyInquiryForm, HandlingForm, InquiryForm, ReplyForm
from .models import EASY_LANGUAGE, MAX_RETENTION_DAYS, RETENTION_DAYS, SPECIAL_RETENTION_DAYS, Inquiry, Topic

RATE_SCOPE = "inquiry"
INQUIRIES_PER_WINDOW = 5
RETENTION = {"days": RETENTION_DAYS, "special_days": SPECIAL_RETENTION_DAYS, "max_days": MAX_RETENTION_DAYS}


def _council(slug):
    return get_object_or_404(Network, slug=slug, classification=Network.Classification.COUNCIL)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def ask(request, slug):
    """The form in the visitor's language; in Leichte Sprache (a language of the site, /de-x-ls/) the
    page written in it, and the answer is asked for in Leichte Sprache too."""
    language = translation.get_language()
    if language == EASY_LANGUAGE:
        return _ask(request, slug, EasyInquiryForm, "inquiries/ask_easy.html", EASY_LANGUAGE)
    return _ask(request, slug, InquiryForm, "inquiries/ask.html", language)


@public
def ask_easy(request, slug):
    """The form's former address in Leichte Sprache leads to the form in the Leichte Sprache site."""
    _council(slug)
    with translation.override(EASY_LANGUAGE):
        return redirect(reverse("inquiries:ask", args=[slug]), permanent=True)


def _ask(request, slug, form_class, template, language):
    network = _council(slug)
    form = form_class(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if ratelimit.limit_reached(request, RATE_SCOPE, INQUIRIES_PER_WINDOW):
            form.is_valid()
            form.add_error(None, _("Too many questions from your connection. Please try again in ten minutes."))
            status = 429
        elif form.is_valid():
            ratelimit.count_attempt(request, RATE_SCOPE)
            data = form.cleaned_data
            services.receive(
                network,
                name=data["name"],
                email=data["email"],
                municipality=data["municipality"],
                topic=data["topic"],
                special=data["special"],
                message=data["message"],
                language=language,
            )
            return redirect("inquiries:sent", network.slug)
        else:
            if "homepage" in form.errors:
                ratelimit.count_attempt(request, RATE_SCOPE)
            status = 400
    return render(request, template, {"network": network, "form": form, **RETENTION}, status=status)


@public
def sent(request, slug):
    return render(request, "inquiries/sent.html", {"network": _council(slug), **RETENTION})


@requires(has_internal_access)
def inbox(request):
    networks = networks_handling_inquiries(request.user)
    inquiries = (
        Inquiry.objects.filter(network__in=networks)
        .select_related("network", "municipality", "assigned_to")
        .order_by("status", "-received")
    )
    status = request.GET.get("status")
    if status in Inquiry.Status.values:
        inquiries = inquiries.filter(status=status)
    rows = [
        {
            "inquiry": inquiry,
            "readable": can_read_inquiry(request.user, inquiry.network, inquiry.special, inquiry.assigned_to_id),
        }
        for inquiry in inquiries
    ]
    context = {"rows": rows, "statuses": Inquiry.Status.choices, "status": status}
    return render(request, "inquiries/inbox.html", context)


@never_cache
@requires(signed_in)
def detail(request, pk):
    inquiry = get_object_or_404(Inquiry.objects.select_related("network", "municipality", "assigned_to"), pk=pk)
    if not can_handle_inquiries(request.user, inquiry.network):
        raise Http404
    readable = can_read_inquiry(request.user, inquiry.network, inquiry.special, inquiry.assigned_to_id)
    may_assign = can_assign_inquiries(request.user, inquiry.network)
    handling = HandlingForm(instance=inquiry, may_assign=may_assign)
    context = {
        "inquiry": inquiry,
        "readable": readable,
        "handling": handling,
        "reply_form": ReplyForm() if readable else None,
        "replies": list(inquiry.replies.select_related("author")) if readable else [],
        "delete_after": inquiry.delete_after,
        "may_erase": is_office(request.user),
    }
    return render(request, "inquiries/detail.html", context)


@requires(signed_in)
@require_POST
def handle(request, pk):
    inquiry = get_object_or_404(Inquiry.objects.select_related("network", "assigned_to"), pk=pk)
    if not can_handle_inquiries(request.user, inquiry.network):
        raise Http404
    may_assign = can_assign_inquiries(request.user, inquiry.network)
    if not (may_assign or can_read_inquiry(request.user, inquiry.network, inquiry.special, inquiry.assigned_to_id)):
        raise PermissionDenied
    previous = inquiry.assigned_to_id
    form = HandlingForm(request.POST, instance=inquiry, may_assign=may_assign)
    if not form.is_valid():
        messages.error(request, _("The changes were not saved: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("inquiries:detail", inquiry.pk)
    inquiry = form.save()
    if may_assign and inquiry.assigned_to_id and inquiry.assigned_to_id != previous:
        services.assign(inquiry, inquiry.assigned_to)
    messages.success(request, _("The changes were saved."))
    return redirect("inquiries:detail", inquiry.pk)


@requires(signed_in)
@require_POST
def answer(request, pk):
    inquiry = get_object_or_404(Inquiry.objects.select_related("network", "assigned_to"), pk=pk)
    if not can_read_inquiry(request.user, inquiry.network, inquiry.special, inquiry.assigned_to_id):
        raise PermissionDenied
    form = ReplyForm(request.POST)
    if not form.is_valid():
        context = {
            "inquiry": inquiry,
            "readable": True,
            "handling": HandlingForm(instance=inquiry, may_assign=can_assign_inquiries(request.user, inquiry.network)),
            "reply_form": form,
            "replies": list(inquiry.replies.select_related("author")),
            "delete_after": inquiry.delete_after,
        }
        return render(request, "inquiries/detail.html", context, status=400)
    services.reply(inquiry, request.user, form.cleaned_data["body"])
    messages.success(request, _("The answer is in the outbox and will be sent by e-mail."))
    return redirect("inquiries:detail", inquiry.pk)


@requires(signed_in)
def report(request):
    # Their names only: the office's report lists every council (1,200 at nation scale), not their texts.
    councils = networks_handling_inquiries(request.user).filter(classification=Network.Classification.COUNCIL)
    networks = list(councils.only("pk", "name"))
    if not networks:
        raise PermissionDenied
    try:
        year = int(request.GET.get("jahr", ""))
    except ValueError:
        year = timezone.localdate().year
    labels = dict(Topic.choices)
    counted = services.counts(networks, year)
    sections = [
        {
            "network": network,
            "rows": [((month, labels.get(topic, topic), place), n) for (month, topic, place), n in counted[network.pk]],
        }
        for network in networks
    ]
    for section in sections:
        section["total"] = sum(number for _key, number in section["rows"])
    return render(request, "inquiries/report.html", {"year": year, "sections": sections})


@require_POST
@requires(is_office)
def erase(request, pk):
    """A resident asks for erasure (Art. 17 GDPR): the office deletes the inquiry now; only its count stays."""
    inquiry = get_object_or_404(Inquiry.objects.select_related("network"), pk=pk)
    services.erase(inquiry)
    messages.success(request, _("The inquiry, its answers and their e-mails were deleted. Only the count stays."))
    return redirect("inquiries:inbox")
