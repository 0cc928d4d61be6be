"""Public pages and API answers served from the cache to visitors who are not signed in.

The directory, the OParl and REST APIs and the map data are the same for every anonymous visitor
and change only when the register does, so a rendered answer can be reused until then. The cache
key holds ``register.freshness.data_version()``, which every change of the data renews: no page
outlives the data it shows, in any process sharing the cache. ``PAGE_CACHE_SECONDS`` bounds how
long an answer is reused anyway, for what depends on the clock (which events are still upcoming).

Only what is certainly the same for everybody is cached or served from the cache:
- GET (and HEAD) requests without a session or messages cookie and without an Authorization
  header – signed-in staff, visitors with a pending message and API clients with a token always
  get a fresh answer – and not while the connection holds uncommitted changes;
- views in ``PAGE_CACHE_NAMESPACES``;
- answers with status 200 that set no cookie (a page with a form sets the CSRF cookie, so a
  page carrying a personal token is never stored) and do not forbid caching.
"""

import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import cc_delim_re

from register.freshness import data_version, uncommitted_changes

# Headers that belong to one answer or are set again by the middleware on the way out.
SKIPPED_HEADERS = {"set-cookie", "content-length", "date"}
UNCACHEABLE = {"private", "no-cache", "no-store"}


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "page_cache_key", None)
        if key is not None and _shared_response(response):
            headers = [(name, value) for name, value in response.items() if name.lower() not in SKIPPED_HEADERS]
            cache.set(key, (response.status_code, headers, response.content), settings.PAGE_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.PAGE_CACHE_SECONDS or not _shared_request(request):
            return None
        if not set(request.resolver_match.namespaces) & set(settings.PAGE_CACHE_NAMESPACES):
            return None
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        if request.method == "GET":
            request.page_cache_key = key
        return None


def _shared_request(request):
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
        and not uncommitted_changes()
    )


def _shared_response(response):
    if response.status_code != 200 or response.cookies or response.streaming:
        return False
    directives = {part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))}
    return not directives & UNCACHEABLE


def _key(request):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(f"{translation.get_language()} {address}".encode()).hexdigest()
    return f"page:{data_version()}:{digest}"
