"""Background tasks of the table import: check a file, apply it.

Both read and resolve the file row by row and store their progress on the TabularImport row as
they go (committed at once, outside any transaction, so the progress page can read it). Applying
then writes every change in one short transaction: a problem anywhere writes nothing.
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from register import deferred
from register.history import audit_context
from register.permissions import can_import, is_office, networks_editable

from .models import ImportRun, TabularImport
from .tabular import FileProblem, HeaderProblem, Problem, read_table
from .tabular_plan import KnownEntries, make_plan, write_plan

logger = logging.getLogger(__name__)
Status = TabularImport.Status
# Uploaded files that were never applied are forgotten after this many days (they may hold personal data).
KEEP_FILES_DAYS = 30
# Everything a check or an apply changes (not the file itself).
SAVED_FIELDS = [
    "status", "phase", "finished_at", "problems", "plan", "summary", "run", "rows_total", "rows_done",
    "file_format", "encoding", "delimiter", "first_rows",
]  # fmt: skip


def user_networks(upload):
    """Ids of the networks whose memberships the uploader may change; None for the office (all), none for
    an upload whose login was deleted."""
    if upload.user is None:
        return set()
    if is_office(upload.user):
        return None
    return set(networks_editable(upload.user).values_list("pk", flat=True))


def refuse_without_right(upload):
    """An upload whose author may no longer import its kind (a role or the office group taken away, the
    login switched off or deleted) is not applied: rights are asked when applying, not when uploading."""
    if upload.user is not None and can_import(upload.user, upload.kind):
        return False
    upload.problems = [
        Problem(None, "", _("You may no longer import this kind of file; nothing was written.")).as_dict()
    ]
    finish(upload, Status.INVALID)
    return True


def progress_recorder(upload, phase):
    def record(done, total):
        TabularImport.objects.filter(pk=upload.pk).update(phase=phase, rows_done=done, rows_total=total)

    return record


def plan_upload(upload):
    """Read and resolve the file, recording progress. Returns the plan, or None after a file problem."""
    TabularImport.objects.filter(pk=upload.pk).update(phase="reading", rows_done=0)
    upload.first_rows = []
    try:
        table = read_table(upload.kind, upload.file_name, bytes(upload.content), upload.header_row)
    except FileProblem as problem:
        upload.problems = [
            Problem(upload.header_row if isinstance(problem, HeaderProblem) else None, "", problem.message).as_dict()
        ]
        upload.first_rows = getattr(problem, "first_rows", [])
        upload.plan = []
        return None
    upload.file_format, upload.encoding, upload.delimiter = table.file_format, table.encoding, table.delimiter
    upload.rows_total = len(table.rows)
    TabularImport.objects.filter(pk=upload.pk).update(
        phase="checking",
        rows_total=upload.rows_total,
        file_format=upload.file_format,
        encoding=upload.encoding,
        delimiter=upload.delimiter,
    )
    plan = make_plan(table, KnownEntries(user_networks(upload)), progress_recorder(upload, "checking"))
    upload.problems = [problem.as_dict() for problem in plan.problems]
    upload.plan = [row.as_dict() for row in plan.rows]
    upload.summary = plan.summary()
    upload.rows_done = upload.rows_total
    return plan


def finish(upload, status, fields=()):
    upload.status = status
    upload.phase = ""
    upload.finished_at = timezone.now()
    upload.save(update_fields=[*SAVED_FIELDS, *fields])


def fail(upload, error):
    logger.exception("table import %s failed", upload.pk, exc_info=error)
    upload.problems = [
        Problem(None, "", _("The import stopped with an unexpected error; nothing was written.")).as_dict()
    ]
    finish(upload, Status.FAILED)


def forget_old_files(now=None):
    """Delete the files (and the first rows kept of them) of uploads left unapplied for KEEP_FILES_DAYS,
    and the plans and problems of every finished upload older than that (they name people row by row);
    the summary stays. Runs before each check, and daily through ``manage.py purge_imports``.
    Returns (files, plans)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=KEEP_FILES_DAYS)
    old = TabularImport.objects.filter(created_at__lt=cutoff)
    files = old.exclude(status__in=[Status.CHECKING, Status.APPLYING, Status.APPLIED, Status.EXPIRED]).update(
        content=b"", first_rows=[], status=Status.EXPIRED
    )
    plans = (
        old.exclude(status__in=[Status.CHECKING, Status.APPLYING])
        .exclude(plan=[], problems=[])
        .update(plan=[], problems=[])
    )
    return files, plans


# Imports run on a queue of their own, so that a long import never delays the mail (and the other way
# round): `make run` and the README start one worker for it and one for everything else.
QUEUE = "imports"


@task(queue_name=QUEUE)
def check_upload(upload_id):
    """Check a new upload: every problem and what each row would do."""
    forget_old_files()
    upload = TabularImport.objects.select_related("user").get(pk=upload_id)
    with translation.override(upload.language or settings.LANGUAGE_CODE):
        try:
            plan = plan_upload(upload)
        except Exception as error:
            fail(upload, error)
            return
        finish(upload, Status.READY if plan is not None and not upload.problems else Status.INVALID)


@task(queue_name=QUEUE)
def apply_upload(upload_id):
    """Check the upload again against the register as it is now, then write it in one transaction."""
    upload = TabularImport.objects.select_related("user").get(pk=upload_id)
    with translation.override(upload.language or settings.LANGUAGE_CODE):
        if refuse_without_right(upload):
            return
        try:
            plan = plan_upload(upload)
            if plan is None or upload.problems:
                finish(upload, Status.INVALID)
                return
            TabularImport.objects.filter(pk=upload.pk).update(phase="writing")
            source = f"import:{upload.file_name}"
            with transaction.atomic(), audit_context(user=upload.user, source=source), deferred.gathered():
                summary = write_plan(plan, source)
                upload.run = ImportRun.objects.create(
                    user=upload.user,
                    kind=f"table:{upload.kind}",
                    source_name=upload.file_name,
                    sha256=hashlib.sha256(bytes(upload.content)).hexdigest(),
                    summary=summary,
                )
        except Exception as error:
            fail(upload, error)
            return
        upload.summary = summary
        upload.content = b""  # applied: the file, which may hold personal data, is not kept any longer
        finish(upload, Status.APPLIED, fields=["content"])
