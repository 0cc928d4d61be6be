"""API tokens in the Django admin: made here or with ``manage.py create_api_token``, revoked here.

The key is shown once, in the message after saving; the list shows only its beginning.
"""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ApiToken


class NewTokenForm(forms.ModelForm):
    days = forms.IntegerField(
        label=_("valid for days"), min_value=1, max_value=ApiToken.MAX_DAYS, initial=ApiToken.DEFAULT_DAYS
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scope"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "scope", "created", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["prefix", "name", "user__username"]
    readonly_fields = ["prefix", "user", "scope", "created", "expires_at", "last_used_at", "revoked_at"]
    fields = ["prefix", "user", "name", "scope", "created", "expires_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = NewTokenForm
            kwargs["fields"] = ["user", "name", "scope", "days"]
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["user", "name", "scope", "days"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            key = obj.new_key(form.cleaned_data["days"])
        super().save_model(request, obj, form, change)
        if not change:
            messages.warning(
                request,
                _("The key is %(key)s – copy it now, it is not shown again.") % {"key": key},
            )

    @admin.action(description=_("Revoke the chosen tokens"))
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, _("%(count)d tokens revoked.") % {"count": count})
