"""Forms of the duplicate review: the decision about a pair, and the abbreviation list."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .merging import check_merge, display_value, merge_fields
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
        help_text=_(
            "The other one's name becomes an alias; its memberships, units, people and history move over. "
            "Choose below which value of each field to keep: values not kept are written into the history."
        ),
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
        self.rows = []
        first, second = suggestion.first, suggestion.second
        empty = _("(empty)")
        for key, names, label in merge_fields():
            values = [
                ", ".join(v for v in (display_value(entry, name) for name in names) if v) for entry in (first, second)
            ]
            field_name = None
            if values[0] != values[1]:
                field_name = f"take_{key}"
                self.fields[field_name] = forms.ChoiceField(
                    label=label,
                    widget=forms.RadioSelect,
                    choices=[("first", values[0] or empty), ("second", values[1] or empty)],
                    initial="second" if values[1] and not values[0] else "first",
                    required=False,
                )
            self.rows.append({"key": key, "label": label, "values": values, "field": field_name})

    def field_choices(self, survivor_side):
        """{merge choice: "survivor" or "merged"} from the per-field radios and the kept side."""
        found = {}
        for row in self.rows:
            if row["field"]:
                side = self.cleaned_data.get(row["field"]) or self.fields[row["field"]].initial
                found[row["key"]] = "survivor" if side == survivor_side else "merged"
        return found

    def choice_rows(self):
        """The rows of the side-by-side table with their bound radio fields."""
        return [{**row, "bound": self[row["field"]] if row["field"] else None} for row in self.rows]

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
