"""A consistent backup of the database, the uploaded files and the secret key (workspace/backup.py).

Run daily, e.g. from cron: ``manage.py backup`` (into VERNETZT_BACKUP_DIR, default var/backups).
"""

from django.core.management.base import BaseCommand

from workspace import backup


class Command(BaseCommand):
    help = "Write a backup archive of the database, the uploaded files and the secret key."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Directory for the archive (default: VERNETZT_BACKUP_DIR).")

    def handle(self, *args, output=None, **options):
        path = backup.create(output)
        self.stdout.write(str(path))
