"""Keyset paging for the JSON API: a page continues after the last row of the one before.

DRF's ``CursorPagination`` keeps its place by the first ordering field and an offset among equal
values; with orderings such as (network, position, id) that offset can grow without bound. Here the
cursor holds the values of *all* ordering fields of the row where a page ends, and the next page is
``WHERE (network, position, id) > (…)`` – one index range scan on an index in the same order, however
deep the page, and no ``COUNT(*)``. The ordering is the view's queryset's ``order_by`` and must end in
the primary key, so that no two rows share a position.
"""

import datetime
import json

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F
from django.db.models.fields.tuple_lookups import (  # row comparison, with a fallback for SQLite (Django 5.2)
    Tuple,
    TupleGreaterThan,
    TupleLessThan,
)
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, _reverse_ordering

from ..paging import DEFAULT_PER_PAGE, MAX_PER_PAGE, parse_limit


class KeysetPagination(CursorPagination):
    page_size = DEFAULT_PER_PAGE
    page_size_query_param = "limit"
    page_size_query_description = _("Number of results per page, from 1; more than 100 give 100 (default 50).")
    max_page_size = MAX_PER_PAGE
    cursor_query_description = _("Where the page starts: take it from the links next and previous.")
    ordering = ("pk",)

    def get_page_size(self, request):
        """``limit`` as OParl takes it (``api.paging``): 0, -5 or abc answer 400, not the default page."""
        if self.page_size_query_param not in request.query_params:
            return self.page_size
        try:
            return parse_limit(request.query_params[self.page_size_query_param])
        except ValueError as problem:
            raise exceptions.ValidationError({self.page_size_query_param: [str(problem)]}) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "default": DEFAULT_PER_PAGE}
        return parameters

    def get_ordering(self, request, queryset, view):
        ordering = tuple(queryset.query.order_by) or self.ordering
        assert ordering[-1] in ("pk", "id") and not any(name.startswith("-") for name in ordering), (
            "Keyset paging needs an ascending ordering that ends in the primary key."
        )
        for name in ordering[:-1]:
            field = queryset.model._meta.get_field(name)
            # "network" would sort by the network's own ordering (a join) but compare its key.
            assert not field.is_relation or name == field.attname, f"Order by {field.attname}, not {name}."
        return ordering

    def paginate_queryset(self, queryset, request, view=None):
        """As ``CursorPagination.paginate_queryset``, but the position is the whole ordering key."""
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        self.cursor = self.decode_cursor(request)
        reverse, current_position = (False, None) if self.cursor is None else self.cursor[1:]
        if self.cursor is not None and self.cursor.offset:  # positions are unique: never an offset
            raise NotFound(self.invalid_cursor_message)

        queryset = queryset.order_by(*(_reverse_ordering(self.ordering) if reverse else self.ordering))
        if current_position is not None:
            key = self.key_values(queryset.model, current_position)
            after = TupleLessThan if reverse else TupleGreaterThan
            queryset = queryset.filter(after(Tuple(*(F(name) for name in self.ordering)), key))

        results = list(queryset[: self.page_size + 1])
        self.page = results[: self.page_size]
        following_position = (
            self._get_position_from_instance(results[-1], self.ordering) if len(results) > len(self.page) else None
        )
        if reverse:
            self.page.reverse()
            self.has_next, self.has_previous = current_position is not None, following_position is not None
            self.next_position, self.previous_position = current_position, following_position
        else:
            self.has_next, self.has_previous = following_position is not None, current_position is not None
            self.next_position, self.previous_position = following_position, current_position
        self.display_page_controls = (self.has_previous or self.has_next) and self.template is not None
        return self.page

    def _get_position_from_instance(self, instance, ordering):
        """The ordering key of a row as JSON, e.g. ``[12, 0, 4711]``."""
        model = type(instance)
        values = []
        for name in ordering:
            value = instance.pk if name == "pk" else getattr(instance, model._meta.get_field(name).attname)
            values.append(value.isoformat() if isinstance(value, datetime.date) else value)
        return json.dumps(values, ensure_ascii=False, separators=(",", ":"))

    def key_values(self, model, position):
        """The ordering key of a cursor, each value checked by its field; 404 if it is not one."""
        try:
            values = json.loads(position)
            fields = [model._meta.pk if name == "pk" else model._meta.get_field(name) for name in self.ordering]
            if not isinstance(values, list) or len(values) != len(fields) or None in values:
                raise ValueError(position)
            key = [
                field.target_field.to_python(value) if field.is_relation else field.to_python(value)
                for field, value in zip(fields, values, strict=True)
            ]
        except (ValueError, TypeError, ValidationError, FieldDoesNotExist, OverflowError):
            raise NotFound(self.invalid_cursor_message) from None
        if any(isinstance(value, int) and not -(2**63) <= value < 2**63 for value in key):
            raise NotFound(self.invalid_cursor_message)
        return key
