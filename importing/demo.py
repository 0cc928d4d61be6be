"""The demo data: the county's "Netzwerkarbeit" page with its curated facts."""

from matching.services import refresh_suggestions
from register.models import Network

from . import curated as curated_data
from .apply import import_page


def import_with_curated(data, source_name, *, dry_run=False, user=None, curated_path=curated_data.CURATED_PATH):
    """Import a page and apply the curated facts about it, all in one transaction."""
    curated = curated_data.load(curated_path)
    bodies = {}

    def prepare(plan):
        bodies.update(curated_data.ensure_bodies(curated, plan))
        return curated_data.rules_from(curated, bodies)

    def finish(page, plan):
        curated_data.apply_curated(curated, page, plan, bodies)

    return import_page(data, source_name, prepare=prepare, finish=finish, dry_run=dry_run, user=user)


def load_demo(*, dry_run=False, only_if_empty=False):
    """Load the seed page. With ``only_if_empty`` an existing register is left alone."""
    if only_if_empty and Network.objects.exists():
        return None
    data = curated_data.SEED_PATH.read_bytes()
    plan = import_with_curated(data, curated_data.SEED_PATH.name, dry_run=dry_run)
    if not dry_run:
        refresh_suggestions()  # the review queue starts with the page's near-duplicates
    return plan
