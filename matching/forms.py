"""Forms of the duplicate review: the decision about a pair, and the abbreviation list."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .merging import check_merge
from .models import Abbreviation


class DecisionForm(forms.Form):
    """What a person decides about a suggested pair."""

    MERGE, REJECT, UNIT = "merge", "reject", "unit"
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (MERGE, _("The same organisation: merge them")),
            (REJECT, _("Different organisations: do not propose again")),
            (UNIT, _("One is a unit of the other")),
        ],
    )
    keep = forms.ChoiceField(
        label=_("When merging, keep"),
        widget=forms.RadioSelect,
        required=False,
        help_text=_("The other one becomes an alias of it; its memberships, units and history move to it."),
    )
    unit = forms.ChoiceField(
        label=_("When recording a unit, the unit is"),
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, suggestion, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestion = suggestion
        choices = [("first", suggestion.first.full_name), ("second", suggestion.second.full_name)]
        self.fields["keep"].choices = choices
        self.fields["unit"].choices = choices

    def organisations(self, side):
        """(chosen, other) for "first" or "second"."""
        first, second = self.suggestion.first, self.suggestion.second
        return (first, second) if side == "first" else (second, first)

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == self.MERGE:
            if not data.get("keep"):
                self.add_error("keep", _("Choose which of the two organisations to keep."))
            else:
                survivor, merged = self.organisations(data["keep"])
                try:
                    check_merge(survivor, merged)
                except ValidationError as error:
                    self.add_error(None, error)
        elif decision == self.UNIT and not data.get("unit"):
            self.add_error("unit", _("Choose which of the two is the unit."))
        return data


class AbbreviationForm(forms.ModelForm):
    class Meta:
        model = Abbreviation
        fields = ["short_form", "long_form", "kind"]
