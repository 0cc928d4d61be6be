"""Small helpers the workspace views share."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from register.models import ChangeRecord
from register.permissions import UNDOABLE

from ..history import rows_for

HISTORY_LIMIT = 50


def history_rows(records, may_edit):
    """History rows for a template; ``may_edit``: whether the user may change the records shown."""
    records = list(records.select_related("user", "content_type")[:HISTORY_LIMIT])
    undone = set(ChangeRecord.objects.filter(reverts__in=records).values_list("reverts_id", flat=True))
    return [
        {
            "record": record,
            "changes": changes,
            "undone": record.pk in undone,
            "can_undo": may_edit and record.action in UNDOABLE,
        }
        for record, changes in rows_for(records)
    ]


def records_of(*groups):
    """Change records of several records: pairs of (model, ids)."""
    condition = Q(pk__in=[])
    for model, ids in groups:
        condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=list(ids))
    return ChangeRecord.objects.filter(condition)


def posted(request):
    """The submitted data on POST (even if empty, so that the form reports what is missing), else None."""
    return request.POST if request.method == "POST" else None
