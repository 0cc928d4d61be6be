"""List and anonymise people past the retention period; meant to run from cron, e.g. nightly."""

from django.core.management.base import BaseCommand

from register.history import audit_context
from workspace import gdpr
from workspace.models import WorkspaceSettings


class Command(BaseCommand):
    help = (
        "Anonymise people without an active membership whose last membership ended longer ago than the "
        "retention period set in the workspace. With --dry-run only lists them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list who is overdue; change nothing.")

    def handle(self, *, dry_run, **options):
        months = WorkspaceSettings.load().retention_months
        overdue = list(gdpr.overdue())
        for person in overdue:
            last = (
                person.last_end.isoformat() if person.last_end else f"no membership, entered {person.created:%Y-%m-%d}"
            )
            self.stdout.write(f"{person.pk}\t{person}\t{last}")
        if dry_run:
            self.stdout.write(f"{len(overdue)} person(s) past the retention period of {months} months (dry run).")
            return
        with audit_context(source="retention rule"):
            for person in overdue:
                gdpr.erase(person)
        self.stdout.write(self.style.SUCCESS(f"{len(overdue)} person(s) anonymised."))
