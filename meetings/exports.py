"""The participant list as an Excel workbook and as a printable sign-in sheet (PDF)."""

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


def sign_in_sheet(event, data):
    html = render_to_string("meetings/staff/sign_in_sheet.html", {"event": event, **data})
    return HTML(string=html, base_url=str(STATIC_DIR)).write_pdf()
