"""Brings a parsed page into the register: plan first, then apply in one transaction.

The same code makes the plan and applies it: a dry run applies inside a transaction and rolls
it back, so the plan is exactly what applying would do. Entries are matched by exact name only
(within their parent organisation, or an alias); near-duplicates stay apart for review.
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from matching.matcher import DUPLICATE, PARENT, UNIT
from matching.services import pairs_involving
from register import deferred
from register.history import audit_context, record_note
from register.models import (
    ActorGroup,
    Category,
    LegalForm,
    Membership,
    Municipality,
    Network,
    Organisation,
    OrganisationAlias,
    unique_slug,
)

from .models import ImportRun
from .page import PageError, parse

UNIT_SEPARATOR = " - "
SHORT_NAME = re.compile(r"\(([^()]{2,12})\)\s*$")
CLASSIFICATIONS = [
    (re.compile(r"Fachbeirat"), Network.Classification.EXPERT_BOARD),
    (re.compile(r"Beirat|beirat"), Network.Classification.COUNCIL),
    (re.compile(r"Arbeitskreis"), Network.Classification.WORKING_GROUP),
    (re.compile(r"Forum|forum"), Network.Classification.FORUM),
]


@dataclass
class Step:
    action: str  # "create", "update", "match"
    kind: str
    name: str
    line: int | None = None
    detail: str = ""


@dataclass
class Plan:
    steps: list = field(default_factory=list)

    def add(self, action, kind, name, line=None, detail=""):
        self.steps.append(Step(action, kind, str(name), line, detail))

    def count(self, action, kind=None):
        return sum(1 for s in self.steps if s.action == action and (kind is None or s.kind == kind))

    @property
    def changes(self):
        return [s for s in self.steps if s.action in {"create", "update"}]

    def summary(self):
        totals = {}
        for step in self.steps:
            totals.setdefault(step.kind, {}).setdefault(step.action, 0)
            totals[step.kind][step.action] += 1
        return totals


@dataclass
class Rules:
    """What the importer is told about a page beyond its text (from the curated data)."""

    categories: dict = field(default_factory=dict)  # top-level name -> {category, body, short_name}
    actor_group_patterns: list = field(default_factory=list)
    anonymised: set = field(default_factory=set)
    bodies: dict = field(default_factory=dict)  # key -> Body

    def is_actor_group(self, entry):
        return any(re.search(pattern, entry) for pattern in self.actor_group_patterns)


def save_if_changed(obj, values, plan, kind, line=None):
    """Set ``values`` on ``obj``; save and plan an update only if something differs."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save()
        plan.add("update", kind, obj, line, ", ".join(changed))
    else:
        plan.add("match", kind, obj, line)
    return obj


class PageImporter:
    def __init__(self, rules, source_name, plan):
        self.rules = rules
        self.source_name = source_name
        self.plan = plan
        self.created_top_level = {}  # organisation id: line
        self.created_networks = {}  # network id: line

    def source(self, line):
        return f"{self.source_name}:{line}"

    def run(self, page):
        for position, section in enumerate(page.sections, start=1):
            network = self.network(section, position)
            focus = section.list_of("focus")
            if focus:
                for index, item in enumerate(focus.items, start=1):
                    self.focus_area(network, item, index)
            members = section.list_of("members")
            if members:
                for index, item in enumerate(members.items, start=1):
                    self.membership(network, item, index)
        if self.created_top_level:
            self.propose_matches()
        return self.plan

    def network(self, section, position):
        match = SHORT_NAME.search(section.heading)
        classification = next(
            (value for pattern, value in CLASSIFICATIONS if pattern.search(section.heading)),
            Network.Classification.OTHER,
        )
        values = {
            "description": section.text,
            "position": position,
            "source": self.source(section.line),
        }
        network = Network.objects.filter(name=section.heading).first()
        if network is None:
            network = Network(
                name=section.heading, slug=unique_slug(Network, match.group(1) if match else section.heading)
            )
            network.classification = classification
            network.short_name = match.group(1) if match else ""
            for name, value in values.items():
                setattr(network, name, value)
            network.save()
            self.plan.add("create", "network", network, section.line)
            self.created_networks[network.pk] = section.line
            return network
        return save_if_changed(network, values, self.plan, "network", section.line)

    def focus_area(self, network, item, position):
        area = network.focus_areas.filter(name=item.text).first()
        values = {"position": position, "source": self.source(item.line)}
        if area is None:
            area = network.focus_areas.create(name=item.text, **values)
            self.plan.add("create", "focus area", area, item.line)
        else:
            save_if_changed(area, values, self.plan, "focus area", item.line)

    def membership(self, network, item, position):
        entry = item.text
        member = {}
        if self.rules.is_actor_group(entry):
            member["actor_group"] = self.actor_group(entry, item.line)
        else:
            member["organisation"] = self.organisation_path(entry, item.line)
        existing = Membership.objects.filter(
            network=network, role=Membership.Role.MEMBER, end_date=None, **member
        ).first()
        values = {"label": entry, "position": position, "source": self.source(item.line)}
        if existing is None:
            membership = Membership.objects.create(network=network, **member, **values)
            self.plan.add("create", "membership", membership, item.line)
        else:
            save_if_changed(existing, values, self.plan, "membership", item.line)

    def actor_group(self, name, line):
        group = ActorGroup.objects.filter(name=name).first()
        if group is None:
            group = ActorGroup.objects.create(name=name, slug=unique_slug(ActorGroup, name), source=self.source(line))
            self.plan.add("create", "actor group", group, line)
        else:
            self.plan.add("match", "actor group", group, line)
        return group

    def organisation_path(self, entry, line):
        """The organisation an entry names; "A - B - C" is unit C of unit B of A."""
        parent = None
        segments = [segment.strip() for segment in entry.split(UNIT_SEPARATOR)]
        for depth, name in enumerate(segments):
            path = UNIT_SEPARATOR.join(segments[: depth + 1])
            parent = self.organisation(name, parent, path, line)
        return parent

    def organisation(self, name, parent, path, line):
        found = Organisation.objects.filter(parent=parent, name=name).first()
        if found is None and parent is None:
            alias = OrganisationAlias.objects.filter(name=name).select_related("organisation").first()
            found = alias.organisation if alias else None
            if found:
                self.plan.add("match", "organisation", found, line, _("by alias “%(alias)s”") % {"alias": name})
                return found
        if found is not None:
            self.plan.add("match", "organisation", found, line)
            return found
        rule = self.rules.categories.get(name, {}) if parent is None else {}
        organisation = Organisation(
            name=name,
            parent=parent,
            slug=unique_slug(Organisation, path),
            category=rule.get("category") or (parent.category if parent else Category.OTHER),
            legal_form=LegalForm.stated_in(name),
            short_name=rule.get("short_name", ""),
            body=self.rules.bodies.get(rule.get("body")),
            anonymised=path in self.rules.anonymised,
            source=self.source(line),
        )
        organisation.save()
        self.plan.add(
            "create", "organisation", organisation, line, _("unit of %(parent)s") % {"parent": parent} if parent else ""
        )
        if parent is None:
            self.created_top_level[organisation.pk] = line
        return organisation

    def propose_matches(self):
        """Near-duplicates are never merged by guess: the plan names them for review."""
        phrases = {
            DUPLICATE: _("possibly the same as “%(other)s” (%(score)d %%)"),
            UNIT: _("possibly a unit of “%(other)s” (%(score)d %%)"),
            PARENT: _("possibly the organisation above “%(other)s” (%(score)d %%)"),
        }
        found = pairs_involving(set(self.created_top_level))
        others = Organisation.objects.in_bulk({other for _key, other, _kind, _score in found})
        names = Organisation.objects.in_bulk(set(self.created_top_level))
        for key, other, kind, score in sorted(found, key=lambda item: self.created_top_level[item[0]]):
            values = {"other": others[other].full_name, "score": round(score * 100)}
            self.plan.add("propose", "organisation", names[key], self.created_top_level[key], phrases[kind] % values)


