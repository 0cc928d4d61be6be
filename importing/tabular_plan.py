"""Turns the rows of a table into a plan against the register, and writes the plan.

The same code checks and applies: ``make_plan`` reads the register once (a fixed number of
queries), resolves every row – exact name, full name ("A - B") or alias – and reports every
problem with its row and column. ``write_plan`` saves changed records through their model's
``save()`` and inserts new ones in bulk, each with its line in the change history; the caller
wraps it in one transaction.
Near matches (from one ``matching.matcher.MatchIndex`` per import, when the matcher is installed)
are only proposed.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property

from django.core.exceptions import ValidationError
from django.db.models import Max, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from register.composition import seat_roles
from register.models import (
    ActorGroup,
    Category,
    LegislativeTerm,
    Membership,
    Municipality,
    Network,
    Organisation,
    OrganisationAlias,
    Person,
)
from register.text import free_slug

from . import tabular
from .tabular import (
    CATEGORY_WORDS,
    LEGAL_BASIS_WORDS,
    LEGAL_FORM_WORDS,
    MEMBERSHIPS,
    ORGANISATIONS,
    PEOPLE,
    ROLE_WORDS,
    CellError,
    Problem,
    normalise,
)

logger = logging.getLogger(__name__)
UNIT_SEPARATOR = " - "
# How often the check reports its progress (rows).
PROGRESS_EVERY = 500
# Near-match look-ups per import; each may be costly, and a long list helps nobody.
NEAR_MATCH_LIMIT = 50
# Rows per INSERT when new records and their history are written in bulk.
WRITE_BATCH = 500


@dataclass
class RowPlan:
    """What one row does: create, update or leave a record unchanged."""

    row: int
    action: str
    label: str
    matched_by: str = ""
    changes: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    instance: object = None

    def as_dict(self):
        return {
            "row": self.row,
            "action": self.action,
            "label": self.label,
            "matched_by": self.matched_by,
            "changes": self.changes,
            "proposals": self.proposals,
        }


@dataclass
class Plan:
    kind: str
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def summary(self):
        totals = {"create": 0, "update": 0, "unchanged": 0}
        for row in self.rows:
            totals[row.action] += 1
        return totals


class KnownEntries:
    """The parts of the register a table refers to, read once and looked up in memory."""

    def __init__(self, user_networks=None):
        self.user_networks = user_networks  # ids of the networks the user may change, None = all
        self.near_lookups = 0

    @cached_property
    def organisations(self):
        return {org.pk: org for org in Organisation.objects.all()}

    @cached_property
    def full_names(self):
        names = {}
        for org in self.organisations.values():
            parts, node, seen = [], org, set()
            while node is not None and node.pk not in seen:
                seen.add(node.pk)
                parts.insert(0, node.name)
                node = self.organisations.get(node.parent_id)
            names[org.pk] = UNIT_SEPARATOR.join(parts)
        return names

    @cached_property
    def by_full_name(self):
        found = defaultdict(list)
        for pk, name in self.full_names.items():
            found[normalise(name)].append(self.organisations[pk])
        return found

    @cached_property
    def by_parent_and_name(self):
        return {(org.parent_id, normalise(org.name)): org for org in self.organisations.values()}

    @cached_property
    def aliases(self):
        found = defaultdict(list)
        for name, pk in OrganisationAlias.objects.values_list("name", "organisation_id"):
            if pk in self.organisations:
                found[normalise(name)].append(self.organisations[pk])
        return found

    @cached_property
    def municipalities(self):
        return {normalise(m.name): m for m in Municipality.objects.all()}

    @cached_property
    def networks(self):
        found = defaultdict(list)
        for network in Network.objects.all():
            for key in {normalise(network.name), normalise(network.short_name), normalise(network.slug)} - {""}:
                found[key].append(network)
        return found

    @cached_property
    def elected(self):
        """Networks with terms of office: their seats belong to a term and are entered in the workspace."""
        return set(LegislativeTerm.objects.filter(network__isnull=False).values_list("network_id", flat=True))

    @cached_property
    def actor_groups(self):
        return {normalise(group.name): group for group in ActorGroup.objects.all()}

    @cached_property
    def people(self):
        """People that may be named. Coordinators see only the published ones and those of their networks."""
        people = Person.objects.filter(erased_at__isnull=True)
        if self.user_networks is not None:
            people = people.filter(
                Q(consent_to_publish=True) | Q(memberships__network__in=self.user_networks)
            ).distinct()
        return list(people)

    @cached_property
    def people_by_email(self):
        found = defaultdict(list)
        for person in self.people:
            if person.email:
                found[normalise(person.email)].append(person)
        return found

    @cached_property
    def people_by_name(self):
        found = defaultdict(list)
        for person in self.people:
            found[normalise(f"{person.given_name} {person.family_name}")].append(person)
        return found

    @cached_property
    def people_by_pk(self):
        return {person.pk: person for person in self.people}

    @cached_property
    def memberships_by_pk(self):
        return {m.pk: m for found in self.memberships.values() for m in found}

    @cached_property
    def memberships(self):
        """{(network, member kind, member id, role): [memberships]}, each with its person's state."""
        found = defaultdict(list)
        people = Person.objects.only("pk", "consent_to_publish", "erased_at")
        for membership in Membership.objects.prefetch_related(Prefetch("person", queryset=people)):
            member_id = membership.organisation_id or membership.actor_group_id or membership.person_id
            found[(membership.network_id, membership.member_kind, member_id, membership.role)].append(membership)
        return found

    def organisation_name(self, org):
        if org.pk is None:  # planned by an earlier row of the same file
            return getattr(org, "planned_full_name", org.name)
        return self.full_names.get(org.pk, org.name)

    def find_organisation(self, text):
        """(organisation, how it was found) for a name, full name or alias; CellError if none or several."""
        candidates = self.by_full_name.get(normalise(text), [])
        how = _("same name")
        if not candidates:
            candidates, how = self.aliases.get(normalise(text), []), _("alias “%(alias)s”") % {"alias": text}
        if len(candidates) > 1:
            names = "; ".join(sorted(self.organisation_name(org) for org in candidates))
            raise CellError(_("“%(name)s” fits several organisations: %(names)s.") % {"name": text, "names": names})
        if not candidates:
            message = _("There is no organisation “%(name)s” in the register.") % {"name": text}
            near = self.near_matches(text)
            if near:
                message += " " + _("Did you mean: %(names)s?") % {"names": "; ".join(f"“{n}”" for n in near)}
            raise CellError(message)
        return candidates[0], how

    def find_network(self, text):
        candidates = self.networks.get(normalise(text), [])
        if len(candidates) != 1:
            names = ", ".join(f"“{n.name}”" for n in {n.pk: n for ns in self.networks.values() for n in ns}.values())
            raise CellError(
                _("There is no network “%(name)s”. Known networks: %(names)s.") % {"name": text, "names": names}
                if not candidates
                else _("“%(name)s” fits several networks. Write the full name.") % {"name": text}
            )
        network = candidates[0]
        if self.user_networks is not None and network.pk not in self.user_networks:
            raise CellError(_("You may not change the memberships of “%(network)s”.") % {"network": network.name})
        return network

    def find_actor_group(self, text):
        group = self.actor_groups.get(normalise(text))
        if group is None:
            raise CellError(_("There is no actor group “%(name)s” in the register.") % {"name": text})
        return group

    def find_person(self, text):
        key = normalise(text)
        candidates = self.people_by_email.get(key, []) if "@" in text else self.people_by_name.get(key, [])
        if len(candidates) > 1:
            raise CellError(
                _("“%(name)s” fits %(count)s people. Give the e-mail address instead.")
                % {"name": text, "count": len(candidates)}
            )
        if not candidates:
            raise CellError(
                _("There is no person “%(name)s” in the register. Import the people first.") % {"name": text}
            )
        return candidates[0]

    @cached_property
    def match_index(self):
        """The matcher's index of the register, built once for the whole import; None without the matcher."""
        try:
            from matching.matcher import MatchIndex
        except ImportError:
            return None
        return MatchIndex.of_register()

    def near_people(self, values):
        """Existing people that a new person of the file may be (names with e-mail domain or organisation)."""
        if self.near_lookups >= NEAR_MATCH_LIMIT or not (values["family_name"] or values["email"]):
            return []
        self.near_lookups += 1
        from matching.checks import similar_people

        visible = {person.pk for person in self.people}
        found = similar_people(values["given_name"], values["family_name"], values["email"], limit=3)
        return [
            f"{item.entry} ({item.entry.organisation})" if item.entry.organisation_id else str(item.entry)
            for item in found
            if item.entry.pk in visible
        ]

    def near_matches(self, name):
        """Names of existing organisations similar to ``name``; none if the matcher is not installed."""
        if self.near_lookups >= NEAR_MATCH_LIMIT:
            return []
        self.near_lookups += 1
        try:
            index = self.match_index
            proposals = index.scored(name, limit=3) if index is not None else []
        except Exception:  # a failing matcher must not stop an import; the names are only a hint
            logger.exception("near matches failed for %r", name)
            return []
        return [self.full_names.get(key) or describe_proposal(key) for key, _verdict in proposals]


