"""Figures of each row read with a subquery for the rows shown, rather than by joining all related rows."""

from django.db.models import Count, IntegerField, Subquery
from django.db.models.functions import Coalesce


def count_per_row(rows, group_by):
    """The number of ``rows`` (a queryset filtered by ``OuterRef``) for each outer row, 0 for none.

    ``group_by`` is the field of ``rows`` the ``OuterRef`` matches. A list page then counts for the rows it
    shows: a join with ``Count`` would group every related row of every row before the page could be cut.
    """
    counted = rows.order_by().values(group_by).annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
