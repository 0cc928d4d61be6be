"""Who may write through the JSON API – asked of ``register.permissions``, like the workspace does.

The office may write everything; a network coordinator may change the fields of their networks and
their memberships; everybody else may only read what is public.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from register import permissions as rules


class RegisterRules(BasePermission):
    """Reading is open; writing asks the view's ``may_write`` and, per object, ``may_change``."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated) and view.may_write(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return view.may_change(request.user, obj)


def edits_some_network(user):
    return rules.networks_editable(user).exists()
