"""Rate limits of the JSON API (DRF throttles, counted in the shared cache).

Anonymous clients are counted by address, clients with a token by user; writes have a limit of their
own on top. The rates are settings (``VERNETZT_API_RATE_ANONYMOUS``, ``…_USER``, ``…_WRITE``), read
when a request is counted, so that they can be changed without a restart of the counting code. An
exceeded limit answers 429 with ``Retry-After``.

Each client's requests are counted in fixed windows of the rate's period (a minute from the full
minute on, for "120/minute"), by one atomic increment in the cache. DRF's own throttles keep the time
of every request of the period in a list that each request reads, extends and writes back whole: two
requests at once both read the old list and one of the two is lost (several app servers count less
than they serve), and the list grows with the rate (a client allowed 600 a minute sends 600 times
in a list). A window counter may let a client send up to twice its rate across the turn of a window,
which the limits allow for.
"""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class CountedInWindows:
    """Read the rate from the settings at each request (DRF binds them when the module is imported),
    and count the requests in windows (see above)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        client = self.get_cache_key(request, view)
        if client is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_end = (window + 1) * self.duration
        key = f"{client}:{window}"
        # The key lives a little longer than its window, so that a request at its very end still finds it.
        if self.cache.add(key, 1, self.duration + 1):
            return self.num_requests >= 1
        try:
            count = self.cache.incr(key)
        except ValueError:  # gone between add() and incr() (the cache was emptied): a new count
            self.cache.set(key, 1, self.duration + 1)
            count = 1
        return count <= self.num_requests

    def wait(self):
        """The seconds until the window ends (``Retry-After``)."""
        return self.window_end - self.now


class AnonymousThrottle(CountedInWindows, AnonRateThrottle):
    scope = "anon"


class UserThrottle(CountedInWindows, UserRateThrottle):
    scope = "user"


class WriteThrottle(CountedInWindows, UserRateThrottle):
    """Writes (POST, PATCH, DELETE) per user, beside the limit of all requests."""

    scope = "write"

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
