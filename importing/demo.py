"""The demo data: the county's "Netzwerkarbeit" page with its curated facts and the office's decisions."""

import json
from pathlib import Path

from django.db import transaction

from analysis.figures import compute as compute_map_figures
from matching.services import refresh_suggestions
from register import deferred
from register.models import Network
from register.translations import apply_memory

from . import curated as curated_data
from . import decisions as office_decisions
from .apply import import_page


def import_with_curated(
    data,
    source_name,
    *,
    dry_run=False,
    user=None,
    curated_path=curated_data.CURATED_PATH,
    similar_reason="",
    decisions=True,
):
    """Import a page and apply the curated facts about it and the office's decisions (unless
    ``decisions`` is false), all in one transaction."""
    curated = curated_data.load(curated_path)
    decided = office_decisions.load() if decisions else {}
    bodies = {}

    def prepare(plan):
        bodies.update(curated_data.ensure_bodies(curated, plan))
        return curated_data.rules_from(curated, bodies)

    def finish(page, plan):
        curated_data.apply_curated(curated, page, plan, bodies)
        office_decisions.apply_decisions(decided, page, plan, user=user)

    return import_page(
        data, source_name, prepare=prepare, finish=finish, dry_run=dry_run, user=user, similar_reason=similar_reason
    )


# The office's translations of the demo texts: one translation memory per language,
# {German text: translation} (register.translations.apply_memory).
TRANSLATIONS_DIR = Path(__file__).parent / "data" / "translations"


def demo_translations():
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(TRANSLATIONS_DIR.glob("*.json"))}


def load_demo(*, dry_run=False, only_if_empty=False):
    """Load the seed page. With ``only_if_empty`` an existing register is left alone."""
    if only_if_empty and Network.objects.exists():
        return None
    data = curated_data.SEED_PATH.read_bytes()
    if dry_run:
        return import_with_curated(data, curated_data.SEED_PATH.name, dry_run=True)
    with transaction.atomic(), deferred.gathered():  # the search entries written once, with the translations
        plan = import_with_curated(data, curated_data.SEED_PATH.name)
        apply_memory(demo_translations())
    refresh_suggestions()  # the review queue starts with the page's near-duplicates
    compute_map_figures()  # the map's figures at once, not when the task queue gets to them
    return plan
