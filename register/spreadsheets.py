"""CSV and Excel files as the product writes them – every CSV and XLSX goes through here.

* No cell is ever run as a formula. Text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return would be read as a formula by Excel or LibreOffice (OWASP, "CSV Injection"):
  ``neutralise`` marks it as text. In a CSV file the mark is a leading apostrophe; in a workbook the
  same text is stored as a text cell with Excel's own text mark (``quotePrefix``, the apostrophe a user
  types), so it is shown unchanged. ``restore`` takes the apostrophe off again when a CSV file written
  here comes back as an import.
* CSV files are what Excel in Germany opens with a double click: separated by semicolons, UTF-8 with
  a byte order mark, lines ending in CRLF, dates as 31.12.2025 and decimals with a comma.
* Workbooks have bold headings, a frozen first row, a filter and columns wide enough to read.
"""

import csv
import datetime
import decimal
import io
from dataclasses import dataclass, field

# A text starting with one of these is read as a formula (or a DDE command) by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
MAX_COLUMN_WIDTH = 60
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """The value as a spreadsheet cell that cannot be a formula: text starting like one gets the text mark."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return TEXT_MARK + value
    return value


def is_neutralised(value):
    return isinstance(value, str) and value.startswith(TEXT_MARK) and value[1:].startswith(FORMULA_START)


def restore(text):
    """A cell read back from a CSV file written here: the text mark of ``neutralise`` taken off."""
    return text[1:] if is_neutralised(text) else text


@dataclass
class Sheet:
    """One table: a title (the sheet's name in a workbook), the headings and the rows."""

    title: str
    headers: list
    rows: list
    widths: list = field(default_factory=list)  # column widths in characters; empty: from the content


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, datetime.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float | decimal.Decimal):
        return str(value).replace(".", ",")
    return neutralise(str(value))


def csv_bytes(headers, rows):
    """Semicolon-separated, UTF-8 with BOM, CRLF: what Excel in Germany opens without asking."""
    output = io.StringIO(newline="")
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(value) for value in headers])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return output.getvalue().encode("utf-8-sig")


def _column_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _write_cell(cell, value):
    """Put a value into a worksheet cell; text is always text, never a formula."""
    if isinstance(value, datetime.datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "DD.MM.YYYY HH:MM"
        return
    if isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = "DD.MM.YYYY"
        return
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would store text starting with "=" as a formula
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # Excel's text mark: stays text when the cell is edited
        return
    cell.value = value


def xlsx_bytes(sheets):
    """An .xlsx with one formatted sheet per ``Sheet``: bold headings, frozen first row, filter, widths."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title[:31])
        widths = [len(str(header)) for header in sheet.headers]
        for column, header in enumerate(sheet.headers, start=1):
            cell = worksheet.cell(row=1, column=column)
            _write_cell(cell, str(header))
            cell.font = bold
        for number, row in enumerate(sheet.rows, start=2):
            for column, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                _write_cell(worksheet.cell(row=number, column=column), value)
                if column <= len(widths):
                    widths[column - 1] = max(widths[column - 1], len(str(value)))
        worksheet.freeze_panes = "A2"
        if sheet.headers:
            last = _column_letter(len(sheet.headers) - 1)
            worksheet.auto_filter.ref = f"A1:{last}{max(1, len(sheet.rows) + 1)}"
        for index, width in enumerate(sheet.widths or widths):
            worksheet.column_dimensions[_column_letter(index)].width = min(MAX_COLUMN_WIDTH, width + 2)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
