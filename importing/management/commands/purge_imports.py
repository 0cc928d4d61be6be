"""Delete old import files and plans: files never applied, and the row-by-row plans and problems of
every import older than ``KEEP_FILES_DAYS`` (they name people); what each import did stays.

Run daily, e.g. from cron: ``manage.py purge_imports``.
"""

from django.core.management.base import BaseCommand

from importing.tasks import KEEP_FILES_DAYS, forget_old_files


class Command(BaseCommand):
    help = "Delete import files never applied and the plans of imports older than the retention period."

    def handle(self, *args, **options):
        files, plans = forget_old_files()
        self.stdout.write(
            f"{files} unapplied files and the plans of {plans} imports older than {KEEP_FILES_DAYS} days deleted."
        )
