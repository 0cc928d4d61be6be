"""The participant list as an Excel workbook, a printable sign-in sheet with names and organisations
only (PDF), and – on request – the confidential list of needs for the organisers (PDF)."""

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from register.spreadsheets import Sheet, xlsx_bytes

from .models import Registration

STATIC_DIR = Path(__file__).resolve().parent / "static" / "meetings"


def participants_workbook(event, data):
    """Participants and the needs summary; through ``register.spreadsheets``, so no name runs as a formula."""
    need_labels = [str(Registration._meta.get_field(field).verbose_name) for field in Registration.NEEDS]
    header = [_("Status"), _("Name"), _("E-mail"), _("Organisation"), *need_labels, _("Details"), _("Registered")]
    rows = [
        [
            registration.get_status_display(),
            registration.name,
            registration.email,
            registration.organisation,
            *[_("yes") if getattr(registration, field) else "" for field in Registration.NEEDS],
            registration.needs_details,
            timezone.localtime(registration.created),
        ]
        for registration in [*data["confirmed"], *data["waiting"]]
    ]
    summary = [[str(label), total] for label, total in data["needs"]]
    return xlsx_bytes(
        [Sheet(_("Participants"), header, rows), Sheet(_("Needs"), [_("Need"), _("Confirmed participants")], summary)]
    )


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
