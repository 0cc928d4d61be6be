"""Background work of the analysis, run by the task queue (``manage.py db_worker``)."""

from django_tasks import task


@task()
def update_map_figures():
    """Compute the map's figures anew (see ``analysis.figures``); returns the number of nodes."""
    from .figures import compute

    return compute().nodes
