"""Reading attendance files from other systems (CommCare, KoboToolbox, ODK, spreadsheets).

Every row of a file is checked before anything is stored: the result is either all its rows or
every problem (sheet, row, column, what was expected), never part of a file. The rows are
checked as they are read (check_attendance) and held by the caller where it likes (the importer:
a temporary table), so a file of a million rows takes no more memory than one of a thousand. The
file's shape is recognised (acompana.domain.export_shapes) and its columns matched to
Acompaña's; groups, sessions and people may be written by id, by name or by their number on the
paper form. A row whose source id (the tool's own submission id) was imported before is counted,
not read again: cumulative exports import only what is new.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from acompana.domain.export_shapes import (
    MOMENT_FIELDS,
    SOURCE_ID_FIELDS,
    find_column,
    naive_is_utc,
)
from acompana.domain.messages import N_, Message
from acompana.domain.tabular import (
    MAX_PROBLEMS,
    ImportRejected,
    Problem,
    Table,
    day_in_zone,
    missing_column,
    plain,
    read_table,
    read_tables,
)

__all__ = ["ImportRejected", "Problem", "Table", "read_table", "read_tables"]

CANONICAL_COLUMNS = ("date", "group", "session", "person", "status")
OPTIONAL_COLUMNS = ("source_id",)
# The names each column goes by in exports and spreadsheets, compared without accents or case.
COLUMN_NAMES = {
    "date": ("date", "fecha", "fecha de la sesion", "fecha sesion", "dia", *MOMENT_FIELDS),
    "group": ("group", "grupo", "nombre del grupo"),
    "session": ("session", "sesion", "tema", "numero de sesion"),
    "person": ("person", "persona", "acompanante", "nombre", "nombre de la acompanante",
               "participante", "participant"),
    "status": ("status", "estado", "asistencia", "asistio", "attendance"),
    "source_id": SOURCE_ID_FIELDS,
}
STATUSES = {
    "present": "present", "presente": "present", "asistio": "present", "si": "present",
    "absent": "absent", "ausente": "absent", "falto": "absent", "falta": "absent",
    "no": "absent",
    "excused": "excused", "justificada": "excused", "justificado": "excused",
    "falta justificada": "excused",
}
UTC = ZoneInfo("UTC")
_REMEMBERED = 1000  # distinct texts of a column remembered as checked, at most
_REMEMBERED_PLACES = 500  # distinct (date, group, session) texts, at most
SESSION_NUMBER = re.compile(r"(?:sesion|session|no\.?|num\.?)?\s*(\d{1,3})")


SessionKey = tuple[str, str, dt.date]  # group, curriculum session, date


@dataclass(frozen=True)
class AttendanceFile:
    """A checked file held whole (parse_attendance): for each session (group, curriculum
    session, date), each person's status. `sources` holds, per session with source ids, those
    of its new records; `known` counts the records imported before.
    """

    sessions: dict[SessionKey, dict[str, str]]
    rows: int
    sources: dict[SessionKey, set[str]] = field(default_factory=dict)
    known: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # Acompaña's column -> the file's


@dataclass(frozen=True)
class Member:
    code: str
    name: str
    joined: dt.date | None = None
    left: dt.date | None = None


@dataclass
class Directory:
    """What a file's groups, sessions and people are matched against, by id, name or number.

    `groups` maps group id to name; `sessions` session id to its titles; `session_numbers` the
    Acompañantes' sessions by their number; `members` each group's people. A person's number is
    her place on the session's printed roster: the members on that day, by name.
    """

    groups: Mapping[str, str]
    sessions: Mapping[str, Sequence[str]]
    members: Mapping[str, Sequence[Member]]
    session_numbers: Mapping[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._group_names = {plain(name): code for code, name in self.groups.items()}
        self._session_titles = {plain(title): code for code, titles in self.sessions.items()
                                for title in titles}
        self._codes = {group: {person.code: person.code for person in people}
                       for group, people in self.members.items()}
        self._names: dict[str, dict[str, str]] = {}  # a group's, when a row names a person
        self._cache: dict[tuple, str | None] = {}

    def group(self, text: str) -> str | None:
        if text in self.groups:
            return text
        key = ("group", text)
        if key not in self._cache:
            found = self._group_names.get(plain(text))
            if found is None and text.isdigit():
                found = next((code for code in self.groups
                              if re.sub(r"\D", "", code).lstrip("0") == text.lstrip("0")), None)
            self._cache[key] = found
        return self._cache[key]

    def session(self, text: str) -> str | None:
        if text in self.sessions:
            return text
        key = ("session", text)
        if key not in self._cache:
            found = self._session_titles.get(plain(text))
            if found is None and (number := SESSION_NUMBER.fullmatch(plain(text))):
                found = self.session_numbers.get(int(number.group(1)))
            self._cache[key] = found
        return self._cache[key]

    def codes(self, group: str) -> Mapping[str, str]:
        """The group's people by their codes: a row's person as a file usually writes her."""
        return self._codes.get(group, {})

    def person(self, group: str, date: dt.date, text: str) -> str | None:
        """A group's member by her code, her name (plain) or her number on the day's roster."""
        if text in (codes := self._codes.get(group, {})):
            return codes[text]
        if not text.isdigit():
            if group not in self._names:  # a big file's people are codes: names only if asked
                self._names[group] = {plain(person.name): person.code
                                      for person in self.members.get(group, ())}
            return self._names[group].get(plain(text))
        key = ("roster", group, date)
        if key not in self._cache:
            if len(self._cache) >= _REMEMBERED:  # rosters of many days: memory stays flat
                self._cache.clear()
            self._cache[key] = [member.code for member in sorted(
                (member for member in self.members.get(group, ())
                 if (member.joined is None or member.joined <= date)
                 and (member.left is None or member.left >= date)),
                key=lambda member: member.name)]
        roster = self._cache[key]
        number = int(text)
        return roster[number - 1] if 0 < number <= len(roster) else None


def resolve_mapping(header: Sequence[str], given: Mapping[str, str], *,
                    saved: Mapping[str, str] | None = None, file_name: str | None = None,
                    sheet: str | None = None) -> dict[str, str]:
    """Acompaña's column -> the file's column: the given mapping, the rest proposed by name.

    A given name that is not a column Acompaña reads, or not a column of the file, is a problem
    naming the file's real columns and the closest ones; never silently left out. A `saved`
    mapping (from an earlier file of the same source) is used where the file has its columns.
    """
    given = {**{canonical: column for canonical, column in (saved or {}).items()
                if canonical in COLUMN_NAMES and column in header}, **given}
    problems = []
    for canonical, column in given.items():
        if canonical not in COLUMN_NAMES:
            problems.append(Problem(None, None, Message(
                N_("'%(name)s' is not a column Acompaña reads; the mapping may name %(known)s."),
                {"name": canonical, "known": ", ".join(COLUMN_NAMES)}), file=file_name))
        elif column not in header:
            problems.append(missing_column(column, header, wanted=canonical, file_name=file_name,
                                           sheet=sheet))
    mapping = {canonical: column for canonical, column in given.items()
               if canonical in COLUMN_NAMES}
    for canonical, names in COLUMN_NAMES.items():
        if canonical not in mapping and (found := find_column(header, names)):
            mapping[canonical] = found
    for canonical in CANONICAL_COLUMNS:
        if canonical not in mapping and not any(p.message.params.get("wanted") == canonical
                                                for p in problems):
            problems.append(Problem(1, None, Message(
                N_("no column for %(wanted)s (a column named %(names)s, or a mapping "
                   "%(wanted)s=<column>). The file's columns are %(columns)s."),
                {"wanted": canonical, "names": ", ".join(COLUMN_NAMES[canonical][:3]),
                 "columns": ", ".join(f"'{name}'" for name in header if name) or "-"}),
                sheet=sheet, file=file_name))
    if problems:
        raise ImportRejected(problems)
    return mapping


CheckedRow = tuple[int, str, str, dt.date, str, str, str]
"""A good row: its line, group, curriculum session, date, person, status and source id ('')."""


class Place:
    """A row's date, group and curriculum session as checked (None: not understood), shared by
    the rows that write them alike, with the group's people by code. `note` is the reader's
    own: what it made of the place once (the importer: its text for the database), kept with
    it instead of looked up again for each of its rows."""

    __slots__ = ("date", "group", "session", "codes", "understood", "note")

    def __init__(self, date: dt.date | None, group: str | None, session: str | None,
                 codes: Mapping[str, str]):
        self.date, self.group, self.session = date, group, session
        self.codes = codes
        self.understood = None not in (date, group, session)
        self.note: object = None


class CheckedRows:
    """A file's rows, checked as they are read (see check_attendance): iterate it once for the
    good rows, then `rejected` says whether the file is refused.

    Nothing is held per row: the rows go wherever the caller sends them (a database's temporary
    table) and a row twice for the same session is found there (duplicate_problem). `count`
    holds the good rows, `known` the records imported before, `problems` every other problem,
    the first MAX_PROBLEMS of them (reading stops there).
    """

    def __init__(self, table: Table, columns: dict[str, str], directory: Directory,
                 zone: ZoneInfo, known_sources: frozenset[str] | set[str],
                 file_name: str | None):
        self.table, self.columns, self.directory = table, columns, directory
        self.zone, self.known_sources, self.file_name = zone, known_sources, file_name
        self.problems: list[Problem] = []
        self.count = 0
        self._known: set[str] = set()
        self._date_is_utc = naive_is_utc(columns["date"])
        # A date or status text as read, remembered (a few texts repeat over a whole file).
        self._day = functools.lru_cache(maxsize=_REMEMBERED)(functools.partial(
            _day_of_text, zone=zone, naive_is_utc=self._date_is_utc))
        self._status = functools.lru_cache(maxsize=_REMEMBERED)(_status_of_text)

    @property
    def known(self) -> int:
        return len(self._known)

    def __iter__(self) -> Iterator[CheckedRow]:
        for line, place, person, status, source_id in self.by_place():
            yield line, place.group, place.session, place.date, person, status, source_id

    def by_place(self) -> Iterator[tuple[int, Place, str, str, str]]:
        """The good rows as (line, place, person, status, source id): rows of a session share
        their place (while it is remembered), so what a reader makes of it is made once."""
        table, columns, directory, problems = (self.table, self.columns, self.directory,
                                               self.problems)
        position = {name: index for index, name in enumerate(table.header)}  # the last wins
        at_date, at_group, at_session, at_person, at_status = (
            position[columns[canonical]] for canonical in CANONICAL_COLUMNS)
        at_source = position[columns["source_id"]] if "source_id" in columns else None
        width = max(position[column] for column in columns.values()) + 1
        # A session's rows repeat its date, group and session texts: each combination, as
        # written, is checked once (a few hundred remembered, so memory stays flat); so is
        # each status text. A person is found by her code as written, else as
        # Directory.person finds her.
        places: dict[tuple[str, str, str], Place] = {}
        status_of = self._status
        known_sources, known = self.known_sources, self._known
        for line, row in enumerate(table.rows, start=2):  # 1 is the header
            if len(row) < width:
                row = [*row, *[""] * (width - len(row))]
            source_id = row[at_source].strip() if at_source is not None else ""
            if source_id and source_id in known_sources:
                known.add(source_id)
                continue
            texts = (row[at_date], row[at_group], row[at_session])
            place = places.get(texts)
            if place is None:
                if len(places) >= _REMEMBERED_PLACES:
                    places.clear()
                place = places[texts] = self._place(*texts)
            status_text = row[at_status]
            status = status_of(status_text)
            person_text = row[at_person]
            person = place.codes.get(person_text)
            if person is None and place.group and place.date:
                person = directory.person(place.group, place.date, person_text.strip())
            if person is None or status is None or not place.understood:
                problems += _row_problems(line, columns, table.sheet, self.file_name,
                                          texts[0].strip(), place.date, texts[1].strip(),
                                          place.group, texts[2].strip(), place.session,
                                          person_text.strip(), person, status_text.strip(),
                                          status)
                if len(problems) >= MAX_PROBLEMS:
                    return
            else:
                self.count += 1
                yield line, place, person, status, source_id

    def _place(self, date_text: str, group_text: str, session_text: str) -> Place:
        """What a row's date, group and session texts say."""
        date = self._day(date_text)
        group = self.directory.group(group_text.strip())
        return Place(date, group, self.directory.session(session_text.strip()),
                     self.directory.codes(group) if group else {})

    def duplicate_problem(self, line: int, earlier: int) -> Problem:
        """Row `line` names a person already on row `earlier` for the same session."""
        return Problem(line, self.columns["person"], Message(
            N_("this person appears twice for the same session (also on row %(other)s)."),
            {"other": earlier}), sheet=self.table.sheet, file=self.file_name)

    def reject(self, duplicates: Iterable[tuple[int, int]] = ()) -> None:
        """ImportRejected with every problem, row problems and `duplicates` ((line, earlier
        line) each) in the file's order, the first MAX_PROBLEMS; nothing when there is none."""
        problems = self.problems + [self.duplicate_problem(line, earlier)
                                    for line, earlier in duplicates]
        if problems:
            problems.sort(key=lambda problem: problem.line or 0)
            raise ImportRejected(problems[:MAX_PROBLEMS])


