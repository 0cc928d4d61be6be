"""The respondent's page behind a personal link: answer, save and continue later, send.

The personal link (``antworten/<token>/``) is opened once: it puts the token into the visitor's
session and redirects to the survey's address without it (``antworten/umfrage/<survey>/``). So the
token reaches the server's access log only with that first visit; saving and sending go to an address
that every respondent of the survey shares. After sending, the token leaves the session.
"""

import contextlib

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from register.guards import public

from ..links import hash_token, open_draft
from ..models import Survey, SurveyInvitation
from ..responding import AlreadyAnswered, ResponseForm, draft_initial, save_draft, submit

SESSION_LINKS = "needs_links"
SESSION_DONE = "needs_done"


@public
@never_cache
def respond(request, token):
    """The link from the e-mail: swap the token for a session value, then leave this address."""
    invitation = SurveyInvitation.objects.filter(token_hash=hash_token(token)).only("survey_id").first()
    if invitation is None:
        raise Http404(_("This link is not valid."))
    links = request.session.get(SESSION_LINKS, {})
    links[str(invitation.survey_id)] = token
    request.session[SESSION_LINKS] = links
    return redirect("needs:answer", invitation.survey_id)


@public
@never_cache
def answer(request, survey):
    key = str(survey)
    token = request.session.get(SESSION_LINKS, {}).get(key)
    invitation = None
    if token:
        invitation = SurveyInvitation.objects.select_related("survey").filter(token_hash=hash_token(token)).first()
    if invitation is None or invitation.survey_id != survey:
        found = Survey.objects.filter(pk=survey).first()
        if found and key in request.session.get(SESSION_DONE, []):
            return render(request, "needs/respond_done.html", {"survey": found})
        return render(request, "needs/respond_no_link.html", {"survey": found}, status=403)
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
            _forget(request, key)
            return redirect(request.path)
    else:
        # A saved draft comes back as the initial values: shown as entered, checked only when sent.
        form = ResponseForm(survey, questions, initial=draft_initial(open_draft(token, invitation.draft)))
    context.update({"form": form, "groups": list(form.bound_groups())})
    return render(request, "needs/respond.html", context)


def _forget(request, key):
    """The token leaves the session once the answers are sent; only "this survey is done" stays."""
    links = request.session.get(SESSION_LINKS, {})
    links.pop(key, None)
    request.session[SESSION_LINKS] = links
    request.session[SESSION_DONE] = sorted({*request.session.get(SESSION_DONE, []), key})
