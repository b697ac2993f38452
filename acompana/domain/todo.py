"""The date arithmetic behind each role's to-do list on her home page: the week to show, how
long a sheet has waited, and who missed her group's last sessions in a row. Plain data in,
plain data out; the selectors load the rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# How far back a group's sessions count as "recent" when looking for absences in a row: groups
# meet monthly, so two sessions and a missed month fit; an absence from last year is no follow-up.
RECENT_DAYS = 120
# Absences in a row that call for a visit or a phone call.
ABSENCES_IN_A_ROW = 2
# Attendance marks that are absences; "excused" is one with a reason given (justified).
ABSENT, EXCUSED = "absent", "excused"


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week holding `day` (the week starts on Monday in Mexico)."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def days_waiting(since: dt.date, today: dt.date) -> int:
    """Whole days from `since` to `today`, never negative (a date typed ahead waits 0 days)."""
    return max((today - since).days, 0)


def recent_since(today: dt.date) -> dt.date:
    """The first day whose sessions count as recent for absences in a row."""
    return today - dt.timedelta(days=RECENT_DAYS)


@dataclass(frozen=True)
class Absence:
    """One of the sessions she missed: which (an id the caller knows) and whether she gave a
    reason (an excused absence) or none was recorded (to ask her)."""

    session: object
    excused: bool


def absent_in_a_row(marks: Mapping[object, Sequence[tuple[object, str]]],
                    sessions: Sequence[object], *, in_a_row: int = ABSENCES_IN_A_ROW
                    ) -> dict[object, list[Absence]]:
    """Who was absent (excused or not) from each of a group's last `in_a_row` sessions.

    `sessions` are the group's last sessions, newest first; `marks` maps a person to her
    (session, status) marks. A person not marked at one of them (she joined later) is left out:
    an unknown is not an absence. Returns person -> her absences, newest first."""
    last = list(sessions[:in_a_row])
    if len(last) < in_a_row:
        return {}
    found: dict[object, list[Absence]] = {}
    for person, person_marks in marks.items():
        status = dict(person_marks)
        if all(status.get(session) in (ABSENT, EXCUSED) for session in last):
            found[person] = [Absence(session, status[session] == EXCUSED) for session in last]
    return found


@dataclass(frozen=True)
class Listing:
    """The first rows of a to-do list and how many there are in all ("and 12 more")."""

    rows: list
    total: int

    @classmethod
    def first(cls, source, limit: int, make=None) -> Listing:
        """The first `limit` rows of a query (anything sliceable with a count()), counted in
        full only when there may be more than those."""
        rows = list(source[:limit])
        total = len(rows) if len(rows) < limit else source.count()
        return cls([make(row) for row in rows] if make else rows, total)

    @property
    def more(self) -> int:
        return self.total - len(self.rows)
