"""Upload, check, preview and apply a table: per role, with broken files, large files and progress."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from importing import tasks
from importing.forms import UploadForm
from importing.models import ImportRun, TabularImport
from register import history
from register.models import ChangeRecord, Membership, Organisation, Person

from .test_tabular_support import (  # noqa: F401
    ORG_HEADERS,
    caritas,
    coordinator,
    csv_bytes,
    english,
    make_user,
    member,
    networks,
    office,
    upload_file,
    xlsx,
)


def index_url():
    """The page in English (the active language of the tests): /en/arbeitsbereich/import/."""
    return reverse("importing:tabular")


def upload(client, kind, name, data):
    return client.post(index_url(), {"kind": kind, "file": upload_file(name, data)})


def apply(client, item):
    return client.post(reverse("importing:tabular_apply", args=[item.pk]))


def test_office_imports_organisations_after_the_preview(client, office, caritas):  # noqa: F811
    client.force_login(office)
    data = xlsx(
        [
            ORG_HEADERS,
            ["Diakonie Darmstadt-Dieburg", None, "Wohlfahrtsverband", None, "Dieburg", None, None],
            ["Migrationsberatung", "Diakonie Darmstadt-Dieburg", None, None, None, None, None],
            ["Caritas Darmstadt", None, None, None, None, None, "info@caritas-da.example"],
        ]
    )
    response = upload(client, "organisations", "organisationen.xlsx", data)
    item = TabularImport.objects.get()
    assert response.url == reverse("importing:tabular_detail", args=[item.pk])
    assert item.status == TabularImport.Status.READY
    assert Organisation.objects.count() == 1  # the check writes nothing
    page = client.get(response.url).content.decode()
    assert "Apply the import" in page
    assert "alias “Caritas Darmstadt”" in page
    assert "Diakonie Darmstadt-Dieburg - Migrationsberatung" in page

    apply(client, item)
    item.refresh_from_db()
    assert item.status == TabularImport.Status.APPLIED
    assert item.summary == {"create": 2, "update": 1, "unchanged": 0}
    unit = Organisation.objects.get(name="Migrationsberatung")
    assert unit.parent.name == "Diakonie Darmstadt-Dieburg" and unit.source == "import:organisationen.xlsx:3"
    caritas.refresh_from_db()
    assert caritas.email == "info@caritas-da.example"
    changes = ChangeRecord.objects.filter(source="import:organisationen.xlsx")
    assert {change.action for change in changes} == {"create", "update"} and changes.count() == 3
    assert all(change.user == office for change in changes)
    assert ImportRun.objects.get().kind == "table:organisations" and item.run == ImportRun.objects.get()
    assert bytes(item.content) == b""  # the file is not kept once applied
    assert "The import was applied." in client.get(response.url).content.decode()
    # A second confirmation does nothing.
    apply(client, item)
    assert ImportRun.objects.count() == 1


BROKEN_FILES = {
    "missing column": ("a.csv", csv_bytes([["Kategorie", "Ort"], ["Behörde", "Dieburg"]]), "Required columns"),
    "wrong column": ("a.csv", csv_bytes([["Name", "Farbe"], ["A", "blau"]]), "Unknown column headings"),
    "empty": ("a.csv", csv_bytes([["Name", "Ort"]]), "no rows below them"),
    "encoding": ("a.csv", b"Name;Ort\n\x81\x8d;x\n", "cannot be read as UTF-8 or Windows-1252"),
    "formula": ("a.xlsx", xlsx([["Name"], ["A"], ['=A2&"x"']]), "holds a formula"),
    "duplicate": ("a.xlsx", xlsx([["Name"], ["A"], ["B"], ["A"]]), "repeats row 2"),
    "bad value": ("a.csv", csv_bytes([["Name", "Kategorie"], ["A", "Sportverein"]]), "is not one of"),
}


@pytest.mark.parametrize("case", BROKEN_FILES)
def test_broken_files_show_their_problems_and_write_nothing(client, office, case):  # noqa: F811
    name, data, message = BROKEN_FILES[case]
    client.force_login(office)
    response = upload(client, "organisations", name, data)
    item = TabularImport.objects.get()
    assert item.status == TabularImport.Status.INVALID
    page = client.get(response.url).content.decode()
    assert message in page and "nothing was written" in page
    assert "Apply the import" not in page
    apply(client, item)
    item.refresh_from_db()
    assert item.status == TabularImport.Status.INVALID
    assert not Organisation.objects.exists() and not ImportRun.objects.exists()
    assert not ChangeRecord.objects.exists()


def test_problems_name_row_and_column_in_the_preview(client, office):  # noqa: F811
    client.force_login(office)
    response = upload(client, "organisations", "a.csv", csv_bytes([["Name", "E-Mail"], ["A", "nein"]]))
    page = client.get(response.url).content.decode()
    assert "<td>2</td><td>B (E-Mail)</td><td>“nein” is not an e-mail address.</td>" in page


def test_a_50_mb_file_is_refused_unread(office):  # noqa: F811
    big = upload_file("gross.xlsx", b"\0" * (50 * 1024 * 1024))
    form = UploadForm({"kind": "organisations"}, {"file": big}, user=office)
    assert not form.is_valid()
    assert form.errors["file"] == [
        "The file is 50.0 MB large; at most 10 MB can be imported. Split it into several files."
    ]
    assert big.file.tell() == 0  # not read


def test_a_too_large_upload_writes_nothing(client, office, monkeypatch):  # noqa: F811
    monkeypatch.setattr("importing.forms.MAX_FILE_SIZE", 100)
    client.force_login(office)
    response = upload(client, "organisations", "a.csv", csv_bytes([["Name"]] + [[f"Verein {n}"] for n in range(20)]))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page and 'href="#id_file"' in page and "at most" in page
    assert not TabularImport.objects.exists()


def test_an_old_excel_file_is_refused_at_upload(client, office):  # noqa: F811
    client.force_login(office)
    response = upload(client, "organisations", "alt.xls", b"\xd0\xcf\x11\xe0" + b"x" * 100)
    assert response.status_code == 400 and "old Excel format" in response.content.decode()
    assert not TabularImport.objects.exists()


def test_apply_checks_again_and_writes_nothing_when_the_register_changed(client, office, caritas):  # noqa: F811
    client.force_login(office)
    data = csv_bytes([["Nachname", "Organisation"], ["Alt", "Caritas Darmstadt"], ["Neu", ""]])
    upload(client, "people", "p.csv", data)
    item = TabularImport.objects.get()
    assert item.status == TabularImport.Status.READY
    caritas.aliases.all().delete()  # the alias the file uses is gone
    apply(client, item)
    item.refresh_from_db()
    assert item.status == TabularImport.Status.INVALID
    assert item.problems[0]["row"] == 2 and item.problems[0]["column"] == "B (Organisation)"
    assert not Person.objects.exists()


def test_an_error_while_writing_rolls_everything_back(client, office, monkeypatch):  # noqa: F811
    client.force_login(office)
    upload(client, "organisations", "a.csv", csv_bytes([["Name"], ["A"], ["B"], ["C"]]))
    item = TabularImport.objects.get()
    original = history.record_changes

    def failing_history(*args, **kwargs):
        original(*args, **kwargs)  # the organisations and their history are written, then the disk is full
        raise RuntimeError("disk full")

    monkeypatch.setattr(history, "record_changes", failing_history)
    apply(client, item)
    item.refresh_from_db()
    assert item.status == TabularImport.Status.FAILED
    assert "nothing was written" in item.problems[0]["message"]
    assert not Organisation.objects.exists() and not ChangeRecord.objects.exists()


def test_ten_thousand_rows_from_excel_with_progress(client, office, monkeypatch):  # noqa: F811
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Organisationen")
    sheet.append(["Name", "Kategorie", "Kommune", "E-Mail", "Telefon"])
    for number in range(10_000):
        sheet.append([f"Verein {number:05d}", "Verein", "Dieburg", f"v{number}@example.org", f"06071 {number}"])
    output = io.BytesIO()
    workbook.save(output)
    reported = []
    recorder = tasks.progress_recorder

    def recording(upload, phase):
        record = recorder(upload, phase)

        def wrapped(done, total):
            reported.append((phase, done, total))
            record(done, total)

        return wrapped

    monkeypatch.setattr(tasks, "progress_recorder", recording)
    client.force_login(office)
    upload(client, "organisations", "zehntausend.xlsx", output.getvalue())
    item = TabularImport.objects.get()
    assert item.status == TabularImport.Status.READY, item.problems[:3]
    assert (item.rows_total, item.rows_done) == (10_000, 10_000)
    assert reported[0] == ("checking", 500, 10_000) and reported[-1] == ("checking", 10_000, 10_000)
    assert len(reported) == 20
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200 and "Page 1 of 20" in page.content.decode()

    reported.clear()
    apply(client, item)
    item.refresh_from_db()
    assert item.status == TabularImport.Status.APPLIED
    assert Organisation.objects.count() == 10_000
    assert reported[-1] == ("checking", 10_000, 10_000)
    assert Organisation.objects.get(name="Verein 09999").municipality.name == "Dieburg"


def test_progress_view_refreshes_itself_while_running(client, office):  # noqa: F811
    client.force_login(office)
    item = TabularImport.objects.create(
        user=office,
        kind="organisations",
        file_name="gross.xlsx",
        content=b"",
        size=0,
        sha256="",
        status=TabularImport.Status.CHECKING,
        phase="checking",
        rows_total=10_000,
        rows_done=2_500,
    )
    page = client.get(item.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress id="progress" max="10000" value="2500">25 %</progress>' in page
    assert "Row 2500 of 10000 checked" in page


# --- Roles ---------------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_the_login(client, db):
    response = client.get(index_url())
    assert response.status_code == 302 and "next=" in response.url


def test_members_without_coordination_may_export_but_not_import(client, member):  # noqa: F811
    client.force_login(member)
    page = client.get(index_url()).content.decode()
    assert "Import a table" not in page and "Excel workbook" in page
    assert client.post(index_url(), {"kind": "memberships"}).status_code == 403
    assert client.get(reverse("importing:tabular_template", args=["memberships", "csv"])).status_code == 403


def test_users_without_a_role_see_nothing(client, db):
    client.force_login(make_user("nobody"))
    assert client.get(index_url()).status_code == 403
    assert client.get(reverse("importing:export_xlsx")).status_code == 403


def test_coordinators_import_memberships_of_their_own_networks_only(client, coordinator, networks, caritas):  # noqa: F811
    client.force_login(coordinator)
    page = client.get(index_url()).content.decode()
    assert 'value="memberships"' in page and 'value="organisations"' not in page
    response = upload(client, "organisations", "o.csv", csv_bytes([["Name"], ["A"]]))
    assert response.status_code == 400 and not TabularImport.objects.exists()

    data = csv_bytes([["Netzwerk", "Organisation"], ["MiLa", "Caritas Darmstadt"], ["KAB", "Caritas Darmstadt"]])
    upload(client, "memberships", "m.csv", data)
    item = TabularImport.objects.get()
    assert item.status == TabularImport.Status.INVALID
    assert item.problems == [
        {"row": 3, "column": "A (Netzwerk)", "message": "You may not change the memberships of “Kreisausländerbeirat”."}
    ]
    upload(client, "memberships", "m.csv", csv_bytes([["Netzwerk", "Organisation"], ["MiLa", "Caritas Darmstadt"]]))
    second = TabularImport.objects.get(status=TabularImport.Status.READY)
    apply(client, second)
    membership = Membership.objects.get()
    assert (membership.network, membership.organisation, membership.label) == (
        networks["mila"],
        caritas,
        "Caritas Darmstadt",
    )
    assert membership.source == "import:m.csv:2" and membership.position == 1


def test_imports_of_others_are_hidden(client, coordinator, office):  # noqa: F811
    item = TabularImport.objects.create(
        user=office, kind="organisations", file_name="a.csv", content=b"x", size=1, sha256=""
    )
    client.force_login(coordinator)
    assert client.get(item.get_absolute_url()).status_code == 404
    assert apply(client, item).status_code == 404
    assert "a.csv" not in client.get(index_url()).content.decode()


def test_the_list_of_imports_needs_a_fixed_number_of_queries(client, office, django_assert_max_num_queries):  # noqa: F811
    for number in range(15):
        TabularImport.objects.create(
            user=office, kind="people", file_name=f"{number}.csv", content=b"x" * 1000, size=1000, sha256=""
        )
    client.force_login(office)
    with django_assert_max_num_queries(8):
        response = client.get(index_url())
    assert response.content.decode().count('<th scope="row">') == 15


def test_screens_and_messages_in_german(client, office):  # noqa: F811
    client.force_login(office)
    with translation.override("de"):
        url = reverse("importing:tabular")
    assert "Tabelle importieren" in client.get(url).content.decode()
    client.post(
        url, {"kind": "organisations", "file": upload_file("a.csv", csv_bytes([["Name", "Farbe"], ["A", "x"]]))}
    )
    item = TabularImport.objects.get()
    assert item.language == "de"
    assert item.problems[0]["message"].startswith("Unbekannte Spaltenüberschriften: B (“Farbe”).")
    page = client.get(item.get_absolute_url().replace("/en/", "/")).content.decode()
    assert "1 Fehler – es wurde nichts gespeichert" in page


def test_files_left_unapplied_are_deleted_after_30_days(client, office):  # noqa: F811
    client.force_login(office)
    upload(client, "people", "alt.csv", csv_bytes([["Nachname"], ["Alt"]]))
    old = TabularImport.objects.get()
    TabularImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    upload(client, "people", "neu.csv", csv_bytes([["Nachname"], ["Neu"]]))
    old.refresh_from_db()
    assert old.status == TabularImport.Status.EXPIRED and bytes(old.content) == b""
    assert old.plan == [] and old.problems == []  # row by row it names people: deleted with the file
    assert "Apply the import" not in client.get(old.get_absolute_url()).content.decode()
    assert apply(client, old).status_code == 302 and not Person.objects.exists()
    new = TabularImport.objects.get(file_name="neu.csv")
    assert new.status == TabularImport.Status.READY and bytes(new.content)


def test_a_title_row_above_the_headings_is_left_out_once_the_user_picks_the_row(client, office, caritas):  # noqa: F811
    """A workbook with a title (and an empty row) above the headings: the preview offers its first rows,
    suggests the row of headings, and checks again from there; the row numbers stay those of the file."""
    data = xlsx(
        [
            ["Mitgliederliste Arbeitskreis Migration, Stand Mai"],
            [],
            ["Name", "Übergeordnete Organisation", "Kategorie"],
            ["Beratungsstelle Ost", "Caritasverband Darmstadt e.V.", "Wohlfahrtsverband"],
            ["Verein Neu", "", "Kommune"],
        ]
    )
    client.force_login(office)
    upload(client, "organisations", "liste.xlsx", data)
    record = TabularImport.objects.get()
    assert record.status == TabularImport.Status.INVALID and record.first_rows
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Which row holds the column headings?" in page
    assert 'value="3" id="header-row-3" checked' in page
    assert "Mitgliederliste Arbeitskreis Migration, Stand Mai" in page
    client.post(reverse("importing:tabular_header_row", args=[record.pk]), {"header_row": "3"})
    record.refresh_from_db()
    assert record.header_row == 3 and record.first_rows == []
    assert [(problem["row"], problem["column"]) for problem in record.problems] == [(5, "C (Kategorie)")]
    page = client.get(record.get_absolute_url()).content.decode()
    assert "Which row holds the column headings?" not in page and "row 3" in page


def test_a_workbook_that_unpacks_to_a_gigabyte_or_scans_millions_of_rows_is_refused_unread(client, office):  # noqa: F811
    """Zip bombs (1 GB of shared strings) and two million empty rows are refused before they are read."""
    import zipfile

    from importing.tabular import MAX_ROWS_SCANNED, FileProblem, read_table

    template = io.BytesIO(xlsx([["Name"], ["Verein"]]))
    with zipfile.ZipFile(template) as source:
        parts = {name: source.read(name) for name in source.namelist()}

    def workbook(replace):
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in parts.items():
                if name not in replace:
                    archive.writestr(name, content)
            for name, chunks in replace.items():
                with archive.open(name, "w", force_zip64=True) as part:
                    for chunk in chunks():
                        part.write(chunk)
        return output.getvalue()

    def shared_strings():
        yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
        for _ in range(60):
            yield b"x" * (1024 * 1024)
        yield b"</t></si></sst>"

    bomb = workbook({"xl/sharedStrings.xml": shared_strings})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(FileProblem, match="unpacks to"):
        read_table("organisations", "bombe.xlsx", bomb)

    def empty_rows(declared):
        def sheet():
            yield b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            if declared:
                yield b'<dimension ref="A1:A2000000"/>'
            yield b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>'
            for start in range(2, 2_000_000, 10_000):
                yield b"".join(b'<row r="%d"/>' % number for number in range(start, start + 10_000))
            yield b"</sheetData></worksheet>"

        return sheet

    for declared in (True, False):
        rows = workbook({"xl/worksheets/sheet1.xml": empty_rows(declared)})
        with pytest.raises(FileProblem, match=f"more than {MAX_ROWS_SCANNED:,} rows"):
            read_table("organisations", "leer.xlsx", rows)
    text = ("Name\r\n" + "\r\n" * 2_000_000).encode()
    with pytest.raises(FileProblem, match=f"more than {MAX_ROWS_SCANNED:,} rows"):
        read_table("organisations", "leer.csv", text)


def test_imports_and_mail_run_on_queues_of_their_own():
    """A long import never delays the mail: two queues, and `make run` starts a worker for each."""
    from pathlib import Path

    from meetings.tasks import deliver_mail

    assert tasks.check_upload.queue_name == tasks.apply_upload.queue_name == "imports"
    assert deliver_mail.queue_name == "default"
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "db_worker --queue-name '*' --exclude-queues imports" in makefile
    assert "db_worker --queue-name imports" in makefile


def office_upload_then_demoted(client, office):  # noqa: F811
    """An office user checks an organisations file, then leaves the office (the group is taken away)."""
    client.force_login(office)
    data = xlsx([ORG_HEADERS, ["Diakonie Darmstadt-Dieburg", None, "Wohlfahrtsverband", None, None, None, None]])
    upload(client, "organisations", "organisationen.xlsx", data)
    item = TabularImport.objects.get()
    assert item.status == TabularImport.Status.READY
    office.groups.clear()
    return item


def test_an_import_is_not_applied_by_someone_who_lost_the_right(client, office):  # noqa: F811
    item = office_upload_then_demoted(client, office)
    assert apply(client, item).status_code == 403
    item.refresh_from_db()
    assert item.status == TabularImport.Status.READY
    assert not Organisation.objects.filter(name="Diakonie Darmstadt-Dieburg").exists()


def test_the_apply_task_asks_the_right_again(client, office):  # noqa: F811
    """The task runs later than the request: it refuses when the right is gone by then."""
    item = office_upload_then_demoted(client, office)
    TabularImport.objects.filter(pk=item.pk).update(status=TabularImport.Status.APPLYING)
    tasks.apply_upload.call(item.pk)
    item.refresh_from_db()
    assert item.status == TabularImport.Status.INVALID and item.run is None
    assert "may no longer import" in item.problems[0]["message"]
    assert not Organisation.objects.filter(name="Diakonie Darmstadt-Dieburg").exists()
    assert not ImportRun.objects.exists()


def test_a_coordinator_who_lost_the_role_cannot_apply_their_membership_file(client, coordinator, networks, caritas):  # noqa: F811
    client.force_login(coordinator)
    upload(client, "memberships", "m.csv", csv_bytes([["Netzwerk", "Organisation"], ["MiLa", "Caritas Darmstadt"]]))
    item = TabularImport.objects.get()
    assert item.status == TabularImport.Status.READY
    coordinator.assignments.update(role="member")
    assert apply(client, item).status_code == 403
    assert not Membership.objects.exists()
