"""Population figures of the municipalities, from the tables of the Hessisches Statistisches Landesamt.

The office's tables ("Die Bevölkerung der hessischen Gemeinden am 31. Dezember …", as .xlsx or .csv)
have title lines, a header of two or three rows with grouped columns ("Bevölkerung insgesamt",
"darunter Nichtdeutsche"), a row of column numbers, then one row per district and municipality, keyed
by the Gemeindeschlüssel (six digits without the state's "06", or the full eight-digit key, sometimes
with spaces or as a number that lost its leading zero), and footnotes below. This module finds the
header and the columns by their words, reads the date from the title, and keeps the rows of the
county's municipalities; districts, other counties and footnotes are skipped. Every problem names its
row; the plan says for each municipality whether its figures are new, changed or the same.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from register.models import Body, Municipality, MunicipalityStatistic

from .tabular import MAX_FILE_SIZE, FileProblem, cell_text, decode, file_format_of, too_large_message

MAX_ROWS = 20_000
HEADER_ROWS = 6  # at most this many rows above the first data row are read as the header
KEY = re.compile(r"^\d[\d ]{2,13}$")
NUMERIC_DATE = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})")
MONTHS = ["januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "dezember"]  # fmt: skip
WORD_DATE = re.compile(r"(\d{1,2})\.\s*(" + "|".join(MONTHS) + r")\s+(\d{4})", re.IGNORECASE)
ZERO = {"-", "–", "—"}
NO_FIGURE = {".", "...", "…", "x", "/", "()"}
FOREIGN_WORDS = ("nichtdeutsch", "ausländ", "auslaend")
SPLIT_WORDS = ("männlich", "weiblich", "veränderung", "%", "je ", "anteil", "dichte", "fläche")


@dataclass
class Row:
    number: int
    municipality_id: int
    name: str
    population: int
    foreign_residents: int


@dataclass
class Figures:
    """What a table holds for the county: rows, problems by row, what was skipped, the stated date."""

    file_format: str
    title: str = ""
    date: datetime.date | None = None
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # (row number or None, message)
    skipped: int = 0
    notes: list = field(default_factory=list)  # what does not stop the import, e.g. municipalities not in the table
    columns: dict = field(default_factory=dict)  # key -> header text


def normalise_key(text):
    """The eight-digit AGS from a Gemeindeschlüssel as the tables write it, or None."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 6:  # "432001": the state's "06" left out
        return "06" + digits
    if len(digits) == 7:  # 6432001: a number that lost its leading zero
        return "0" + digits
    if len(digits) == 8:
        return digits
    if len(digits) == 12:  # regional key (ARS): state, district, county, association, municipality
        return digits[:5] + digits[9:]
    return None


def parse_count(value, what):
    """A count as the tables write it: 12345, "12 345", "12.345"; a dash is zero."""
    if isinstance(value, bool):
        raise ValueError(_("%(what)s: “%(value)s” is not a number.") % {"what": what, "value": value})
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = cell_text(value).replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if text in ZERO:
        return 0
    if text in NO_FIGURE or not text:
        raise ValueError(_("%(what)s: the table gives no figure here (“%(value)s”).") % {"what": what, "value": text})
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    if not text.isdigit():
        raise ValueError(_("%(what)s: “%(value)s” is not a whole number.") % {"what": what, "value": text})
    return int(text)


def date_in(text):
    match = NUMERIC_DATE.search(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = WORD_DATE.search(text)
        if not match:
            return None
        day, month, year = int(match.group(1)), MONTHS.index(match.group(2).lower()) + 1, int(match.group(3))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def read_rows(name, data):
    """(format, rows as lists of values) of the first worksheet or the CSV file."""
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    if len(data) > MAX_FILE_SIZE:
        raise FileProblem(too_large_message(len(data)))
    file_format = file_format_of(name, data)
    if file_format == "xlsx":
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append(list(row))
                if len(rows) > MAX_ROWS:
                    raise FileProblem(_("The file has more than %(max)s rows.") % {"max": f"{MAX_ROWS:,}"})
            workbook.close()
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError, IndexError):
            raise FileProblem(_("The file cannot be read as an Excel workbook (.xlsx). Is it damaged?")) from None
        return file_format, rows
    text, _encoding = decode(data)
    first = "\n".join(text.splitlines()[:40])
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if len(rows) > MAX_ROWS:
        raise FileProblem(_("The file has more than %(max)s rows.") % {"max": f"{MAX_ROWS:,}"})
    return file_format, rows


def _is_data_row(row):
    cells = [cell_text(value) for value in row]
    keyed = any(KEY.match(cell) for cell in cells[:2])
    numbers = sum(
        1 for value in row[1:] if isinstance(value, int | float) or re.fullmatch(r"[\d .]+", cell_text(value))
    )
    return keyed and numbers >= 2


def _header(rows, first_data):
    """{column index: the words of all header rows above it}, group labels carried to the right."""
    band = []
    for index in range(first_data - 1, max(first_data - 1 - HEADER_ROWS, -1), -1):
        cells = [cell_text(value) for value in rows[index]]
        if sum(1 for cell in cells if cell) < 2:
            break
        band.insert(0, cells)
    width = max((len(cells) for cells in band), default=0)
    words = {column: [] for column in range(width)}
    for depth, cells in enumerate(band):
        carried = ""
        for column in range(width):
            cell = cells[column] if column < len(cells) else ""
            if cell and not re.fullmatch(r"\d+", cell):
                carried = cell
                words[column].append(cell)
            elif depth < len(band) - 1 and carried:  # a group label spans the columns to its right
                words[column].append(carried)
    return {column: " ".join(parts).casefold().replace("\n", " ") for column, parts in words.items()}


