"""Anonymous responses: held back sealed, released in random order so that order reveals nothing.

A response of an anonymous survey is sealed into a ``HeldResponse``. As soon as ``RELEASE_BATCH`` are
held, all of them are written as responses in random order in one transaction and the held rows are
deleted. When the survey has closed, ``release(survey, final=True)`` releases what is left and writes
every response of the survey once more, in random order and with new random keys: afterwards neither
the keys nor the places of the rows (SQLite's rowid, PostgreSQL's ctid and xmin) follow the order in
which people answered. The week kept with a response is the week it was released.
"""

import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .links import seal, unseal
from .models import Answer, HeldResponse, Response, ResponseNetwork, Survey
from .results import MIN_GROUP

# Released together: never fewer than the smallest group the results show.
RELEASE_BATCH = MIN_GROUP
ANSWER_FIELDS = ["question_id", "choice_id", "number", "text", "organisation_id", "topic_id", "frequency"]
PURPOSE = "held-response"

shuffle = secrets.SystemRandom().shuffle


def hold(survey, organisation, category, networks, answers):
    """Seal one anonymous response; release the held ones if there are enough now."""
    record = {
        "organisation": organisation.pk if organisation else None,
        "category": category,
        "networks": list(networks),
        "answers": [_answer_record(answer) for answer in answers],
    }
    HeldResponse.objects.create(survey=survey, sealed=seal(record, PURPOSE, str(survey.pk)))
    release(survey)


def release(survey, final=False):
    """Write held responses (and, when ``final``, all responses again) in random order. Returns how many
    responses were written; nothing happens while fewer than ``RELEASE_BATCH`` are held, unless final."""
    with transaction.atomic():
        Survey.objects.select_for_update().filter(pk=survey.pk).first()  # one release of a survey at a time
        held = list(HeldResponse.objects.filter(survey=survey))
        if not final and len(held) < RELEASE_BATCH:
            return 0
        records = [record for record in (unseal(h.sealed, PURPOSE, str(survey.pk)) for h in held) if record]
        week = Response.week_of(timezone.localdate())
        for record in records:
            record["week"] = week.isoformat()
        if final:
            records += _existing_records(survey)
            Response.objects.filter(survey=survey).delete()
        HeldResponse.objects.filter(pk__in=[h.pk for h in held]).delete()
        shuffle(records)
        _write(survey, records)
        Survey.objects.filter(pk=survey.pk).update(shuffled=final)
    return len(records)


def release_closed(today=None):
    """The final release of every closed survey that holds responses or was not shuffled since it closed."""
    today = today or timezone.localdate()
    closed = Survey.objects.filter(anonymous=True, closes_on__lt=today)
    due = closed.filter(shuffled=False) | closed.filter(held__isnull=False)
    return {survey.pk: release(survey, final=True) for survey in due.distinct()}


def release_if_closed(survey):
    """Called by the office's pages: a closed survey shows its results only after the final release."""
    closed = survey.anonymous and survey.closes_on < timezone.localdate()
    if closed and (not survey.shuffled or survey.held.exists()):
        release(survey, final=True)
        survey.shuffled = True


def held_count(survey):
    return survey.held.count()


def _answer_record(answer):
    values = {name: getattr(answer, name) for name in ANSWER_FIELDS}
    values["number"] = str(values["number"]) if values["number"] is not None else None
    return values


def _existing_records(survey):
    responses = {
        response.pk: {
            "organisation": response.organisation_id,
            "category": response.category,
            "week": response.submitted_on.isoformat(),
            "networks": [],
            "answers": [],
        }
        for response in Response.objects.filter(survey=survey)
    }
    for response_id, network_id in ResponseNetwork.objects.filter(response__survey=survey).values_list(
        "response_id", "network_id"
    ):
        responses[response_id]["networks"].append(network_id)
    for answer in Answer.objects.filter(response__survey=survey):
        responses[answer.response_id]["answers"].append(_answer_record(answer))
    return list(responses.values())


def _write(survey, records):
    responses, networks, answers = [], [], []
    for record in records:
        response = Response(
            survey=survey,
            submitted_on=record["week"],
            organisation_id=record["organisation"],
            category=record["category"],
        )
        responses.append(response)
        networks += [ResponseNetwork(response=response, network_id=pk) for pk in record["networks"]]
        for values in record["answers"]:
            number = values["number"]
            answers.append(
                Answer(response=response, **{**values, "number": Decimal(number) if number is not None else None})
            )
    # The lists keep the shuffled order of the responses; answers follow their response.
    Response.objects.bulk_create(responses)
    ResponseNetwork.objects.bulk_create(networks)
    Answer.objects.bulk_create(answers)
