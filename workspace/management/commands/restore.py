"""Restore a backup made by ``manage.py backup``: replaces ALL data, the uploaded files and the secret key."""

from django.core.management.base import BaseCommand, CommandError

from workspace import backup


class Command(BaseCommand):
    help = "Replace all data, uploaded files and the secret key with those of a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar.gz written by manage.py backup.")
        parser.add_argument("--yes", action="store_true", help="Do not ask before replacing everything.")

    def handle(self, *args, archive, yes=False, **options):
        manifest = backup.read_manifest(archive)
        if not yes:
            answer = input(
                f"Replace ALL data with the backup of {manifest['created']} ({sum(manifest['counts'].values())} rows)? "
                "Type 'yes': "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was restored.")
        try:
            manifest, note = backup.restore(archive)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the backup of {manifest['created']}.")
        if note:
            self.stdout.write(self.style.WARNING(note))
