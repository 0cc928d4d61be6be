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
- answers with status 200 that set no cookie and do not forbid caching;
- never a page reached with a personal token (a ``token`` in the address or a ``key`` or ``token``
  parameter: registration status, answers to invitations, private feeds). Such answers also tell
  browsers and proxies not to keep them.

An answer is stored per value of every request header its ``Vary`` names (Django's
``learn_cache_key``), so JSON asked for with ``Accept`` is never served to a browser asking for
HTML, and a page that varies on ``Cookie`` is only reused for the same cookies.

The pages live in a cache of their own (``caches["pages"]``): ``forget_pages()`` empties it when
data must disappear at once, not only become unreachable (erasure of a person).
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, cc_delim_re, get_cache_key, learn_cache_key

from register.freshness import data_version, uncommitted_changes

# Headers that belong to one answer or are set again by the middleware on the way out.
SKIPPED_HEADERS = {"set-cookie", "content-length", "date"}
UNCACHEABLE = {"private", "no-cache", "no-store"}
# Address parts and parameters that carry a personal token.
PERSONAL_ARGUMENTS = {"token"}
PERSONAL_PARAMETERS = {"token", "key"}


def page_cache():
    return caches["pages"]


def forget_pages():
    """Drop every stored page at once, in every process sharing the cache."""
    page_cache().clear()


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "carries_personal_token", False):
            add_never_cache_headers(response)
            response["Cache-Control"] += ", private"
        prefix = getattr(request, "page_cache_prefix", None)
        if prefix is not None and _shared_response(response):
            key = learn_cache_key(request, response, settings.PAGE_CACHE_SECONDS, prefix, page_cache())
            headers = [(name, value) for name, value in response.items() if name.lower() not in SKIPPED_HEADERS]
            page_cache().set(key, (response.status_code, headers, response.content), settings.PAGE_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _personal(request, view_kwargs):
            request.carries_personal_token = True
            return None
        if not settings.PAGE_CACHE_SECONDS or not _shared_request(request):
            return None
        if not set(request.resolver_match.namespaces) & set(settings.PAGE_CACHE_NAMESPACES):
            return None
        prefix = f"page:{data_version()}"
        key = get_cache_key(request, prefix, "GET", page_cache())
        cached = page_cache().get(key) if key is not None else None
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"  # for the benchmarks' hit rate and for whoever looks
            return response
        if request.method == "GET":
            request.page_cache_prefix = prefix
        return None


def _personal(request, view_kwargs):
    return bool(PERSONAL_ARGUMENTS & set(view_kwargs) or PERSONAL_PARAMETERS & set(request.GET))


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
    if "*" in response.get("Vary", ""):
        return False
    directives = {part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))}
    return not directives & UNCACHEABLE
