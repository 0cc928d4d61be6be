"""Reads Excel (.xlsx) and CSV tables of organisations, people and memberships.

A table has one header row and one record per row. Headers are German as in the downloadable
templates; the English headers are accepted too. The header row is the first, unless the user picked
another one in the preview (a title above the headings): when the headings are not found, the
``HeaderProblem`` carries the first rows of the file, for the user to pick from. CSV comes as people in
Germany produce it: semicolon or comma, UTF-8 with or without BOM, or Windows-1252 – detected and
reported. Every problem names its row and column; problems of the whole file raise ``FileProblem``.

What a file may cost is bounded before it is read: an Excel file is a zip archive, and its unpacked
size is known from the archive's directory (``MAX_UNPACKED_SIZE``: a few kilobytes may unpack to a
gigabyte of shared strings); a sheet that declares more rows than ``MAX_ROWS_SCANNED`` is refused
unread, and reading stops there also when it declares none (two million empty rows are as costly as
full ones); at most ``MAX_COLUMNS`` columns are read.
"""

import codecs
import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from register import spreadsheets
from register.choices import labels_in_every_language
from register.models import Category, LegalBasis, LegalForm, Membership

# Files larger than this are refused before they are read.
MAX_FILE_SIZE = 10 * 1024 * 1024
# More data rows than this are refused: split the file.
MAX_ROWS = 20_000
# Rows read at most, empty ones included; beyond, the file is refused without reading on.
MAX_ROWS_SCANNED = MAX_ROWS + 5_000
# Columns read at most (the templates have 14).
MAX_COLUMNS = 100
# The unpacked size of an Excel file at most (all parts of the archive together).
MAX_UNPACKED_SIZE = 50 * 1024 * 1024
# The preview offers the first rows of a file whose headings were not found in the row given.
PREVIEW_ROWS = 10
PREVIEW_COLUMNS = 15
EXTENSIONS = {".xlsx": "xlsx", ".csv": "csv", ".txt": "csv"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format (.xls)

ORGANISATIONS, PEOPLE, MEMBERSHIPS = "organisations", "people", "memberships"
# A workbook is read from the sheet of this name (the export's), else from its first sheet.
SHEET_NAMES = {
    ORGANISATIONS: ["Organisationen", "Organisations", "Organizations"],
    PEOPLE: ["Personen", "People"],
    MEMBERSHIPS: ["Mitgliedschaften", "Memberships"],
}


class FileProblem(Exception):
    """A problem of the whole file: nothing in it can be imported."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


class HeaderProblem(FileProblem):
    """The headings are not in the row given: ``first_rows`` are the file's first rows as text (for the
    user to pick the row of headings) and ``suggested`` the number of the row that looks most like one."""

    def __init__(self, message, first_rows, suggested):
        super().__init__(message)
        self.first_rows = first_rows
        self.suggested = suggested


@dataclass
class Problem:
    row: int | None
    column: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


# --- Values -------------------------------------------------------------------------------------

# The choices a file may name (column key: the model's choices). A cell may hold a choice's label in
# German or English (``register.choices``, the labels the pages show) or its stored value; case and
# spacing do not matter. Besides, the words below: abbreviations and what earlier templates wrote.
CHOICES = {
    "category": Category,
    "legal_form": LegalForm,
    "legal_basis": LegalBasis,
    "role": Membership.Role,
}
SYNONYMS = {
    "category": {
        Category.AUTHORITY: ["Behörde", "Verwaltung"],
        Category.ASSOCIATION: ["Verein", "Initiative"],
        Category.EDUCATION: ["Bildung und Forschung", "Bildung"],
        Category.ECONOMY: ["Kammern, Arbeitgeber und Gewerkschaften", "Wirtschaft"],
        Category.POLITICS: ["Politik"],
        Category.OTHER: ["Sonstiges", "Andere"],
    },
    "legal_form": {
        LegalForm.REGISTERED_ASSOCIATION: ["e.V.", "eV"],
        LegalForm.NONPROFIT_COMPANY: ["gGmbH"],
        LegalForm.PUBLIC_LAW: ["KdöR", "öffentlich-rechtlich"],
    },
    "legal_basis": {
        LegalBasis.CONSENT: ["Einwilligung"],
        LegalBasis.PUBLIC_TASK: ["Öffentliche Aufgabe"],
        LegalBasis.CONTRACT: ["Vertrag"],
        LegalBasis.LEGAL_OBLIGATION: ["Rechtliche Verpflichtung"],
    },
    "role": {
        Membership.Role.DEPUTY: ["stellvertretendes Mitglied", "Stellvertreter", "Stellvertreterin"],
        Membership.Role.CHAIR: ["Vorsitzende", "Vorsitzender"],
        Membership.Role.ADVISORY: ["beratend"],
    },
}
# How an export shows a person it may not name; an import takes these back by the row's ID.
ERASED_MARK = gettext_lazy("(erased)")
NOT_PUBLIC_MARK = gettext_lazy("(not public)")
YES = {"ja", "j", "yes", "y", "true", "wahr", "1", "x"}
NO = {"nein", "n", "no", "false", "falsch", "0"}
DATE_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y"]
SPACES = re.compile(r"\s+")
# German letters encoded as UTF-8 twice: "Ã¼" for "ü", "ÃŸ" for "ß".
MOJIBAKE = re.compile("Ã[¤¶¼„–œŸ©]")


def normalise(text):
    return SPACES.sub(" ", str(text)).strip().casefold()


@cache
def choice_lookup(key):
    """{normalised word: stored value} for the choices of column ``key``: labels in every language of the
    site, the synonyms and the stored values."""
    lookup = {}
    for pairs in labels_in_every_language(CHOICES[key]).values():
        for value, text in pairs:
            lookup[normalise(text)] = value
    for value, words in SYNONYMS.get(key, {}).items():
        for word in words:
            lookup[normalise(word)] = value
    for value, _text in CHOICES[key].choices:
        lookup[normalise(value)] = value
    lookup.pop("", None)
    return lookup


def accepted_labels(key):
    """What a cell of column ``key`` may say, for messages: the labels in the active language, then those
    of the other languages that differ."""
    active = translation.get_language() or settings.LANGUAGE_CODE
    by_language = labels_in_every_language(CHOICES[key])
    own = [text for _value, text in by_language.get(active, next(iter(by_language.values())))]
    others = [text for pairs in by_language.values() for _value, text in pairs if text not in own]
    return own, list(dict.fromkeys(others))


def marks(text):
    """The normalised words of ``text`` in every language of the site (an export may be in either)."""
    found = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            found.add(normalise(str(text)))
    return found


def cell_text(value):
    """A cell as text: numbers without a trailing ".0", dates as German dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%d.%m.%Y") if value.time() == datetime.time() else value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


