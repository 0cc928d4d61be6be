"""OParl object lists: the filters, stable paging and the links that keep the filters.

A list is made of one or more sources (querysets ordered by their immutable primary key), shown one
after the other, and – only when ``modified_since`` is given – the tombstones of deleted objects
after them. Each page costs one count per source plus the rows of the page with their prefetches,
however long the list is.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext as _

FILTERS = ["created_since", "created_until", "modified_since", "modified_until"]
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_PAGE = 10**9


class ParameterError(ValueError):
    """A URL parameter the server cannot interpret (answered with 400 and an error object)."""


@dataclass
class Query:
    filters: dict = field(default_factory=dict)  # name -> aware datetime
    omit_internal: bool = False
    per_page: int = DEFAULT_PER_PAGE
    page: int = 1

    def canonical(self, page=None):
        """The query string of a page, parameters always in the same order and spelling."""
        params = [(name, self.filters[name].isoformat()) for name in FILTERS if name in self.filters]
        if self.omit_internal:
            params.append(("omit_internal", "true"))
        if self.per_page != DEFAULT_PER_PAGE:
            params.append(("limit", str(self.per_page)))
        page = self.page if page is None else page
        if page != 1:
            params.append(("page", str(page)))
        return ("?" + urlencode(params)) if params else ""


def parse_datetime(name, text):
    try:
        value = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ParameterError(
            _("The parameter %(name)s needs a date and time such as 2026-01-01T00:00:00+01:00.") % {"name": name}
        ) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def parse_positive(name, text, maximum):
    if not re.fullmatch(r"[0-9]{1,12}", text) or int(text) < 1:
        raise ParameterError(_("The parameter %(name)s needs a whole number of at least 1.") % {"name": name})
    return min(int(text), maximum)


def parse_query(params):
    query = Query()
    for name in FILTERS:
        if name in params:
            query.filters[name] = parse_datetime(name, params[name])
    if "omit_internal" in params:
        value = params["omit_internal"].strip().lower()
        if value not in {"true", "false"}:
            raise ParameterError(_("The parameter omit_internal is either true or false."))
        query.omit_internal = value == "true"
    if "limit" in params:
        query.per_page = parse_positive("limit", params["limit"], MAX_PER_PAGE)
    if "page" in params:
        query.page = parse_positive("page", params["page"], MAX_PAGE)
    return query


def _window(filters, created, modified):
    """Lookups for the date filters. ``until`` includes the whole second that the objects show."""
    lookups = {}
    for name, value in filters.items():
        field_name = created if name.startswith("created") else modified
        if name.endswith("since"):
            lookups[f"{field_name}__gte"] = value
        elif value.microsecond:
            lookups[f"{field_name}__lte"] = value
        else:
            lookups[f"{field_name}__lt"] = value + datetime.timedelta(seconds=1)
    return lookups


def filtered(queryset, query):
    return queryset.filter(**_window(query.filters, "created", "oparl_modified")).order_by("pk")


def filtered_tombstones(queryset, query):
    """Deleted objects appear only when the client asks for changes since a point in time."""
    if "modified_since" not in query.filters:
        return queryset.none()
    return queryset.filter(**_window(query.filters, "created", "deleted_at")).order_by("pk")


def page_of(sources, query):
    """The (source key, row) pairs of the requested page and the total number of elements."""
    counts = [queryset.count() for _key, queryset in sources]
    total = sum(counts)
    start = (query.page - 1) * query.per_page
    end = start + query.per_page
    rows, offset = [], 0
    for (key, queryset), count in zip(sources, counts, strict=True):
        low, high = max(start - offset, 0), min(end - offset, count)
        if low < high:
            rows.extend((key, row) for row in queryset[low:high])
        offset += count
    return rows, total


def envelope(rows, total, query, list_url):
    pages = max(1, -(-total // query.per_page))
    links = {"first": list_url + query.canonical(page=1)}
    if query.page > 1:
        links["prev"] = list_url + query.canonical(page=query.page - 1)
    links["self"] = list_url + query.canonical()
    if query.page < pages:
        links["next"] = list_url + query.canonical(page=query.page + 1)
    links["last"] = list_url + query.canonical(page=pages)
    return {
        "data": rows,
        "pagination": {
            "totalElements": total,
            "elementsPerPage": query.per_page,
            "currentPage": query.page,
            "totalPages": pages,
        },
        "links": links,
    }, pages
