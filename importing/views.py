"""Staff pages of the table import and export: upload, check and preview, apply, download."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from register.guards import check, requires
from register.permissions import can_export, can_import, can_import_some, is_office, signed_in

from .forms import UploadForm
from .models import TabularImport
from .tabular import MAX_FILE_SIZE, PREVIEW_ROWS, suggest_header_row
from .tabular_export import (
    SHEETS,
    csv_bytes,
    export_sheets,
    template_notes,
    template_sheet,
    workbook_bytes,
)
from .tasks import apply_upload, check_upload

PAGE_SIZE = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAMES = {
    TabularImport.Kind.ORGANISATIONS: "organisationen",
    TabularImport.Kind.PEOPLE: "personen",
    TabularImport.Kind.MEMBERSHIPS: "mitgliedschaften",
}
EXPORT_NAMES = {
    "networks": "netzwerke",
    "organisations": "organisationen",
    "actor_groups": "akteursgruppen",
    "people": "personen",
    "memberships": "mitgliedschaften",
}


def posted_with_files(request):
    """The data and files of a POST, else nothing (a POST without fields is still a submission)."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def download(content, file_name, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def visible_imports(user):
    imports = TabularImport.objects.defer("content", "plan", "problems").select_related("user")
    return imports if is_office(user) else imports.filter(user=user)


@requires(can_export)
def index(request):
    form = None
    if can_import_some(request.user):
        form = UploadForm(*posted_with_files(request), user=request.user)
        if request.method == "POST" and form.is_valid():
            upload = form.save(request.user, get_language())
            check_upload.enqueue(upload.pk)
            return redirect(upload)
    elif request.method == "POST":
        raise PermissionDenied
    kinds = [kind for kind, _label in (form.fields["kind"].choices if form else [])]
    context = {
        "form": form,
        "imports": visible_imports(request.user)[:20],
        "templates": [(kind, TabularImport.Kind(kind).label) for kind in kinds],
        "export_kinds": [(kind, SHEETS[kind]) for kind in SHEETS if kind != "people" or is_office(request.user)],
        "max_size": MAX_FILE_SIZE // 1024 // 1024,
    }
    return render(request, "importing/tabular_index.html", context, status=400 if form and form.errors else 200)


def own_import(request, pk):
    upload = get_object_or_404(TabularImport.objects.defer("content").select_related("user", "run"), pk=pk)
    if not (is_office(request.user) or upload.user_id == request.user.pk):
        raise Http404
    return upload


@requires(signed_in)
def detail(request, pk):
    upload = own_import(request, pk)
    problems = Paginator(upload.problems, PAGE_SIZE).get_page(request.GET.get("problems"))
    rows = Paginator(upload.plan, PAGE_SIZE).get_page(request.GET.get("rows"))
    context = {
        "upload": upload,
        "problems": problems,
        "rows": rows,
        "proposal_count": sum(1 for row in upload.plan if row["proposals"]),
        "first_rows": [(number, [cell for cell in cells if cell]) for number, cells in enumerate(upload.first_rows, 1)],
        "suggested_header_row": suggest_header_row(upload.kind, upload.first_rows) if upload.first_rows else None,
    }
    return render(request, "importing/tabular_detail.html", context)


@require_POST
@requires(signed_in)
def choose_header_row(request, pk):
    """Check the file again with the headings in the row the user picked (a title row above them)."""
    upload = own_import(request, pk)
    check(can_import(request.user, upload.kind))
    try:
        row = int(request.POST.get("header_row", ""))
    except ValueError:
        row = 0
    if not 1 <= row <= PREVIEW_ROWS or upload.status != TabularImport.Status.INVALID or not upload.first_rows:
        return redirect(upload)
    started = TabularImport.objects.filter(pk=upload.pk, status=TabularImport.Status.INVALID).update(
        header_row=row, status=TabularImport.Status.CHECKING, phase="reading", rows_done=0, finished_at=None
    )
    if started:
        check_upload.enqueue(upload.pk)
    return redirect(upload)


@require_POST
@requires(signed_in)
def apply(request, pk):
    """Apply a checked import, only while the person applying may still import its kind; the task asks
    again, for the import's author, when it runs."""
    upload = own_import(request, pk)
    check(can_import(request.user, upload.kind))
    started = TabularImport.objects.filter(pk=upload.pk, status=TabularImport.Status.READY).update(
        status=TabularImport.Status.APPLYING, phase="checking", rows_done=0, finished_at=None
    )
    if started:
        apply_upload.enqueue(upload.pk)
    return redirect(upload)


@requires(can_import_some)
def template(request, kind, file_format):
    if kind not in TEMPLATE_NAMES:
        raise Http404
    name = f"vorlage-{TEMPLATE_NAMES[kind]}.{file_format}"
    if file_format == "xlsx":
        return download(workbook_bytes([template_sheet(kind), template_notes(kind)]), name, XLSX)
    return download(csv_bytes(template_sheet(kind)), name, "text/csv; charset=utf-8")


@requires(can_export)
def export_workbook(request):
    name = f"vernetzt-{timezone.localdate():%Y-%m-%d}.xlsx"
    return download(workbook_bytes(export_sheets(request.user)), name, XLSX)


@requires(can_export)
def export_csv(request, kind):
    if kind not in EXPORT_NAMES:
        raise Http404
    sheet = next((sheet for sheet in export_sheets(request.user) if sheet.kind == kind), None)
    if sheet is None:
        raise Http404
    name = f"vernetzt-{EXPORT_NAMES[kind]}-{timezone.localdate():%Y-%m-%d}.csv"
    return download(csv_bytes(sheet), name, "text/csv; charset=utf-8")
