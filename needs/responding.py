"""The respondent's form: built from the questions, kept as a draft, submitted in one transaction."""

from decimal import Decimal

from django import forms
from django.db import transaction
from django.db.models import BooleanField, Case, F, Q, TextField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register.models import Membership, Organisation, Topic

from . import release
from .links import seal_draft
from .models import Answer, Frequency, Question, Response, ResponseNetwork, SurveyInvitation

EMPTY_COOPERATION_ROWS = 3
MAX_COOPERATION_ROWS = 30


MULTIPLE_SUFFIX = "_m"


def field_name(question, suffix=""):
    if question.kind == Question.Kind.MULTIPLE:
        suffix += MULTIPLE_SUFFIX
    return f"q{question.pk}{suffix}"


class ResponseForm(forms.Form):
    """One field per question; a cooperation question has rows of organisation, topic and frequency."""

    def __init__(self, survey, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = questions
        self.groups = []
        data = self.data if self.is_bound else self.initial
        organisations = [("", _("– choose an organisation –"))] + [
            (org.pk, org.full_name)
            for org in Organisation.objects.current().select_related("parent__parent").order_by("name")
        ]
        topics = [("", _("– any topic –"))] + list(Topic.objects.values_list("pk", "name"))
        if any(q.kind == Question.Kind.RELATIONSHIP for q in questions):
            self.fields["organisation"] = forms.TypedChoiceField(
                label=_("For which organisation do you answer?"),
                help_text=_("Needed to show cooperation between organisations.")
                if not survey.anonymous
                else _("Optional. If you name it, your answers about cooperation can be linked to your organisation."),
                choices=organisations,
                coerce=int,
                empty_value=None,
                required=False,
            )
        for question in questions:
            names = []
            if question.kind == Question.Kind.RELATIONSHIP:
                filled = [i for i in range(MAX_COOPERATION_ROWS) if data.get(field_name(question, f"_{i}_org"))]
                rows = (max(filled) + 1 if filled else 0) + EMPTY_COOPERATION_ROWS
                rows = min(rows, MAX_COOPERATION_ROWS)
                row_fields = []
                for i in range(rows):
                    org, topic, freq = (field_name(question, f"_{i}_{part}") for part in ("org", "topic", "freq"))
                    self.fields[org] = forms.TypedChoiceField(
                        label=_("Organisation"), choices=organisations, coerce=int, empty_value=None, required=False
                    )
                    self.fields[topic] = forms.TypedChoiceField(
                        label=_("On which topic"), choices=topics, coerce=int, empty_value=None, required=False
                    )
                    self.fields[freq] = forms.ChoiceField(
                        label=_("How often"), choices=[("", "–")] + Frequency.choices, required=False
                    )
                    row_fields.append((i + 1, [org, topic, freq]))
                    names += [org, topic, freq]
                self.groups.append({"question": question, "rows": row_fields, "names": names})
                continue
            name = field_name(question)
            common = {"label": question.text, "required": question.required, "help_text": question.help}
            if question.kind == Question.Kind.SINGLE:
                field = forms.TypedChoiceField(
                    choices=[(c.pk, c.label) for c in question.choices.all()],
                    coerce=int,
                    widget=forms.RadioSelect,
                    **common,
                )
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    choices=[(c.pk, c.label) for c in question.choices.all()],
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    **common,
                )
            elif question.kind == Question.Kind.RATING:
                field = forms.TypedChoiceField(
                    choices=[(value, str(value)) for value in question.scale],
                    coerce=int,
                    widget=forms.RadioSelect,
                    **common,
                )
            elif question.kind == Question.Kind.NUMBER:
                field = forms.DecimalField(
                    max_digits=12,
                    decimal_places=2,
                    min_value=question.number_min,
                    max_value=question.number_max,
                    localize=True,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                    **common,
                )
            else:
                field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, **common)
            self.fields[name] = field
            names.append(name)
            self.groups.append({"question": question, "field": name, "names": names})

    def clean(self):
        cleaned = super().clean()
        for group in self.groups:
            question = group["question"]
            if question.kind != Question.Kind.RELATIONSHIP:
                continue
            complete = 0
            for _number, (org, _topic, freq) in group["rows"]:
                if cleaned.get(org) and not cleaned.get(freq):
                    self.add_error(freq, _("Say how often you work with this organisation."))
                elif cleaned.get(freq) and not cleaned.get(org):
                    self.add_error(org, _("Choose the organisation you work with."))
                elif cleaned.get(org):
                    complete += 1
            if question.required and not complete:
                first = group["rows"][0][1][0]
                self.add_error(first, _("Name at least one organisation you work with."))
        return cleaned

    def bound_groups(self):
        """The questions with their bound fields, for the template."""
        for group in self.groups:
            item = {"question": group["question"]}
            if "rows" in group:
                item["rows"] = [(number, [self[name] for name in names]) for number, names in group["rows"]]
                item["errors"] = any(self[name].errors for name in group["names"])
            else:
                item["field"] = self[group["field"]]
            yield item

    def draft_data(self):
        """The raw values of the form, as they will be put back on the next visit."""
        keys = set(self.fields)
        return {key: self.data.getlist(key) for key in self.data if key in keys and any(self.data.getlist(key))}


