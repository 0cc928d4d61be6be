"""Changes of organisations and their aliases note the organisation for the review queue; changes of
memberships, and of an organisation's name or place in the tree, count the networks of the top-level
organisations they concern anew (``services.count_networks``, at once or once for all the changes of an
import: ``register.deferred``).

Rows loaded as they are (``loaddata``, a restore: ``raw``) are no changes: the pending checks of the
loaded data come with it.
"""

from django.db.models.signals import post_delete, post_save

from register.deferred import later
from register.freshness import changed_fields, value_as_loaded
from register.models import Membership, Organisation, OrganisationAlias
from register.models.base import created_in_bulk

# What a membership's or an organisation's save changes of the networks counted (``NetworkCount``).
COUNTED_SEAT_FIELDS = {"organisation", "network"}
COUNTED_ORGANISATION_FIELDS = {"name", "parent"}


def _organisation_saved(sender, instance, raw=False, created=False, **kwargs):
    from .services import count_networks, organisations_changed

    if raw:
        return
    organisations_changed([instance.pk])
    fields = changed_fields(instance, created)
    if not created and (fields is None or fields & COUNTED_ORGANISATION_FIELDS):
        later(count_networks, [instance.pk, instance.parent_id, value_as_loaded(instance, "parent_id")])


def _alias_changed(sender, instance, raw=False, **kwargs):
    from .services import organisations_changed

    if raw:
        return
    if Organisation.objects.filter(pk=instance.organisation_id).exists():
        organisations_changed([instance.organisation_id])


def _membership_saved(sender, instance, raw=False, created=False, **kwargs):
    from .services import count_networks

    fields = changed_fields(instance, created)
    if not raw and (fields is None or fields & COUNTED_SEAT_FIELDS):
        later(count_networks, [instance.organisation_id, value_as_loaded(instance, "organisation_id")])


def _membership_deleted(sender, instance, **kwargs):
    from .services import count_networks

    later(count_networks, [instance.organisation_id])


def _memberships_created(sender, instances, **kwargs):
    """Memberships written in bulk (``create_in_bulk``, without model signals)."""
    from .services import count_networks

    later(count_networks, [membership.organisation_id for membership in instances])


def connect():
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="matching_organisation_saved")
    post_save.connect(_alias_changed, sender=OrganisationAlias, dispatch_uid="matching_alias_saved")
    post_delete.connect(_alias_changed, sender=OrganisationAlias, dispatch_uid="matching_alias_deleted")
    post_save.connect(_membership_saved, sender=Membership, dispatch_uid="matching_membership_saved")
    post_delete.connect(_membership_deleted, sender=Membership, dispatch_uid="matching_membership_deleted")
    created_in_bulk.connect(_memberships_created, sender=Membership, dispatch_uid="matching_memberships_created")