class CellError(Exception):
    """A cell that cannot be read; the message says what is expected."""


def parse_text(value, max_length):
    text = cell_text(value)
    if len(text) > max_length:
        raise CellError(
            _("is %(length)s characters long; at most %(max)s are allowed.") % {"length": len(text), "max": max_length}
        )
    return text


def parse_choice(value, key):
    """The stored value for a cell of choice column ``key``; an unknown word is a CellError listing
    what the column accepts."""
    text = cell_text(value)
    if not text:
        return None
    found = choice_lookup(key).get(normalise(text))
    if found is None:
        own, others = accepted_labels(key)
        raise CellError(
            _("“%(value)s” is not one of: %(allowed)s. Accepted as well: %(others)s.")
            % {
                "value": text,
                "allowed": ", ".join(f"“{word}”" for word in own),
                "others": ", ".join(f"“{word}”" for word in others),
            }
        )
    return found


def parse_bool(value):
    if isinstance(value, bool):
        return value
    text = normalise(cell_text(value))
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("“%(value)s” is neither “ja” nor “nein”.") % {"value": cell_text(value)})


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise CellError(_("“%(value)s” is not a date. Write it as 31.12.2025.") % {"value": text})


def parse_id(value):
    """The number of an entry (the export's column ID), or None when empty."""
    text = cell_text(value)
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or not 0 < int(text) < 2**63:
        raise CellError(_("“%(value)s” is not the number of an entry. Keep the ID as exported.") % {"value": text})
    return int(text)


def parse_email(value, max_length):
    text = parse_text(value, max_length)
    if text:
        try:
            EmailValidator()(text)
        except ValidationError:
            raise CellError(_("“%(value)s” is not an e-mail address.") % {"value": text}) from None
    return text


