"""Survey results per question, with breakdowns only for groups of at least ``MIN_GROUP`` answers.

The same rule guards the whole question: fewer than ``MIN_GROUP`` answers and nothing of it is shown.
When the groups that are withheld could be worked out by subtracting the shown ones from the total
(a remainder of 1 to ``MIN_GROUP`` - 1 answers), the smallest shown groups are withheld too.
"""

import statistics
from collections import Counter, defaultdict

from django.utils.translation import gettext as _

from register.models import Category

from .models import Answer, Frequency, Question, Response, ResponseNetwork

MIN_GROUP = 5


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else 0.0


def suppress(groups, total_ids):
    """The groups ({label: set of response ids}) that may be shown, after primary and secondary suppression."""
    shown = {label: ids for label, ids in groups.items() if len(ids) >= MIN_GROUP}
    while shown:
        covered = set().union(*shown.values())
        remainder = len(set(total_ids) - covered)
        if remainder == 0 or remainder >= MIN_GROUP:
            break
        smallest = min(shown, key=lambda label: (len(shown[label]), str(label)))
        del shown[smallest]
    return shown


def _bars(question, answers, respondents):
    """Rows (label, count, percent of respondents, bar share of the largest) for choice and rating questions."""
    if question.has_choices:
        counts = Counter(answer.choice_id for answer in answers)
        labelled = [(choice.label, counts.get(choice.pk, 0)) for choice in question.choices.all()]
    else:
        counts = Counter(int(answer.number) for answer in answers if answer.number is not None)
        labelled = []
        for value in question.scale:
            label = str(value)
            if value == question.scale_min and question.low_label:
                label = f"{value} – {question.low_label}"
            elif value == question.scale_max and question.high_label:
                label = f"{value} – {question.high_label}"
            labelled.append((label, counts.get(value, 0)))
    largest = max((count for _label, count in labelled), default=0) or 1
    return [
        {"label": label, "count": count, "percent": _percent(count, respondents), "share": round(100 * count / largest)}
        for label, count in labelled
    ]


def _summary(question, answers):
    numbers = [float(answer.number) for answer in answers if answer.number is not None]
    if not numbers:
        return None
    return {
        "count": len(numbers),
        "mean": round(statistics.fmean(numbers), 2),
        "median": round(statistics.median(numbers), 2),
    }


def _cooperation(answers):
    counts = Counter(answer.organisation for answer in answers if answer.organisation_id)
    return [{"organisation": org, "count": count} for org, count in counts.most_common()]


def survey_groups(survey):
    """{"network": {network name: set(response ids)}, "category": {category label: set(response ids)}}."""
    by_network = defaultdict(set)
    for response_id, name in ResponseNetwork.objects.filter(response__survey=survey).values_list(
        "response_id", "network__name"
    ):
        by_network[name].add(response_id)
    by_category = defaultdict(set)
    labels = dict(Category.choices)
    for response_id, category in Response.objects.filter(survey=survey).values_list("id", "category"):
        by_category[str(labels.get(category, _("unknown")))].add(response_id)
    return {"network": dict(by_network), "category": dict(by_category)}


def survey_results(survey):
    """Everything the results page and the exports show. A fixed number of queries, whatever the size."""
    questions = list(survey.questions.prefetch_related("choices"))
    answers_by_question = defaultdict(list)
    for answer in Answer.objects.filter(response__survey=survey).select_related("organisation__parent", "topic"):
        answers_by_question[answer.question_id].append(answer)
    groups = survey_groups(survey)
    total = Response.objects.filter(survey=survey).count()
    results = []
    for question in questions:
        answers = answers_by_question.get(question.pk, [])
        respondent_ids = {answer.response_id for answer in answers}
        item = {"question": question, "respondents": len(respondent_ids), "withheld": len(respondent_ids) < MIN_GROUP}
        if item["withheld"]:
            results.append(item)
            continue
        if question.has_choices or question.kind == Question.Kind.RATING:
            item["bars"] = _bars(question, answers, len(respondent_ids))
        if question.kind in (Question.Kind.RATING, Question.Kind.NUMBER):
            item["summary"] = _summary(question, answers)
        if question.kind == Question.Kind.TEXT:
            item["texts"] = sorted(answer.text for answer in answers)
        if question.kind == Question.Kind.RELATIONSHIP:
            item["cooperation"] = _cooperation(answers)
            item["frequencies"] = [
                {"label": label, "count": sum(1 for a in answers if a.frequency == value)}
                for value, label in Frequency.choices
            ]
        if question.kind != Question.Kind.TEXT and question.kind != Question.Kind.RELATIONSHIP:
            item["breakdowns"] = []
            for kind, label in (("network", _("by network")), ("category", _("by category of organisation"))):
                candidate = {name: ids & respondent_ids for name, ids in groups[kind].items() if ids & respondent_ids}
                shown = suppress(candidate, respondent_ids)
                rows = []
                for name in sorted(candidate):
                    if name in shown:
                        group_answers = [a for a in answers if a.response_id in shown[name]]
                        row = {"group": name, "respondents": len(shown[name]), "withheld": False}
                        if "bars" in item:
                            row["bars"] = _bars(question, group_answers, len(shown[name]))
                        if "summary" in item:
                            row["summary"] = _summary(question, group_answers)
                        rows.append(row)
                    else:
                        rows.append({"group": name, "withheld": True})
                item["breakdowns"].append({"kind": kind, "label": label, "rows": rows})
        results.append(item)
    return {"survey": survey, "total": total, "questions": results, "min_group": MIN_GROUP}


def result_rows(results):
    """Flat rows for CSV and Excel: question, breakdown, group, value, count, percent."""
    header = [_("Question"), _("Breakdown"), _("Group"), _("Answer"), _("Count"), _("Percent")]
    rows = []
    for item in results["questions"]:
        text = item["question"].text
        if item["withheld"]:
            rows.append([text, "", "", _("withheld: fewer than %(n)d answers") % {"n": MIN_GROUP}, "", ""])
            continue
        for bar in item.get("bars", []):
            rows.append([text, _("all"), "", bar["label"], bar["count"], bar["percent"]])
        if item.get("summary"):
            rows.append([text, _("all"), "", _("mean"), item["summary"]["count"], item["summary"]["mean"]])
            rows.append([text, _("all"), "", _("median"), item["summary"]["count"], item["summary"]["median"]])
        for answer in item.get("texts", []):
            rows.append([text, _("all"), "", answer, 1, ""])
        for cooperation in item.get("cooperation", []):
            rows.append([text, _("all"), "", str(cooperation["organisation"]), cooperation["count"], ""])
        for breakdown in item.get("breakdowns", []):
            for row in breakdown["rows"]:
                if row["withheld"]:
                    note = _("withheld: fewer than %(n)d answers") % {"n": MIN_GROUP}
                    rows.append([text, breakdown["label"], row["group"], note, "", ""])
                    continue
                for bar in row.get("bars", []):
                    rows.append([text, breakdown["label"], row["group"], bar["label"], bar["count"], bar["percent"]])
                if row.get("summary"):
                    summary = row["summary"]
                    rows.append([text, breakdown["label"], row["group"], _("mean"), summary["count"], summary["mean"]])
    return header, rows
