"""The office's administration: logins and the workspace settings."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from register.permissions import OFFICE_GROUP

from ..access import office_view
from ..forms import UserEditForm, UserForm, WorkspaceSettingsForm
from ..models import WorkspaceSettings
from .common import posted


@office_view
def user_list(request):
    users = get_user_model().objects.order_by("username").prefetch_related("groups", "assignments__network")
    return render(request, "workspace/user_list.html", {"users": users, "office_group": OFFICE_GROUP})


@office_view
def user_create(request):
    form = UserForm(posted(request))
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(
            request, _("The login “%(name)s” was created. Give it roles on the networks' pages.") % {"name": user}
        )
        return redirect("workspace:users")
    return render(request, "workspace/form.html", {"form": form, "title": _("New login")})


@office_view
def user_edit(request, pk):
    user = get_object_or_404(get_user_model(), pk=pk)
    form = UserEditForm(posted(request), instance=user, editor=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes were saved."))
        return redirect("workspace:users")
    title = _("Edit login %(name)s") % {"name": user.get_username()}
    return render(request, "workspace/form.html", {"form": form, "title": title})


@office_view
def settings_edit(request):
    form = WorkspaceSettingsForm(posted(request), instance=WorkspaceSettings.load())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The settings were saved."))
        return redirect("workspace:settings")
    return render(request, "workspace/form.html", {"form": form, "title": _("Workspace settings")})
