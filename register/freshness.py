"""A token that changes whenever data that public pages show changes.

Caches of anything derived from the register (rendered pages, API answers) put the token into
their keys: a change makes every older entry unreachable at once, in every process that shares
the cache, and costs one cache read per request to check. The token is a random string, not a
counter, so that two changes at the same moment can never write the same new value.

Every save, delete and many-to-many change of a model in ``WATCHED_APPS`` renews the token when
its transaction commits (at once outside a transaction), so that a page rendered from the old data
in the meantime cannot stay cached under the new token. Until then, the connection that made the
change sees data nobody else sees: ``uncommitted_changes()`` tells caches to stay out of the way.
Writes that bypass model signals (``QuerySet.update``, ``bulk_create``) call ``data_changed()``.
``migrate`` renews it too, so that an update of the software starts with no page of the old one.
"""

import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

KEY = "vernetzt:data-version"
# The apps whose data public pages and APIs show.
WATCHED_APPS = frozenset({"register", "meetings", "portal", "api"})


def data_version():
    """The current token; a new one if the cache has none (after a restart or a clear)."""
    token = cache.get(KEY)
    if token is None:
        cache.add(KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(KEY)
    return token


def _renew():
    cache.set(KEY, uuid.uuid4().hex, timeout=None)


def uncommitted_changes(using=DEFAULT_DB_ALIAS):
    """Whether the current transaction changed watched data that is not committed yet."""
    connection = transaction.get_connection(using)
    return connection.in_atomic_block and any(entry[1] is _renew for entry in connection.run_on_commit)


def data_changed(using=DEFAULT_DB_ALIAS):
    """Renew the token when the current transaction commits (once per transaction)."""
    if not uncommitted_changes(using):
        transaction.on_commit(_renew, using=using)


def _on_change(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    data_changed(using)


def _on_migrate(sender, **kwargs):
    # Every update of the software runs migrate: no page rendered by the code before is served after.
    _renew()


def connect(app_config):
    """Called once from the register app's ``ready()``.

    The receivers are connected model by model: a receiver for every model would make Django load
    and signal each row that any queryset deletes (no fast delete), in every app.
    """
    for model in app_config.apps.get_models(include_auto_created=True):
        if model._meta.app_label not in WATCHED_APPS:
            continue
        for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
            signal.connect(_on_change, sender=model, dispatch_uid=f"register-freshness-{name}-{model._meta.label}")
    post_migrate.connect(_on_migrate, sender=app_config, dispatch_uid="register-freshness-migrate")
