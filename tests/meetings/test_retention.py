"""Findings 13 and 14: undoing a file deletion gives the file back; what is kept only for a while is
deleted on schedule (mails in every state, deleted files, import files and plans); the README's
cron list names every job."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from importing.models import TabularImport
from meetings.models import OutgoingMail
from meetings.uploads import DELETED_FILES_KEPT_DAYS, forget_deleted_files
from register.models import ChangeRecord, File

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored_file(client, office, meeting, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(office)
    client.post(
        reverse("meetings:file_upload", args=[meeting.pk]),
        {"file-file": SimpleUploadedFile("protokoll.pdf", b"%PDF-1.4 minutes"), "file-role": "minutes"},
    )
    return File.objects.get()


def delete_file(client, meeting, document, capture):
    with capture(execute=True):
        client.post(reverse("meetings:file_delete", args=[meeting.pk, document.pk]))
    return ChangeRecord.objects.get(
        content_type=ContentType.objects.get_for_model(File), object_id=document.pk, action="delete"
    )


def test_undoing_a_file_deletion_gives_the_file_back(client, meeting, stored_file, django_capture_on_commit_callbacks):
    record = delete_file(client, meeting, stored_file, django_capture_on_commit_callbacks)
    assert not File.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("workspace:change_undo", args=[record.pk]), follow=True)
    assert "rückgängig gemacht" in " ".join(str(m) for m in response.context["messages"])
    download = client.get(reverse("meetings:file", args=[meeting.pk, stored_file.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 minutes"


def test_once_the_file_is_gone_for_good_undo_says_so_and_restores_nothing(
    client, meeting, stored_file, django_capture_on_commit_callbacks
):
    record = delete_file(client, meeting, stored_file, django_capture_on_commit_callbacks)
    path = Path(stored_file.file.path)
    assert path.exists()
    assert forget_deleted_files() == 0  # kept while the deletion can be undone
    later = timezone.now() + datetime.timedelta(days=DELETED_FILES_KEPT_DAYS + 1)
    assert forget_deleted_files(now=later) == 1 and not path.exists()
    response = client.post(reverse("workspace:change_undo", args=[record.pk]), follow=True)
    messages = " ".join(str(m) for m in response.context["messages"])
    assert "nicht rückgängig gemacht" in messages and "erneut hoch" in messages
    assert not File.objects.exists()


def test_a_file_still_named_by_a_record_is_never_removed(client, meeting, stored_file):
    ChangeRecord.objects.create(
        content_type=ContentType.objects.get_for_model(File),
        object_id=999,
        object_repr="copy",
        action="delete",
        changes={"file": [stored_file.file.name, None]},
        timestamp=timezone.now() - datetime.timedelta(days=DELETED_FILES_KEPT_DAYS + 5),
    )
    assert forget_deleted_files() == 0 and Path(stored_file.file.path).exists()


def make_mail(status, days_old):
    mail = OutgoingMail.objects.create(
        recipient="ada@example.org",
        subject=status,
        body="Hallo Ada",
        status=status,
        sent_at=timezone.now() if status == "sent" else None,
    )
    OutgoingMail.objects.filter(pk=mail.pk).update(created=timezone.now() - datetime.timedelta(days=days_old))
    return mail


def test_purge_removes_old_mails_sent_failed_or_still_queued():
    for status in ["sent", "failed", "queued"]:
        make_mail(status, 45)
        make_mail(status, 2)
    call_command("purge_registrations", stdout=StringIO())
    assert sorted(OutgoingMail.objects.values_list("subject", flat=True)) == ["failed", "queued", "sent"]
    assert not OutgoingMail.objects.filter(created__lt=timezone.now() - datetime.timedelta(days=30)).exists()


def make_import(status, days_old, content=b"Vorname;Nachname\nAda;Muster\n"):
    upload = TabularImport.objects.create(
        kind="people",
        file_name="liste.csv",
        content=content,
        size=len(content),
        sha256="x",
        status=status,
        plan=[{"row": 2, "record": "Ada Muster"}],
        problems=[{"row": 2, "column": "E-Mail", "message": "Ada Muster: keine Adresse"}],
        summary={"create": 1},
    )
    TabularImport.objects.filter(pk=upload.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_old))
    return upload


def test_purge_imports_removes_old_files_and_plans_and_keeps_what_they_did():
    old_ready = make_import("ready", 40)
    old_applied = make_import("applied", 40, content=b"")
    recent = make_import("ready", 3)
    out = StringIO()
    call_command("purge_imports", stdout=out)
    assert "1 unapplied files and the plans of 2 imports" in out.getvalue()
    old_ready.refresh_from_db()
    old_applied.refresh_from_db()
    recent.refresh_from_db()
    assert bytes(old_ready.content) == b"" and old_ready.status == "expired"
    assert old_ready.plan == old_applied.plan == old_ready.problems == []
    assert old_applied.summary == {"create": 1} and old_applied.status == "applied"
    assert bytes(recent.content) and recent.plan and recent.status == "ready"


def test_purge_sign_ins_removes_ended_sessions_and_old_failed_attempts():
    from axes.models import AccessAttempt
    from django.contrib.sessions.models import Session

    Session.objects.create(session_key="a" * 32, session_data="", expire_date=timezone.now() - datetime.timedelta(1))
    Session.objects.create(session_key="b" * 32, session_data="", expire_date=timezone.now() + datetime.timedelta(1))
    for hours in (0, 2):
        attempt = AccessAttempt.objects.create(
            username=f"user{hours}", ip_address="10.0.0.1", user_agent="browser", failures_since_start=3
        )
        when = timezone.now() - datetime.timedelta(hours=hours)
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=when)
    call_command("purge_sign_ins", stdout=StringIO())
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["user0"]


def test_the_readme_cron_list_names_every_scheduled_job():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    cron = readme.split("```cron", 1)[1].split("```", 1)[0]
    for command in ["purge_registrations", "purge_imports", "purge_sign_ins", "anonymise_overdue_people", "backup"]:
        assert f"manage.py {command}" in cron, command
