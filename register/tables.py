"""Lists as tables (django-tables2), shared by the faces and the services: paged, sortable, rendered accessibly.

``listing`` filters a queryset by a FilterSet (read from the query string) and builds a table that sorts by
the column asked for (``sort``) and shows one page (``page``); the pages render it (the register names no
page) with ``register/_table.html`` and ``register/_filters.html``. Every page costs the same queries,
whatever the size of the register: one count and one page of rows, whose related records each table's
queryset selects.
"""

import django_tables2 as tables
from django_tables2 import RequestConfig

PER_PAGE = 50


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


def paged(request, table):
    """``table`` sorted as the query string asks and cut to the page it names."""
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return table


def listing(request, *, queryset, filterset_class, table_class, caption, **table_kwargs):
    """The filters and the filtered, sorted, paged table."""
    filterset, rows = filtered(request, queryset, filterset_class)
    return filterset, paged(request, table_class(rows, caption=caption, **table_kwargs))


def date_column(verbose_name, **kwargs):
    return tables.DateColumn(format="SHORT_DATE_FORMAT", short=False, verbose_name=verbose_name, **kwargs)


def datetime_column(verbose_name, **kwargs):
    return tables.DateTimeColumn(format="SHORT_DATETIME_FORMAT", short=False, verbose_name=verbose_name, **kwargs)
