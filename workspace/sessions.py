"""How long a signed-in session lasts, and what happens to a form sent after it ended.

A session ends after ``SESSION_IDLE_MINUTES`` without a request and at the latest
``SESSION_ABSOLUTE_HOURS`` after signing in. Staff pages warn ``SESSION_WARNING_SECONDS`` before
the end and offer "Stay signed in" (``workspace/static/workspace/session.js`` asks the status
address below; it does not count as activity).

A form sent after the end is not lost: its fields (not files, never passwords) are kept in the new
session, the sender signs in again, and a page offers to send them to where they were going. Only
the login whose session ended gets them back; anyone else signing in on that browser does not.
The CSRF check runs before (this middleware comes after it), so no other site can plant a form.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from register.guards import public

LAST_SEEN = "workspace_last_seen"
SIGNED_IN = "workspace_signed_in"
KEPT_FORM = "workspace_kept_form"
# Writing the time of the last request at most this often (seconds) spares the session table.
TOUCH_EVERY = 30
# Fields never kept: secrets (any name with these words), and the old CSRF token (the form gets a fresh one).
NOT_KEPT = ("csrfmiddlewaretoken", "password", "token")
# The largest form kept, in characters of its values.
MAX_KEPT = 500_000
# Pages where an ended session has nothing to keep.
NOT_RESUMED = {
    "workspace:login",
    "workspace:login_code",
    "workspace:logout",
    "workspace:session",
    "workspace:resume",
    "workspace:password_reset",
    "workspace:password_reset_confirm",
    "workspace:password_set",
}


def _now():
    return int(time.time())


@receiver(user_logged_in, dispatch_uid="workspace-session-start")
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN] = request.session[LAST_SEEN] = _now()


def remaining(request):
    """Seconds until the signed-in session ends, and whether activity can still extend it."""
    session = request.session
    now = _now()
    idle_end = session.get(LAST_SEEN, now) + settings.SESSION_IDLE_MINUTES * 60
    absolute_end = session.get(SIGNED_IN, now) + settings.SESSION_ABSOLUTE_HOURS * 3600
    return max(0, min(idle_end, absolute_end) - now), idle_end < absolute_end


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        session = request.session
        session.setdefault(SIGNED_IN, _now())
        left, _extendable = remaining(request)
        name = request.resolver_match.view_name
        if left <= 0:
            return self.end(request, user, request.resolver_match)
        if name == "workspace:session":
            if request.method == "POST":  # "Stay signed in"
                session[LAST_SEEN] = _now()
            return None  # asking how long is left is no activity
        if request.method == "POST" and session.get(KEPT_FORM, {}).get("path") == request.get_full_path():
            del session[KEPT_FORM]  # the kept form is being sent now
        if _now() - session.get(LAST_SEEN, 0) >= TOUCH_EVERY:
            session[LAST_SEEN] = _now()
        return None

    def end(self, request, user, match):
        logout(request)
        messages.info(
            request,
            _("For your security you were signed out after %(minutes)s minutes without activity.")
            % {"minutes": settings.SESSION_IDLE_MINUTES},
        )
        resumable = match.view_name not in NOT_RESUMED and "api" not in match.namespaces
        if request.method == "POST" and resumable and keep_form(request, user):
            return redirect_to_login(request.get_full_path())
        return None


def keep_form(request, user):
    """Keep the posted fields for ``user`` in the (new) session; False if there is nothing to keep."""
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if not any(word in name for word in NOT_KEPT)
        for value in values
    ]
    if not fields or sum(len(value) for _name, value in fields) > MAX_KEPT:
        return False
    request.session[KEPT_FORM] = {
        "user": user.pk,
        "path": request.get_full_path(),
        "fields": fields,
        "files": [upload.name for upload in request.FILES.values()],
        "time": _now(),
    }
    return True


def kept_form(request):
    return request.session.get(KEPT_FORM)


def resume_url(request, user):
    """After signing in: the page to complete a kept form, if ``user`` sent it; else None (and it is dropped)."""
    kept = request.session.get(KEPT_FORM)
    if kept is None:
        return None
    if kept["user"] != user.pk:
        del request.session[KEPT_FORM]
        return None
    return reverse("workspace:resume")


@public
@never_cache
@require_http_methods(["GET", "POST"])
def resume(request):
    """The kept form, ready to be sent again with a fresh CSRF token; or discard it."""
    kept = request.session.get(KEPT_FORM)
    if not request.user.is_authenticated or kept is None or kept["user"] != request.user.pk:
        return redirect("workspace:home")
    if request.method == "POST":
        del request.session[KEPT_FORM]
        messages.info(request, _("The kept entries were discarded."))
        return redirect("workspace:home")
    shown = [(name, value) for name, value in kept["fields"] if value and name not in {"next"}]
    return render(request, "workspace/resume.html", {"kept": kept, "shown": shown})


@public
@never_cache
@require_http_methods(["GET", "POST"])
def status(request):
    """How many seconds the session has left (GET, no activity) or, after "Stay signed in" (POST), has again."""
    if not request.user.is_authenticated:
        return JsonResponse({"remaining": 0, "extendable": False})
    left, extendable = remaining(request)
    return JsonResponse({"remaining": left, "extendable": extendable})
