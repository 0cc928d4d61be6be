"""The filters of the network map and of the overlap table, and the choice of two networks to
compare (all sent by GET).

A register of a whole country has 10,000 networks, 8,000 municipalities and 120,000 organisations:
no page can offer them all as choices. The lists offered are therefore bounded (``CHOICES_LIMIT``):
beyond it, the networks and municipalities of the chosen body (or of the office's own body) are
offered, and the organisations for an ego network are those on the map. Any valid slug is still
accepted, as the links of the pages send them.
"""

from django import forms
from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from register.models import Body, Category, FocusArea, Municipality, Network, Organisation
from register.permissions import is_office
from register.widgets import PlainSelect, SearchSelect

from .graph import (
    LAYER_BOTH,
    LAYER_COOPERATION,
    LAYER_MEMBERSHIP,
    MODE_BIPARTITE,
    MODE_ORGANISATIONS,
    MapFilters,
)

# At most this many networks, municipalities or organisations are offered as choices.
CHOICES_LIMIT = 200


def bounded_choices(queryset, label_fields, of_body, body, chosen=(), limit=None):
    """(slug, label) of ``queryset`` if it has at most ``limit`` (CHOICES_LIMIT) rows, else of those
    of the body (``of_body(pk)`` gives the condition; ``body()`` the pk), the rows already chosen
    first; and whether it was cut so.

    One query, two or three when the register is large.
    """
    limit = limit or CHOICES_LIMIT
    rows = list(queryset.values_list("slug", *label_fields)[: limit + 1])
    bounded = len(rows) > limit
    if bounded:
        body = body()
        wanted = Q(slug__in=chosen) | (of_body(body) if body else Q(pk__in=[]))
        first = Case(When(slug__in=chosen, then=Value(0)), default=Value(1))
        narrowed = queryset.filter(wanted).order_by(first, *queryset.query.order_by)
        rows = list(narrowed.values_list("slug", *label_fields)[:limit])
    return [(slug, next((label for label in labels if label), slug)) for slug, *labels in rows], bounded


def _hosted_by(body):
    return Q(pk__in=Network.objects.hosted_by(body).values("pk"))


# Beyond this many bodies (a whole country has 400) the body is found by searching (``SearchSelect``).
BODIES_LISTED = 100


def focus_area_choices():
    """The names of the focus areas of all networks, each once (one query)."""
    return [("", _("any focus area")), *((name, name) for name in FocusArea.objects.names()[:CHOICES_LIMIT])]


class FocusAreaField(forms.ChoiceField):
    """A focus area by name: offered A–Z up to CHOICES_LIMIT names (``focus_area_choices``), and any name
    a network states is accepted (one indexed query), so a form that is only read lists none."""

    def valid_value(self, value):
        return FocusArea.objects.filter(name=value).exists()


class ScopeFields(forms.Form):
    """The body and the focus area that narrow a selection of networks."""

    body = forms.ModelChoiceField(
        label=_("Body"),
        queryset=Body.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("all bodies"),
        help_text=_("The networks this body hosts and the organisations in its area."),
        widget=SearchSelect("bodies", full_list=BODIES_LISTED),
    )
    focus_area = FocusAreaField(label=_("Focus area of networks"), required=False, widget=PlainSelect)

    def __init__(self, *args, offer_choices=True, **kwargs):
        super().__init__(*args, **kwargs)
        if offer_choices:
            self.fields["focus_area"].choices = focus_area_choices()

    def scope_body(self):
        """The pk of the body chosen, else of the office's own body (one query, remembered)."""
        if not hasattr(self, "_scope_body"):
            value = self.data.get("body") if self.is_bound else None
            if value:
                self._scope_body = Body.objects.filter(slug=value).values_list("pk", flat=True).first()
            else:
                self._scope_body = Body.home_pk()
        return self._scope_body


class OrganisationChoiceField(forms.ModelChoiceField):
    """Organisations by slug, named with the organisation they belong to, in one query."""

    def label_from_instance(self, obj):
        return f"{obj.parent.name} – {obj.name}" if obj.parent_id else obj.name


