"""The workspace's lists as tables (django-tables2): declared once, paged and sortable, rendered accessibly.

``show`` builds a list page from a queryset, a FilterSet of ``register.filters`` and a table: the filters
read the query string, the table sorts by the column asked for (``sort``) and shows one page
(``page``). Every page costs the same queries, whatever the size of the register: one count and one
page of rows, whose related records each table's queryset selects.
"""

import django_tables2 as tables
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_tables2 import A, RequestConfig

PER_PAGE = 50


class Table(tables.Table):
    """Our tables: a caption, column headers with scope, sort links with aria-sort (``workspace/_table.html``)."""

    class Meta:
        template_name = "workspace/_table.html"
        per_page = PER_PAGE

    def __init__(self, *args, caption="", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption


def show(request, template, *, queryset, filterset_class, table_class, caption, context=None):
    """Render ``template`` with the filtered, sorted and paged table as ``table`` and the filters as ``filter``."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    table = table_class(rows, caption=caption)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return render(request, template, {"table": table, "filter": filterset, **(context or {})})


def date_column(verbose_name, **kwargs):
    return tables.DateColumn(format="SHORT_DATE_FORMAT", short=False, verbose_name=verbose_name, **kwargs)


class OrganisationTable(Table):
    name = tables.Column(
        verbose_name=_("Name"),
        accessor=A("full_name"),
        order_by=("name", "pk"),
        linkify=("workspace:organisation", [A("pk")]),
    )
    category = tables.Column(verbose_name=_("Category"))
    locality = tables.Column(verbose_name=_("Locality"))
    confirmed_at = date_column(_("Last confirmed"))


class PersonTable(Table):
    name = tables.Column(
        verbose_name=_("Name"),
        accessor=A("pk"),
        order_by=("family_name", "given_name", "pk"),
        linkify=("workspace:person", [A("pk")]),
    )
    function = tables.Column(verbose_name=_("Function"))
    organisation = tables.Column(
        verbose_name=_("Organisation"), accessor=A("organisation__full_name"), order_by=("organisation__name",)
    )
    legal_basis = tables.Column(verbose_name=_("Legal basis"))

    def render_name(self, record):
        return str(record)


class ActorGroupTable(Table):
    name = tables.Column(verbose_name=_("Name"), linkify=("workspace:actor_group", [A("pk")]))
    organisations = tables.Column(verbose_name=_("Organisations"), accessor=A("organisation_count"))


class NetworkTable(Table):
    name = tables.Column(verbose_name=_("Network"), linkify=("workspace:network", [A("pk")]))
    classification = tables.Column(verbose_name=_("Kind"))
    open_memberships = tables.Column(verbose_name=_("Open memberships"))


class MembershipTable(Table):
    member = tables.Column(
        verbose_name=_("Member"),
        accessor=A("pk"),
        order_by=("organisation__name", "actor_group__name", "person__family_name"),
        linkify=("workspace:membership", [A("pk")]),
    )
    network = tables.Column(verbose_name=_("Network"), accessor=A("network__name"))
    role = tables.Column(verbose_name=_("Role"))
    contact = tables.Column(verbose_name=_("Contact person"), accessor=A("contact"), order_by=("contact__family_name",))
    start_date = date_column(_("Start"))
    end_date = date_column(_("End"))

    def render_member(self, record):
        return str(record.member)
