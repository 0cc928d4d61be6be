from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from analysis.figures import compute, compute_if_missing, state


class Command(BaseCommand):
    help = "Compute the network map's figures (betweenness, clusters) of the whole register and store them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-missing", action="store_true", help="Only when no figures are stored yet (the first start)."
        )

    def handle(self, *args, **options):
        if options["if_missing"] and not compute_if_missing():
            return
        current = compute() if not options["if_missing"] else state()
        self.stdout.write(
            _("Map figures stored: %(nodes)d nodes, %(edges)d links, in %(seconds).1f s.")
            % {"nodes": current.nodes, "edges": current.edges, "seconds": current.seconds}
        )
