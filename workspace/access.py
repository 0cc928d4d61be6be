"""The two-factor rule the office can switch on, held for every page of the project.

Roles and object rights are decided by ``register.permissions`` and enforced by ``register.guards``;
this module only adds the second factor, once, for every request (``TwoFactorMiddleware``).
"""

from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django_otp.plugins.otp_totp.models import TOTPDevice

from register.permissions import is_staff_role

from .models import WorkspaceSettings


def has_second_factor(user):
    """Whether the user has set up an authenticator app (recovery codes exist only beside one)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_two_factor_setup(user):
    """True if the office requires two-factor login and this staff user has not set it up yet."""
    if not WorkspaceSettings.load().require_two_factor or not is_staff_role(user):
        return False
    return not has_second_factor(user)


# Pages a user whom the office requires to set up a second factor can reach before doing so.
SETUP_PAGES = {
    "workspace:login",
    "workspace:login_code",
    "workspace:logout",
    "workspace:two_factor",
    "workspace:session",
    "workspace:password_change",
}


class TwoFactorMiddleware:
    """The two-factor rule on every page of every app, not only the workspace's views.

    A session without the second factor of a user who has one counts as signed out, on every page
    without exception (it may come from another login form, such as an older admin login): only the
    workspace's login, which asks for the code, makes it whole. Staff whom the office requires to
    set up a second factor are sent to do that first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        # A verified session has passed the rule: no queries for it.
        if user.is_authenticated and not user.is_verified():
            if has_second_factor(user):
                logout(request)
            elif self.view_name(request) not in SETUP_PAGES and needs_two_factor_setup(user):
                return redirect("workspace:two_factor")
        return self.get_response(request)

    @staticmethod
    def view_name(request):
        try:
            return resolve(request.path_info).view_name
        except Resolver404:
            return ""