def parse_url(value, max_length):
    text = parse_text(value, max_length)
    if text and "://" not in text:
        text = f"https://{text}"
    if text:
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise CellError(_("“%(value)s” is not a web address.") % {"value": cell_text(value)}) from None
    return text


# --- Columns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    german: str
    english: str
    help: str = ""
    required: bool = False
    synonyms: tuple = ()

    @property
    def names(self):
        return [self.german, self.english, *self.synonyms]


# The register's number of an entry, written by the export as its last column: a file that comes back
# changes exactly the entries it was exported from, whatever their names (two people of one name, a
# person shown as "(erased)" or "(not public)"). Empty for new entries.
ID_COLUMN = Column(
    "id",
    "ID",
    "ID",
    gettext_lazy("The entry's number in the register, as exported. Keep it to change the entry; empty for a new one."),
)

COLUMNS = {
    ORGANISATIONS: [
        Column("name", "Name", "Name", gettext_lazy("Name of the organisation or unit."), required=True),
        Column(
            "parent",
            "Übergeordnete Organisation",
            "Parent organisation",
            gettext_lazy("For a unit: the organisation it belongs to, with its full name."),
            synonyms=("Teil von", "Part of"),
        ),
        Column("short_name", "Kurzname", "Short name", gettext_lazy("Abbreviation."), synonyms=("Abkürzung",)),
        Column("category", "Kategorie", "Category", gettext_lazy("One of the categories listed below.")),
        Column("legal_form", "Rechtsform", "Legal form", gettext_lazy("One of the legal forms listed below.")),
        Column(
            "municipality",
            "Kommune",
            "Municipality",
            gettext_lazy("A municipality of the county."),
            synonyms=("Gemeinde", "Stadt"),
        ),
        Column("website", "Website", "Website", gettext_lazy("Web address."), synonyms=("Webseite", "Internet")),
        Column("email", "E-Mail", "Email", gettext_lazy("Public e-mail address."), synonyms=("E-Mail-Adresse", "Mail")),
        Column("phone", "Telefon", "Phone", gettext_lazy("Public phone number."), synonyms=("Telefonnummer",)),
        Column("street_address", "Straße und Hausnummer", "Street address", synonyms=("Straße", "Adresse")),
        Column("postal_code", "PLZ", "Postal code", synonyms=("Postleitzahl",)),
        Column("locality", "Ort", "Locality", synonyms=("City",)),
        Column("description", "Beschreibung", "Description"),
        ID_COLUMN,
    ],
    PEOPLE: [
        Column("title", "Titel", "Title", gettext_lazy("e.g. Dr.")),
        Column("given_name", "Vorname", "Given name", synonyms=("First name",)),
        Column("family_name", "Nachname", "Family name", synonyms=("Last name", "Name")),
        Column("function", "Funktion", "Function", gettext_lazy("Needed when no family name is given.")),
        Column(
            "organisation",
            "Organisation",
            "Organisation",
            gettext_lazy("An organisation of the register, with its full name."),
            synonyms=("Organization",),
        ),
        Column(
            "email",
            "E-Mail",
            "Email",
            gettext_lazy("Used to recognise a person already in the register."),
            synonyms=("E-Mail-Adresse", "Mail"),
        ),
        Column("phone", "Telefon", "Phone", synonyms=("Telefonnummer",)),
        Column(
            "legal_basis",
            "Rechtsgrundlage",
            "Legal basis",
            gettext_lazy("Legal basis of the processing; empty means public task."),
        ),
        Column(
            "consent_to_publish",
            "Einwilligung Veröffentlichung",
            "Consent to publication",
            gettext_lazy("“ja” only if the person has agreed to be shown publicly."),
        ),
        Column(
            "consent_recorded_at",
            "Einwilligung erteilt am",
            "Consent given on",
            gettext_lazy("Date of the consent; needed with consent."),
        ),
        Column("consent_note", "Einwilligung Vermerk", "Consent note", gettext_lazy("How consent was given.")),
        Column("purpose", "Zweck", "Purpose", gettext_lazy("What the data is kept for; empty means the default.")),
        ID_COLUMN,
    ],
    MEMBERSHIPS: [
        Column("network", "Netzwerk", "Network", gettext_lazy("Name or short name of the network."), required=True),
        Column(
            "organisation",
            "Organisation",
            "Organisation",
            gettext_lazy("Fill exactly one of organisation, actor group and person."),
            synonyms=("Organization",),
        ),
        Column("actor_group", "Akteursgruppe", "Actor group"),
        Column("person", "Person", "Person", gettext_lazy("“Given name Family name” or the e-mail address.")),
        Column("role", "Rolle", "Role", gettext_lazy("One of the roles listed below; empty means member.")),
        Column("voting_right", "Stimmrecht", "Voting right", gettext_lazy("“ja”, “nein” or empty.")),
        Column(
            "on_behalf_of",
            "Im Auftrag von",
            "On behalf of",
            gettext_lazy("For a person: the organisation they represent."),
        ),
        Column("start_date", "Beginn", "Start", gettext_lazy("Date, e.g. 01.01.2025."), synonyms=("Start date",)),
        Column("end_date", "Ende", "End", gettext_lazy("Date, e.g. 31.12.2025."), synonyms=("End date",)),
        ID_COLUMN,
    ],
}


