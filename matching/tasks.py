"""Background work of the duplicate review, run by the task queue (``manage.py db_worker``)."""

from django_tasks import task


@task()
def update_review_queue():
    """Check the organisations changed since the last run against the register (see
    ``matching.services.organisations_changed``); returns how many were checked."""
    from .services import update_review_queue_now

    return update_review_queue_now()
