from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "register"
    verbose_name = _("Register")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import freshness, history, translations
        from .models.networks import NetworkHost, keep_hosted

        post_save.connect(keep_hosted, sender=NetworkHost, dispatch_uid="register.keep_hosted.save")
        post_delete.connect(keep_hosted, sender=NetworkHost, dispatch_uid="register.keep_hosted.delete")
        history.connect_m2m_signals(self)
        freshness.connect(self)
        translations.connect_signals()
