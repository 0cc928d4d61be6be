"""Forms of the office: surveys and their questions, needs, measures and offers."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from register.fields import MUNICIPALITIES, MunicipalityMultipleChoiceField, OrganisationChoiceField
from register.models import Meeting, Network, Organisation
from register.widgets import SearchSelect, SearchSelectMultiple

from .models import Choice, Measure, Need, Offer, Question, Survey


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title_de", "title_en", "intro_de", "intro_en", "anonymous", "opens_on", "closes_on", "networks"]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            # A nation's 10,000 networks as checkboxes were 1.8 MB: chosen by search beyond the full list.
            "networks": SearchSelectMultiple("networks"),
            "intro_de": forms.Textarea(attrs={"rows": 4}),
            "intro_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["networks"].queryset = Network.objects.order_by("position", "name")
        self.locked = bool(self.instance.pk and self.instance.has_invitations)
        if self.locked:
            self.fields["anonymous"].disabled = True
            self.fields["anonymous"].help_text = _("Invitations have gone out: the mode can no longer change.")

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The survey cannot close before it opens."))
        return cleaned


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(forms.ModelForm):
    options_de = forms.CharField(
        label=_("options (German), one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For single and multiple choice."),
    )
    options_en = forms.CharField(
        label=_("options (English), one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In the same order as the German options; leave empty to show the German ones."),
    )

    class Meta:
        model = Question
        fields = [
            "kind",
            "text_de",
            "text_en",
            "help_de",
            "help_en",
            "required",
            "scale_min",
            "scale_max",
            "low_label_de",
            "low_label_en",
            "high_label_de",
            "high_label_en",
            "number_min",
            "number_max",
        ]

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        if self.instance.pk:
            choices = list(self.instance.choices.all())
            self.fields["options_de"].initial = "\n".join(c.label_de for c in choices)
            self.fields["options_en"].initial = "\n".join(c.label_en for c in choices)

    def clean(self):
        cleaned = super().clean()
        if self.survey.has_invitations:
            raise forms.ValidationError(_("Invitations have gone out: the questions can no longer change."))
        kind = cleaned.get("kind")
        german, english = _lines(cleaned.get("options_de")), _lines(cleaned.get("options_en"))
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            if len(german) < 2:
                self.add_error("options_de", _("Give at least two options, one per line."))
            if english and len(english) != len(german):
                self.add_error(
                    "options_en",
                    _("Give as many English options as German ones (%(german)d), or none.") % {"german": len(german)},
                )
        elif german or english:
            self.add_error("options_de", _("Only single and multiple choice questions have options."))
        low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
        if kind == Question.Kind.RATING and low is not None and high is not None and not 1 <= high - low <= 10:
            self.add_error("scale_max", _("A scale needs at least two and at most eleven steps."))
        smallest, largest = cleaned.get("number_min"), cleaned.get("number_max")
        if smallest is not None and largest is not None and largest < smallest:
            self.add_error("number_max", _("The largest number cannot be smaller than the smallest."))
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        question = super().save(commit=False)
        question.survey = self.survey
        if question.pk is None:
            last = self.survey.questions.order_by("-position").values_list("position", flat=True).first()
            question.position = (last or 0) + 1
        question.save()
        german, english = _lines(self.cleaned_data["options_de"]), _lines(self.cleaned_data["options_en"])
        existing = list(question.choices.all())
        for index, label in enumerate(german):
            choice = existing[index] if index < len(existing) else Choice(question=question)
            choice.position, choice.label_de = index, label
            choice.label_en = english[index] if english else ""
            choice.save()
        for choice in existing[len(german) :]:
            choice.delete()
        return question


class NeedForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = [
            "title",
            "description",
            "topic",
            "target_group",
            "municipalities",
            "source",
            "survey",
            "meeting",
            "priority",
            "status",
            "responsible_networks",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            # A country has 8,000 municipalities, 10,000 networks and 50,000 meetings: found by search.
            "municipalities": SearchSelectMultiple("municipalities"),
            "responsible_networks": SearchSelectMultiple("networks"),
            "meeting": SearchSelect("meetings"),
        }
        field_classes = {"municipalities": MunicipalityMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.order_by("-start", "pk")
        self.fields["survey"].queryset = Survey.objects.order_by("-opens_on")
        self.fields["municipalities"].queryset = MUNICIPALITIES

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source")
        if source == Need.Source.SURVEY and not cleaned.get("survey"):
            self.add_error("survey", _("Name the survey the need comes from."))
        if source == Need.Source.MEETING and not cleaned.get("meeting"):
            self.add_error("meeting", _("Name the meeting the need comes from."))
        return cleaned


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["description", "network", "date", "done"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "date": DateInput(),
            "network": SearchSelect("networks"),
        }


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = [
            "name",
            "organisation",
            "kind",
            "topic",
            "target_group",
            "languages",
            "municipalities",
            "description",
            "active",
        ]
        widgets = {
            "organisation": SearchSelect("organisations"),
            "municipalities": SearchSelectMultiple("municipalities"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"organisation": OrganisationChoiceField, "municipalities": MunicipalityMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.select_related("parent__parent__parent")
        self.fields["municipalities"].queryset = MUNICIPALITIES

    def clean_languages(self):
        parts = [part.strip() for part in self.cleaned_data["languages"].split(",") if part.strip()]
        return ", ".join(dict.fromkeys(parts))
