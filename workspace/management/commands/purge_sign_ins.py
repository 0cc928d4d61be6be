"""Delete what signing in leaves behind: ended sessions (with any form kept in them) and the
failed sign-in attempts (login name, address, browser) once their wait is over.

Run daily, e.g. from cron: ``manage.py purge_sign_ins``.
"""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Delete ended sessions and failed sign-in attempts whose wait is over."

    def handle(self, *args, **options):
        call_command("clearsessions")
        cutoff = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
        attempts, _detail = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
        self.stdout.write(f"Ended sessions and {attempts} failed sign-in attempts deleted.")