def _day_of_text(text: str, *, zone: ZoneInfo, naive_is_utc: bool) -> dt.date | None:
    return day_in_zone(text.strip(), zone, naive_is_utc=naive_is_utc)


def _status_of_text(text: str) -> str | None:
    return STATUSES.get(plain(text.strip()))


def check_attendance(table: Table, *, mapping: Mapping[str, str], directory: Directory,
                     saved: Mapping[str, str] | None = None,
                     zone: ZoneInfo = UTC, known_sources: frozenset[str] | set[str] = frozenset(),
                     file_name: str | None = None) -> CheckedRows:
    """The file's rows, to be checked against the program and the curriculum as they are read.

    `mapping` names, for each canonical column, the file's column (proposed by name when
    absent, see resolve_mapping); a file without rows or without the columns needed is
    rejected here, before any row is read. Time stamps are read as the day they fell on in
    `zone`. A row whose source id is in `known_sources` was imported before: it is counted,
    not read. Each distinct date, status, group and session text is checked once, so a row
    costs a few dictionary look-ups.
    """
    rows = iter(table.rows)
    first = next(rows, None)
    if first is None:
        raise ImportRejected([Problem(None, None, Message(N_("The file has no rows.")),
                                      sheet=table.sheet, file=file_name)])
    columns = resolve_mapping(table.header, mapping, saved=saved, file_name=file_name,
                              sheet=table.sheet)
    table = Table(header=table.header, rows=itertools.chain((first,), rows), sheet=table.sheet)
    return CheckedRows(table, columns, directory, zone, known_sources, file_name)