def describe_proposal(proposal):
    """The name of a proposed organisation, whether the matcher gives matches, pairs or organisations."""
    proposal = getattr(proposal, "organisation", proposal)
    if isinstance(proposal, tuple | list) and proposal:
        proposal = proposal[0]
    if isinstance(proposal, dict):
        proposal = proposal.get("name") or proposal.get("object") or proposal.get("organisation") or ""
    return str(getattr(proposal, "full_name", proposal))


class RowChecker:
    """Reads the cells of one row; every unreadable cell becomes a problem of its column."""

    def __init__(self, table, number, record, problems, new_in_file):
        self.table = table
        self.new_in_file = new_in_file  # organisations planned by earlier rows, by full name
        self.number = number
        self.record = record
        self.problems = problems
        self.ok = True

    def problem(self, key, message):
        self.ok = False
        self.problems.append(Problem(self.number, self.table.column_name(key) if key else "", message))

    def read(self, key, parse, *args):
        try:
            return parse(self.record.get(key), *args)
        except CellError as error:
            self.problem(key, str(error))
            return None

    def text(self, key, model):
        model_field = model._meta.get_field(key)
        value = self.read(key, tabular.parse_text, model_field.max_length or 100_000) or ""
        try:
            model_field.run_validators(value)  # the model's own rules, e.g. no invisible characters in names
        except ValidationError as error:
            self.problem(key, " ".join(error.messages))
            return ""
        return model_field.to_python(value)

    def has(self, key):
        return bool(tabular.cell_text(self.record.get(key)))


