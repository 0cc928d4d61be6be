"""What every answer carries and every request must respect, whichever app answers.

- ``PermissionsPolicyMiddleware``: the browser features no page of ours uses are switched off
  (``settings.PERMISSIONS_POLICY``). The Content-Security-Policy comes from django-csp.
- ``RequestSizeMiddleware``: a request body larger than ``settings.MAX_REQUEST_SIZE`` is refused
  with 413 before anything reads it, so a 50 MB upload costs neither memory nor disk.
"""

from django.conf import settings
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _

# Machine interfaces get their errors as JSON.
MACHINE_PREFIXES = ("/api/", "/oparl/")


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_SIZE:
            return too_large(request, length)
        return self.get_response(request)


def too_large(request, length):
    """The 413 answer, in the language of the address (the locale middleware has not run yet)."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        message = _("The upload is %(size)s; files may be at most %(limit)s. Nothing was saved.") % {
            "size": filesizeformat(length),
            "limit": filesizeformat(settings.MAX_UPLOAD_SIZE),
        }
        if request.path_info.startswith(MACHINE_PREFIXES):
            response = JsonResponse({"detail": message}, status=413)
        else:
            response = TemplateResponse(request, "413.html", {"message": message}, status=413)
            response.render()
    return response
