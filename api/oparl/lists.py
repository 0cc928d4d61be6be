"""OParl object lists: the filters, stable keyset paging and the links that keep the filters.

A list is made of one or more sources (querysets ordered by their immutable primary key), shown one
after the other, and – only when ``modified_since`` is given – the tombstones of deleted objects
after them. A page does not count or skip rows: its ``next`` link names the last object shown
(``after=<source>-<id>``), and the next page reads on from there with ``id > …`` in that source and
from the start in the sources after it. So a page costs at most one query per source plus the
prefetches of the rows shown, at any depth, and objects added or deleted while a client walks the
list move no other object to another page (OParl 1.1: stable paging; ``totalElements`` and the
number of pages are optional and are left out, as they would need a count of the whole list).
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext as _

from ..paging import DEFAULT_PER_PAGE, parse_limit
from .scope import KINDS

FILTERS = ["created_since", "created_until", "modified_since", "modified_until"]
LARGEST_KEY = 2**63 - 1
AFTER = re.compile(r"([a-z][a-z-]*)-([1-9][0-9]{0,18})")


class ParameterError(ValueError):
    """A URL parameter the server cannot interpret (answered with 400 and an error object)."""


@dataclass
class Query:
    filters: dict = field(default_factory=dict)  # name -> aware datetime
    omit_internal: bool = False
    per_page: int = DEFAULT_PER_PAGE
    after: tuple | None = None  # (source name, primary key) of the last object of the page before

    def canonical(self, after=None):
        """The query string of a page, parameters always in the same order and spelling."""
        params = [(name, self.filters[name].isoformat()) for name in FILTERS if name in self.filters]
        if self.omit_internal:
            params.append(("omit_internal", "true"))
        if self.per_page != DEFAULT_PER_PAGE:
            params.append(("limit", str(self.per_page)))
        if after is not None:
            params.append(("after", f"{after[0]}-{after[1]}"))
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


def parse_positive(name, text):
    try:
        return parse_limit(text, name)
    except ValueError as problem:
        raise ParameterError(str(problem)) from None


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
        query.per_page = parse_positive("limit", params["limit"])
    if "page" in params:
        raise ParameterError(_("Pages are reached through the links next and first; there is no parameter page."))
    if "after" in params:
        match = AFTER.fullmatch(params["after"].strip())
        if not match or int(match.group(2)) > LARGEST_KEY:
            raise ParameterError(_("The parameter after names an object as the link next gives it."))
        query.after = (match.group(1), int(match.group(2)))
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


def source_name(model):
    """How ``after`` names a source: as the object URLs do (``network``, ``institution``, ``person``)."""
    if model in KINDS:
        return KINDS[model][1].rstrip("/-").rsplit("/", 1)[-1]
    return model._meta.model_name  # tombstones


def page_of(sources, query):
    """The (model, row) pairs of the requested page and whether more follow.

    ``sources`` are (model, queryset) pairs, each ordered by primary key. The page starts after
    ``query.after`` and takes one row more than it shows, to know whether there is a next page.
    """
    names = [source_name(model) for model, _queryset in sources]
    first, after_pk = 0, None
    if query.after is not None:
        name, after_pk = query.after
        if name not in names:
            raise ParameterError(_("The parameter after names an object as the link next gives it."))
        first = names.index(name)
    wanted = query.per_page + 1
    rows = []
    for index, (model, queryset) in enumerate(sources[first:], start=first):
        if len(rows) >= wanted:
            break
        if index == first and after_pk is not None:
            queryset = queryset.filter(pk__gt=after_pk)
        rows.extend((model, row) for row in queryset[: wanted - len(rows)])
    return rows[: query.per_page], len(rows) > query.per_page


def envelope(data, last, more, query, list_url):
    """A list page: the objects, the page size and the links (``next`` only when more follow)."""
    links = {"first": list_url + query.canonical(), "self": list_url + query.canonical(query.after)}
    if more:
        links["next"] = list_url + query.canonical(last)
    return {"data": data, "pagination": {"elementsPerPage": query.per_page}, "links": links}
