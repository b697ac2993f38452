"""Reading attendance files from other systems (CommCare exports, spreadsheets) into rows.

A file is read whole and every row checked before anything is stored: the result is either all
its rows or every problem (row, column, what was expected), never part of a file. CSV in UTF-8
(with or without BOM) or Latin-1, and XLSX, are accepted; dates may be ISO, day/month/year or
written in Spanish ("11 de julio de 2023").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from acompana.domain.messages import N_, Message

CANONICAL_COLUMNS = ("date", "group", "session", "person", "status")
STATUSES = {
    "present": "present", "presente": "present", "asistio": "present", "asistió": "present",
    "absent": "absent", "ausente": "absent", "falto": "absent", "faltó": "absent",
    "excused": "excused", "justificada": "excused", "justificado": "excused",
}
SPANISH_MONTHS = {name: number for number, name in enumerate(
    ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
     "octubre", "noviembre", "diciembre"], start=1)} | {"setiembre": 9}
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class AttendanceRow:
    line: int
    date: dt.date
    group: str
    session: str
    person: str
    status: str

    @property
    def key(self) -> tuple[str, str, dt.date, str]:
        """What makes a row the same row again: importing it twice adds nothing."""
        return (self.group, self.session, self.date, self.person)


@dataclass(frozen=True)
class Problem:
    line: int | None
    column: str | None
    message: Message

    def __str__(self) -> str:
        where = ", ".join(part for part in (
            f"row {self.line}" if self.line else "", f"column '{self.column}'"
            if self.column else "") if part)
        return f"{where}: {self.message}" if where else str(self.message)


class ImportRejected(Exception):
    """The file was not imported; `problems` lists why, row by row."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


def read_table(data: bytes, file_name: str) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as dictionaries keyed by the header, values as text."""
    if file_name.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data: bytes) -> list[dict[str, str]]:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if "\x00" in text:
        raise ImportRejected([Problem(None, None, Message(N_(
            "This is not a text CSV file (it holds binary data). Save it as CSV or XLSX.")))])
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    try:
        return [{(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
                for row in reader]
    except csv.Error as error:
        raise ImportRejected([Problem(reader.line_num, None, Message(
            N_("The CSV file is malformed: %(error)s"), {"error": str(error)}))]) from error


def _read_xlsx(data: bytes) -> list[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ImportRejected([Problem(None, None, Message(
            N_("The spreadsheet could not be opened: %(error)s"),
            {"error": type(error).__name__}))]) from error
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
    return [{name: _cell_text(value) for name, value in zip(header, row, strict=False) if name}
            for row in rows if any(cell is not None for cell in row)]


def _cell_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def parse_date(text: str) -> dt.date | None:
    """ISO, day/month/year (or with dashes or dots), or '11 de julio de 2023'."""
    text = text.strip().lower()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text):
        day, month, year = (int(part) for part in match.groups())
    elif match := re.fullmatch(r"(\d{1,2})\s+(?:de\s+)?([a-záéíóú]+)\s+(?:de\s+|del\s+)?(\d{4})",
                               text):
        day, year = int(match.group(1)), int(match.group(3))
        month = SPANISH_MONTHS.get(match.group(2).replace("é", "e"))
        if month is None:
            return None
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_attendance(rows: Iterable[Mapping[str, str]], *, mapping: Mapping[str, str],
                     groups: set[str], sessions: set[str], members: Mapping[str, set[str]]
                     ) -> list[AttendanceRow]:
    """Check every row against the program and the curriculum; all rows, or ImportRejected.

    `mapping` names, for each canonical column, the file's column (identity when absent);
    `members` gives each group's people.
    """
    rows = list(rows)
    columns = {canonical: mapping.get(canonical, canonical) for canonical in CANONICAL_COLUMNS}
    header = set(rows[0]) if rows else set()
    missing = [f"{file_col}" for file_col in columns.values() if file_col not in header]
    if not rows:
        raise ImportRejected([Problem(None, None, Message(N_("The file has no rows.")))])
    if missing:
        raise ImportRejected([Problem(1, column, Message(
            N_("This column is missing; expected the columns %(columns)s (or a saved mapping)."),
            {"columns": ", ".join(CANONICAL_COLUMNS)})) for column in missing])

    problems: list[Problem] = []
    seen: dict[tuple, AttendanceRow] = {}
    for index, row in enumerate(rows, start=2):  # line 1 is the header
        row_problems = []

        def cell(canonical: str, _row=row) -> str:
            return _row.get(columns[canonical], "").strip()

        def problem(canonical: str, text: str, params=None, _list=row_problems, _line=index):
            _list.append(Problem(_line, columns[canonical], Message(text, params or {})))

        date = parse_date(cell("date"))
        if date is None:
            problem("date", N_("'%(value)s' is not a date; write for example 2023-07-11 or "
                               "11/07/2023."), {"value": cell("date")})
        group, session, person = cell("group"), cell("session"), cell("person")
        if group not in groups:
            problem("group", N_("unknown group '%(value)s'."), {"value": group})
        if session not in sessions:
            problem("session", N_("unknown curriculum session '%(value)s'."), {"value": session})
        if group in groups and person not in members.get(group, set()):
            problem("person", N_("'%(value)s' is not a member of group %(group)s."),
                    {"value": person, "group": group})
        status = STATUSES.get(cell("status").lower())
        if status is None:
            problem("status", N_("'%(value)s' is not present, absent or excused (presente, "
                                 "ausente, justificada)."), {"value": cell("status")})
        if not row_problems:
            record = AttendanceRow(index, date, group, session, person, status)
            if record.key in seen:
                problem("person", N_("this person appears twice for the same session (also on "
                                     "row %(other)s)."), {"other": seen[record.key].line})
            else:
                seen[record.key] = record
        problems += row_problems
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise ImportRejected(problems)
    return list(seen.values())
