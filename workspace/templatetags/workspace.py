"""Template helpers of the workspace: the user's role, for showing the right navigation."""

from django import template

from register.permissions import is_office

register = template.Library()


@register.filter
def office(user):
    return is_office(user)
