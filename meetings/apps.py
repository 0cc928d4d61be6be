from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings and events")

    def ready(self):
        from register.models import Assignment

        from .feeds import revoke_when_role_ends

        post_delete.connect(revoke_when_role_ends, sender=Assignment, dispatch_uid="meetings_feed_key_revoke")
