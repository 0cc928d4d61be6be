"""What the analysis keeps: the figures of the network map, computed in the background (``analysis.figures``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureState(models.Model):
    """One row: when the map's data last changed, and which state of it the stored figures describe."""

    changed_at = models.DateTimeField(_("data changed at"), null=True, blank=True)
    as_of = models.DateTimeField(
        _("figures as of"),
        null=True,
        blank=True,
        help_text=_("The last change of the data the stored figures include (when they were computed, if none)."),
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    queued_until = models.DateTimeField(
        _("recomputation queued for"),
        null=True,
        blank=True,
        help_text=_("A recomputation is queued to run at this time; changes until then need no other one."),
    )
    betweenness_samples = models.PositiveIntegerField(_("betweenness sources"), default=0)
    nodes = models.PositiveIntegerField(_("nodes"), default=0)
    edges = models.PositiveIntegerField(_("edges"), default=0)
    seconds = models.FloatField(_("seconds of computation"), default=0)

    class Meta:
        verbose_name = _("state of the map's figures")
        verbose_name_plural = _("states of the map's figures")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="figure_state_single_row")]

    def __str__(self):
        return f"{self.as_of or '-'}"

    @property
    def current(self):
        """True when the figures include every change of the data."""
        return self.computed_at is not None and (
            self.changed_at is None or (self.as_of is not None and self.as_of >= self.changed_at)
        )


class NodeFigure(models.Model):
    """The layout-independent figures of one node of the register's whole formal graph (networks,
    organisations, actor groups): keyed by the map's node id (``n12``, ``o34``, ``g5``)."""

    node = models.CharField(_("node"), max_length=24, unique=True)
    degree = models.PositiveIntegerField(_("links"))
    betweenness = models.FloatField(_("betweenness"))
    component = models.PositiveIntegerField(_("connected part"))
    cluster = models.PositiveIntegerField(_("cluster"))

    class Meta:
        verbose_name = _("figures of a node")
        verbose_name_plural = _("figures of nodes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(betweenness__gte=0, betweenness__lte=1), name="node_figure_betweenness_0_1"
            ),
            models.CheckConstraint(condition=models.Q(component__gte=1, cluster__gte=1), name="node_figure_numbers"),
        ]

    def __str__(self):
        return self.node
