"""Finding 14: `manage.py backup` writes a consistent archive of the database, the uploaded files and
the secret key; `manage.py restore` brings all of it back (on SQLite and PostgreSQL alike)."""

import io
import json
import stat
import tarfile
import tempfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from register.history import history_of
from register.models import ChangeRecord, File, Meeting, Organisation, Person
from workspace import accounts, backup

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def installation(settings, tmp_path, own_network, caritas, person, office):
    """An installation with data, history, a second factor and an uploaded file, all in tmp_path."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SECRET_KEY_FILE = tmp_path / "secret_key"
    settings.BACKUP_DIR = tmp_path / "backups"
    meeting = Meeting.objects.create(
        network=own_network, name="Sitzung", start=timezone.now(), end=timezone.now() + timezone.timedelta(hours=1)
    )
    document = File(meeting=meeting, name="Protokoll", mime_type="text/plain", size=9)
    document.file.save("protokoll.txt", ContentFile(b"Protokoll"), save=False)
    document.save()
    TOTPDevice.objects.create(user=office, name="app", confirmed=True)
    accounts.new_recovery_codes(office)
    return document


def test_backup_and_restore_bring_everything_back(installation, settings, caritas, person, office, capsys):
    before = backup.row_counts()
    history = list(ChangeRecord.objects.order_by("pk").values_list("pk", "object_repr", "changes"))

    call_command("backup")
    path = capsys.readouterr().out.strip()
    assert stat.S_IMODE((settings.BACKUP_DIR / path.rsplit("/", 1)[1]).stat().st_mode) == 0o600
    with tarfile.open(path) as archive:
        names = archive.getnames()
        manifest = json.loads(archive.extractfile("manifest.json").read())
        assert archive.extractfile("secret_key").read().decode().splitlines()[0] == settings.SECRET_KEY
    assert {"database.json", "secret_key", "manifest.json"} <= set(names)
    assert any(name.startswith("media/meetings/") and name.endswith(".txt") for name in names)
    assert manifest["counts"]["register.Organisation"] == 1 and manifest["database"]

    # Everything changes after the backup: data, files, the key file.
    newest = Organisation.objects.latest("pk").pk
    caritas.delete()
    Organisation.objects.create(name="Nach der Sicherung", slug="danach")
    changed = Person.objects.get(pk=person.pk)
    changed.family_name = "Geändert"
    changed.save()
    installation.file.storage.delete(installation.file.name)
    TOTPDevice.objects.all().delete()

    call_command("restore", path, "--yes")

    assert backup.row_counts() == before
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Caritasverband Darmstadt e.V."]
    assert Person.objects.get(pk=person.pk).family_name == "Okonkwo-Baumgärtner"
    assert list(ChangeRecord.objects.order_by("pk").values_list("pk", "object_repr", "changes")) == history
    restored = File.objects.get(pk=installation.pk)
    assert restored.file.open("rb").read() == b"Protokoll"
    assert accounts.authenticator(office) is not None and accounts.recovery_codes_left(office) == 10
    assert settings.SECRET_KEY_FILE.read_text().strip() == settings.SECRET_KEY
    assert history_of(Person.objects.get(pk=person.pk)).exists()
    # New rows get new keys after a restore (the sequences follow the restored rows).
    assert Organisation.objects.create(name="Neu", slug="neu").pk > newest


def test_a_backup_from_another_version_is_refused_and_changes_nothing(installation, tmp_path):
    path = backup.create()
    with tarfile.open(path) as archive:
        members = {member.name: archive.extractfile(member).read() for member in archive if member.isfile()}
    manifest = json.loads(members["manifest.json"])
    manifest["migrations"].append("register.9999_from_the_future")
    members["manifest.json"] = json.dumps(manifest).encode()
    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    Organisation.objects.create(name="Bleibt", slug="bleibt")
    with pytest.raises(CommandError, match="another version"):
        call_command("restore", str(other), "--yes")
    assert Organisation.objects.filter(slug="bleibt").exists()


@pytest.mark.parametrize("filters", [True, False], ids=["with tarfile filters", "Python 3.11 before 3.11.4"])
def test_an_archive_with_an_entry_outside_its_folder_is_refused_and_changes_nothing(
    installation, tmp_path, monkeypatch, filters
):
    if not filters:
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    elif not hasattr(tarfile, "data_filter"):
        pytest.skip("this Python has no tarfile filters")
    (tmp_path / "work").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "work"))  # the restore unpacks below it
    path = backup.create()
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(path) as original, tarfile.open(forged, "w:gz") as archive:
        for member in original:
            archive.addfile(member, original.extractfile(member) if member.isfile() else None)
        info = tarfile.TarInfo("../outside.txt")
        info.size = 4
        archive.addfile(info, io.BytesIO(b"evil"))
    Organisation.objects.create(name="Bleibt", slug="bleibt")
    with pytest.raises(CommandError, match="cannot be restored safely"):
        call_command("restore", str(forged), "--yes")
    assert Organisation.objects.filter(slug="bleibt").exists()
    assert not list(tmp_path.glob("**/outside.txt"))
