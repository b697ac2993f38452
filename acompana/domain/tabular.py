"""Tables in and out: every file an importer reads, and the CSV and XLSX files Acompaña writes.

In: CSV in any common encoding (told by charset-normalizer among the encodings spreadsheets and
phones write) and delimiter (told by csv.Sniffer), or XLSX with all its sheets; dates as people
and tools write them (python-dateutil, day first, Spanish month names), time stamps turned into
the day they fell on in the program's time zone. Every problem is one `Problem`: file, sheet,
row, column and a sentence saying what was found and what was expected.

Out: a cell that starts with =, +, - or @ (or a tab or carriage return) would run as a formula
in Excel or LibreOffice; free text typed by anyone is therefore prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from charset_normalizer import from_bytes
from dateutil import parser as dateutil_parser
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from acompana.domain.messages import N_, Message
from acompana.domain.uploads import (
    DEFAULT_MAX_BYTES,
    UploadRefused,
    check_upload,
    decoded_pieces,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | dt.date | None


def neutralise(value: Cell) -> Cell:
    """Text that a spreadsheet would read as a formula becomes plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 with BOM, so Excel opens accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Cell]]]]) -> bytes:
    """One sheet per (title, header, rows), header bold and frozen, columns sized to fit."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append([neutralise(cell) for cell in row])
        for index, column in enumerate(sheet.iter_cols(max_row=200), start=1):
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Tables in ------------------------------------------------------------------------------------

# What spreadsheets and phones write in Latin America; an open guess among every code page would
# read a Mexican Excel file as Central European (cp1250).
ENCODINGS = ["utf_8", "cp1252", "latin_1", "mac_roman", "cp850"]
DELIMITERS = ",;\t|"
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Table:
    """One sheet (or a CSV file): its header and its rows, each a sequence of cell texts.

    `rows` may be read once only: a large file is parsed as it is checked, never held as
    dictionaries. `sheet` is the sheet's name in a workbook, None for a CSV file.
    """

    header: list[str]
    rows: Iterable[Sequence[str]]
    sheet: str | None = None


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where (file, sheet, row, column) and what, in a sentence that
    says what was found and what was expected."""

    line: int | None
    column: str | None
    message: Message
    sheet: str | None = None
    file: str | None = None

    def place(self) -> list[tuple[str, dict]]:
        """Where the problem is, as message ids and values (translated by whoever shows it)."""
        parts = []
        if self.file:
            parts.append((N_("%(file)s"), {"file": self.file}))
        if self.sheet:
            parts.append((N_("sheet '%(sheet)s'"), {"sheet": self.sheet}))
        if self.line:
            parts.append((N_("row %(n)s"), {"n": self.line}))
        if self.column:
            parts.append((N_("column '%(name)s'"), {"name": self.column}))
        return parts

    def __str__(self) -> str:
        where = ", ".join(text % params for text, params in self.place())
        return f"{where}: {self.message}" if where else str(self.message)


class ImportRejected(Exception):
    """The file was not imported; `problems` lists why, row by row."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def read_tables(data: bytes, file_name: str, *, max_bytes: int = DEFAULT_MAX_BYTES
                ) -> list[Table]:
    """Every sheet of an XLSX workbook, or the one table of a CSV file, values as text.

    The kind is told by the content (acompana.domain.uploads), which also refuses files too
    large or that would expand enormously, before any parser sees them.
    """
    try:
        kind = check_upload(data, file_name, accept={"csv", "xlsx"}, max_bytes=max_bytes)
    except UploadRefused as refused:
        raise ImportRejected([Problem(None, None, refused.message, file=file_name)]) from None
    return _read_xlsx(data, file_name) if kind == "xlsx" else [_read_csv(data, file_name)]


def counted(table: Table, progress: Callable[[int], object], every: int = 1000) -> Table:
    """The same table, telling `progress` how many rows were read, `every` rows at a time."""

    def rows() -> Iterator[Sequence[str]]:
        done = 0
        for done, row in enumerate(table.rows, start=1):  # noqa: B007 (read after the loop)
            yield row
            if done % every == 0:
                progress(every)
        progress(done % every)

    return Table(table.header, rows(), sheet=table.sheet)


def read_table(data: bytes, file_name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Table:
    """The first sheet of a workbook, or a CSV file."""
    return read_tables(data, file_name, max_bytes=max_bytes)[0]


def text_encoding(data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes; otherwise charset-normalizer's best guess."""
    try:
        for _piece in decoded_pieces(data, "utf-8"):
            pass
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    guess = from_bytes(data[:200_000], cp_isolation=ENCODINGS).best()
    return guess.encoding if guess is not None else "cp1252"


def _read_csv(data: bytes, file_name: str) -> Table:
    """Text already checked by acompana.domain.uploads: it decodes and holds no binary."""
    encoding = text_encoding(data)
    head = data[:16384].decode(encoding, errors="ignore")
    try:
        dialect = csv.Sniffer().sniff("\n".join(head.splitlines()[:20]), delimiters=DELIMITERS)
    except csv.Error:
        first = head.splitlines()[0] if head.strip() else ""
        dialect = csv.excel()
        dialect.delimiter = max(DELIMITERS, key=first.count) if first else ","
    # Decoded as it is read: a file of tens of megabytes is never held as text whole.
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace",
                                         newline=""), dialect=dialect)
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as error:
        raise _malformed(reader, error, file_name) from error
    return Table(header, _csv_rows(reader, file_name))