CHOICES = {
    "category": (Category.choices, CATEGORY_WORDS),
    "legal_form": (Organisation._meta.get_field("legal_form").choices, LEGAL_FORM_WORDS),
    "legal_basis": (Person._meta.get_field("legal_basis").choices, LEGAL_BASIS_WORDS),
    "role": (Membership.Role.choices, ROLE_WORDS),
}


@cache
def choice_lookup(key):
    choices, words = CHOICES[key]
    return tabular.choice_lookup(choices, words)


def choice(checker, key):
    return checker.read(key, tabular.parse_choice, choice_lookup(key), CHOICES[key][1])


def set_changes(instance, values, row_plan):
    """Put the given values on an existing record; the changed field names go into the plan."""
    for name, value in values.items():
        if value is None or value == "":
            continue
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            row_plan.changes.append(str(instance._meta.get_field(name).verbose_name))
    row_plan.action = "update" if row_plan.changes else "unchanged"


def as_datetime(date):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(12))) if date else None


def plan_organisations(register, checker):
    values = {
        "short_name": checker.text("short_name", Organisation),
        "category": choice(checker, "category"),
        "legal_form": choice(checker, "legal_form"),
        "website": checker.read("website", tabular.parse_url, 200),
        "email": checker.read("email", tabular.parse_email, 254),
        "phone": checker.text("phone", Organisation),
        "street_address": checker.text("street_address", Organisation),
        "postal_code": checker.text("postal_code", Organisation),
        "locality": checker.text("locality", Organisation),
        "description": checker.text("description", Organisation),
    }
    name = checker.text("name", Organisation)
    if not name:
        checker.problem("name", _("The name is missing."))
    elif UNIT_SEPARATOR in name:
        checker.problem(
            "name",
            _("A name must not contain “ - ”. Give a unit its own row with the “Übergeordnete Organisation”."),
        )
    municipality = None
    if checker.has("municipality"):
        text = tabular.cell_text(checker.record["municipality"])
        municipality = register.municipalities.get(normalise(text))
        if municipality is None:
            checker.problem("municipality", _("“%(name)s” is not a municipality of the register.") % {"name": text})
    parent = None
    if checker.has("parent"):
        text = tabular.cell_text(checker.record["parent"])
        parent = checker.new_in_file.get(normalise(text))
        if parent is None:
            try:
                parent, _how = register.find_organisation(text)
            except CellError as error:
                checker.problem("parent", f"{error} " + _("List the parent organisation in a row above this one."))
    entry_id = checker.read("id", tabular.parse_id)
    by_id = register.organisations.get(entry_id) if entry_id else None
    if entry_id and by_id is None:
        checker.problem("id", _("There is no organisation with the ID %(id)s.") % {"id": entry_id})
    elif (
        by_id is not None
        and checker.ok
        and (normalise(by_id.name) != normalise(name) or by_id.parent_id != (parent.pk if parent else None))
    ):
        checker.problem(
            "name",
            _(
                "The ID %(id)s is “%(name)s” in the register. The import does not rename organisations: keep the "
                "name, or empty the ID to add a new organisation."
            )
            % {"id": entry_id, "name": register.organisation_name(by_id)},
        )
    if not checker.ok:
        return None
    full_name = UNIT_SEPARATOR.join([register.organisation_name(parent), name]) if parent else name
    row_plan = RowPlan(checker.number, "create", full_name)
    values["municipality"] = municipality
    existing = None
    if by_id is not None:
        existing, row_plan.matched_by = by_id, _("ID")
    elif parent is None or parent.pk:
        existing = register.by_parent_and_name.get((parent.pk if parent else None, normalise(name)))
        row_plan.matched_by = _("same name")
        if existing is None and parent is None:
            aliased = register.aliases.get(normalise(name), [])
            if len(aliased) == 1:
                existing, row_plan.matched_by = aliased[0], _("alias “%(alias)s”") % {"alias": name}
    if existing is not None:
        row_plan.label = register.organisation_name(existing)
        set_changes(existing, values, row_plan)
        row_plan.instance = existing
    else:
        row_plan.matched_by = ""
        organisation = Organisation(name=name, parent=parent)
        organisation.planned_full_name = full_name
        for field_name, value in values.items():
            if value not in (None, ""):
                setattr(organisation, field_name, value)
        if values["category"] is None:
            organisation.category = parent.category if parent else Category.OTHER
        row_plan.instance = organisation
        if parent is None:
            row_plan.proposals = register.near_matches(name)
    checker.new_in_file[normalise(full_name)] = row_plan.instance
    key = ("organisation", existing.pk) if existing is not None else ("organisation", normalise(full_name))
    return row_plan, key


