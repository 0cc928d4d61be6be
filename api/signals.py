"""Keeps the tombstones: an OParl object that is deleted or depublished leaves one behind.

``pre_delete`` runs inside the deletion's transaction while related rows (hosts, the meeting) still
exist, so the object's body can still be found; a failed deletion rolls the tombstone back with it.
"""

from django.db.models.signals import post_save, pre_delete
from django.utils import timezone

from register.models import (
    ActorGroup,
    AgendaItem,
    Body,
    File,
    LegislativeTerm,
    Location,
    Meeting,
    Membership,
    Network,
    Organisation,
    Person,
)

from .models import Tombstone
from .oparl import scope

# What made an object public before a save, read from the values it was loaded with.
WAS_PUBLIC = {
    Person: lambda before: before.get("consent_to_publish") == "True" and before.get("erased_at") is None,
    Meeting: lambda before: before.get("is_public") == "True",
    AgendaItem: lambda before: before.get("public") == "True",
    File: lambda before: before.get("public") == "True",
}


def write_tombstone(instance, when):
    body_id, network_id = scope.placement(instance)
    Tombstone.objects.update_or_create(
        path=scope.path_of(type(instance), instance.pk),
        defaults={
            "oparl_type": scope.KINDS[type(instance)][0],
            "body_id": body_id,
            "network_id": network_id,
            "parents": scope.parents_of(instance),
            "created": instance.created,
            "deleted_at": when,
        },
    )


def dependents(instance):
    """Objects that are public only while this one is."""
    if isinstance(instance, Person):
        return list(instance.memberships.all())
    if isinstance(instance, Meeting):
        return list(instance.agenda_items.filter(public=True)) + list(instance.files.filter(public=True))
    if isinstance(instance, AgendaItem):
        return list(instance.files.filter(public=True))
    return []


def on_delete(sender, instance, **kwargs):
    """Leave a tombstone for an object that is public now and is about to disappear.

    A seat of an organisation or actor group is no OParl object, but its network shows it: its
    tombstone (type "Seat", under a path no URL leads to) only moves the network's ``modified``.
    """
    if scope.visible(instance):
        write_tombstone(instance, timezone.now())
    elif sender is Membership and instance.person_id is None:
        Tombstone.objects.update_or_create(
            path=f"seat/{instance.pk}",
            defaults={
                "oparl_type": "Seat",
                "network_id": instance.network_id,
                "parents": scope.parents_of(instance),
                "created": instance.created,
                "deleted_at": timezone.now(),
            },
        )


def on_save(sender, instance, created, **kwargs):
    """Depublishing counts as deleting (OParl 1.1); publishing again lifts the tombstones."""
    if created:
        return
    affected = [instance, *dependents(instance)]
    if scope.visible(instance):
        Tombstone.objects.filter(path__in=[scope.path_of(type(obj), obj.pk) for obj in affected]).delete()
        return
    before = getattr(instance, "_audit_snapshot", {})
    if before and WAS_PUBLIC[sender](before):
        now = timezone.now()
        for obj in affected:
            write_tombstone(obj, now)


def connect():
    exposed = (Body, Network, Organisation, ActorGroup, Person, Membership, Meeting, AgendaItem, File, Location)
    for model in (*exposed, LegislativeTerm):
        pre_delete.connect(on_delete, sender=model, dispatch_uid=f"api-tombstone-{model.__name__}")
    for model in WAS_PUBLIC:
        post_save.connect(on_save, sender=model, dispatch_uid=f"api-depublish-{model.__name__}")