def header_lookup(kind):
    lookup = {}
    for column in COLUMNS[kind]:
        for name in column.names:
            lookup.setdefault(normalise(name).rstrip(" *"), column)
    return lookup


def column_letter(index):
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# --- Files --------------------------------------------------------------------------------------


@dataclass
class Table:
    """The rows of a file, each as {column key: raw value}, with the facts of the file."""

    kind: str
    file_format: str
    encoding: str = ""
    delimiter: str = ""
    headers: dict = field(default_factory=dict)  # key -> "C (Kategorie)"
    rows: list = field(default_factory=list)  # [(row number, {key: value})]
    problems: list = field(default_factory=list)

    def column_name(self, key):
        return self.headers.get(key) or next(c.german for c in COLUMNS[self.kind] if c.key == key)


def file_format_of(name, data):
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if data.startswith(OLE_MAGIC) or extension == ".xls":
        raise FileProblem(_("This is the old Excel format (.xls). Save the file as .xlsx or .csv and try again."))
    if extension not in EXTENSIONS:
        raise FileProblem(_("Only .xlsx and .csv files can be imported."))
    file_format = EXTENSIONS[extension]
    if file_format == "csv" and data.startswith(ZIP_MAGIC):
        raise FileProblem(_("This file is an Excel workbook with the ending .csv. Rename it to .xlsx."))
    return file_format


def read_table(kind, name, data, header_row=1):
    """Read a file into a Table, the headings in row ``header_row``. Raises FileProblem when nothing of it
    can be used, HeaderProblem when the headings are not in that row."""
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    if len(data) > MAX_FILE_SIZE:
        raise FileProblem(too_large_message(len(data)))
    file_format = file_format_of(name, data)
    table = Table(kind=kind, file_format=file_format)
    raw_rows = scanned(read_xlsx(data, table) if file_format == "xlsx" else read_csv(data, table))
    first_rows = []
    header_number, header = None, None
    for number, values in raw_rows:
        if len(first_rows) < PREVIEW_ROWS:
            first_rows.append([cell_text(value)[:200] for value in values[:PREVIEW_COLUMNS]])
        if number == header_row:
            header_number, header = number, values
            break
    if header is None:
        raise FileProblem(
            _("The file is empty.") if header_row == 1 else _("The file has no row %(row)s.") % {"row": header_row}
        )
    try:
        positions = map_headers(kind, header, table)
    except FileProblem as problem:
        for number, values in raw_rows:
            if number > PREVIEW_ROWS:
                break
            first_rows.append([cell_text(value)[:200] for value in values[:PREVIEW_COLUMNS]])
        raise HeaderProblem(problem.message, first_rows, suggest_header_row(kind, first_rows)) from None
    seen = {}
    for number, values in raw_rows:
        if not any(cell_text(value) for value in values):
            continue
        extra = [i for i, value in enumerate(values) if i not in positions.values() and cell_text(value)]
        for index in extra:
            table.problems.append(
                Problem(number, column_letter(index), _("This cell has a value but its column has no heading."))
            )
        record = {key: values[index] if index < len(values) else None for key, index in positions.items()}
        fingerprint = tuple(normalise(cell_text(record[key])) for key in sorted(record))
        if fingerprint in seen:
            table.problems.append(
                Problem(number, "", _("This row repeats row %(row)s. Remove one of them.") % {"row": seen[fingerprint]})
            )
        else:
            seen[fingerprint] = number
        table.rows.append((number, record))
        if len(table.rows) > MAX_ROWS:
            raise FileProblem(
                _("The file has more than %(max)s rows. Split it into several files.") % {"max": f"{MAX_ROWS:,}"}
            )
    if not table.rows:
        raise FileProblem(
            _("The file has headings in row %(row)s but no rows below them.") % {"row": header_number or 1}
        )
    return table


