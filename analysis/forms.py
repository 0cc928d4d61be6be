"""The filters of the network map and the choice of two networks to compare (both sent by GET)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from register.models import Category, Municipality, Network, Organisation
from register.permissions import is_office

from .graph import LAYER_BOTH, LAYER_COOPERATION, LAYER_MEMBERSHIP, MODE_BIPARTITE, MODE_ORGANISATIONS, Filters


class OrganisationChoiceField(forms.ModelChoiceField):
    """Organisations by slug, named with the organisation they belong to, in one query."""

    def label_from_instance(self, obj):
        return f"{obj.parent.name} – {obj.name}" if obj.parent_id else obj.name


class MapFilterForm(forms.Form):
    networks = forms.ModelMultipleChoiceField(
        label=_("Networks"),
        queryset=Network.objects.order_by("position", "name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: all networks."),
    )
    category = forms.ChoiceField(
        label=_("Category of organisations"),
        choices=[("", _("any category")), *Category.choices],
        required=False,
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality of organisations"),
        queryset=Municipality.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("all municipalities"),
    )
    on = forms.DateField(
        label=_("Memberships on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Shows the memberships that were active on this day. Empty: today."),
    )
    mode = forms.ChoiceField(
        label=_("Show"),
        choices=[
            (MODE_BIPARTITE, _("networks and their members")),
            (MODE_ORGANISATIONS, _("actors only, linked through the networks they share")),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    ego = OrganisationChoiceField(
        label=_("Ego network of"),
        queryset=Organisation.objects.select_related("parent").order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("no organisation (whole map)"),
        help_text=_("Shows only this organisation and what lies within the chosen number of steps."),
    )
    radius = forms.TypedChoiceField(
        label=_("Steps around the organisation"),
        choices=[(1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        required=False,
        empty_value=2,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].initial = MODE_BIPARTITE
        self.fields["radius"].initial = 2
        if is_office(user):
            self.fields["people"] = forms.BooleanField(
                label=_("Show people (office only)"),
                required=False,
                help_text=_("People are never shown on the public map."),
            )
            self.fields["layer"] = forms.ChoiceField(
                label=_("Links (office only)"),
                choices=[
                    (LAYER_MEMBERSHIP, _("formal membership in networks")),
                    (LAYER_COOPERATION, _("actual cooperation from the survey answers")),
                    (LAYER_BOTH, _("both")),
                ],
                required=False,
                widget=forms.RadioSelect,
                help_text=_(
                    "Cooperation comes from the answers member organisations give in needs surveys. "
                    "It names organisations only and is never shown on the public map."
                ),
            )
            self.fields["layer"].initial = LAYER_MEMBERSHIP

    def filters(self):
        """The ``Filters`` of a valid form."""
        data = self.cleaned_data
        return Filters(
            networks=tuple(network.pk for network in data.get("networks") or ()),
            category=data.get("category") or "",
            municipality=data["municipality"].pk if data.get("municipality") else None,
            on=data.get("on"),
            mode=data.get("mode") or MODE_BIPARTITE,
            include_people=bool(data.get("people")),
            layer=data.get("layer") or LAYER_MEMBERSHIP,
        )


class CompareForm(forms.Form):
    first = forms.ModelChoiceField(
        label=_("First network"), queryset=Network.objects.order_by("position", "name"), to_field_name="slug"
    )
    second = forms.ModelChoiceField(
        label=_("Second network"), queryset=Network.objects.order_by("position", "name"), to_field_name="slug"
    )

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error("second", _("Choose a network other than the first one."))
        return data
