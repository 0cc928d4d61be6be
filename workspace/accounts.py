"""Logins of the workspace: the second factor with its recovery codes, invitations and password links.

A login's second factor is an authenticator app (django-otp's TOTP device) and, beside it, ten
recovery codes for when the phone is lost (django-otp's static device; each code works once).
Switching the second factor off, replacing the recovery codes and the office's reset of someone
else's second factor are written to the register's history.

Passwords are never set by the office: a new login gets an invitation mail with a link to choose
a password (Django's password-reset token, valid ``PASSWORD_RESET_TIMEOUT`` seconds and only until
the password is set), and everybody can ask for such a link again on the sign-in page.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from meetings.mail import language_for_address, queue_templated
from register.absolute import absolute_url
from register.history import record_change

RECOVERY_CODES = 10
# How the history records the second factor of a login: the field, and its values in words.
TWO_FACTOR = "two_factor"
HISTORY_FIELDS = {
    TWO_FACTOR: (
        _("two-factor login"),
        {"on": _("switched on"), "off": _("switched off"), "reset": _("reset by the office")},
    )
}


def authenticator(user):
    """The user's confirmed authenticator app, or None."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device(user):
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_recovery_codes(user):
    """Ten fresh recovery codes; the earlier ones stop working. Returns the codes to show once."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery", defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def normalise_code(code):
    return "".join(code.split()).replace("-", "").lower()


def verify_second_factor(user, code):
    """The device that accepts ``code`` (an app's six digits or a recovery code), or None.

    A recovery code is used up; devices slow down repeated wrong codes themselves (django-otp)."""
    code = normalise_code(code)
    device = authenticator(user) if code.isdigit() else recovery_device(user)
    if device is not None and device.verify_token(code):
        return device
    return None


def confirm_authenticator(device):
    """Switch a newly set-up app on and give the login its recovery codes; returns the codes."""
    with transaction.atomic():
        device.confirmed = True
        device.save()
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        record_change(device.user, "update", {TWO_FACTOR: ["off", "on"]})
        return new_recovery_codes(device.user)


def remove_second_factor(user, reset=False):
    """Delete the app and the recovery codes of ``user``; ``reset``: by the office, not by the user."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record_change(user, "update", {TWO_FACTOR: ["on", "reset" if reset else "off"]})


def locked_out(request, user):
    """Whether sign-ins for ``user`` or from this address wait after too many failures (django-axes)."""
    locked = AxesProxyHandler.is_locked(request, {"username": user.get_username()})
    if locked:
        request.axes_locked_out = True
    return locked


def count_failure(request, user):
    """A wrong one-time code or password counts like a wrong password at sign-in."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)


def password_link(user, view="workspace:password_set"):
    """The absolute link to choose a new password; it stops working once the password is set."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse(view, args=[uid, token]))


def invite(user, invited_by, language):
    """Send ``user`` the invitation to choose a password, through the outbox: in the preferred language
    of the person in the register with the user's address, else in ``language`` (that of the office's page)."""
    language = language_for_address(user.email, language)
    with translation.override(language):  # the links lead to the pages in that language
        context = {
            "user": user,
            "invited_by": invited_by.get_full_name() or invited_by.get_username(),
            "link": password_link(user),
            "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
            "login_url": absolute_url(reverse("workspace:login")),
        }
    return queue_templated(user.email, "account_invitation", context, language)
