from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "needs"
    verbose_name = _("Needs assessment")

    def ready(self):
        from .history import connect_m2m_history

        connect_m2m_history()