def scanned(rows):
    """The rows of a file, stopping with a FileProblem after MAX_ROWS_SCANNED (empty rows count too)."""
    for number, values in rows:
        if number > MAX_ROWS_SCANNED:
            raise FileProblem(too_many_rows_message())
        yield number, values


def too_many_rows_message():
    return _(
        "The file has more than %(max)s rows (empty rows count too). Delete the empty rows below the table "
        "or split the file."
    ) % {"max": f"{MAX_ROWS_SCANNED:,}"}


def suggest_header_row(kind, rows):
    """The number of the row among ``rows`` with the most known headings (1 if none has any)."""
    lookup = header_lookup(kind)
    scores = [sum(1 for cell in row if normalise(cell).rstrip(" *") in lookup) for row in rows]
    best = max(range(len(scores)), key=lambda index: (scores[index], -index), default=0)
    return best + 1 if scores and scores[best] else 1


def too_large_message(size):
    return _("The file is %(size)s MB large; at most %(max)s MB can be imported. Split it into several files.") % {
        "size": f"{size / 1024 / 1024:.1f}",
        "max": MAX_FILE_SIZE // 1024 // 1024,
    }


def map_headers(kind, header, table):
    """{column key: index} from the header row; unknown, doubled or missing headings are file problems."""
    lookup = header_lookup(kind)
    positions, unknown, doubled = {}, [], []
    for index, value in enumerate(header):
        text = cell_text(value)
        if not text:
            continue
        column = lookup.get(normalise(text).rstrip(" *"))
        where = f"{column_letter(index)} (“{text}”)"
        if column is None:
            unknown.append(where)
        elif column.key in positions:
            doubled.append(where)
        else:
            positions[column.key] = index
            table.headers[column.key] = f"{column_letter(index)} ({text})"
    messages = []
    if unknown:
        allowed = ", ".join(f"“{column.german}”" for column in COLUMNS[kind])
        messages.append(
            _("Unknown column headings: %(columns)s. The allowed headings are: %(allowed)s.")
            % {"columns": ", ".join(unknown), "allowed": allowed}
        )
    if doubled:
        messages.append(_("These columns appear twice: %(columns)s.") % {"columns": ", ".join(doubled)})
    missing = [f"“{column.german}”" for column in COLUMNS[kind] if column.required and column.key not in positions]
    if missing:
        messages.append(
            _("Required columns are missing: %(columns)s. Is this the row of headings?")
            % {"columns": ", ".join(missing)}
        )
    if kind == MEMBERSHIPS and not {"organisation", "actor_group", "person"} & set(positions):
        messages.append(_("Add one of the columns “Organisation”, “Akteursgruppe” or “Person”."))
    if not positions and not messages:
        messages.append(_("This row holds no column headings."))
    if messages:
        raise FileProblem(" ".join(messages))
    return positions


