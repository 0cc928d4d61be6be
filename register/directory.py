"""The member list of a network as the directory shows it, in a fixed number of queries."""

from dataclasses import dataclass, field

from .models import Category, Membership, Organisation
from .tree import ancestors_subquery


@dataclass
class OrganisationEntry:
    root: Organisation
    memberships: list = field(default_factory=list)  # (membership, units below the root)

    @property
    def single(self):
        return len(self.memberships) == 1


@dataclass
class CategoryGroup:
    category: str
    label: str
    entries: list


def attach_ancestors(organisations):
    """Load the parents of all given organisations: one query if some are missing, however deep the
    tree goes (``register.tree``)."""
    known = {org.pk: org for org in organisations}
    missing = {org.parent_id for org in organisations if org.parent_id and org.parent_id not in known}
    if missing:
        fetched = Organisation.objects.filter(pk__in=ancestors_subquery(missing))
        known.update({org.pk: org for org in fetched if org.pk not in known})
    for org in known.values():
        if org.parent_id:
            org.parent = known[org.parent_id]
    return known


def member_tree(network, on=None):
    """Active members grouped by category; units under their top organisation.

    Returns ``(groups, actor_groups, persons)``: the organisations by category, the actor-group
    memberships, and person memberships that may be shown publicly (with consent) or by function.
    """
    memberships = list(
        Membership.objects.active(on)
        .filter(network=network)
        .select_related("organisation", "actor_group", "person", "on_behalf_of")
        .order_by("position", "pk")
    )
    attach_ancestors([m.organisation for m in memberships if m.organisation_id])
    entries = {}
    actor_groups, persons = [], []
    for membership in memberships:
        if membership.actor_group_id:
            actor_groups.append(membership)
        elif membership.person_id:
            persons.append(membership)
        else:
            org = membership.organisation
            chain = org.ancestors + [org]
            entry = entries.setdefault(chain[0].pk, OrganisationEntry(root=chain[0]))
            entry.memberships.append((membership, chain[1:]))
    groups = []
    for category, label in Category.choices:
        in_category = [entry for entry in entries.values() if entry.root.category == category]
        if in_category:
            in_category.sort(key=lambda entry: entry.root.name.casefold())
            groups.append(CategoryGroup(category=category, label=label, entries=in_category))
    return groups, actor_groups, persons
