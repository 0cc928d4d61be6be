from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "needs"
    verbose_name = _("Needs assessment")

    def ready(self):
        from register.history import connect_m2m_signals

        connect_m2m_signals(self)  # the needs' many-to-many changes go into the register's history