def plan_people(register, checker):
    values = {
        "title": checker.text("title", Person),
        "given_name": checker.text("given_name", Person),
        "family_name": checker.text("family_name", Person),
        "function": checker.text("function", Person),
        "email": checker.read("email", tabular.parse_email, 254) or "",
        "phone": checker.text("phone", Person),
        "legal_basis": choice(checker, "legal_basis"),
        "consent_to_publish": checker.read("consent_to_publish", tabular.parse_bool),
        "consent_recorded_at": as_datetime(checker.read("consent_recorded_at", tabular.parse_date)),
        "consent_note": checker.text("consent_note", Person),
        "purpose": checker.text("purpose", Person),
    }
    if not values["family_name"] and not values["function"] and checker.ok:
        checker.problem("family_name", _("Give a family name or a function."))
    if checker.has("organisation"):
        try:
            values["organisation"], _how = register.find_organisation(tabular.cell_text(checker.record["organisation"]))
        except CellError as error:
            checker.problem("organisation", str(error))
    entry_id = checker.read("id", tabular.parse_id)
    if entry_id and entry_id not in register.people_by_pk:
        checker.problem("id", _("There is no person with the ID %(id)s whom you may change.") % {"id": entry_id})
    if not checker.ok:
        return None
    existing, how = None, ""
    if entry_id:
        found, key, how = [register.people_by_pk[entry_id]], ("person", "id", entry_id), _("ID")
    elif values["email"]:
        found = register.people_by_email.get(normalise(values["email"]), [])
        key = ("person", "email", normalise(values["email"]))
        how = _("same e-mail address")
    else:
        organisation = values.get("organisation")
        found = [
            person
            for person in register.people_by_name.get(normalise(f"{values['given_name']} {values['family_name']}"), [])
            if values["family_name"] and person.organisation_id == (organisation.pk if organisation else None)
        ]
        key = ("person", "name", normalise(f"{values['given_name']} {values['family_name']}|{organisation}"))
        how = _("same name and organisation")
    if len(found) > 1:
        column = "email" if values["email"] else "family_name"
        checker.problem(
            column, _("This fits %(count)s people in the register. Give the e-mail address.") % {"count": len(found)}
        )
        return None
    existing = found[0] if found else None
    given = values["consent_recorded_at"]
    recorded = existing.consent_recorded_at if existing is not None else None
    if given and recorded and timezone.localdate(recorded) == timezone.localdate(given):
        values["consent_recorded_at"] = None  # the file holds the date only: the same day keeps the recorded time
    consent_needed = values["consent_to_publish"] or values["legal_basis"] == "consent"
    has_record = values["consent_recorded_at"] or (existing and existing.consent_recorded_at)
    if consent_needed and not has_record:
        checker.problem(
            "consent_recorded_at", _("With consent, give the date on which the person gave it (e.g. 31.12.2025).")
        )
        return None
    if existing is not None:
        row_plan = RowPlan(checker.number, "update", str(existing), matched_by=how, instance=existing)
        set_changes(existing, values, row_plan)
    else:
        person = Person(**{name: value for name, value in values.items() if value not in (None, "")})
        row_plan = RowPlan(checker.number, "create", str(person), instance=person)
        row_plan.proposals = register.near_people(values)
    return row_plan, key


