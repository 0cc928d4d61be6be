"""A small rate limit per client address, kept in the cache (no third-party service)."""

from django.conf import settings
from django.core.cache import cache

REGISTRATIONS_PER_WINDOW = 5
WINDOW_SECONDS = 10 * 60


def client_address(request):
    """The client's address; behind the configured proxy, the address the proxy saw."""
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _key(request, scope):
    return f"meetings:rate:{scope}:{client_address(request)}"


def limit_reached(request, scope, limit=REGISTRATIONS_PER_WINDOW):
    return (cache.get(_key(request, scope)) or 0) >= limit


def count_attempt(request, scope, window=WINDOW_SECONDS):
    key = _key(request, scope)
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        return 1
