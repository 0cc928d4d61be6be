"""Delete what meetings keep only for a while: registrations of events that ended more than the
retention period ago, requests whose e-mail address was not confirmed in time (with the needs they
state), mails older than the retention period (sent, failed or still queued: they hold names and
addresses), and stored files whose deletion can no longer be undone.

Run daily, e.g. from cron: ``manage.py purge_registrations``.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from meetings.models import CONFIRMATION_HOURS, REGISTRATION_RETENTION_DAYS, OutgoingMail, Registration
from meetings.uploads import DELETED_FILES_KEPT_DAYS, forget_deleted_files


class Command(BaseCommand):
    help = (
        "Delete registrations for events that ended more than the retention period ago, unconfirmed requests, "
        "mails older than the retention period and files deleted long enough ago."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, dry_run=False, **options):
        cutoff = timezone.now() - datetime.timedelta(days=REGISTRATION_RETENTION_DAYS)
        expired = Registration.objects.filter(event__end__lt=cutoff)
        unconfirmed = Registration.objects.unconfirmed_expired()
        old_mails = OutgoingMail.objects.filter(created__lt=cutoff)
        if dry_run:
            self.stdout.write(
                f"{expired.count()} registrations, {unconfirmed.count()} unconfirmed requests and "
                f"{old_mails.count()} mails would be deleted."
            )
            return
        deleted, _detail = expired.delete()
        requests, _detail = unconfirmed.delete()
        mails, _detail = old_mails.delete()
        files = forget_deleted_files()
        self.stdout.write(
            f"{deleted} registrations and {mails} mails deleted (before {cutoff:%Y-%m-%d}); {requests} requests "
            f"not confirmed within {CONFIRMATION_HOURS} hours deleted; {files} files removed that were deleted "
            f"more than {DELETED_FILES_KEPT_DAYS} days ago."
        )
