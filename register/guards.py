"""How every view of the project enforces the rules of ``register.permissions``: one small family.

- ``@public`` – anyone may open the page (the public site, the API's reads, links with their own token).
- ``@requires(predicate)`` – a signed-in user for whom ``predicate(user)`` holds; anonymous visitors are
  sent to the login, everybody else gets 403.
- ``RequiresMixin`` with ``permission_rule = predicate`` – the same for class-based views.
- ``check(allowed)`` – the object rule inside a view, once the object is loaded:
  ``check(permissions.can_edit_network(request.user, network))``.
- The JSON API's permission class (``api.rest.permissions.RegisterRules``) asks the same predicates.

Each view carries its rule as ``permission_rule`` (``rule_of`` reads it), so that the URL-wide test
(``tests/test_permission_matrix.py``) fails for a view that declares none. The two-factor rule is not
repeated here: ``workspace.access.TwoFactorMiddleware`` holds it for every page.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from . import permissions

RULE = "permission_rule"


def public(view):
    """Declare a view (function or class) open to everybody."""
    setattr(view, RULE, permissions.anyone)
    return view


def requires(predicate):
    """Signed in, and ``predicate(user)`` true; declares ``predicate`` as the view's rule."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            denial = refusal(request, predicate)
            if denial is not None:
                return denial
            return view(request, *args, **kwargs)

        setattr(wrapped, RULE, predicate)
        return wrapped

    return decorator


class RequiresMixin:
    """For class-based views: set ``permission_rule`` to a predicate of ``register.permissions``."""

    permission_rule = None

    def dispatch(self, request, *args, **kwargs):
        denial = refusal(request, type(self).permission_rule)
        if denial is not None:
            return denial
        return super().dispatch(request, *args, **kwargs)


def refusal(request, predicate):
    """None if the request may pass; else the login redirect (anonymous) or PermissionDenied raised."""
    if not permissions.signed_in(request.user):
        return redirect_to_login(request.get_full_path())
    check(predicate(request.user))
    return None


def check(allowed):
    """Raise 403 unless ``allowed`` is true; for the object rule inside a view."""
    if not allowed:
        raise PermissionDenied


def rule_of(view):
    """The rule a resolved view declares, or None: its own ``permission_rule`` (also through decorators
    that copy attributes with ``functools.wraps``), its class's (class-based views), or, for the JSON
    API, its permission classes when each of them declares one."""
    rule = getattr(view, RULE, None)
    if rule is not None:
        return rule
    view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
    if view_class is None:
        return None
    rule = getattr(view_class, RULE, None)
    if rule is not None:
        return rule
    classes = getattr(view_class, "permission_classes", None)
    if classes and all(getattr(cls, RULE, None) is not None for cls in classes):
        return tuple(getattr(cls, RULE) for cls in classes)
    return None
