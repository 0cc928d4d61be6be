from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from importing.curated import CuratedError
from importing.demo import import_with_curated
from importing.page import PageError


class Command(BaseCommand):
    help = "Import a page in the format of the county's network page. Shows the plan; --apply writes it."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--apply", action="store_true", help="Write the plan to the register.")
        parser.add_argument("--verbose-plan", action="store_true", help="List every step, matches too.")
        parser.add_argument(
            "--confirm-similar",
            default="",
            metavar="REASON",
            help="Why new networks that resemble existing ones are separate (kept in their history).",
        )

    def handle(self, path, apply, verbose_plan, confirm_similar, **options):
        try:
            plan = import_with_curated(
                path.read_bytes(), path.name, dry_run=not apply, similar_reason=confirm_similar.strip()
            )
        except (PageError, CuratedError) as error:
            raise CommandError(f"{path.name}: {error}") from error
        except OSError as error:
            raise CommandError(str(error)) from error
        for step in plan.steps:
            if verbose_plan or step.action != "match":
                line = f"{step.line:>4}" if step.line else "    "
                self.stdout.write(f"{line}  {step.action:<7} {step.kind:<20} {step.name}  {step.detail}".rstrip())
        changes = len(plan.changes)
        matched = plan.count("match")
        verb = "applied" if apply else "would apply (dry run; add --apply to write)"
        self.stdout.write(self.style.SUCCESS(f"{changes} changes {verb}; {matched} entries matched existing ones."))
