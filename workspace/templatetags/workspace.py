"""Template helpers of the workspace: the user's role, for showing the right navigation; the session warning."""

from django import template
from django.conf import settings

from register.permissions import is_office
from workspace.access import is_staff_role

register = template.Library()


@register.filter
def office(user):
    return is_office(user)


@register.filter
def staff(user):
    """Office administrators and network coordinators."""
    return is_staff_role(user)


@register.filter
def handles_inquiries(user):
    """The office and users with a role in a network; the inbox shows the inquiries of their councils."""
    from register.permissions import has_network_role

    return is_office(user) or has_network_role(user)


@register.inclusion_tag("workspace/_session_warning.html", takes_context=True)
def session_warning(context):
    """The warning before a signed-in session ends, with "Stay signed in" (workspace/sessions.py)."""
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "idle_seconds": settings.SESSION_IDLE_MINUTES * 60,
        "warning_seconds": settings.SESSION_WARNING_SECONDS,
    }


@register.filter
def page_numbers(page):
    """The page numbers to link for a Django page: around the current one, the first and the last, and an
    ellipsis (``Paginator.ELLIPSIS``) for the gaps (``workspace/_pager.html``)."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
