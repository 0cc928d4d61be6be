"""Survey results as CSV and Excel: the same rows the results page shows, under the same rules.

Both files are written by ``register.spreadsheets``: no free-text answer runs as a formula, and the CSV
opens in Excel in Germany (semicolons, UTF-8 with BOM).
"""

from register.spreadsheets import Sheet, csv_bytes, xlsx_bytes

from .results import result_rows


def results_csv(results):
    header, rows = result_rows(results)
    return csv_bytes(header, rows)


def results_xlsx(results, sheet_title):
    header, rows = result_rows(results)
    return xlsx_bytes([Sheet(sheet_title, header, rows, widths=[50, 25, 30, 50, 10, 10])])
