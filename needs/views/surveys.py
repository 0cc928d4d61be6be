"""The office's pages for surveys: compose, send, remind, results and exports."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from register.absolute import base_url
from register.guards import requires
from register.permissions import is_office

from ..exports import results_csv, results_xlsx
from ..forms import QuestionForm, SurveyForm
from ..mailing import invitees, send_invitations, send_reminders
from ..models import Question, Survey
from ..release import RELEASE_BATCH, held_count, release_if_closed
from ..results import survey_results


@requires(is_office)
def survey_list(request):
    surveys = Survey.objects.annotate(
        invited=Count("invitations", distinct=True),
        answered=Count("invitations", filter=Q(invitations__answered=True), distinct=True),
    ).order_by("-opens_on", "title_de")
    return render(request, "needs/survey_list.html", {"surveys": surveys})


@requires(is_office)
def survey_edit(request, pk=None):
    survey = get_object_or_404(Survey, pk=pk) if pk else None
    form = SurveyForm(request.POST if request.method == "POST" else None, instance=survey)
    if request.method == "POST" and form.is_valid():
        if survey is None:
            form.instance.created_by = request.user
        survey = form.save()
        messages.success(request, _("The survey was saved."))
        return redirect(survey)
    return render(request, "needs/survey_form.html", {"form": form, "survey": survey})


@requires(is_office)
def survey_detail(request, pk):
    survey = get_object_or_404(Survey.objects.prefetch_related("networks"), pk=pk)
    release_if_closed(survey)
    questions = survey.questions.prefetch_related("choices")
    stats = survey.invitations.aggregate(
        invited=Count("pk"),
        sent=Count("pk", filter=Q(sent_on__isnull=False)),
        answered=Count("pk", filter=Q(answered=True)),
    )
    context = {
        "survey": survey,
        "questions": questions,
        "stats": stats,
        "invitees": invitees(survey).count(),
        "responses": survey.responses.count(),
        "held": held_count(survey),
        "release_batch": RELEASE_BATCH,
    }
    return render(request, "needs/survey_detail.html", context)


@requires(is_office)
def question_edit(request, survey_pk, pk=None):
    survey = get_object_or_404(Survey, pk=survey_pk)
    question = get_object_or_404(Question, pk=pk, survey=survey) if pk else None
    form = QuestionForm(request.POST if request.method == "POST" else None, instance=question, survey=survey)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The question was saved."))
        return redirect(survey)
    return render(request, "needs/question_form.html", {"form": form, "survey": survey, "question": question})


@requires(is_office)
@require_POST
def question_delete(request, survey_pk, pk):
    survey = get_object_or_404(Survey, pk=survey_pk)
    question = get_object_or_404(Question, pk=pk, survey=survey)
    if survey.has_invitations:
        messages.error(request, _("Invitations have gone out: the questions can no longer change."))
    else:
        question.delete()
        messages.success(request, _("The question was deleted."))
    return redirect(survey)


@requires(is_office)
@require_POST
def survey_send(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    problem = survey.sending_problem()
    if problem:
        messages.error(request, problem)
    else:
        send_invitations.enqueue(survey.pk, base_url(request))
        messages.success(request, _("The invitations are being sent."))
    return redirect(survey)


@requires(is_office)
@require_POST
def survey_remind(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    problem = survey.sending_problem()
    if problem:
        messages.error(request, problem)
    else:
        send_reminders.enqueue(survey.pk, base_url(request))
        messages.success(request, _("Reminders are being sent to everyone who has not answered."))
    return redirect(survey)


@requires(is_office)
def survey_results_view(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    release_if_closed(survey)
    context = {**survey_results(survey), "held": held_count(survey), "release_batch": RELEASE_BATCH}
    return render(request, "needs/results.html", context)


@requires(is_office)
def survey_export(request, pk, fmt):
    survey = get_object_or_404(Survey, pk=pk)
    release_if_closed(survey)
    results = survey_results(survey)
    filename = f"umfrage-{survey.pk}-ergebnisse"
    if fmt == "csv":
        response = HttpResponse(results_csv(results), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    response = HttpResponse(
        results_xlsx(results, _("Results")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
