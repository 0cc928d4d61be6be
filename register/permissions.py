"""The one place that decides who may see and change what. Views and the API ask here.

Roles: the office administrator (a member of the group "office" or a superuser) may do everything;
a network coordinator may edit their networks and their memberships; a member may read the
internal view of their own networks.
"""

from django.db.models import Exists, OuterRef, Q

from .models import Assignment, Membership, Network, Person

OFFICE_GROUP = "office"


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
    return is_office(user) or networks_editable(user).exists()


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
