"""Paging of lists, for the faces and the services alike (``register/_pager.html``)."""

from django import template

register = template.Library()


@register.filter
def page_numbers(page):
    """The page numbers to link for a Django page: around the current one, the first and the last, and an
    ellipsis (``Paginator.ELLIPSIS``) for the gaps."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
