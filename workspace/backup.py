"""A consistent backup of everything an installation keeps, and its restore.

One archive (``vernetzt-backup-<time>.tar.gz``, readable only by its owner) holds:
- ``database.json``: every table (Django's ``dumpdata``, primary keys as they are), read in one
  snapshot: a read-only REPEATABLE READ transaction on PostgreSQL, a read transaction on SQLite
  (WAL lets writers go on meanwhile). Left out: sessions, failed sign-in attempts and the task
  queue, which only matter while the server runs;
- ``media/``: the uploaded files, copied after the snapshot. Deleted files stay on disk for
  ``DELETED_FILES_KEPT_DAYS``, so every file the snapshot names is there;
- ``secret_key``: the secret key and the earlier keys still accepted, without which signed links
  (self-service, surveys, password links) stop working after a restore;
- ``manifest.json``: when, from which database, the applied migrations and the number of rows per table.

``restore`` refuses an archive from another version of the software (other migrations), then
replaces the data in one transaction (all or nothing), puts the files in place (the former ones are
kept beside them) and writes the secret key file, or says how to set it when it comes from the
environment. The database engine may differ: a SQLite backup can be restored into PostgreSQL.
"""

import io
import json
import os
import shutil
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from register.freshness import data_changed
from vernetzt.page_cache import forget_pages

FORMAT = 1
# Kept only while the server runs: not part of a backup, emptied by a restore.
EXCLUDED = ["sessions", "axes", "django_tasks_database"]


class BackupError(Exception):
    """The archive cannot be restored here; the message says why."""


@contextmanager
def snapshot():
    """Every read inside sees the database at one moment."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite" and not connection.in_atomic_block:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")
    else:
        with transaction.atomic():
            yield


def applied_migrations():
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def row_counts():
    counts = {}
    for model in apps.get_models():
        if model._meta.app_label not in EXCLUDED and not model._meta.proxy and model._meta.managed:
            counts[model._meta.label] = model._base_manager.count()
    return counts


def _add(archive, name, data, mode=0o600):
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), mode, int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def create(directory=None):
    """Write a backup archive into ``directory`` (``BACKUP_DIR``); returns its path."""
    directory = Path(directory or settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    created = timezone.now()
    path = directory / f"vernetzt-backup-{created:%Y%m%d-%H%M%S}.tar.gz"
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "database.json"
        with snapshot():
            call_command("dumpdata", exclude=EXCLUDED, output=str(dump), verbosity=0, use_base_manager=True)
            manifest = {
                "format": FORMAT,
                "created": created.isoformat(),
                "database": connection.vendor,
                "migrations": applied_migrations(),
                "counts": row_counts(),
            }
        keys = "\n".join([settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]) + "\n"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as target, tarfile.open(fileobj=target, mode="w:gz") as archive:
            _add(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
            archive.add(dump, "database.json")
            _add(archive, "secret_key", keys.encode())
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                archive.add(media, "media")
    return path


def read_manifest(path):
    with tarfile.open(path, "r:gz") as archive:
        return json.loads(archive.extractfile("manifest.json").read())


def restore(path):
    """Replace the data, files and secret key with those of the archive; returns the manifest and a
    note for the operator (empty, or how to set the secret key)."""
    manifest = read_manifest(path)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    here, there = set(applied_migrations()), set(manifest["migrations"])
    if here != there:
        missing, extra = sorted(there - here), sorted(here - there)
        raise BackupError(
            "The backup was made by another version of vernetzt. Restore it with that version, then update. "
            f"Migrations only in the backup: {missing or 'none'}; only here: {extra or 'none'}."
        )
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r:gz") as archive:
        _extract(archive, work)
        with transaction.atomic():
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            call_command("loaddata", str(Path(work) / "database.json"), verbosity=0)
            if row_counts() != manifest["counts"]:
                raise BackupError("The restored data does not match the backup's row counts; nothing was changed.")
            data_changed()
        _replace_media(Path(work) / "media")
        keys = (Path(work) / "secret_key").read_text().splitlines()
    forget_pages()
    return manifest, _restore_secret_key(keys)


def _extract(archive, target):
    """Unpack the archive into ``target``, refusing entries that would land outside it or are not plain files
    and folders (links, devices). The standard library's "data" filter does this from Python 3.11.4 on;
    earlier 3.11 releases (Debian 12 ships 3.11.2) have no filters, and the same rule is checked here."""
    if hasattr(tarfile, "data_filter"):
        try:
            archive.extractall(target, filter="data")
        except tarfile.FilterError as error:
            raise BackupError(f"The archive holds an entry that cannot be restored safely: {error}") from error
        return
    root = Path(target).resolve()
    members = archive.getmembers()
    for member in members:
        if not (member.isfile() or member.isdir()) or not (root / member.name).resolve().is_relative_to(root):
            raise BackupError(f"The archive holds an entry that cannot be restored safely: {member.name!r}")
        member.mode &= 0o755  # as the data filter: no setuid bits, no writing for others
        member.uid, member.gid, member.uname, member.gname = os.getuid(), os.getgid(), "", ""
    archive.extractall(target, members=members)


def _replace_media(restored):
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        media.rename(media.with_name(f"{media.name}.before-restore-{timezone.now():%Y%m%d-%H%M%S}"))
    if restored.exists():
        shutil.copytree(restored, media)
    else:
        media.mkdir(parents=True)


def _restore_secret_key(keys):
    if os.environ.get("VERNETZT_SECRET_KEY"):
        if keys[0] == settings.SECRET_KEY:
            return ""
        return (
            "The secret key comes from VERNETZT_SECRET_KEY and differs from the backup's. Set it to the first line "
            "of `secret_key` in the archive (tar -xzOf <archive> secret_key), and the other lines, if any, as "
            "VERNETZT_SECRET_KEY_FALLBACKS; then restart the server."
        )
    target = Path(settings.SECRET_KEY_FILE)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(keys[0] + "\n")
    target.chmod(0o600)
    if keys[0] != settings.SECRET_KEY:
        return "The secret key file was restored; restart the server so that it uses it."
    return ""