def parse_attendance(table: Table, *, mapping: Mapping[str, str], directory: Directory,
                     saved: Mapping[str, str] | None = None,
                     zone: ZoneInfo = UTC, known_sources: frozenset[str] | set[str] = frozenset(),
                     file_name: str | None = None) -> AttendanceFile:
    """check_attendance with the file held whole, by session: every row checked (a person
    twice for a session too), then all the file's rows, or ImportRejected. For files that
    fit in memory; the importer sends the rows to the database instead."""
    checked = check_attendance(table, mapping=mapping, directory=directory, saved=saved,
                               zone=zone, known_sources=known_sources, file_name=file_name)
    found: dict[SessionKey, dict[str, str]] = {}
    lines: dict[tuple[SessionKey, str], int] = {}
    sources: dict[SessionKey, set[str]] = {}
    duplicates = []
    for line, group, session, date, person, status, source_id in checked:
        key = (group, session, date)
        if (key, person) in lines:
            duplicates.append((line, lines[key, person]))
            checked.count -= 1
            continue
        lines[key, person] = line
        found.setdefault(key, {})[person] = status
        if source_id:
            sources.setdefault(key, set()).add(source_id)
    checked.reject(duplicates)
    return AttendanceFile(sessions=found, rows=checked.count, sources=sources,
                          known=checked.known, columns=checked.columns)


