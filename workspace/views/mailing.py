"""Per network: the mailing list (shown, exported) and a message to everyone on it."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from register import mailing as lists
from register.guards import check, requires
from register.models import Network
from register.permissions import can_edit_network, is_office, signed_in
from register.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

from .. import mailing
from .common import posted


class MessageForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    body = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000)


def _network(request, pk):
    network = get_object_or_404(Network, pk=pk)
    check(can_edit_network(request.user, network))
    return network


@requires(signed_in)
def network_mailing(request, pk):
    network = _network(request, pk)
    form = MessageForm(posted(request))
    if request.method == "POST" and form.is_valid():
        message = mailing.send(network, form.cleaned_data["subject"], form.cleaned_data["body"], request.user)
        count = message.mails.count()
        messages.success(
            request,
            ngettext(
                "The message is in the outbox for %(count)d address; its state is shown below.",
                "The message is in the outbox for %(count)d addresses; their state is shown below.",
                count,
            )
            % {"count": count},
        )
        return redirect("workspace:network_mailing", network.pk)
    listed, left_out = lists.mailing_list(network)
    context = {
        "network": network,
        "listed": listed,
        "left_out": left_out,
        "form": form,
        "sent": mailing.messages_with_status(network)[:20],
        "office": is_office(request.user),
    }
    return render(request, "workspace/network_mailing.html", context)


@requires(signed_in)
def network_mailing_export(request, pk, fmt):
    network = _network(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    content_type = XLSX_CONTENT_TYPE if fmt == "xlsx" else CSV_CONTENT_TYPE
    response = HttpResponse(mailing.export(network, fmt), content_type=content_type)
    filename = f"verteiler-{network.slug}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
