"""The one place that decides who may see and change what. Views, tasks and the API ask here.

Roles: the office administrator (a member of the group "office" or a superuser) may do everything;
a network coordinator may edit their networks and their memberships; a member may read the
internal view of their own networks.

Every predicate takes the user first and reads the user's roles once per request (cached on the
user object). ``register.guards`` enforces them: each view of the project declares one of them
(``@requires(predicate)``, ``@public``), and views check object rules with ``guards.check``.
"""

from django.db.models import Exists, OuterRef, Q

from .models import Assignment, ChangeRecord, Meeting, Membership, Network, Person

OFFICE_GROUP = "office"


def anyone(user):
    """Pages for everybody: the public site, the API's reads, links that carry their own token."""
    return True


def signed_in(user):
    """Any active login; what it may see is then decided per object."""
    return bool(user and user.is_authenticated and user.is_active)


def is_office(user):
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_office", None)
    if cached is None:
        cached = user._is_office = user.groups.filter(name=OFFICE_GROUP).exists()
    return cached


def _roles(user):
    """{network_id: role} for the user, cached on the user object for the request."""
    if not user or not user.is_authenticated:
        return {}
    roles = getattr(user, "_network_roles", None)
    if roles is None:
        roles = user._network_roles = dict(Assignment.objects.filter(user=user).values_list("network_id", "role"))
    return roles


def role_in(user, network):
    """ "office", "coordinator", "member" or None."""
    if is_office(user):
        return "office"
    return _roles(user).get(getattr(network, "pk", network))


def has_network_role(user):
    """Whether the user has any role in any network (no query once the roles are read)."""
    return bool(_roles(user))


def is_staff_role(user):
    """Office administrators and network coordinators: the people who keep the register."""
    return is_office(user) or Assignment.Role.COORDINATOR in _roles(user).values()


def has_internal_access(user):
    """The office and everyone with a role in a network: the internal pages shared by all networks
    (the needs register, offers and coverage, the exports of what they may see, the inquiry inbox)."""
    return is_office(user) or has_network_role(user)


def can_export(user):
    """Tables of the register (what the user may see of it) for everyone with internal access."""
    return has_internal_access(user)


def can_use_admin(user):
    """Django's admin site: active logins marked as staff (the technical administration)."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def can_view_internal(user, network):
    return role_in(user, network) is not None


def can_edit_network(user, network):
    return role_in(user, network) in {"office", Assignment.Role.COORDINATOR}


def can_create_network(user):
    return is_office(user)


def can_edit_register(user):
    """Organisations, actor groups and people are shared by all networks: the office keeps them."""
    return is_office(user)


def networks_visible_internally(user):
    if is_office(user):
        return Network.objects.all()
    return Network.objects.filter(pk__in=list(_roles(user)))


def meetings_visible_internally(user):
    """The meetings of the networks the user sees inside; the office's are all of them, read without
    matching each meeting against every network."""
    if is_office(user):
        return Meeting.objects.all()
    return Meeting.objects.filter(network__in=networks_visible_internally(user))


def networks_editable(user):
    if is_office(user):
        return Network.objects.all()
    return Network.objects.filter(
        pk__in=[pk for pk, role in _roles(user).items() if role == Assignment.Role.COORDINATOR]
    )


def can_handle_inquiries(user, network):
    """Residents' inquiries to a network are read by the office and the people with a role in it."""
    return role_in(user, network) is not None


def can_read_inquiry(user, network, special, assigned_to_id):
    """Inquiries of a special category (health, religion, residence status; Art. 9 GDPR) only by the office
    and the member they are assigned to; the others by everyone who handles the network's inquiries."""
    if not can_handle_inquiries(user, network):
        return False
    return not special or is_office(user) or (user.pk is not None and user.pk == assigned_to_id)


def can_assign_inquiries(user, network):
    return role_in(user, network) in {"office", Assignment.Role.COORDINATOR}


def networks_handling_inquiries(user):
    return networks_visible_internally(user)


def can_edit_locations(user):
    """Places of meetings and events are shared by all networks: the office and every network coordinator
    may add them (as when planning a meeting) and correct their address and access facts."""
    return is_staff_role(user)


def can_manage_event(user, event):
    """Events of a network are run by its coordinators; events without a network by the office."""
    return is_office(user) or (event.network_id is not None and can_edit_network(user, event.network_id))


# Kinds of table import (importing.models.TabularImport.Kind): memberships belong to networks,
# everything else to the shared register.
MEMBERSHIP_IMPORT = "memberships"


def can_import(user, kind):
    """Organisations and people are imported by the office; memberships also by coordinators (into
    their own networks, which the import's plan checks row by row). Asked when the file is uploaded
    and again when it is applied, in the request and in the task."""
    return can_edit_register(user) or (kind == MEMBERSHIP_IMPORT and is_staff_role(user))


def can_import_some(user):
    return can_import(user, MEMBERSHIP_IMPORT)


def networks_touched_by_undo(record):
    """Ids of every network that undoing ``record`` reads or writes: for a membership or a role, the
    network it is in now and every network named before or after the change (a move touches two)."""
    model = record.content_type.model_class()
    if model is Network:
        return {record.object_id}
    if model not in (Membership, Assignment):
        return set()
    touched = set(model.objects.filter(pk=record.object_id).values_list("network_id", flat=True))
    touched.update(int(value) for value in record.changes.get("network_id", []) if value)
    return touched


UNDOABLE = {ChangeRecord.Action.CREATE, ChangeRecord.Action.UPDATE, ChangeRecord.Action.DELETE}


def can_undo(user, record):
    """Roles only by the office; networks and memberships by whoever may edit every network the undo
    touches; the other records of the register by the office."""
    model = record.content_type.model_class()
    if model is None or record.action not in UNDOABLE:
        return False
    if model is Assignment:
        return is_office(user)
    if model in (Network, Membership):
        touched = networks_touched_by_undo(record)
        return bool(touched) and all(can_edit_network(user, network_id) for network_id in touched)
    return can_edit_register(user) and model._meta.app_label == "register"


def people_visible_to(user):
    """The people a user may find and choose: the office all (not erased); anyone else those who consented to
    publication and those who sit in, or are the contact of a seat in, a network where the user has a role.

    Used by the workspace's choices, its options endpoint and the JSON API alike."""
    people = Person.objects.filter(erased_at__isnull=True)
    if is_office(user):
        return people
    networks = list(_roles(user))
    seated = Membership.objects.filter(network__in=networks).filter(
        Q(person=OuterRef("pk")) | Q(contact=OuterRef("pk"))
    )
    return people.filter(Q(consent_to_publish=True) | Exists(seated))
