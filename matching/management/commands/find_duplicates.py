from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from matching.services import refresh_suggestions


class Command(BaseCommand):
    help = "Compute the suggested duplicate pairs of organisations and store them for review."

    def handle(self, *args, **options):
        created, updated, removed = refresh_suggestions()
        self.stdout.write(
            _("Suggestions: %(created)d new, %(updated)d changed, %(removed)d no longer proposed.")
            % {"created": created, "updated": updated, "removed": removed}
        )
