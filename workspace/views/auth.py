"""Signing in and out: password, then a one-time code; the second factor, its recovery codes and their removal.

Every step that checks a secret counts failures per login and per address (django-axes): the
password, the one-time code, and the password and code asked again before the second factor is
switched off or its recovery codes are replaced.
"""

import qrcode
import qrcode.image.svg
from django.contrib import admin, messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from register.guards import public, requires
from register.permissions import is_staff_role, signed_in

from .. import accounts, sessions
from ..forms import ConfirmIdentityForm, TokenForm
from ..models import WorkspaceSettings
from .common import posted

PENDING_USER = "workspace_pending_user"
PENDING_NEXT = "workspace_pending_next"


def _next_url(request, value):
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, request.is_secure()):
        return value
    return resolve_url("workspace:home")


def _signed_in(request, user, next_url):
    """Where to go after signing in: a form kept from an expired session first."""
    return redirect(sessions.resume_url(request, user) or next_url)


@public
@sensitive_post_parameters()
@csrf_protect
@never_cache
def login_view(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request, request.GET.get("next")))
    form = AuthenticationForm(request, data=posted(request))
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        next_url = _next_url(request, request.POST.get("next"))
        if accounts.authenticator(user) is not None:
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_NEXT] = next_url
            return redirect("workspace:login_code")
        login(request, user)
        return _signed_in(request, user, next_url)
    context = {"form": form, "next": request.GET.get("next", ""), "expired": sessions.kept_form(request)}
    return render(request, "workspace/login.html", context)


@public
def admin_login(request):
    """The admin site signs in through the workspace's login, with its second factor. A signed-in
    login without the right to the admin site gets the 403 page (not a loop of redirects)."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = resolve_url("admin:index")
    if request.user.is_authenticated:
        if not admin.site.has_permission(request):
            raise PermissionDenied
        return redirect(next_url)
    return redirect_to_login(next_url)


@public
@sensitive_post_parameters()
@csrf_protect
@never_cache
def login_code(request):
    user = get_user_model().objects.filter(pk=request.session.get(PENDING_USER), is_active=True).first()
    if user is None:
        return redirect("workspace:login")
    form = TokenForm(posted(request), user=user, recovery=True)
    if request.method == "POST":
        if accounts.locked_out(request, user):
            return locked_out(request)
        if form.is_valid():
            next_url = request.session.get(PENDING_NEXT) or resolve_url("workspace:home")
            user.backend = "django.contrib.auth.backends.ModelBackend"
            login(request, user)
            otp_login(request, form.device)
            if form.device != accounts.authenticator(user):
                left = {"left": accounts.recovery_codes_left(user)}
                messages.warning(
                    request, _("You signed in with a recovery code; %(left)s are left. Please make new ones.") % left
                )
            return _signed_in(request, user, next_url)
        accounts.count_failure(request, user)
    return render(request, "workspace/login_code.html", {"form": form})


def locked_out(request, response=None, credentials=None):
    """The answer after too many failed sign-ins (django-axes calls it too)."""
    return render(request, "workspace/locked_out.html", status=429)


@public
@require_POST
def logout_view(request):
    logout(request)
    messages.success(request, _("You have been signed out."))
    return redirect("workspace:login")


def _qr_svg(data):
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg)  # generated by qrcode from our own URL, no user input  # noqa: S308


@sensitive_post_parameters()
@never_cache
@requires(signed_in)
def two_factor(request):
    """Set up the authenticator app; when it is on: new recovery codes, or switch it off."""
    user = request.user
    if accounts.authenticator(user) is not None:
        return _two_factor_on(request, user)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = TokenForm(posted(request), device=device)
    if request.method == "POST" and form.is_valid():
        codes = accounts.confirm_authenticator(device)
        otp_login(request, device)
        messages.success(request, _("Two-factor login is set up. From now on you sign in with a one-time code."))
        return render(request, "workspace/recovery_codes.html", {"codes": codes})
    context = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "secret": device.config_url.split("secret=")[1].split("&")[0],
        "required": _required(user),
    }
    return render(request, "workspace/two_factor.html", context)


def _required(user):
    return WorkspaceSettings.load().require_two_factor and is_staff_role(user)


def _two_factor_on(request, user):
    """Replacing the recovery codes or switching off asks for the password and a code again."""
    action = request.POST.get("action") if request.method == "POST" else None
    form = ConfirmIdentityForm(request.POST if action else None, user=user)
    required = _required(user)
    if action and accounts.locked_out(request, user):
        return locked_out(request)
    if action == "remove" and required:
        messages.error(request, _("The office requires two-factor login; it cannot be switched off."))
        return redirect("workspace:two_factor")
    if action in {"remove", "codes"}:
        if form.is_valid():
            if action == "codes":
                codes = accounts.new_recovery_codes(user)
                messages.success(request, _("You have new recovery codes; the earlier ones no longer work."))
                return render(request, "workspace/recovery_codes.html", {"codes": codes})
            accounts.remove_second_factor(user)
            messages.success(request, _("Two-factor login is switched off."))
            return redirect("workspace:two_factor")
        accounts.count_failure(request, user)
    context = {
        "confirmed": True,
        "required": required,
        "form": form,
        "action": action,
        "codes_left": accounts.recovery_codes_left(user),
    }
    return render(request, "workspace/two_factor.html", context, status=400 if action else 200)