def plan_memberships(register, checker):
    network = None
    if checker.has("network"):
        try:
            network = register.find_network(tabular.cell_text(checker.record["network"]))
        except CellError as error:
            checker.problem("network", str(error))
    else:
        checker.problem("network", _("The network is missing."))
    entry_id = checker.read("id", tabular.parse_id)
    by_id = register.memberships_by_pk.get(entry_id) if entry_id else None
    if entry_id and by_id is None:
        checker.problem("id", _("There is no membership with the ID %(id)s.") % {"id": entry_id})
    elif by_id is not None and network is not None and by_id.network_id != network.pk:
        checker.problem("id", _("The ID %(id)s is a membership of another network.") % {"id": entry_id})
    filled = [key for key in ("organisation", "actor_group", "person") if checker.has(key)]
    member, member_kind = None, None
    if len(filled) != 1:
        checker.problem(
            filled[1] if len(filled) > 1 else "organisation",
            _("Fill exactly one of “Organisation”, “Akteursgruppe” and “Person”."),
        )
    else:
        member_kind = filled[0]
        text = tabular.cell_text(checker.record[member_kind])
        try:
            if (
                member_kind == "person"
                and by_id is not None
                and by_id.person_id
                and names_the_person(register, by_id, text)
            ):
                member = by_id.person  # the ID says who, also when the export could not name them
            elif member_kind == "organisation":
                member, _how = register.find_organisation(text)
            elif member_kind == "actor_group":
                member = register.find_actor_group(text)
            else:
                member = register.find_person(text)
        except CellError as error:
            checker.problem(member_kind, str(error))
        if by_id is not None and member is not None and member_key(by_id) != (member_kind, member.pk):
            checker.problem(
                member_kind,
                _("The ID %(id)s is the membership of another member. Empty the ID to add a new membership.")
                % {"id": entry_id},
            )
    role = choice(checker, "role") or Membership.Role.MEMBER
    if network is not None and network.pk in register.elected and seat_roles(role):
        checker.problem(
            "role",
            _("%(network)s has terms of office: add its members and deputies in the workspace, with their term.")
            % {"network": network.name},
        )
    voting_right = checker.read("voting_right", tabular.parse_bool)
    start_date = checker.read("start_date", tabular.parse_date)
    end_date = checker.read("end_date", tabular.parse_date)
    if start_date and end_date and end_date < start_date:
        checker.problem("end_date", _("The membership cannot end before it starts."))
    on_behalf_of = None
    if checker.has("on_behalf_of"):
        if member_kind != "person":
            checker.problem("on_behalf_of", _("Only a person can sit on behalf of an organisation."))
        else:
            try:
                on_behalf_of, _how = register.find_organisation(tabular.cell_text(checker.record["on_behalf_of"]))
            except CellError as error:
                checker.problem("on_behalf_of", str(error))
    if not checker.ok:
        return None
    label_member = register.organisation_name(member) if member_kind == "organisation" else str(member)
    written = tabular.cell_text(checker.record[member_kind])
    role_label = tabular.choice_word(ROLE_WORDS, role)
    label = f"{label_member} – {network.name} ({role_label})"
    candidates = register.memberships.get((network.pk, member_kind, member.pk, role), [])
    existing = next((m for m in candidates if m.end_date is None), None) or next(
        (m for m in candidates if m.start_date == start_date and m.end_date == end_date), None
    )
    matched_by = _("same member and role")
    if by_id is not None:
        existing, matched_by = by_id, _("ID")
    values = {
        "role": role,
        "voting_right": voting_right,
        "start_date": start_date,
        "end_date": end_date,
        "on_behalf_of": on_behalf_of,
    }
    if existing is not None:
        row_plan = RowPlan(checker.number, "update", label, matched_by=matched_by, instance=existing)
        set_changes(existing, values, row_plan)
    else:
        membership = Membership(network=network, role=role, label=written[:300], **{member_kind: member})
        for name, value in values.items():
            if value is not None:
                setattr(membership, name, value)
        row_plan = RowPlan(checker.number, "create", label, instance=membership)
    if by_id is not None:
        return row_plan, ("membership", "id", entry_id)
    return row_plan, ("membership", network.pk, member_kind, member.pk, role, end_date)


