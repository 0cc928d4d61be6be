"""Changes of what the network map draws queue a recomputation of its figures (``analysis.figures``).

Rows loaded as they are (``loaddata``, a restore: ``raw``) are no changes of their own, and neither is
a save that changed only texts the map does not draw (a purpose, a description, an address:
``register.freshness.OWN_FIELDS``).
"""

from django.db.models.signals import post_delete, post_save

from register import freshness
from register.models import ActorGroup, Membership, Network, NetworkHost, Organisation, Programme

SENDERS = (Membership, Network, NetworkHost, Programme, Organisation, ActorGroup)


def _changed(sender, **kwargs):
    from .figures import data_changed

    data_changed()


def _saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not freshness.only_own_fields(sender._meta.label, freshness.changed_fields(instance, created)):
        _changed(sender)


def connect():
    from .overlap import purpose_changed

    # The similar networks on each network's page follow the purposes (``register.freshness``).
    post_save.connect(purpose_changed, sender=Network, dispatch_uid="analysis-similarity-purpose")
    for sender in SENDERS:
        name = sender._meta.model_name
        post_save.connect(_saved, sender=sender, dispatch_uid=f"analysis_figures_{name}_saved")
        post_delete.connect(_changed, sender=sender, dispatch_uid=f"analysis_figures_{name}_deleted")
