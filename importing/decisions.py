"""The office's decisions about near-duplicates of the county's page, kept in data/decisions.toml.

Each decision quotes the page as its evidence; one whose evidence is not on the page is reported
in the plan and not applied. Entries found the same are merged through the duplicate review's
merge (so the decision, the history and the undo are the review's own); a network is linked to the
organisation entry that stands for it where it sits in another network. A second run finds the
decisions applied and changes nothing.
"""

import tomllib

from django.utils.translation import gettext as _

from matching.merging import merge
from register.models import Network, Organisation

from .curated import DATA_DIR

DECISIONS_PATH = DATA_DIR / "decisions.toml"


def load(path=DECISIONS_PATH):
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def page_text(page):
    return "\n".join(
        [page.title.heading, page.title.text]
        + [
            "\n".join([section.heading, section.text, *(item.text for lists in section.lists for item in lists.items)])
            for section in page.sections
        ]
    )


def missing_evidence(decision, text):
    return [words for words in decision.get("evidence", []) if words not in text]


def apply_decisions(decisions, page, plan, user=None):
    """Apply the decisions whose evidence is on the page; report the others in the plan."""
    text = page_text(page)
    for decision in decisions.get("same", []):
        label = f"{decision['merge']} → {decision['keep']}"
        missing = missing_evidence(decision, text)
        if missing:
            plan.add("skip", "decision", label, None, _("evidence not on the page: %(words)s") % {"words": missing[0]})
            continue
        survivor = Organisation.objects.filter(name=decision["keep"], parent=None).first()
        merged = Organisation.objects.filter(name=decision["merge"], parent=None).first()
        if survivor is None or merged is None:
            plan.add("match", "decision", label, None, _("already applied"))
            continue
        merge(survivor, merged, user=user)
        plan.add("merge", "organisation", label, None, decision.get("reason", ""))
    for decision in decisions.get("stands_for", []):
        label = f"{decision['network']} = {decision['organisation']}"
        missing = missing_evidence(decision, text)
        if missing:
            plan.add("skip", "decision", label, None, _("evidence not on the page: %(words)s") % {"words": missing[0]})
            continue
        network = Network.objects.filter(name=decision["network"]).first()
        organisation = Organisation.objects.filter(name=decision["organisation"], parent=None).first()
        if network is None or organisation is None:
            plan.add("skip", "decision", label, None, _("not in the register"))
        elif network.organisation_id == organisation.pk:
            plan.add("match", "decision", label, None, _("already applied"))
        else:
            network.organisation = organisation
            network.save()
            plan.add("update", "network", network, None, decision.get("reason", ""))
