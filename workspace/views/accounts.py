"""Passwords with Django's own views: forgotten (a link by mail), chosen through an invitation, changed."""

from axes.utils import reset as reset_failed_sign_ins
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings import ratelimit
from register.guards import RequiresMixin, public
from register.permissions import signed_in

from .. import accounts
from ..forms import ResetLinkForm
from .auth import locked_out

RESET_SCOPE = "password-reset"


@public
class PasswordReset(auth_views.PasswordResetView):
    form_class = ResetLinkForm
    template_name = "workspace/password_reset.html"
    success_url = reverse_lazy("workspace:login")

    def form_valid(self, form):
        # The same answer whether or not the address is known; a few links per address and ten minutes.
        if not ratelimit.limit_reached(self.request, RESET_SCOPE):
            ratelimit.count_attempt(self.request, RESET_SCOPE)
            super().form_valid(form)
        messages.success(
            self.request,
            _(
                "If a login belongs to this address, a link to choose a new password is on its way. "
                "Please also look in your spam folder."
            ),
        )
        return redirect(self.success_url)


@public
class PasswordChoose(auth_views.PasswordResetConfirmView):
    """The link from the mail: choose a password. The token leaves the address at once (Django)."""

    template_name = "workspace/password_choose.html"
    success_url = reverse_lazy("workspace:login")
    title = gettext_lazy("Choose a new password")
    intro = gettext_lazy("Choose a password of at least 12 characters that you use nowhere else.")

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_failed_sign_ins(username=form.user.get_username())
        messages.success(self.request, _("Your password is set. Please sign in with it now."))
        return response

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": self.title, "intro": self.intro}


class PasswordSet(PasswordChoose):
    """The link from the invitation: the first password of a new login."""

    title = gettext_lazy("Welcome: choose your password")
    intro = gettext_lazy(
        "The office has made a login for you in the workspace of the network register. Choose a password "
        "of at least 12 characters that you use nowhere else; you then sign in with your login name and it."
    )


class PasswordChange(RequiresMixin, auth_views.PasswordChangeView):
    permission_rule = signed_in
    template_name = "workspace/form.html"
    success_url = reverse_lazy("workspace:home")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("Change your password")}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed."))
        return response

    def form_invalid(self, form):
        if "old_password" in form.errors:
            accounts.count_failure(self.request, self.request.user)
        if accounts.locked_out(self.request, self.request.user):
            return locked_out(self.request)
        return super().form_invalid(form)


password_reset = PasswordReset.as_view()
password_reset_confirm = PasswordChoose.as_view()
password_set = PasswordSet.as_view()
password_change = PasswordChange.as_view()
