"""Self-service: the organisation's form behind the signed link, and the office's approval."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from matching.checks import similar_organisations
from register import languages
from register.guards import public, requires
from register.locking import TAKE, StaleEdit, version_of
from register.models import Organisation
from register.permissions import is_office

from .. import selfservice
from ..forms import SelfServiceForm
from ..models import Correction
from .common import posted


@public
@never_cache
def self_service(request, token):
    """Public: no login, the signed link is the permission."""
    try:
        link = selfservice.link_from_token(token)
    except selfservice.LinkUnusable as error:
        return render(request, "workspace/self_service_unusable.html", {"reason": str(error)}, status=410)
    organisation = Organisation.objects.get(pk=link.organisation_id)
    form = SelfServiceForm(posted(request), instance=organisation, initial={"mail_language": link.language})
    if request.method == "POST" and form.is_valid():
        try:
            selfservice.submit(
                link, form.proposed_values(), form.cleaned_data["note"], language=form.cleaned_data["mail_language"]
            )
        except selfservice.LinkUnusable as error:
            return render(request, "workspace/self_service_unusable.html", {"reason": str(error)}, status=410)
        return render(request, "workspace/self_service_done.html", {"organisation": link.organisation})
    return render(request, "workspace/self_service.html", {"form": form, "organisation": link.organisation})


def shown(name, value):
    """A proposed or stored value as the office reads it: yes/no, language names, text."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "languages":
        return ", ".join(languages.names(value))
    return value


@requires(is_office)
def correction_list(request):
    corrections = Correction.objects.select_related("organisation", "decided_by").order_by("state", "-submitted_at")
    return render(request, "workspace/correction_list.html", {"corrections": corrections[:200]})


@requires(is_office)
def correction_detail(request, pk):
    correction = get_object_or_404(Correction.objects.select_related("organisation"), pk=pk)
    organisation = correction.organisation
    changed = selfservice.conflicts(correction)
    rows = [
        {
            "name": name,
            "key": TAKE + name,
            "changed": name in changed,
            "label": Organisation._meta.get_field(name).verbose_name,
            "current": shown(name, getattr(organisation, name)),
            "previous": shown(name, correction.previous.get(name, "")),
            "proposed": shown(name, value),
        }
        for name, value in correction.proposed.items()
    ]
    similar = []
    if correction.state == Correction.State.PENDING:
        for field_name in ("name", "short_name"):
            if correction.proposed.get(field_name):
                similar += [
                    item
                    for item in similar_organisations(correction.proposed[field_name], exclude=organisation.pk)
                    if all(other.entry.pk != item.entry.pk for other in similar)
                ]
    context = {"correction": correction, "rows": rows, "similar": similar, "version": version_of(organisation)}
    return render(request, "workspace/correction_detail.html", context)


@require_POST
@requires(is_office)
def correction_decide(request, pk):
    correction = get_object_or_404(Correction, pk=pk, state=Correction.State.PENDING)
    if request.POST.get("decision") == "approve":
        choices = {name: request.POST.get(TAKE + name) for name in correction.proposed}
        try:
            selfservice.approve(correction, request.user, request.POST.get("version"), choices)
        except StaleEdit as error:
            messages.error(request, _("The correction was not applied: %(reason)s") % {"reason": error})
            return redirect("workspace:correction", correction.pk)
        except ValidationError as error:
            reasons = " ".join(message for messages_ in error.message_dict.values() for message in messages_)
            messages.error(request, _("The correction was not applied: %(reason)s") % {"reason": reasons})
            return redirect("workspace:correction", correction.pk)
        messages.success(request, _("The correction was applied and the entry confirmed as current."))
    else:
        selfservice.reject(correction, request.user)
        messages.success(request, _("The correction was rejected; the entry is unchanged."))
    return redirect("workspace:corrections")
