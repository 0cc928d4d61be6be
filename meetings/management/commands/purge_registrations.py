"""Delete registrations whose event ended more than the retention period ago, requests whose e-mail
address was not confirmed in time (with the needs they state), and old sent mails.

Run daily, e.g. from cron: ``manage.py purge_registrations``.
"""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from meetings.models import CONFIRMATION_HOURS, REGISTRATION_RETENTION_DAYS, OutgoingMail, Registration


class Command(BaseCommand):
    help = "Delete registrations for events that ended more than the retention period ago, and old sent mails."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, dry_run=False, **options):
        cutoff = timezone.now() - datetime.timedelta(days=REGISTRATION_RETENTION_DAYS)
        expired = Registration.objects.filter(event__end__lt=cutoff)
        unconfirmed = Registration.objects.unconfirmed_expired()
        # Sent mails hold names and addresses too; failed ones stay until staff have dealt with them.
        old_mails = OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT, created__lt=cutoff)
        if dry_run:
            self.stdout.write(
                f"{expired.count()} registrations, {unconfirmed.count()} unconfirmed requests and "
                f"{old_mails.count()} sent mails would be deleted."
            )
            return
        deleted, _detail = expired.delete()
        requests, _detail = unconfirmed.delete()
        mails, _detail = old_mails.delete()
        self.stdout.write(
            f"{deleted} registrations (before {cutoff:%Y-%m-%d}), {requests} requests not confirmed within "
            f"{CONFIRMATION_HOURS} hours and {mails} sent mails deleted."
        )
