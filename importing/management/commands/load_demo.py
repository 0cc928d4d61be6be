from django.core.management.base import BaseCommand

from importing.demo import load_demo


class Command(BaseCommand):
    help = "Load the county's network page as demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the register has networks.")

    def handle(self, if_empty, **options):
        plan = load_demo(only_if_empty=if_empty)
        if plan is None:
            self.stdout.write("The register already holds data; demo data not loaded.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {len(plan.changes)} changes."))
