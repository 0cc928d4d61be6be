from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Interfaces (OParl and JSON)")

    def ready(self):
        from . import signals

        signals.connect()