def _row_problems(line: int, columns: Mapping[str, str], sheet: str | None,
                  file_name: str | None, date_text: str, date: dt.date | None,
                  group_text: str, group: str | None, session_text: str, session: str | None,
                  person_text: str, person: str | None, status_text: str, status: str | None
                  ) -> list[Problem]:
    """Every problem of a row, column by column, in the file's column names."""
    problems = []

    def problem(canonical: str, text: str, params: dict) -> None:
        problems.append(Problem(line, columns[canonical], Message(text, params), sheet=sheet,
                                file=file_name))

    if date is None:
        problem("date", N_("'%(value)s' is not a date; write for example 2023-07-11 or "
                           "11/07/2023."), {"value": date_text})
    if group is None:
        problem("group", N_("unknown group '%(value)s'; expected a group's id, name or "
                            "number."), {"value": group_text})
    if session is None:
        problem("session", N_("unknown curriculum session '%(value)s'; expected a session's "
                              "id, title or number."), {"value": session_text})
    if group is not None and date is not None and person is None:
        problem("person", N_("'%(value)s' is not a member of group %(group)s (by id, name or "
                             "number on the sheet)."), {"value": person_text, "group": group})
    if status is None:
        problem("status", N_("'%(value)s' is not present, absent or excused (presente, "
                             "ausente, justificada)."), {"value": status_text})
    return problems
