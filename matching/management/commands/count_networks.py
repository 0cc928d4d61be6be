"""Count anew the networks of every top-level organisation, e.g. after seats were written with bulk_create."""

from django.core.management.base import BaseCommand
from django.db import transaction

from matching.models import NetworkCount
from matching.services import count_networks


class Command(BaseCommand):
    help = (
        "Count anew, for every top-level organisation, the networks it sits in (itself or by its units), "
        "as the page of organisations in several networks reads them."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            count_networks()
            several = NetworkCount.objects.filter(networks__gt=1).count()
        self.stdout.write(f"{several} organisations sit in more than one network.")
