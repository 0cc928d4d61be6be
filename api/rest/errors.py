"""Errors of the JSON API: always JSON, in the request's language, with a status that says what happened.

* 400 – the request is malformed: a parameter or a field that the OpenAPI description does not allow
  (wrong type, too long, not one of the choices), or a body that is no JSON, or JSON nested too deep;
* 401 – the key is unknown, expired or revoked (or missing, for a write);
* 403 – the token's user, or the token's scope, may not make this change;
* 404 – there is no such record or path (also for every unknown path below /api/);
* 409 – the request is well-formed, but the register's rules refuse it: a name already taken, a
  record referred to that does not exist, a member given twice, an end before the start – or a record
  that is still referred to elsewhere cannot be deleted;
* 415 – the body is not JSON; 429 – too many requests (``Retry-After`` says when to try again);
* 500 – the server failed; it says so in JSON and logs the cause.
"""

import logging

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from register.guards import public

logger = logging.getLogger(__name__)

# Codes of field errors that are no malformed request but a rule of the register (answered with 409).
RULE_CODES = {"does_not_exist", "unique", "rule"}


class RuleViolation(ValidationError):
    """The register's rules refuse a well-formed request; the body names each field and rule."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "rule"


def leaf_codes(codes):
    if isinstance(codes, dict):
        return [code for value in codes.values() for code in leaf_codes(value)]
    if isinstance(codes, list):
        return [code for value in codes for code in leaf_codes(value)]
    return [codes]


def is_rule_violation(exc):
    codes = leaf_codes(exc.get_codes())
    return bool(codes) and all(code in RULE_CODES for code in codes)


def exception_handler(exc, context):
    if isinstance(exc, ValidationError) and not isinstance(exc, RuleViolation) and is_rule_violation(exc):
        exc = RuleViolation(exc.detail)
    response = drf_exception_handler(exc, context)
    if response is None:
        request = context.get("request")
        logger.exception("JSON API request %s failed", request.get_full_path() if request else "", exc_info=exc)
        response = Response(
            {"detail": str(_("The server could not answer this request. Please try again later."))},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    return response


class NoSuchPath(APIException):
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = _("There is no such path in the API. /api/v1/ lists its parts.")
    default_code = "not_found"


@public
@extend_schema(exclude=True)
@api_view(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
@throttle_classes([])
def not_found(request, rest=""):
    """Every unknown path below /api/: a JSON 404. A known path without its final slash is redirected."""
    if request.method in ("GET", "HEAD") and not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    raise NoSuchPath()
