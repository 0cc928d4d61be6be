"""Uploaded meeting files: checks of size and of a type that both the name and the content confirm;
the removal of deleted files from storage once their deletion can no longer be undone."""

import zipfile
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from register.models import ChangeRecord, File

ZIP_TYPES = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/"),
}
OPEN_DOCUMENT_TYPES = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
MAGIC_TYPES = {
    "pdf": ("application/pdf", [b"%PDF-"]),
    "png": ("image/png", [b"\x89PNG\r\n\x1a\n"]),
    "jpg": ("image/jpeg", [b"\xff\xd8\xff"]),
    "jpeg": ("image/jpeg", [b"\xff\xd8\xff"]),
}
ALLOWED_EXTENSIONS = sorted([*MAGIC_TYPES, *ZIP_TYPES, *OPEN_DOCUMENT_TYPES, "txt"])


def extension(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def sniff(upload, ext):
    """The MIME type when the content matches the extension, else None."""
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if ext in MAGIC_TYPES:
        mime, signatures = MAGIC_TYPES[ext]
        return mime if any(head.startswith(signature) for signature in signatures) else None
    if ext == "txt":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A multi-byte character may be cut at the end of the sample; allow three bytes of slack.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                return None
        return None if b"\x00" in head else "text/plain"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if ext in OPEN_DOCUMENT_TYPES:
                mime = OPEN_DOCUMENT_TYPES[ext]
                declared = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
                return mime if declared == mime else None
            mime, folder = ZIP_TYPES[ext]
            return mime if "[Content_Types].xml" in names and any(n.startswith(folder) for n in names) else None
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    finally:
        upload.seek(0)


def check_upload(upload):
    """Validate an uploaded file; returns its MIME type or raises ValidationError with a precise message."""
    if upload.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(settings.MAX_UPLOAD_SIZE)},
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    ext = extension(upload.name)
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            _("Files of type “%(extension)s” are not accepted. Allowed are: %(allowed)s."),
            code="wrong_type",
            params={"extension": ext or "?", "allowed": ", ".join(ALLOWED_EXTENSIONS)},
        )
    mime = sniff(upload, ext)
    if mime is None:
        raise ValidationError(
            _("The content of the file is not a valid “%(extension)s” file."),
            code="content_mismatch",
            params={"extension": ext},
        )
    return mime


# A deleted file stays on disk this long, so that its deletion can be undone from the history.
DELETED_FILES_KEPT_DAYS = 30


def forget_deleted_files(now=None):
    """Remove from storage the files whose record was deleted more than DELETED_FILES_KEPT_DAYS ago
    and that no record names any more; returns how many. Run by ``purge_registrations``."""
    cutoff = (now or timezone.now()) - timedelta(days=DELETED_FILES_KEPT_DAYS)
    deletions = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(File), action=ChangeRecord.Action.DELETE, timestamp__lt=cutoff
    )
    names = {(changes.get("file") or [None])[0] for changes in deletions.values_list("changes", flat=True)}
    names.discard(None)
    in_use = set(File.objects.filter(file__in=names).values_list("file", flat=True))
    storage = File._meta.get_field("file").storage
    removed = 0
    for name in sorted(names - in_use):
        if storage.exists(name):
            storage.delete(name)
            removed += 1
    return removed
