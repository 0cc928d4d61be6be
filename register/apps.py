from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "register"
    verbose_name = _("Register")

    def ready(self):
        from . import freshness, history, translations

        history.connect_m2m_signals(self)
        freshness.connect(self)
        translations.connect_signals()