def member_key(membership):
    return membership.member_kind, membership.organisation_id or membership.actor_group_id or membership.person_id


def names_the_person(register, membership, text):
    """Whether ``text`` is how an export shows the person of ``membership``: by name, e-mail address or
    function, or as "(erased)" or "(not public)"."""
    person = register.people_by_pk.get(membership.person_id)
    if person is None:
        return is_hidden_as(membership.person, text)
    names = {f"{person.given_name} {person.family_name}", person.email, person.function}
    return normalise(text) in {normalise(name) for name in names} - {""} or is_hidden_as(person, text)


def is_hidden_as(person, text):
    """Whether ``text`` is how an export shows this person when it may not name them."""
    if person.erased_at is not None:
        return normalise(text) in tabular.marks(tabular.ERASED_MARK)
    if not person.is_public:
        return normalise(text) in tabular.marks(tabular.NOT_PUBLIC_MARK)
    return False


PLANNERS = {ORGANISATIONS: plan_organisations, PEOPLE: plan_people, MEMBERSHIPS: plan_memberships}


def make_plan(table, register, progress=None):
    """The plan for every row of the table, with every problem; nothing is written."""
    plan = Plan(kind=table.kind, problems=list(table.problems))
    seen = {}
    new_in_file = {}
    planner = PLANNERS[table.kind]
    total = len(table.rows)
    for index, (number, record) in enumerate(table.rows, start=1):
        checker = RowChecker(table, number, record, plan.problems, new_in_file)
        result = planner(register, checker)
        if result is not None:
            row_plan, key = result
            if key in seen:
                plan.problems.append(
                    Problem(
                        number,
                        "",
                        _("This row names the same entry as row %(row)s. Merge the two rows.") % {"row": seen[key]},
                    )
                )
            else:
                seen[key] = number
                plan.rows.append(row_plan)
        if progress and (index % PROGRESS_EVERY == 0 or index == total):
            progress(index, total)
    plan.problems.sort(key=lambda problem: (problem.row or 0, problem.column))
    return plan


