"""The internal lists of needs and offers: their tables (``register.tables``) and filters (django-filter).

Both are paged and sortable like the register's lists; the municipality of the offers is a search select
(a county register has thousands of municipalities).
"""

import django_filters
import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from register.fields import MUNICIPALITIES, MunicipalityChoiceField
from register.models import TargetGroup, Topic
from register.tables import Table
from register.widgets import SearchSelect

from .models import Need, Offer


def names(records, name=lambda record: record.name):
    """A cell of several related records (prefetched by the view), separated by commas."""
    return format_html_join(", ", "{}", ((name(record),) for record in records.all())) or "–"


def target_group_column():
    return tables.Column(verbose_name=_("Target group"), default=_("everyone"), order_by=("target_group__name", "pk"))


class NeedFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Need.Status.choices)
    topic = django_filters.ModelChoiceFilter(label=_("Topic"), queryset=Topic.objects.all())

    class Meta:
        model = Need
        fields = ["status", "topic"]


class NeedTable(Table):
    title = tables.Column(verbose_name=_("Need"), linkify=True, order_by=("title", "pk"))
    topic = tables.Column(verbose_name=_("Topic"), order_by=("topic__name", "pk"))
    target_group = target_group_column()
    municipalities = tables.Column(verbose_name=_("Municipalities"), orderable=False)
    priority = tables.Column(verbose_name=_("Priority"))
    status = tables.Column(verbose_name=_("Status"))
    responsible_networks = tables.Column(verbose_name=_("Responsible"), orderable=False)
    measure_count = tables.Column(verbose_name=_("Measures"))

    def render_municipalities(self, value):
        return names(value)

    def render_responsible_networks(self, value):
        return names(value, lambda network: network.short_name or network.name)


class MunicipalityFilter(django_filters.ModelChoiceFilter):
    field_class = MunicipalityChoiceField


class OfferFilter(django_filters.FilterSet):
    topic = django_filters.ModelChoiceFilter(label=_("Topic"), queryset=Topic.objects.all())
    target_group = django_filters.ModelChoiceFilter(label=_("Target group"), queryset=TargetGroup.objects.all())
    municipality = MunicipalityFilter(
        label=_("Municipality"),
        field_name="municipalities",
        queryset=MUNICIPALITIES,
        widget=SearchSelect("municipalities"),
    )
    language = django_filters.CharFilter(label=_("Language"), field_name="languages", lookup_expr="icontains")

    class Meta:
        model = Offer
        fields = ["topic", "target_group", "municipality", "language"]


class OfferTable(Table):
    name = tables.Column(verbose_name=_("Offer"), order_by=("name", "pk"))
    organisation = tables.Column(verbose_name=_("Organisation"), order_by=("organisation__name", "pk"))
    kind = tables.Column(verbose_name=_("Kind"))
    topic = tables.Column(verbose_name=_("Topic"), order_by=("topic__name", "name", "pk"))
    target_group = target_group_column()
    languages = tables.Column(verbose_name=_("Languages"), default="–")
    municipalities = tables.Column(verbose_name=_("Municipalities"), orderable=False)

    def render_name(self, record):
        link = format_html('<a href="{}">{}</a>', record.get_absolute_url(), record.name)
        if not record.active:
            return format_html('{} <span class="tag">{}</span>', link, _("no longer offered"))
        return link

    def render_municipalities(self, value):
        return names(value)
