"""Rate limits of the JSON API (DRF throttles, counted in the shared cache).

Anonymous clients are counted by address, clients with a token by user; writes have a limit of their
own on top. The rates are settings (``VERNETZT_API_RATE_ANONYMOUS``, ``…_USER``, ``…_WRITE``), read
when a request is counted, so that they can be changed without a restart of the counting code. An
exceeded limit answers 429 with ``Retry-After``.
"""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class CurrentRates:
    """Read the rate from the settings at each request (DRF binds them when the module is imported)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonymousThrottle(CurrentRates, AnonRateThrottle):
    scope = "anon"


class UserThrottle(CurrentRates, UserRateThrottle):
    scope = "user"


class WriteThrottle(CurrentRates, UserRateThrottle):
    """Writes (POST, PATCH, DELETE) per user, beside the limit of all requests."""

    scope = "write"

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
