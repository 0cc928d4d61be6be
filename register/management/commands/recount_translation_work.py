"""Count the translations still to do anew, e.g. after records were written with bulk_create."""

from django.core.management.base import BaseCommand
from django.db import transaction

from register import translations


class Command(BaseCommand):
    help = "Count the texts still to translate into every language anew and store the counts."

    def handle(self, *args, **options):
        with transaction.atomic():
            counted = translations.recount()
        for language, per_model in counted.items():
            self.stdout.write(
                f"{language}: {sum(counts.records for counts in per_model.values())} records to translate."
            )