def propose_similar_networks(plan, created, reason):
    """New networks that resemble networks already in the register are named in the plan; applying
    them needs a reason (kept in each one's history), else the import stops before writing."""
    from analysis.overlap import similar_networks

    if not created:
        return
    similar = []
    for network in Network.objects.filter(pk__in=created).prefetch_related("topics", "hosts"):
        found = [
            item
            for item in similar_networks(
                network.name,
                purpose=network.purpose,
                topic_ids=[topic.pk for topic in network.topics.all()],
                hosts=[(host.body_id, host.unit) for host in network.hosts.all()],
                exclude=network,
            )
            if item.network.pk not in created
        ]
        for item in found:
            detail = _("resembles “%(other)s”: %(reasons)s") % {
                "other": item.network.name,
                "reasons": "; ".join(str(text) for text in item.reasons),
            }
            plan.add("propose", "network", network, created[network.pk], detail)
        if found:
            similar.append((network, found))
    if similar and reason:
        for network, found in similar:
            names = "; ".join(item.network.name for item in found)
            record_note(
                network,
                _("Created by import although similar networks exist (%(names)s). Reason: %(reason)s")
                % {"names": names, "reason": reason},
            )
    return similar


def check_municipalities(page):
    """Items of municipality lists must name municipalities of the register, exactly."""
    known = set(Municipality.objects.values_list("name", flat=True))
    for section in page.sections:
        municipalities = section.list_of("municipalities")
        for item in municipalities.items if municipalities else []:
            if item.text not in known:
                raise PageError(
                    item.line,
                    _("“%(name)s” is not a municipality of the register. Check the spelling.") % {"name": item.text},
                )


def import_page(
    data, source_name, *, rules=None, prepare=None, finish=None, dry_run=False, user=None, similar_reason=""
):
    """Parse and import a page. Returns the plan; with ``dry_run`` nothing is written.

    ``prepare(plan)`` returns the Rules and ``finish(page, plan)`` adds facts that build on the
    page; both run inside the same transaction. A PageError (line and message) is raised
    before anything is written. New networks that resemble existing ones are proposed in the
    plan; applying them needs ``similar_reason``.
    """
    page = parse(data)
    check_municipalities(page)
    with transaction.atomic(), audit_context(user=user, source=f"import:{source_name}"), deferred.gathered():
        plan = Plan()
        rules = prepare(plan) if prepare else (rules or Rules())
        importer = PageImporter(rules, source_name, plan)
        importer.run(page)
        if finish:
            finish(page, plan)
        similar = propose_similar_networks(plan, importer.created_networks, similar_reason)
        if similar and not dry_run and not similar_reason:
            names = ", ".join(f"“{network.name}”" for network, _found in similar)
            raise PageError(
                importer.created_networks[similar[0][0].pk],
                _("New networks resemble existing ones (%(names)s); give the reason why they are separate.")
                % {"names": names},
            )
        if dry_run:
            transaction.set_rollback(True)
        else:
            ImportRun.objects.create(
                user=user,
                kind="page",
                source_name=source_name,
                sha256=hashlib.sha256(data).hexdigest(),
                summary=plan.summary(),
            )
    return plan
