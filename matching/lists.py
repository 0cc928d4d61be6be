"""The duplicate queue as a table (``register.tables``) with its filters: kind of suggestion, score range,
kept pairs, and the folded search over both names."""

import django_filters
import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2 import A

from register.filters import BooleanWidget, SearchFilter
from register.tables import Table

from .models import Suggestion


class SuggestionFilter(django_filters.FilterSet):
    q = SearchFilter("first__name", "first__parent__name", "second__name", "second__parent__name")
    kind = django_filters.ChoiceFilter(label=_("Suggestion"), choices=Suggestion.Kind.choices)
    score_min = django_filters.NumberFilter(
        label=_("Score from"), field_name="score", lookup_expr="gte", min_value=0, max_value=1
    )
    score_max = django_filters.NumberFilter(
        label=_("Score up to"), field_name="score", lookup_expr="lte", min_value=0, max_value=1
    )
    kept = django_filters.BooleanFilter(label=_("Kept until decided"), widget=BooleanWidget)

    class Meta:
        model = Suggestion
        fields = ["q", "kind", "score_min", "score_max", "kept"]


def entry_column(side):
    return tables.Column(
        verbose_name=_("First entry") if side == "first" else _("Second entry"),
        accessor=A(side),
        order_by=(f"{side}__name", "pk"),
    )


class SuggestionTable(Table):
    """``networks``: {organisation id: network names} (``services.networks_by_organisation``)."""

    first = entry_column("first")
    second = entry_column("second")
    kind = tables.Column(verbose_name=_("Suggestion"))
    score = tables.Column(verbose_name=_("Score"), order_by=("score", "pk"))
    review = tables.Column(verbose_name=_("Review"), accessor=A("pk"), orderable=False)

    def __init__(self, *args, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.networks = networks or {}

    def entry(self, organisation):
        names = self.networks.get(organisation.pk)
        if not names:
            return format_html('<span lang="de">{}</span>', organisation.full_name)
        return format_html('<span lang="de">{}</span><br><small>{}</small>', organisation.full_name, ", ".join(names))

    def render_first(self, value):
        return self.entry(value)

    def render_second(self, value):
        return self.entry(value)

    def render_score(self, value):
        return f"{value:.2f}"

    def render_review(self, record):
        return format_html(
            '<a href="{}">{}<span class="visually-hidden">: {} / {}</span></a>',
            reverse("matching:pair", args=[record.pk]),
            _("Review"),
            record.first.name,
            record.second.name,
        )
