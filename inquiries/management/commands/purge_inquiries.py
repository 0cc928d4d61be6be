"""Delete residents' inquiries past their retention period, with replies and their mails; keep only counts.

Run daily, e.g. from cron: ``manage.py purge_inquiries``.
"""

from django.core.management.base import BaseCommand

from inquiries.services import overdue, purge


class Command(BaseCommand):
    help = "Delete inquiries whose retention period has passed; anonymous counts by month, topic and municipality stay."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            self.stdout.write(f"{len(overdue())} inquiries would be deleted.")
            return
        self.stdout.write(f"{purge()} inquiries deleted; their counts are kept.")