def _columns(header):
    def first(test):
        return next((column for column, words in sorted(header.items()) if test(words)), None)

    key = first(lambda w: any(word in w for word in ("schlüssel", "kennziffer", "ags", "ars")))
    name = first(
        lambda w: any(word in w for word in ("gemeinde", "verwaltungsbezirk", "name", "kreis")) and "schlüssel" not in w
    )
    foreign = first(lambda w: any(word in w for word in FOREIGN_WORDS) and not any(word in w for word in SPLIT_WORDS))
    total = first(
        lambda w: (
            any(word in w for word in ("insgesamt", "bevölkerung", "einwohner"))
            and not any(word in w for word in FOREIGN_WORDS + SPLIT_WORDS)
        )
    )
    return {"key": key, "name": name, "population": total, "foreign_residents": foreign}


def read_figures(name, data, county=None):
    """Read a statistical table into ``Figures`` for the municipalities of the county."""
    file_format, rows = read_rows(name, data)
    figures = Figures(file_format=file_format)
    first_data = next((index for index, row in enumerate(rows) if _is_data_row(row)), None)
    if first_data is None:
        raise FileProblem(
            _(
                "No row with a municipality key (Gemeindeschlüssel) and figures was found. Is this a table of the "
                "statistical office with one row per municipality?"
            )
        )
    titles = [" ".join(cell_text(value) for value in row if cell_text(value)) for row in rows[:first_data]]
    figures.title = next((title for title in titles if date_in(title)), titles[0] if titles else "")
    figures.date = date_in(figures.title)
    header = _header(rows, first_data)
    columns = _columns(header)
    labels = {"population": _("population in total"), "foreign_residents": _("foreign residents (Nichtdeutsche)")}
    missing = [labels[key] for key in ("population", "foreign_residents") if columns[key] is None]
    if missing:
        raise FileProblem(
            _("The columns for %(missing)s were not found in the header. The header reads: %(header)s")
            % {"missing": ", ".join(missing), "header": " | ".join(words for words in header.values() if words)}
        )
    key_column = columns["key"] if columns["key"] is not None else 0
    figures.columns = {key: header.get(column, "") for key, column in columns.items() if column is not None}
    county_pk = county.pk if county else Body.home_pk()
    municipalities = {m.ags: m for m in Municipality.objects.filter(county_id=county_pk)}
    prefixes = {ags[:5] for ags in municipalities}
    seen = {}
    for index in range(first_data, len(rows)):
        row, number = rows[index], index + 1
        cells = [cell_text(value) for value in row]
        ags = normalise_key(cells[key_column]) if key_column < len(cells) and KEY.match(cells[key_column]) else None
        if ags is None or ags[:5] not in prefixes or ags.endswith("000"):
            figures.skipped += 1  # districts, other counties, totals, footnotes, empty lines
            continue
        municipality = municipalities.get(ags)
        if municipality is None:
            figures.problems.append(
                (number, _("The key %(key)s is no municipality of the county in the register.") % {"key": ags})
            )
            continue
        if ags in seen:
            figures.problems.append(
                (
                    number,
                    _("%(name)s appears a second time (first in row %(row)s).")
                    % {"name": municipality.name, "row": seen[ags]},
                )
            )
            continue
        seen[ags] = number
        try:
            population = parse_count(row[columns["population"]], _("Population"))
            foreign = parse_count(row[columns["foreign_residents"]], _("Foreign residents"))
        except (ValueError, IndexError) as error:
            message = str(error) if isinstance(error, ValueError) else _("The row is shorter than the header.")
            figures.problems.append((number, f"{municipality.name}: {message}"))
            continue
        if foreign > population:
            figures.problems.append(
                (
                    number,
                    _("%(name)s: %(foreign)s foreign residents are more than the population of %(population)s.")
                    % {"name": municipality.name, "foreign": foreign, "population": population},
                )
            )
            continue
        figures.rows.append(Row(number, municipality.pk, municipality.name, population, foreign))
    missing_names = sorted(m.name for ags, m in municipalities.items() if ags not in seen)
    if not figures.rows and not figures.problems:
        raise FileProblem(_("The table holds no municipality of the county."))
    if missing_names:
        figures.notes.append(
            _("The table has no row for: %(names)s. Their figures stay as they are.")
            % {"names": ", ".join(missing_names)}
        )
    return figures


def plan(figures, date):
    """Each row with what applying it does: "new", "changed" (with the old values) or "same"."""
    existing = {
        s.municipality_id: s
        for s in MunicipalityStatistic.objects.filter(
            date=date, municipality_id__in=[r.municipality_id for r in figures.rows]
        )
    }
    result = []
    for row in figures.rows:
        old = existing.get(row.municipality_id)
        if old is None:
            action = "new"
        elif (old.population, old.foreign_residents) == (row.population, row.foreign_residents):
            action = "same"
        else:
            action = "changed"
        result.append(
            {
                "row": row.number,
                "municipality": row.municipality_id,
                "name": row.name,
                "population": row.population,
                "foreign_residents": row.foreign_residents,
                "action": action,
                "old": [old.population, old.foreign_residents] if old and action == "changed" else None,
            }
        )
    return result