def draft_initial(draft):
    """Initial values from a stored draft: lists for multiple choice, single values otherwise."""
    return {key: values if key.endswith(MULTIPLE_SUFFIX) else values[-1] for key, values in draft.items() if values}


def save_draft(invitation, token, form):
    SurveyInvitation.objects.filter(pk=invitation.pk, answered=False).update(draft=seal_draft(token, form.draft_data()))


def _responding_organisation(invitation):
    person = invitation.person
    membership = (
        Membership.objects.active()
        .filter(person=person, on_behalf_of__isnull=False)
        .select_related("on_behalf_of")
        .first()
    )
    if membership:
        return membership.on_behalf_of
    return person.organisation


def _networks_of(invitation):
    memberships = Membership.objects.active().filter(network__in=invitation.survey.networks.all())
    person = invitation.person
    return sorted(
        set(memberships.filter(person=person).values_list("network_id", flat=True))
        | set(memberships.filter(contact=person).values_list("network_id", flat=True))
    )


class AlreadyAnswered(Exception):
    pass


def submit(invitation, form):
    """Store the answers and mark the invitation answered in one transaction.

    In an anonymous survey the response is held back sealed and later released in random order
    (``needs.release``): it gets no invitation, no person, no token and only the week of its release;
    the invitation keeps only its answered flag. Nothing else links the two.
    """
    survey = invitation.survey
    cleaned = form.cleaned_data
    with transaction.atomic():
        locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.answered:
            raise AlreadyAnswered
        own = _responding_organisation(locked)
        chosen = cleaned.get("organisation")
        if survey.anonymous:
            organisation = Organisation.objects.filter(pk=chosen).first() if chosen else None
        else:
            organisation = Organisation.objects.filter(pk=chosen).first() if chosen else own
        category_source = organisation or own
        category = category_source.category if category_source else ""
        networks = _networks_of(locked)
        if survey.anonymous:
            release.hold(survey, organisation, category, networks, _answers(None, form))
            # One statement rewrites every invitation of the survey, so that row versions written in this
            # transaction (PostgreSQL's xmin) point to all invitations alike, not to the one that answered.
            this = Q(pk=locked.pk)
            survey.invitations.update(
                answered=Case(When(this, then=Value(True)), default=F("answered"), output_field=BooleanField()),
                draft=Case(When(this, then=Value("")), default=F("draft"), output_field=TextField()),
            )
            return None
        response = Response.objects.create(
            survey=survey,
            invitation=locked,
            submitted_on=Response.week_of(timezone.localdate()),
            organisation=organisation,
            category=category,
        )
        ResponseNetwork.objects.bulk_create([ResponseNetwork(response=response, network_id=pk) for pk in networks])
        Answer.objects.bulk_create(list(_answers(response, form)))
        locked.answered = True
        locked.draft = ""
        locked.save(update_fields=["answered", "draft"])
    return response


def _answers(response, form):
    cleaned = form.cleaned_data
    for group in form.groups:
        question = group["question"]
        kind = question.kind
        if kind == Question.Kind.RELATIONSHIP:
            seen = set()
            for _number, (org, topic, freq) in group["rows"]:
                key = (cleaned.get(org), cleaned.get(topic))
                if cleaned.get(org) and key not in seen:
                    seen.add(key)
                    yield Answer(
                        response=response,
                        question=question,
                        organisation_id=cleaned[org],
                        topic_id=cleaned.get(topic),
                        frequency=cleaned[freq],
                    )
            continue
        value = cleaned.get(group["field"])
        if value in (None, "", []):
            continue
        if kind == Question.Kind.SINGLE:
            yield Answer(response=response, question=question, choice_id=value)
        elif kind == Question.Kind.MULTIPLE:
            for choice_id in value:
                yield Answer(response=response, question=question, choice_id=choice_id)
        elif kind in (Question.Kind.RATING, Question.Kind.NUMBER):
            yield Answer(response=response, question=question, number=Decimal(value))
        else:
            yield Answer(response=response, question=question, text=value.strip())
