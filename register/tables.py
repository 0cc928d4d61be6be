"""Lists as tables (django-tables2), shared by the faces and the services: paged, sortable, rendered accessibly.

``listing`` filters a queryset by a FilterSet (read from the query string) and builds a table that sorts by
the column asked for (``sort``) and shows one page (``page``); the pages render it (the register names no
page) with ``register/_table.html`` and ``register/_filters.html``. Every page costs the same queries,
whatever the size of the register: one count, the keys of one page in the order asked for, and the rows of
those keys, whose related records each table's queryset selects (``Paginator``).
"""

import datetime

import django_tables2 as tables
from django.core import paginator
from django.db.models import QuerySet
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.timezone import template_localtime
from django_tables2 import RequestConfig
from django_tables2.rows import BoundRows

PER_PAGE = 50


class Paginator(paginator.Paginator):
    """Pages of a table read in two steps: the keys of the page's rows in the order asked for, then those rows
    with the related records the table's queryset selects.

    Sorted and cut in one query, the database joins every related table to every row of the list before it
    sorts them (400,000 seats with their networks, organisations and people: seconds, on disk); sorting the
    keys it joins only what the order needs, and the few rows of the page are then read by key."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(rows_by_key(self.object_list, bottom, top), number, self)


def rows_by_key(rows, bottom, top):
    """``rows[bottom:top]`` of a table's rows (django-tables2's ``BoundRows``), read by key where they come from a
    queryset; as sliced elsewhere (lists, querysets the keys cannot stand for)."""
    queryset = getattr(getattr(rows, "data", None), "data", None)
    if (
        not isinstance(queryset, QuerySet)
        or queryset._fields is not None
        or queryset.query.combinator
        or queryset.query.distinct  # the keys alone would not be distinct in the order of other columns
    ):
        return rows[bottom:top]
    # Rows that sort alike (a role, a date) in the order of their keys, so that each lands on one page only.
    order = queryset.query.order_by
    if order and order[-1] not in ("pk", "-pk", queryset.model._meta.pk.attname):
        queryset = queryset.order_by(*order, "pk")
    keys = list(queryset.values_list("pk", flat=True)[bottom:top])
    found = queryset.order_by().in_bulk(keys)
    return BoundRows([found[key] for key in keys if key in found], table=rows.table)


class Concatenated:
    """The rows of ``parts`` (querysets) one after the other, as a table's data: a table sorted by a column that
    lies in one of several related tables (a seat's member: an organisation, an actor group or a person) sorts
    each part by its own table, whose index the database can follow to the page instead of joining and sorting
    every row. A slice reads only the parts it reaches, and a part's second half from its end (the database walks
    an index from either end, but past every row before the page); ``count`` counts ``whole``, all the parts."""

    # Up to this row a page is read from the start of its part without counting the part first.
    NEAR_START = 1000

    def __init__(self, whole, parts):
        self.whole, self.parts, self.model = whole, parts, whole.model

    def count(self):
        return self.whole.count()

    def __len__(self):
        return self.count()

    def __iter__(self):
        for part in self.parts:
            yield from part

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        start, stop = key.start or 0, key.stop
        rows = []
        for part in self.parts:
            if stop is not None and stop <= start:
                break
            if start < self.NEAR_START:
                found = list(part[start:stop])
                size = start + len(found) if found else part.count()  # where the part ended, if it did
            else:
                size = part.count()
                end = size if stop is None else min(stop, size)
                if start >= size:
                    found = []
                elif start > size // 2:  # nearer the end: the rows from there, turned round
                    found = list(part.reverse()[size - end : size - start])[::-1]
                else:
                    found = list(part[start:end])
            rows += found
            start, stop = max(start - size, 0), None if stop is None else stop - size
        return rows


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
