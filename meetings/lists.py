"""The staff lists of events and of past meetings: their tables (``register.tables``) and filters (django-filter).

Both offer only the networks the user may see in them; sorting and paging come from ``register.tables``.
"""

import django_filters
import django_tables2 as tables
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2 import A

from register import permissions
from register.filters import BooleanWidget
from register.models import Event, Meeting
from register.tables import Table, datetime_column
from register.widgets import SearchSelect

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def network_column(**kwargs):
    return tables.Column(verbose_name=_("Network"), accessor=A("network"), order_by=("network__name",), **kwargs)


def network_name(network):
    return format_html('<span lang="de">{}</span>', network.short_name or network.name)


class EventFilter(django_filters.FilterSet):
    UPCOMING, PAST = "upcoming", "past"

    network = django_filters.ModelChoiceFilter(
        label=_("Network"),
        queryset=lambda request: permissions.networks_editable(request.user).order_by("name"),
        widget=SearchSelect("editable-networks"),
    )
    when = django_filters.ChoiceFilter(
        label=_("When"), choices=[(UPCOMING, _("upcoming")), (PAST, _("past"))], method="filter_when"
    )
    cancelled = django_filters.BooleanFilter(label=_("Cancelled"), widget=BooleanWidget)

    class Meta:
        model = Event
        fields = ["network", "when", "cancelled"]

    def filter_when(self, queryset, name, value):
        now = timezone.now()
        return queryset.filter(end__gte=now) if value == self.UPCOMING else queryset.filter(end__lt=now)


class EventTable(Table):
    title = tables.Column(verbose_name=_("Event"), order_by=("title", "pk"))
    start = datetime_column(_("Date"))
    network = network_column(default="–")
    capacity = tables.Column(verbose_name=_("Places"), default="–")
    confirmed = tables.Column(verbose_name=_("Confirmed"))
    waiting = tables.Column(verbose_name=_("Waiting list"))

    def render_title(self, record):
        url = reverse("meetings:participants", args=[record.slug])
        link = format_html('<a href="{}" lang="de">{}</a>', url, record.title)
        if record.cancelled:
            return format_html('{} <span class="tag">{}</span>', link, _("cancelled"))
        return link

    def render_network(self, value):
        return network_name(value)


class MeetingFilter(django_filters.FilterSet):
    # The office sees every network (thousands at nation scale): a search select, not a list of them all.
    network = django_filters.ModelChoiceFilter(
        label=_("Network"),
        queryset=lambda request: permissions.networks_visible_internally(request.user).order_by("name"),
        widget=SearchSelect("networks"),
    )
    since = django_filters.DateFilter(label=_("From"), field_name="start", lookup_expr="date__gte", widget=DAY)
    until = django_filters.DateFilter(label=_("Until"), field_name="start", lookup_expr="date__lte", widget=DAY)

    class Meta:
        model = Meeting
        fields = ["network", "since", "until"]


class MeetingTable(Table):
    name = tables.Column(
        verbose_name=_("Meeting"),
        order_by=("name", "pk"),
        linkify=("meetings:meeting", [A("pk")]),
        attrs={"a": {"lang": "de"}},
    )
    start = datetime_column(_("Date"))
    network = network_column()
    state = tables.Column(verbose_name=_("State"))
    invited = tables.Column(verbose_name=_("Invited / will attend"), order_by=("invited", "accepted"))

    def render_network(self, value):
        return network_name(value)

    def render_invited(self, record):
        return f"{record.invited} / {record.accepted}"
