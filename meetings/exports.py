"""The participant list as an Excel workbook, a printable sign-in sheet with names and organisations
only (PDF), and – on request – the confidential list of needs for the organisers (PDF)."""

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


def pdf(template, context):
    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(STATIC_DIR)).write_pdf()


def sign_in_sheet(event, data):
    """The sheet passed around at the event: number, name, organisation, signature – never needs
    (health data, Art. 9 GDPR)."""
    return pdf("meetings/staff/sign_in_sheet.html", {"event": event, "rows": data["confirmed"]})


def needs_sheet(event, data):
    """For the organisers only: who needs what, marked as confidential."""
    rows = [row for row in data["confirmed"] + data["waiting"] if row.needs or row.needs_details]
    return pdf("meetings/staff/needs_sheet.html", {"event": event, "rows": rows, "needs": data["needs"]})