def unique_slugs(model):
    """A function giving slugs unused by ``model``, from one query."""
    taken = set(model.objects.values_list("slug", flat=True))

    def slug_for(text, max_length=120):
        slug = free_slug(text, taken.__contains__, max_length)
        taken.add(slug)
        return slug

    return slug_for


def create_in_bulk(model, instances):
    """Insert new records in bulk with their history, organisations before their units."""
    depth = {}
    levels = defaultdict(list)
    for instance in instances:
        parent = getattr(instance, "parent", None) if model is Organisation else None
        level = depth.get(id(parent), -1) + 1 if parent is not None and parent.pk is None else 0
        depth[id(instance)] = level
        levels[level].append(instance)
    for level in sorted(levels):
        model.create_in_bulk(levels[level], batch_size=WRITE_BATCH)


def write_plan(plan, source):
    """Save every planned change: changed records one by one through their model (which writes the
    history), new records in bulk with their history written in bulk too."""
    model = {ORGANISATIONS: Organisation, PEOPLE: Person, MEMBERSHIPS: Membership}[plan.kind]
    slug_for = unique_slugs(Organisation) if plan.kind == ORGANISATIONS else None
    next_position = {}
    if plan.kind == MEMBERSHIPS:
        next_position = dict(
            Membership.objects.values_list("network_id")
            .annotate(last=Max("position"))
            .values_list("network_id", "last")
        )
    created = []
    for row in plan.rows:
        instance = row.instance
        if row.action == "update":
            instance.save()
        elif row.action == "create":
            if plan.kind == ORGANISATIONS:
                instance.slug = slug_for(row.label)
            if plan.kind == MEMBERSHIPS:
                position = next_position.get(instance.network_id, 0) + 1
                instance.position = next_position[instance.network_id] = position
            if plan.kind != PEOPLE:
                instance.source = f"{source}:{row.row}"[:300]
            created.append(instance)
    create_in_bulk(model, created)
    if plan.kind == ORGANISATIONS:
        from matching.services import organisations_changed

        organisations_changed([row.instance.pk for row in plan.rows if row.action != "unchanged"])
    return plan.summary()
