"""Build the public search's table anew, e.g. after data was written with bulk_create."""

from django.core.management.base import BaseCommand
from django.db import transaction

from portal import indexing


class Command(BaseCommand):
    help = "Build the public search's table anew from the register."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = indexing.rebuild()
        self.stdout.write(f"{count} search entries written.")
