"""The participant list as an Excel workbook and as a printable sign-in sheet (PDF)."""

import io
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from weasyprint import HTML

from .models import Registration

STATIC_DIR = Path(__file__).resolve().parent / "static" / "meetings"


def participants_workbook(event, data):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participants")[:31]
    need_labels = [str(Registration._meta.get_field(field).verbose_name) for field in Registration.NEEDS]
    header = [_("Status"), _("Name"), _("E-mail"), _("Organisation"), *need_labels, _("Details"), _("Registered")]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for registration in [*data["confirmed"], *data["waiting"]]:
        sheet.append(
            [
                registration.get_status_display(),
                registration.name,
                registration.email,
                registration.organisation,
                *[_("yes") if getattr(registration, field) else "" for field in Registration.NEEDS],
                registration.needs_details,
                timezone.localtime(registration.created).replace(tzinfo=None),
            ]
        )
    sheet.freeze_panes = "A2"
    summary = workbook.create_sheet(_("Needs")[:31])
    summary.append([_("Need"), _("Confirmed participants")])
    summary["A1"].font = summary["B1"].font = Font(bold=True)
    for label, total in data["needs"]:
        summary.append([str(label), total])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sign_in_sheet(event, data):
    html = render_to_string("meetings/staff/sign_in_sheet.html", {"event": event, **data})
    return HTML(string=html, base_url=str(STATIC_DIR)).write_pdf()