def _csv_rows(reader, file_name: str) -> Iterator[list[str]]:
    """Rows as csv.DictReader gives them: blank lines skipped, short rows padded by the caller."""
    try:
        for row in reader:
            if row:
                yield row
    except csv.Error as error:
        raise _malformed(reader, error, file_name) from error


def _malformed(reader, error: csv.Error, file_name: str) -> ImportRejected:
    return ImportRejected([Problem(reader.line_num, None, Message(
        N_("The CSV file is malformed: %(error)s"), {"error": str(error)}), file=file_name)])


def _read_xlsx(data: bytes, file_name: str) -> list[Table]:
    from openpyxl import load_workbook

    # Read-only mode parses the sheet while its rows are read, so a damaged sheet fails there:
    # the rows are read inside the guard.
    tables = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
            body = [[_cell_text(value) for value in row] for row in rows
                    if any(cell is not None for cell in row)]
            tables.append(Table(header, iter(body), sheet=sheet.title))
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ImportRejected([Problem(None, None, Message(
            N_("The spreadsheet could not be opened: %(error)s"),
            {"error": type(error).__name__}), file=file_name)]) from error
    if not tables:
        raise ImportRejected([Problem(None, None, Message(N_("The workbook has no sheets.")),
                                      file=file_name)])
    return tables


def _cell_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed in Excel: 7, never 7.0
    return "" if value is None else str(value).strip()


class SpanishDates(dateutil_parser.parserinfo):
    """dateutil's parser, told the Spanish month and weekday names and the words between them."""

    JUMP = [*dateutil_parser.parserinfo.JUMP, "de", "del"]
    WEEKDAYS = [(en_short, en, es, es_plain) for (en_short, en), es, es_plain in zip(
        dateutil_parser.parserinfo.WEEKDAYS,
        ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
        ["lun", "mar", "miercoles", "jue", "vie", "sabado", "dom"], strict=True)]
    MONTHS = [(*english, *spanish) for english, spanish in zip(
        dateutil_parser.parserinfo.MONTHS,
        [("ene", "enero"), ("feb", "febrero"), ("mar", "marzo"), ("abr", "abril"),
         ("may", "mayo"), ("jun", "junio"), ("jul", "julio"), ("ago", "agosto"),
         ("sept", "septiembre", "setiembre"), ("oct", "octubre"), ("nov", "noviembre"),
         ("dic", "diciembre")], strict=True)]


_SPANISH = SpanishDates(dayfirst=True)
_DEFAULTS = (dt.datetime(1901, 1, 1), dt.datetime(1904, 2, 2))


def parse_moment(text: str) -> dt.datetime | None:
    """A date or time stamp as people and tools write it: ISO 8601 (with `Z` or an offset),
    day/month/year with two- or four-digit years, or '11 de julio de 2023'. None when it is
    not one, or when a part (day, month or year) is missing."""
    text = text.strip()
    if not text or len(text) > 64:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        # Parsed with two different defaults: a part left out shows as a difference.
        first, second = (dateutil_parser.parse(text, parserinfo=_SPANISH, default=default)
                         for default in _DEFAULTS)
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date():
        return None
    return first


def parse_date(text: str) -> dt.date | None:
    """The date written in `text` (see parse_moment), as written: no time-zone change."""
    moment = parse_moment(text)
    return moment.date() if moment else None


def day_in_zone(text: str, zone: ZoneInfo, *, naive_is_utc: bool = False) -> dt.date | None:
    """The day a time stamp fell on in the program's time zone.

    A CommCare session completed at 2023-07-14T00:40Z was held on the 13th in Chiapas. A time
    stamp without an offset is local, unless the tool writes UTC without saying so
    (`naive_is_utc`, e.g. KoboToolbox's `_submission_time`); a bare date is kept as it is.
    """
    moment = parse_moment(text)
    if moment is None:
        return None
    if moment.tzinfo is None:
        if not (naive_is_utc and ":" in text):
            return moment.date()
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone).date()


def plain(text: str) -> str:
    """A name compared as people mean it: no accents, case, repeated or surrounding spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def missing_column(column: str, header: Sequence[str], *, wanted: str | Message,
                   file_name: str | None,
                   sheet: str | None) -> Problem:
    """A column the reader needs and the file lacks: the file's real columns and the closest."""
    close = difflib.get_close_matches(column, [name for name in header if name], n=3, cutoff=0.5)
    if not close:  # compare without accents and case: 'sesion' is close to 'Sesión'
        by_plain = {plain(name): name for name in header if name}
        close = [by_plain[name] for name in difflib.get_close_matches(
            plain(column), list(by_plain), n=3, cutoff=0.5)]
    params = {"column": column, "wanted": wanted,
              "columns": ", ".join(f"'{name}'" for name in header if name) or "-",
              "close": ", ".join(f"'{name}'" for name in close)}
    text = (N_("no column '%(column)s' (for %(wanted)s); did you mean %(close)s? The file's "
               "columns are %(columns)s.") if close else
            N_("no column '%(column)s' (for %(wanted)s). The file's columns are %(columns)s."))
    return Problem(1, None, Message(text, params), sheet=sheet, file=file_name)