def check_unpacked_size(data):
    """Refuse a workbook whose parts unpack to more than MAX_UNPACKED_SIZE, before anything is unpacked.

    The sizes come from the archive's directory; Python's zipfile never unpacks more than a part
    declares, so a part that lies about its size cannot get past this either.
    """
    damaged = _("The file cannot be read as an Excel workbook (.xlsx). Is it damaged?")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileProblem(damaged) from None
    if unpacked > MAX_UNPACKED_SIZE:
        raise FileProblem(
            _(
                "The workbook unpacks to %(size)s MB; at most %(max)s MB can be imported. Delete what the table "
                "does not need (other sheets, images, empty rows) or split the file."
            )
            % {"size": f"{unpacked / 1024 / 1024:,.0f}", "max": MAX_UNPACKED_SIZE // 1024 // 1024}
        )


def read_xlsx(data, table):
    """Rows of the kind's worksheet as (row number, [values]); formulas are problems of their cell."""
    import openpyxl

    check_unpacked_size(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, SyntaxError):
        raise FileProblem(_("The file cannot be read as an Excel workbook (.xlsx). Is it damaged?")) from None
    damaged = _("The file cannot be read as an Excel workbook (.xlsx). Is it damaged?")
    try:
        names = {normalise(name) for name in SHEET_NAMES[table.kind]}
        sheet = next((ws for ws in workbook.worksheets if normalise(ws.title) in names), workbook.worksheets[0])
        if (sheet.max_row or 0) > MAX_ROWS_SCANNED:  # as the sheet declares it; reading checks again
            raise FileProblem(too_many_rows_message())
        rows = enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1)
        while True:
            try:
                number, row = next(rows)
            except StopIteration:
                return
            except (KeyError, ValueError, TypeError, SyntaxError, zipfile.BadZipFile):  # broken XML inside
                raise FileProblem(damaged) from None
            yield number, [cell_value(table, number, index, cell) for index, cell in enumerate(row)]
    finally:
        workbook.close()


def cell_value(table, number, index, cell):
    """The value of a worksheet cell; a formula or an error value is a problem of the cell."""
    if cell.data_type == "f":
        message = _("The cell holds a formula (%(formula)s). Replace it by its value.")
    elif cell.data_type == "e":
        message = _("The cell holds the error value %(formula)s. Replace it by a value.")
    else:
        return cell.value
    table.problems.append(Problem(number, column_letter(index), message % {"formula": cell.value}))
    return None


def decode(data):
    """(text, name of the encoding). UTF-8 with or without BOM, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem(_("The file is encoded as UTF-16. Save it as “CSV UTF-8” and try again."))
    if b"\x00" in data[:65536]:
        raise FileProblem(_("The file is not a text file. Save it as CSV (UTF-8) or as .xlsx."))
    if data.startswith(codecs.BOM_UTF8):
        try:
            return check_mojibake(data[3:].decode("utf-8")), _("UTF-8 with BOM")
        except UnicodeDecodeError as error:
            raise FileProblem(undecodable_message(data, error.start + 3)) from None
    try:
        return check_mojibake(data.decode("utf-8")), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise FileProblem(undecodable_message(data, error.start)) from None


def check_mojibake(text):
    """UTF-8 that was converted to UTF-8 a second time writes “Ã¼” for “ü”: refuse it, naming the line."""
    match = MOJIBAKE.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise FileProblem(
            _(
                "Line %(line)s contains “%(text)s”, which is “%(meant)s” converted twice. "
                "Save the file again as “CSV UTF-8” from the original."
            )
            % {"line": line, "text": match.group(0), "meant": match.group(0).encode("cp1252").decode("utf-8")}
        )
    return text


def undecodable_message(data, position):
    line = data.count(b"\n", 0, position) + 1
    return _(
        "Line %(line)s cannot be read as UTF-8 or Windows-1252 text. Save the file as “CSV UTF-8” and try again."
    ) % {"line": line}


def detect_delimiter(text, kind):
    """Semicolon or comma: what csv.Sniffer finds, checked against the known headings."""
    first_line = text.split("\n", 1)[0]
    try:
        sniffed = csv.Sniffer().sniff(text[:16384], delimiters=";,").delimiter
    except csv.Error:
        sniffed = ";" if first_line.count(";") >= first_line.count(",") else ","
    lookup = header_lookup(kind)

    def known(delimiter):
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(1 for cell in cells if normalise(cell).rstrip(" *") in lookup)

    other = "," if sniffed == ";" else ";"
    return other if known(other) > known(sniffed) else sniffed


def read_csv(data, table):
    text, table.encoding = decode(data)
    table.delimiter = detect_delimiter(text, table.kind)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=table.delimiter)
    number = 0
    try:
        for number, row in enumerate(reader, start=1):  # noqa: B007 - the number is reported below
            yield number, [spreadsheets.restore(cell) for cell in row[:MAX_COLUMNS]]
    except csv.Error as error:
        raise FileProblem(
            _("Row %(row)s cannot be read as CSV: %(error)s") % {"row": number + 1, "error": error}
        ) from None
