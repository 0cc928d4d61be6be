"""Lists as tables (django-tables2), shared by the faces and the services: paged, sortable, rendered accessibly.

``listing`` filters a queryset by a FilterSet (read from the query string) and builds a table that sorts by
the column asked for (``sort``) and shows one page (``page``); the pages render it (the register names no
page) with ``register/_table.html`` and ``register/_filters.html``. Every page costs the same queries,
whatever the size of the register: one count and one page of rows, whose related records each table's
queryset selects.
"""

import datetime

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.timezone import template_localtime
from django_tables2 import RequestConfig

PER_PAGE = 50


class CappedPaginator(Paginator):
    """Pages that count at most ``CAP`` + 1 rows: a search with very many hits is not counted in full
    (the database stops at the cap); the list says "more than 1,000" and its pages reach that far."""

    CAP = 1000

    @cached_property
    def count(self):
        queryset = getattr(getattr(self.object_list, "data", None), "data", None)  # django-tables2's rows
        if isinstance(queryset, QuerySet):
            # Keys only, unordered: the database stops at the cap in whatever order it finds the rows.
            return queryset.order_by().values("pk")[: self.CAP + 1].count()
        return min(super().count, self.CAP + 1)

    @property
    def capped(self):
        return self.count > self.CAP


class Table(tables.Table):
    """Our tables: a caption, column headers with scope, sort links with aria-sort (``register/_table.html``)."""

    class Meta:
        template_name = "register/_table.html"
        per_page = PER_PAGE

    def __init__(self, *args, caption="", **kwargs):
        super().__init__(*args, **kwargs)
        self.caption = caption


def filtered(request, queryset, filterset_class):
    """The FilterSet bound to the query string and the rows it lets through (all of them while it is invalid)."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    return filterset, (filterset.qs if filterset.is_bound and filterset.is_valid() else queryset)


def paged(request, table, paginator_class=Paginator):
    """``table`` sorted as the query string asks and cut to the page it names."""
    RequestConfig(request, paginate={"per_page": PER_PAGE, "paginator_class": paginator_class}).configure(table)
    return table


def listing(request, *, queryset, filterset_class, table_class, caption, paginator_class=Paginator, **table_kwargs):
    """The filters and the filtered, sorted, paged table (``CappedPaginator``: counted up to a cap)."""
    filterset, rows = filtered(request, queryset, filterset_class)
    return filterset, paged(request, table_class(rows, caption=caption, **table_kwargs), paginator_class)


class FormattedDateColumn(tables.Column):
    """A date or a time in the local time zone, in the format of the page's language: what ``{{ value|date:format }}``
    writes, formatted in Python (django-tables2's date columns compile a template for every cell)."""

    def __init__(self, format, **kwargs):
        super().__init__(**kwargs)
        self.format = format

    def render(self, value):
        return formats.date_format(template_localtime(value), self.format)

    def value(self, value):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()


def date_column(verbose_name, **kwargs):
    return FormattedDateColumn("SHORT_DATE_FORMAT", verbose_name=verbose_name, **kwargs)


def datetime_column(verbose_name, **kwargs):
    return FormattedDateColumn("SHORT_DATETIME_FORMAT", verbose_name=verbose_name, **kwargs)
