"""Changes of organisations and their aliases note the organisation for the review queue.

Rows loaded as they are (``loaddata``, a restore: ``raw``) are no changes: the pending checks of the
loaded data come with it.
"""

from django.db.models.signals import post_delete, post_save

from register.models import Organisation, OrganisationAlias


def _organisation_saved(sender, instance, raw=False, **kwargs):
    from .services import organisations_changed

    if raw:
        return
    organisations_changed([instance.pk])


def _alias_changed(sender, instance, raw=False, **kwargs):
    from .services import organisations_changed

    if raw:
        return
    if Organisation.objects.filter(pk=instance.organisation_id).exists():
        organisations_changed([instance.organisation_id])


def connect():
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="matching_organisation_saved")
    post_save.connect(_alias_changed, sender=OrganisationAlias, dispatch_uid="matching_alias_saved")
    post_delete.connect(_alias_changed, sender=OrganisationAlias, dispatch_uid="matching_alias_deleted")
