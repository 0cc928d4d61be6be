"""Template helpers of the workspace: the user's role, for showing the right navigation; the session warning."""

from django import template
from django.conf import settings

from register.permissions import is_office, is_staff_role

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


def _menu(user, path):
    """The staff navigation, grouped by task, for what this user may do. Every entry stays in the
    workspace except the network map, which is marked as the public site's."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    def link(name, label):
        url = reverse(name)
        return {"label": label, "url": url, "current": path == url}

    def group(label, *items):
        items = [item for item in items if item]
        return {"label": label, "links": items, "current": any(item["current"] for item in items)} if items else None

    is_staff, is_office_user = is_staff_role(user), is_office(user)
    entries = [
        link("workspace:home", _("Needs attention")),
        group(
            _("Register"),
            link("workspace:networks", _("My networks")),
            is_office_user and link("workspace:organisations", _("Organisations")),
            is_office_user and link("workspace:actor_groups", _("Actor groups")),
            is_office_user and link("workspace:people", _("People")),
            is_office_user and link("workspace:corrections", _("Corrections")),
            is_office_user and link("workspace:changes", _("Changes")),
            is_office_user and link("workspace:thresholds", _("1,000-residents rule")),
            link("analysis:map", _("Network map (public site)")),
        ),
        group(
            _("Meetings"),
            link("meetings:list", _("Meetings")),
            is_office_user and link("meetings:events", _("Events")),
            is_staff and link("workspace:locations", _("Places")),
            is_office_user and link("meetings:outbox", _("Outbox")),
            handles_inquiries(user) and link("inquiries:inbox", _("Inquiries")),
        ),
        group(
            _("Surveys"),
            link("needs:needs", _("Needs")),
            is_office_user and link("needs:surveys", _("Surveys")),
        ),
        is_office_user and link("matching:queue", _("Duplicates")),
        is_staff and link("importing:tabular", _("Imports")),
        group(
            _("Administration"),
            is_office_user and link("workspace:users", _("Logins")),
            is_office_user and link("workspace:settings", _("Settings")),
            is_office_user and link("workspace:site", _("Website")),
            is_office_user and link("workspace:translations", _("Translations")),
            link("workspace:two_factor", _("Two-factor login")),
            link("workspace:password_change", _("Change password")),
        ),
    ]
    return [entry for entry in entries if entry]


@register.inclusion_tag("workspace/_staff_menu.html", takes_context=True)
def staff_menu(context):
    """The grouped staff navigation (a disclosure per group: works by keyboard and without JavaScript)."""
    request = context["request"]
    return {"menu": _menu(request.user, request.path), "user": request.user, "csrf_token": context.get("csrf_token")}
