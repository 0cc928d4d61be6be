"""The machine interfaces answer in the language the client asks for (Accept-Language, else German).

Their URLs have no language prefix, so Django's LocaleMiddleware gives them the default language
whatever the client asks. For ``/api/`` and ``/oparl/`` this middleware takes the language from the
request instead – for every message, errors included – and says so in ``Content-Language``.
"""

from django.utils import translation
from django.utils.cache import patch_vary_headers

PREFIXES = ("/api/", "/oparl/")


class InterfaceLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(PREFIXES) and request.path_info not in ("/api", "/oparl"):
            return self.get_response(request)
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response["Content-Language"] = language
        # The answer depends on Accept too (JSON, or 406 to a client that takes no JSON), also where
        # the API has a single renderer and so does not say it itself: no cache may mix them up.
        patch_vary_headers(response, ("Accept", "Accept-Language"))
        return response
