"""Who may open the pages of the needs assessment; the rules themselves are in register.permissions."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from register.permissions import is_office, networks_visible_internally


def _guard(allowed):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


office_required = _guard(is_office)
# Members and coordinators of any network may read the needs register, the offers and the coverage.
member_required = _guard(lambda user: is_office(user) or networks_visible_internally(user).exists())
