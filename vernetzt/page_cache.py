"""Public pages and API answers served from the cache to visitors who are not signed in.

The directory, the OParl and REST APIs and the map data are the same for every anonymous visitor
and change only when the register does, so a rendered answer can be reused until then – and only
until then: each answer is stored with the tags of what it shows and their versions
(``register.freshness``), and is served only while every tag still has that version. A change
renews the tags it touches, so an edit of one network renews the pages that show that network (its
page, the lists of networks, the searches that find or list it) and leaves the others cached, in
every process sharing the cache. ``PAGE_CACHE_SECONDS`` bounds how long an answer is reused anyway,
for what depends on the clock (which events are still upcoming).

A view says what it shows with ``@freshness.shows(tag, ...)`` or, for what it learns while it runs
(the organisation of an address, the entries a search found), ``freshness.depends_on(request, ...)``;
it then depends on ``all`` and ``site`` as well. A view that says nothing depends on ``any``, which
every change renews: no view can show data older than the changes it depends on by forgetting to say.

Cost per request: a hit reads the cache twice. The first read gets the address's record – the
request headers its answers vary on and the tags of its last answer; the second gets, in one
``get_many``, the answer stored for these header values and the current versions of the tags (and of
``any``). On a miss the view runs, and its answer is stored with the versions read before it ran: a
change that commits while the view reads the database leaves the stored versions behind, so the
answer is not taken for current. Tags the record did not name (a new address, or the view now shows
other entries) are read after the view; the answer is then stored only if ``any`` did not change
meanwhile (a change renews ``any`` before its other tags, see ``freshness._renew``).

Only what is certainly the same for everybody is cached or served from the cache:
- GET (and HEAD) requests without a session or messages cookie and without an Authorization
  header – signed-in staff, visitors with a pending message and API clients with a token always
  get a fresh answer – and not while the connection holds uncommitted changes;
- views in ``PAGE_CACHE_NAMESPACES``;
- answers with status 200 that set no cookie and do not forbid caching;
- never a page reached with a personal token (a ``token`` in the address or a ``key`` or ``token``
  parameter: registration status, answers to invitations, private feeds). Such answers also tell
  browsers and proxies not to keep them.

An answer is stored per value of every request header its ``Vary`` names (as Django's
``learn_cache_key`` does), so JSON asked for with ``Accept`` is never served to a browser asking for
HTML, and a page that varies on ``Cookie`` is only reused for the same cookies.

The pages live in a cache of their own (``caches["pages"]``), with the tags' versions:
``forget_pages()`` empties it when data must disappear at once, not only become unreachable
(erasure of a person).
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import (
    _generate_cache_header_key,
    _generate_cache_key,
    add_never_cache_headers,
    cc_delim_re,
)

from register import freshness
from register.freshness import uncommitted_changes

PREFIX = "page"
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
        lookup = getattr(request, "page_cache_lookup", None)
        if lookup is not None and _shared_response(response):
            _store(request, response, lookup)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _personal(request, view_kwargs):
            request.carries_personal_token = True
            return None
        if not settings.PAGE_CACHE_SECONDS or not _shared_request(request):
            return None
        if not set(request.resolver_match.namespaces) & set(settings.PAGE_CACHE_NAMESPACES):
            return None
        lookup = Lookup(request)
        cached = lookup.find()
        if cached is not None:
            status, headers, content, _versions = cached
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"  # for the benchmarks' hit rate and for whoever looks
            return response
        if request.method == "GET":
            request.page_cache_lookup = lookup
        return None


class Lookup:
    """The two reads of one request: the address's record, then its answer with the tags' versions."""

    def __init__(self, request):
        self.request = request
        self.header_key = _generate_cache_header_key(PREFIX, request)
        self.versions = {}  # tag: version, read before the view ran

    def find(self):
        store = page_cache()
        record = store.get(self.header_key)
        if record is None:
            self.versions = freshness.versions([freshness.ANY])
            return None
        vary, tags = record
        entry_key = _generate_cache_key(self.request, "GET", vary, PREFIX)
        wanted = {freshness.tag_key(tag): tag for tag in [*tags, freshness.ANY]}
        found = store.get_many([entry_key, *wanted])
        self.versions = {wanted[key]: value for key, value in found.items() if key in wanted}
        if len(self.versions) < len(wanted):  # versions the cache lost: new ones
            self.versions = freshness.versions(wanted.values())
        entry = found.get(entry_key)
        if entry is None:
            return None
        stored = entry[3]
        if any(tag not in self.versions for tag in stored):  # stored with other tags than the record names
            self.versions.update(freshness.versions([tag for tag in stored if tag not in self.versions]))
        if all(self.versions[tag] == version for tag, version in stored.items()):
            return entry
        return None


def tags_of(request):
    """What the answer shows, as the view said; ``any`` if it said nothing."""
    return sorted(getattr(request, "page_tags", None) or {freshness.ANY})


def _store(request, response, lookup):
    tags = tags_of(request)
    versions = {tag: lookup.versions[tag] for tag in tags if tag in lookup.versions}
    unread = [tag for tag in tags if tag not in versions]
    if unread:
        # Read after the view: current only if no change at all was committed since the first read.
        versions.update(freshness.versions(unread))
        if freshness.versions([freshness.ANY])[freshness.ANY] != lookup.versions.get(freshness.ANY):
            return
    vary = _vary(response)
    timeout = settings.PAGE_CACHE_SECONDS
    headers = [(name, value) for name, value in response.items() if name.lower() not in SKIPPED_HEADERS]
    entry = (response.status_code, headers, response.content, versions)
    page_cache().set_many(
        {lookup.header_key: (vary, tags), _generate_cache_key(request, "GET", vary, PREFIX): entry}, timeout
    )


def _vary(response):
    """The request headers (as META keys) the answer varies on, as ``learn_cache_key`` reads them."""
    if not response.has_header("Vary"):
        return []
    names = []
    for header in cc_delim_re.split(response.headers["Vary"]):
        header = header.upper().replace("-", "_")
        if header != "ACCEPT_LANGUAGE" or not settings.USE_I18N:  # the language is part of the key
            names.append("HTTP_" + header)
    return sorted(names)


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