class MapFilterForm(ScopeFields):
    networks = forms.ModelMultipleChoiceField(
        label=_("Networks"),
        queryset=Network.objects.order_by("position", "name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: all networks (of the chosen body or focus area)."),
    )
    category = forms.ChoiceField(
        label=_("Category of organisations"),
        choices=[("", _("any category")), *Category.choices],
        required=False,
        widget=PlainSelect,
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality of organisations"),
        queryset=Municipality.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("all municipalities"),
        widget=PlainSelect,
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
        queryset=Organisation.objects.current().select_related("parent").order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("no organisation (whole map)"),
        widget=PlainSelect,
        help_text=_("Shows only this organisation and what lies within the chosen number of steps."),
    )
    radius = forms.TypedChoiceField(
        label=_("Steps around the organisation"),
        choices=[(1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        required=False,
        empty_value=2,
        widget=PlainSelect,
    )

    field_order = ["body", "focus_area", "networks", "category", "municipality", "on", "mode", "ego", "radius"]

    def __init__(self, *args, user=None, offer_choices=True, **kwargs):
        """``offer_choices=False``: a form that is only read, never shown (the map data and the exports),
        does without the lists of networks and municipalities on offer (two to four queries)."""
        super().__init__(*args, offer_choices=offer_choices, **kwargs)
        if offer_choices:
            self.bound_choices()
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

    def bound_choices(self):
        """Offer at most CHOICES_LIMIT networks and municipalities (see the module's docstring)."""
        data = self.data if self.is_bound else {}
        chosen = data.getlist("networks") if hasattr(data, "getlist") else list(data.get("networks") or [])
        networks = self.fields["networks"]
        choices, bounded = bounded_choices(
            Network.objects.order_by("position", "name"), ("name",), _hosted_by, self.scope_body, chosen
        )
        networks.widget.choices = choices
        if bounded:
            networks.help_text = _("The networks of the chosen body (or of the office's own body) and those chosen.")
        municipality = self.fields["municipality"]
        chosen = [self.data.get("municipality")] if self.is_bound and self.data.get("municipality") else []
        choices, bounded = bounded_choices(
            Municipality.objects.order_by("name"), ("name",), lambda body: Q(county=body), self.scope_body, chosen
        )
        municipality.widget.choices = [("", municipality.empty_label), *choices]
        # The organisations for an ego network are those on the map (``offer_ego``), not the whole register.
        self.fields["ego"].widget.choices = [("", self.fields["ego"].empty_label)]

    def offer_ego(self, graph):
        """Offer the organisations on ``graph`` (and the one chosen) for an ego network; no query."""
        field = self.fields["ego"]
        chosen = self.cleaned_data.get("ego") if hasattr(self, "cleaned_data") else None
        offered = {}
        if graph is not None:
            offered = {
                data["slug"]: data["name"] for _node, data in graph.nodes(data=True) if data["kind"] == "organisation"
            }
        if chosen is not None:
            offered.setdefault(chosen.slug, str(chosen))
        rows = sorted(offered.items(), key=lambda item: item[1].casefold())[:CHOICES_LIMIT]
        field.widget.choices = [("", field.empty_label), *rows]

    def filters(self):
        """The ``MapFilters`` of a valid form."""
        data = self.cleaned_data
        return MapFilters(
            networks=tuple(network.pk for network in data.get("networks") or ()),
            category=data.get("category") or "",
            municipality=data["municipality"].pk if data.get("municipality") else None,
            on=data.get("on"),
            mode=data.get("mode") or MODE_BIPARTITE,
            include_people=bool(data.get("people")),
            layer=data.get("layer") or LAYER_MEMBERSHIP,
            body=data["body"].pk if data.get("body") else None,
            focus_area=data.get("focus_area") or "",
        )


class OverlapFilterForm(ScopeFields):
    """Which networks the overlap page compares."""


class CompareForm(forms.Form):
    first = forms.ModelChoiceField(
        label=_("First network"), queryset=Network.objects.order_by("position", "name"), to_field_name="slug"
    )
    second = forms.ModelChoiceField(
        label=_("Second network"), queryset=Network.objects.order_by("position", "name"), to_field_name="slug"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = [self.data.get(name) for name in ("first", "second") if self.is_bound and self.data.get(name)]
        choices, bounded = bounded_choices(
            Network.objects.order_by("position", "name"), ("name",), _hosted_by, Body.home_pk, chosen
        )
        if bounded:
            for name in ("first", "second"):
                self.fields[name].widget.choices = [("", self.fields[name].empty_label), *choices]

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error("second", _("Choose a network other than the first one."))
        return data
