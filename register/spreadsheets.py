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
    if isinstance(value, str):  # most cells are text: checked first (the other checks cost seconds on 400,000 rows)
        return neutralise(value)
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


def _text_cell(worksheet, text):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, text)
    cell.data_type = "s"  # openpyxl would store text starting with "=" as a formula
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True  # Excel's text mark: stays text when the cell is edited
    return cell


def _cell(worksheet, value):
    """What a write-only worksheet takes for a value: the value itself, or a cell where it needs a format
    or where openpyxl would not keep text as text (a formula, an error code such as ``#N/A``)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    if isinstance(value, str):
        return _text_cell(worksheet, value) if value.startswith(FORMULA_START) or value in ERROR_CODES else value
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(worksheet, value.replace(tzinfo=None))
        cell.number_format = "DD.MM.YYYY HH:MM"
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(worksheet, value)
        cell.number_format = "DD.MM.YYYY"
        return cell
    return value


def _widths(sheet):
    """The width of each column in characters: its longest heading or value."""
    widths = [len(str(header)) for header in sheet.headers]
    for row in sheet.rows:
        for index, value in enumerate(row[: len(widths)]):
            if value is not None and value != "":
                widths[index] = max(widths[index], len(str(value)))
    return widths


def xlsx_bytes(sheets):
    """An .xlsx with one formatted sheet per ``Sheet``: bold headings, frozen first row, filter, widths.

    Written row by row (openpyxl's write-only mode): a workbook that keeps a cell object for every value
    took minutes and gigabytes for the 400,000 memberships of a country."""
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title[:31])
        # What a write-only sheet holds before its rows: the columns' widths, the frozen row, the filter.
        for index, width in enumerate(sheet.widths or _widths(sheet)):
            worksheet.column_dimensions[_column_letter(index)].width = min(MAX_COLUMN_WIDTH, width + 2)
        worksheet.freeze_panes = "A2"
        if sheet.headers:
            last = _column_letter(len(sheet.headers) - 1)
            worksheet.auto_filter.ref = f"A1:{last}{max(1, len(sheet.rows) + 1)}"
        headings = [_text_cell(worksheet, str(header)) for header in sheet.headers]
        for cell in headings:
            cell.font = bold
        worksheet.append(headings)
        for row in sheet.rows:
            worksheet.append([None if value == "" else _cell(worksheet, value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
