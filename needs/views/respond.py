"""The respondent's page behind a personal link: answer, save and continue later, send."""

import contextlib

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..links import hash_token, open_draft
from ..models import Invitation
from ..responding import AlreadyAnswered, ResponseForm, draft_initial, save_draft, submit


@never_cache
def respond(request, token):
    invitation = Invitation.objects.select_related("survey", "person").filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise Http404(_("This link is not valid."))
    survey = invitation.survey
    context = {"survey": survey}
    if invitation.answered:
        return render(request, "needs/respond_done.html", context)
    today = timezone.localdate()
    if not survey.is_open(today):
        context["not_yet"] = today < survey.opens_on
        return render(request, "needs/respond_closed.html", context, status=410 if today > survey.closes_on else 200)
    questions = list(survey.questions.prefetch_related("choices"))
    if request.method == "POST":
        form = ResponseForm(survey, questions, request.POST)
        if request.POST.get("action") == "save":
            save_draft(invitation, token, form)
            messages.success(request, _("Your answers are saved. You can continue later with the same link."))
            return redirect(request.path)
        if form.is_valid():
            # A second tab sending the same answers finds the link used: it shows the thanks page.
            with contextlib.suppress(AlreadyAnswered):
                submit(invitation, form)
            return redirect(request.path)
    else:
        # A saved draft comes back as the initial values: shown as entered, checked only when sent.
        form = ResponseForm(survey, questions, initial=draft_initial(open_draft(token, invitation.draft)))
    context.update({"form": form, "groups": list(form.bound_groups())})
    return render(request, "needs/respond.html", context)
