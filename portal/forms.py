from django import forms
from django.utils.translation import gettext_lazy as _

from register.models import Category, Municipality, Network, Topic

from .search import Filters


class GermanOptionsSelect(forms.Select):
    """A select whose options are German content (topics, place names): marked so on English pages too."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        if option["value"]:
            option["attrs"]["lang"] = "de"
        return option


class SearchForm(forms.Form):
    """The public search: words and filters, all optional; unknown filter values are named as errors."""

    q = forms.CharField(label=_("Search for"), max_length=200, required=False, widget=forms.SearchInput)
    kind = forms.ChoiceField(
        label=_("Kind of network"), required=False, choices=[("", _("all kinds"))] + Network.Classification.choices
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        required=False,
        queryset=Topic.objects.all(),
        widget=GermanOptionsSelect,
        to_field_name="slug",
        empty_label=_("all topics"),
        error_messages={"invalid_choice": _("There is no such topic. Choose one from the list.")},
    )
    category = forms.ChoiceField(
        label=_("Category of organisation"),
        required=False,
        choices=[("", _("all categories"))] + Category.choices,
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Municipality.objects.all(),
        widget=GermanOptionsSelect,
        to_field_name="slug",
        empty_label=_("all municipalities"),
        error_messages={"invalid_choice": _("There is no such municipality. Choose one from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["invalid_choice"] = _("There is no such kind of network.")
        self.fields["category"].error_messages["invalid_choice"] = _("There is no such category.")
        self.fields["q"].error_messages["max_length"] = _("Use at most %(limit_value)d characters.")

    def filters(self):
        data = self.cleaned_data
        return Filters(
            kind=data["kind"], topic=data["topic"], category=data["category"], municipality=data["municipality"]
        )

    @property
    def has_criteria(self):
        return self.is_valid() and any(self.cleaned_data.values())
