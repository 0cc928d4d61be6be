"""The office's administration: logins (invitation, second factor) and the workspace settings."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from register.guards import requires
from register.history import history_of
from register.permissions import OFFICE_GROUP, is_office

from .. import accounts
from ..forms import ConfirmIdentityForm, UserEditForm, UserForm, WorkspaceSettingsForm
from ..models import WorkspaceSettings
from .auth import locked_out
from .common import history_rows, posted


@requires(is_office)
def user_list(request):
    users = get_user_model().objects.order_by("username").prefetch_related("groups", "assignments__network")
    return render(request, "workspace/user_list.html", {"users": users, "office_group": OFFICE_GROUP})


@requires(is_office)
def user_create(request):
    form = UserForm(posted(request))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            accounts.invite(user, request.user, get_language())
        messages.success(
            request,
            _(
                "The login “%(name)s” was created and an invitation to choose a password was sent to %(email)s. "
                "Give it roles on the networks' pages."
            )
            % {"name": user, "email": user.email},
        )
        return redirect("workspace:user_edit", user.pk)
    intro = _("The new colleague receives an e-mail with a link to choose their own password.")
    return render(request, "workspace/form.html", {"form": form, "title": _("New login"), "intro": intro})


@requires(is_office)
def user_edit(request, pk):
    user = get_object_or_404(get_user_model(), pk=pk)
    form = UserEditForm(posted(request), instance=user, editor=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes were saved."))
        return redirect("workspace:users")
    return render(request, "workspace/user_edit.html", _user_context(request, user, form=form))


def _user_context(request, user, form=None, reset_form=None):
    return {
        "account": user,
        "form": form or UserEditForm(instance=user, editor=request.user),
        "reset_form": reset_form or ConfirmIdentityForm(user=request.user),
        "two_factor": accounts.authenticator(user) is not None,
        "codes_left": accounts.recovery_codes_left(user),
        "history": history_rows(history_of(user), False),
    }


@requires(is_office)
@require_POST
def user_invite(request, pk):
    """Send the invitation again, e.g. after its link expired; the login has no password until then."""
    user = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    accounts.invite(user, request.user, get_language())
    messages.success(request, _("The invitation was sent again to %(email)s.") % {"email": user.email})
    return redirect("workspace:user_edit", user.pk)


@sensitive_post_parameters()
@requires(is_office)
@require_POST
def user_reset_two_factor(request, pk):
    """Reset a lost second factor: the office confirms with its own password and code; recorded in the history."""
    user = get_object_or_404(get_user_model(), pk=pk)
    if accounts.locked_out(request, request.user):
        return locked_out(request)
    form = ConfirmIdentityForm(request.POST, user=request.user)
    if not form.is_valid():
        accounts.count_failure(request, request.user)
        context = _user_context(request, user, reset_form=form)
        return render(request, "workspace/user_edit.html", context, status=400)
    accounts.remove_second_factor(user, reset=True)
    messages.success(
        request,
        _("The two-factor login of “%(name)s” is reset. They set up a new one at their next sign-in if required.")
        % {"name": user.get_username()},
    )
    return redirect("workspace:user_edit", user.pk)


@requires(is_office)
def settings_edit(request):
    form = WorkspaceSettingsForm(posted(request), instance=WorkspaceSettings.load())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The settings were saved."))
        return redirect("workspace:settings")
    return render(request, "workspace/form.html", {"form": form, "title": _("Workspace settings")})
