"""Survey results as CSV and Excel: the same rows the results page shows, under the same rules."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .results import result_rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(value):
    """Free text that starts like a formula is written as text, so that no spreadsheet runs it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe_rows(rows):
    return [[_safe(value) for value in row] for row in rows]


def results_csv(results):
    header, rows = result_rows(results)
    rows = _safe_rows(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    # A byte order mark lets spreadsheet programs read the umlauts correctly.
    return "\ufeff" + buffer.getvalue()


def results_xlsx(results, sheet_title):
    header, rows = result_rows(results)
    rows = _safe_rows(rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEF", (50, 25, 30, 50, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
