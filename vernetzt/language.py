"""Which language a visitor sees: the browser's at the entry page, until the visitor chooses one.

- ``EntryLanguageMiddleware``: the bare entry page ``/`` follows the language cookie (set when the
  visitor chose a language with the switch), else the browser's ``Accept-Language``, else German.
  A visitor whose language is not German is sent to the entry page in that language (``/en/``).
  Deep links keep the language their address names: a shared German link stays German.
  Both answers say ``Vary: Accept-Language, Cookie``, so that no cache – neither the page cache
  (``vernetzt.page_cache``) nor a proxy – hands the German page to a browser that asks for English.
- ``OfferedLanguageMiddleware``: a language of the site that the office does not offer (the site
  identity's ``languages``, edited in the workspace) is not served: its addresses lead to the German
  page. The entry page never sends a visitor there either, and the language switch leaves it out
  (``portal_tags.language_urls``); all three ask ``register.translations.offered_languages``, which
  reads the cached site identity (no query per request).
- ``choose_language``: the language switch posts here; Django's ``set_language`` remembers the
  choice in the language cookie and leads to the same page in the chosen language.
"""

from django.conf import settings
from django.http import HttpResponseForbidden, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from register.guards import public
from register.translations import offered_languages

# What browsers say about a request that a page of our own started (or the visitor typed).
OWN_REQUESTS = {"same-origin", "none"}


class EntryLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != "/" or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        language = entry_language(request)
        if language == settings.LANGUAGE_CODE:
            response = self.get_response(request)
        else:
            with translation.override(language):
                url = reverse("portal:home")
            query = request.META.get("QUERY_STRING", "")
            response = HttpResponseRedirect(f"{url}?{query}" if query else url)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


def entry_language(request):
    """The cookie first, then Accept-Language, then German (Django's order), among the offered languages."""
    offered = offered_languages()
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    candidates = [request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)]
    candidates += [code for code, _quality in parse_accept_lang_header(header) if code != "*"]
    for candidate in candidates:
        if not candidate:
            continue
        try:
            language = translation.get_supported_language_variant(candidate)
        except LookupError:
            continue
        if language in offered:
            return language
    return settings.LANGUAGE_CODE


class OfferedLanguageMiddleware:
    """An address in a language the office does not offer leads to the same page in German."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info)
        if not language or language == settings.LANGUAGE_CODE or language in offered_languages():
            return self.get_response(request)
        prefix = request.path_info.split("/")[1]
        rest = request.path_info[len(prefix) + 1 :] or "/"
        script = request.path[: len(request.path) - len(request.path_info)]
        query = request.META.get("QUERY_STRING", "")
        url = f"{script}{rest}?{query}" if query else f"{script}{rest}"
        return HttpResponseRedirect(url)


@public
@csrf_exempt
def choose_language(request):
    """Django's ``set_language``, without a CSRF token: a token would make every public page personal
    (a cookie, ``Vary: Cookie``) and so end the page cache. What a forged request could do is change a
    visitor's language; browsers name such a request cross-site, and it is refused."""
    if request.headers.get("Sec-Fetch-Site", "none") not in OWN_REQUESTS:
        return HttpResponseForbidden()
    return set_language(request)
