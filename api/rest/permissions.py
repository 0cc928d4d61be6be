"""Who may write through the JSON API – asked of ``register.permissions``, like the workspace does.

The office may write everything; a network coordinator may change the fields of their networks and
their memberships; everybody else may only read what is public. Writing also needs a token with the
scope "write" (``api.models.ApiToken``): a read-only token never writes, whoever holds it.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from register import permissions as rules

from ..models import ApiToken


class RegisterRules(BasePermission):
    """Reading is open; writing asks the token's scope, the view's ``may_write`` and, per object, ``may_change``
    (each a predicate of ``register.permissions``). The API's member of ``register.guards``' family."""

    # The rule the URL-wide permission test reads (register.guards.rule_of).
    permission_rule = "reads: anyone; writes: view.may_write and view.may_change (register.permissions)"

    message = _("You may not make this change.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or not offers(view, request.method):
            return True  # reading is open; a method the view does not offer is answered with 405
        if not (request.user and request.user.is_authenticated):
            return False
        if isinstance(request.auth, ApiToken) and not request.auth.may_write:
            self.message = _("This token may only read. Writing needs a token with the scope “write”.")
            return False
        return view.may_write(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return view.may_change(request.user, obj)


def offers(view, method):
    method = method.lower()
    return method in view.http_method_names and hasattr(view, method)


def edits_some_network(user):
    return rules.is_staff_role(user)
