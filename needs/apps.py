from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "needs"
    verbose_name = _("Needs assessment")

    def ready(self):
        from register.history import connect_m2m_signals

        connect_m2m_signals(self)  # the needs' many-to-many changes go into the register's history
        self.provide_cooperation()

    @staticmethod
    def provide_cooperation():
        """The network map draws its cooperation layer from the surveys' answers. The analysis lies
        below the needs (docs/layers.md) and never imports them; the needs hand it their source."""
        from analysis.graph import CooperationSource, provide_cooperation

        from .cooperation import cooperation_edges
        from .models import FREQUENCY_RANK, Frequency

        provide_cooperation(
            CooperationSource(edges=cooperation_edges, weights=FREQUENCY_RANK, labels=dict(Frequency.choices))
        )
