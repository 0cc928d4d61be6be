import os

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from matching.services import refresh_suggestions


class Command(BaseCommand):
    help = "Compute the suggested duplicate pairs of organisations and store them for review."

    def add_arguments(self, parser):
        parser.add_argument(
            "--workers",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="Processes that score the candidate pairs (default: 2, or 1 on a single core).",
        )

    def handle(self, *args, **options):
        timings = {}
        created, updated, removed = refresh_suggestions(workers=max(1, options["workers"]), timings=timings)
        self.stdout.write(
            _("Suggestions: %(created)d new, %(updated)d changed, %(removed)d no longer proposed.")
            % {"created": created, "updated": updated, "removed": removed}
        )
        if options["verbosity"] >= 2:
            self.stdout.write(
                " ".join(
                    f"{phase}={value:.2f}s" if isinstance(value, float) else f"{phase}={value}"
                    for phase, value in timings.items()
                )
            )
