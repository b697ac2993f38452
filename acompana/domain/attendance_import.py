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
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from acompana.domain.messages import N_, Message
from acompana.domain.uploads import DEFAULT_MAX_BYTES, UploadRefused, check_upload

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


SessionKey = tuple[str, str, dt.date]  # group, curriculum session, date


@dataclass(frozen=True)
class AttendanceFile:
    """A checked file: for each session (group, curriculum session, date), each person's status.

    Kept by session rather than row by row: that is how it is stored (a log per session), and a
    file of a million rows then takes a fraction of the memory.
    """

    sessions: dict[SessionKey, dict[str, str]]
    rows: int


@dataclass(frozen=True)
class Table:
    """A file's header and its rows, each a sequence of cell texts in the header's order.

    `rows` may be read once only: a large file is parsed as it is checked, never held as
    dictionaries.
    """

    header: list[str]
    rows: Iterable[Sequence[str]]


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


def read_table(data: bytes, file_name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Table:
    """The header and rows of a CSV or XLSX file, values as text.

    The kind is told by the content (acompana.domain.uploads), which also refuses files too
    large or that would expand enormously, before any parser sees them.
    """
    try:
        kind = check_upload(data, file_name, accept={"csv", "xlsx"}, max_bytes=max_bytes)
    except UploadRefused as refused:
        raise ImportRejected([Problem(None, None, refused.message)]) from None
    return _read_xlsx(data) if kind == "xlsx" else _read_csv(data)


def _read_csv(data: bytes) -> Table:
    """Text already checked by acompana.domain.uploads: it decodes and holds no binary."""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        head = data[:16384].decode(encoding, errors="ignore")[:4096]
        dialect = csv.Sniffer().sniff(head, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # Decoded as it is read: a file of tens of megabytes is never held as text whole.
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=""),
                        dialect=dialect)
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as error:
        raise _malformed(reader, error) from error
    return Table(header, _csv_rows(reader))


def _csv_rows(reader) -> Iterator[list[str]]:
    """Rows as csv.DictReader gives them: blank lines skipped, short rows padded by the caller."""
    try:
        for row in reader:
            if row:
                yield row
    except csv.Error as error:
        raise _malformed(reader, error) from error


def _malformed(reader, error: csv.Error) -> ImportRejected:
    return ImportRejected([Problem(reader.line_num, None, Message(
        N_("The CSV file is malformed: %(error)s"), {"error": str(error)}))])


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    # Read-only mode parses the sheet while its rows are read, so a damaged sheet fails there:
    # the rows are read inside the guard.
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
        body = [[_cell_text(value) for value in row] for row in rows
                if any(cell is not None for cell in row)]
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ImportRejected([Problem(None, None, Message(
            N_("The spreadsheet could not be opened: %(error)s"),
            {"error": type(error).__name__}))]) from error
    return Table(header, iter(body))


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


def parse_attendance(table: Table, *, mapping: Mapping[str, str], groups: set[str],
                     sessions: set[str], members: Mapping[str, set[str]]) -> AttendanceFile:
    """Check every row against the program and the curriculum; all rows, or ImportRejected.

    `mapping` names, for each canonical column, the file's column (identity when absent);
    `members` gives each group's people. Each distinct date, status, group and session text is
    checked once, so a row costs a few dictionary look-ups.
    """
    columns = {canonical: mapping.get(canonical, canonical) for canonical in CANONICAL_COLUMNS}
    position = {name: index for index, name in enumerate(table.header)}  # the last one wins
    rows = iter(table.rows)
    first = next(rows, None)
    if first is None:
        raise ImportRejected([Problem(None, None, Message(N_("The file has no rows.")))])
    missing = [file_col for file_col in columns.values() if file_col not in position]
    if missing:
        raise ImportRejected([Problem(1, column, Message(
            N_("This column is missing; expected the columns %(columns)s (or a saved mapping)."),
            {"columns": ", ".join(CANONICAL_COLUMNS)})) for column in missing])
    at_date, at_group, at_session, at_person, at_status = (
        position[columns[canonical]] for canonical in CANONICAL_COLUMNS)
    width = max(position[column] for column in columns.values()) + 1
    dates: dict[str, dt.date | None] = {}
    statuses: dict[str, str | None] = {}
    known_groups = {group: group for group in groups}  # one string per group, however many rows
    known_sessions = {session: session for session in sessions}

    problems: list[Problem] = []
    found: dict[SessionKey, dict[str, str]] = {}
    lines: dict[SessionKey, dict[str, int]] = {}
    count = 0
    for line, row in enumerate(itertools.chain((first,), rows), start=2):  # 1 is the header
        if len(row) < width:
            row = [*row, *[""] * (width - len(row))]
        date_text, group, session = row[at_date].strip(), row[at_group].strip(), row[
            at_session].strip()
        person, status_text = row[at_person].strip(), row[at_status].strip()
        if date_text not in dates:
            dates[date_text] = parse_date(date_text)
        date = dates[date_text]
        if status_text not in statuses:
            statuses[status_text] = STATUSES.get(status_text.lower())
        status = statuses[status_text]
        group, session = known_groups.get(group, group), known_sessions.get(session, session)
        if (date is None or status is None or group not in known_groups
                or session not in known_sessions or person not in members.get(group, ())):
            problems += _row_problems(line, columns, date_text, date, group, groups, session,
                                      sessions, person, members, status_text, status)
        else:
            key = (group, session, date)
            people = found.get(key)
            if people is None:
                people = found[key] = {}
                lines[key] = {}
            if person in people:
                problems.append(Problem(line, columns["person"], Message(
                    N_("this person appears twice for the same session (also on row "
                       "%(other)s)."), {"other": lines[key][person]})))
            else:
                people[person] = status
                lines[key][person] = line
                count += 1
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise ImportRejected(problems)
    return AttendanceFile(sessions=found, rows=count)


def _row_problems(line: int, columns: Mapping[str, str], date_text: str, date: dt.date | None,
                  group: str, groups: set[str], session: str, sessions: set[str], person: str,
                  members: Mapping[str, set[str]], status_text: str, status: str | None
                  ) -> list[Problem]:
    """Every problem of a row, column by column, in the file's column names."""
    problems = []

    def problem(canonical: str, text: str, params: dict) -> None:
        problems.append(Problem(line, columns[canonical], Message(text, params)))

    if date is None:
        problem("date", N_("'%(value)s' is not a date; write for example 2023-07-11 or "
                           "11/07/2023."), {"value": date_text})
    if group not in groups:
        problem("group", N_("unknown group '%(value)s'."), {"value": group})
    if session not in sessions:
        problem("session", N_("unknown curriculum session '%(value)s'."), {"value": session})
    if group in groups and person not in members.get(group, set()):
        problem("person", N_("'%(value)s' is not a member of group %(group)s."),
                {"value": person, "group": group})
    if status is None:
        problem("status", N_("'%(value)s' is not present, absent or excused (presente, "
                             "ausente, justificada)."), {"value": status_text})
    return problems
