"""Absolute URLs – for OParl ids, links in mails, calendar files and feeds – from one place.

The base (scheme, host and port) is ``VERNETZT_SITE_URL`` when it is set. Without it, it is the one
the current request came in on, so that a server started on another port or host names itself
correctly: ``BaseUrlMiddleware`` keeps it for the request, and whatever the request renders – a page,
an OParl object, a mail queued in the outbox – uses it. Work that runs later, in a task, gets the base
of the request that started it passed in and runs ``with base_url_for(base):``. Outside both (a
command run by cron) the base is ``FALLBACK``; production sets ``VERNETZT_SITE_URL``.

The host of a request has passed ``ALLOWED_HOSTS`` (``request.get_host()``), so a forged Host header
cannot put another server into a link.
"""

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http.request import split_domain_port

FALLBACK = "http://127.0.0.1:8000"
_base = contextvars.ContextVar("register_base_url", default=None)


def configured():
    """The base from the configuration (``VERNETZT_SITE_URL``), or "" when none is set."""
    return (settings.SITE_URL or "").rstrip("/")


def of_request(request):
    return f"{request.scheme}://{request.get_host()}"


def base_url(request=None):
    """Scheme, host and port of this installation, without a trailing slash."""
    site = configured()  # read once: an OParl list asks for hundreds of URLs
    if site:
        return site
    if request is not None:
        return of_request(request)
    return _base.get() or FALLBACK


def absolute_url(path, request=None):
    """``path`` (starting with "/") as an absolute URL of this installation."""
    return base_url(request) + path


# A slug no object has: ``page_url_maker`` reverses it once and puts each object's slug in its place.
SLUG_MARKER = "__slug__"


def page_url_maker(model):
    """``slug -> path`` of the public pages of a model's objects (``get_absolute_url``, which the project
    points at the portal: ``ABSOLUTE_URL_OVERRIDES``) in the language of the moment, worked out with one
    ``reverse()`` for all of them: reversing for every object of a list or a map costs more than the rest."""
    before, after = model(slug=SLUG_MARKER).get_absolute_url().split(SLUG_MARKER)
    return lambda slug: f"{before}{slug}{after}"


LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def canonical_base(request):
    """The one base under which the machine interfaces name their objects (OParl 1.1, 2.3).

    With ``VERNETZT_SITE_URL`` that is it. Without, it is the request's own base – except that the names
    of this computer (``localhost``, ``127.0.0.1``, ``::1``) count as one, the first of them in
    ``ALLOWED_HOSTS``, with the scheme and port the request came in on: so that ``localhost`` and
    ``127.0.0.1`` do not give one object two ids, while a server reached under another name keeps it.
    """
    if configured():
        return configured()
    host, port = split_domain_port(request.get_host())
    host = host.strip("[]")
    first = next((name.strip("[]") for name in settings.ALLOWED_HOSTS if name.strip("[]") in LOOPBACK), None)
    if host not in LOOPBACK or first is None or host == first:
        return of_request(request)
    host = f"[{first}]" if ":" in first else first
    return f"{request.scheme}://{host}" + (f":{port}" if port else "")


@contextmanager
def base_url_for(base):
    """Absolute URLs inside name ``base`` (for tasks started by a request)."""
    token = _base.set(base.rstrip("/") if base else None)
    try:
        yield
    finally:
        _base.reset(token)


class BaseUrlMiddleware:
    """Keeps the base of the current request for everything the request renders."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            base = of_request(request)
        except DisallowedHost:  # Django answers 400 further on
            base = None
        with base_url_for(base):
            return self.get_response(request)
