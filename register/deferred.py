"""Work that follows changes of the register, done once for many changes.

A listener that keeps derived data in step (the search index rewrites the entries a saved record
is found in) hands its work to ``later(task, ids)``. Outside ``gathered()`` the task runs at once.
Inside, the ids of all calls gather, and each task runs once with all of them when the block ends:
an import that saves a network, its hosts, focus areas, topics and 60 memberships rewrites the
network's search entry once instead of after every save.

A block that ends in an error, or in a transaction marked for rollback (the preview of an import),
drops the gathered work with the changes it followed.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction

_gathering = ContextVar("register_deferred_work", default=None)


def later(task, ids):
    """Run ``task(ids)`` now, or once at the end of the surrounding ``gathered()`` block (None, an empty
    foreign key, is no id)."""
    ids = [pk for pk in dict.fromkeys(ids) if pk is not None]  # each once, in their order
    if not ids:
        return
    pending = _gathering.get()
    if pending is None:
        task(ids)
    else:
        pending.setdefault(task, set()).update(ids)


@contextmanager
def gathered():
    """Gather the work of ``later`` until the block ends; nested blocks leave it to the outermost."""
    if _gathering.get() is not None:
        yield
        return
    pending = {}
    token = _gathering.set(pending)
    try:
        yield
        if connection.in_atomic_block and transaction.get_rollback():
            return
        while pending:  # a task may ask for more work; it is gathered and done in this loop
            task = next(iter(pending))
            task(sorted(pending.pop(task)))
    finally:
        _gathering.reset(token)
