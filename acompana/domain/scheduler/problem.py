"""What the work-plan scheduler plans from: plain frozen data, no files, no Django.

`problem_from_program` (program.py) builds a `PlanningProblem` from a program file's mapping;
tests and benchmarks may build one directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from acompana.domain.scheduler.plan import Plan

WELLBEING = "wellbeing"
SUPERVISORS = "supervisors"
# Whom each kind of meeting is for, as curriculum/tracks.yaml says of each track ("audience"):
# the Acompañantes' groups take one track, the supervisors' cohorts the other.
AUDIENCES = {WELLBEING: "acompanantes", SUPERVISORS: "supervisors"}


@dataclass(frozen=True)
class SessionSpec:
    """One curriculum session as the scheduler needs it (the curriculum engine has the rest)."""

    id: str
    track: str
    number: int
    duration_minutes: int
    prerequisites: tuple[str, ...] = ()
    title: str = ""
    audience: str = ""  # of its track: acompanantes | supervisors


@dataclass(frozen=True)
class MeetingRule:
    """When a group usually meets: e.g. the 2nd Tuesday of the month at 10:00."""

    weekday: int  # 0 = Monday
    week_of_month: int  # 1-4, or -1 for the last one of the month
    start: dt.time


@dataclass(frozen=True)
class Supervision:
    """Who supervises a group, from when to when (open ends allowed)."""

    person: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    community: str
    meeting: MeetingRule
    supervisions: tuple[Supervision, ...]
    facilitators: tuple[str, ...]


@dataclass(frozen=True)
class UnstaffedGroup:
    """A group not planned yet: it has no supervisor or no facilitator (a program being set
    up). The rest of the program is planned; the plan's documents list it with what it lacks."""

    id: str
    name: str
    lacks: tuple[str, ...]  # "supervisor", "facilitator"

    def describe(self, language: str) -> str:
        """'g10 · Grupo Nuevo: le falta supervisora y cofacilitadora'."""
        words = {"es": ("le falta", " y ", {"supervisor": "supervisora",
                                            "facilitator": "cofacilitadora"}),
                 "en": ("lacks", " and ", {"supervisor": "a supervisor",
                                           "facilitator": "a co-facilitator"})}
        lacks, joined, roles = words[language]
        return f"{self.id} · {self.name}: {lacks} {joined.join(roles[r] for r in self.lacks)}"


@dataclass(frozen=True)
class CohortRule:
    """How the supervisors' track meets: all supervisors together, in cohorts of a given size."""

    meeting: MeetingRule
    community: str
    facilitators: tuple[str, ...]  # cohort i is led by facilitators[i % len]
    cohort_size: int = 12


@dataclass(frozen=True)
class Community:
    id: str
    name: str
    travel_minutes_from_hub: int = 0


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str


@dataclass(frozen=True)
class Closure:
    """Days the whole program stops (vacations, Holy Week)."""

    name: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Holiday:
    date: dt.date
    name_es: str
    name_en: str


@dataclass(frozen=True)
class Unavailability:
    """Days one person cannot work (inclusive)."""

    person: str
    start: dt.date
    end: dt.date
    reason: str = ""


@dataclass(frozen=True)
class PlanningProblem:
    """Everything one planning run needs; `previous` and `as_of` only when re-planning."""

    program_id: str
    program_name: str
    time_zone: str
    period_start: dt.date
    period_end: dt.date
    communities: tuple[Community, ...]
    people: tuple[Person, ...]
    groups: tuple[Group, ...]
    supervisors: tuple[str, ...]
    cohort_rule: CohortRule
    sessions: tuple[SessionSpec, ...]
    wellbeing_track: str  # the id of the Acompañantes' track in this curriculum
    supervisors_track: str  # the id of the supervisors' track
    closures: tuple[Closure, ...] = ()
    holidays: tuple[Holiday, ...] = ()
    unavailability: tuple[Unavailability, ...] = ()
    travel_minutes: tuple[tuple[str, str, int], ...] = ()  # explicit pairs, either direction
    train_the_trainer_days: int = 7
    max_sessions_per_person_per_day: int = 2
    paper: str = "letter"  # what the program prints on: "letter" or "a4"
    assessment_waves: tuple[tuple[str, int], ...] = ()  # (wave, wellbeing session number)
    unstaffed: tuple[UnstaffedGroup, ...] = ()  # groups left out until they have their staff
    previous: Plan | None = None
    as_of: dt.date | None = None

    def track_sessions(self, track: str) -> tuple[SessionSpec, ...]:
        """The sessions of one track (`wellbeing` or `supervisors`) in delivery order."""
        track_id = self.wellbeing_track if track == WELLBEING else self.supervisors_track
        return tuple(sorted((s for s in self.sessions if s.track == track_id),
                            key=lambda s: s.number))

    def kind_of(self, session: SessionSpec) -> str | None:
        """`wellbeing`, `supervisors` or None for a session of another track."""
        return {self.wellbeing_track: WELLBEING,
                self.supervisors_track: SUPERVISORS}.get(session.track)

    @cached_property
    def session_by_id(self) -> dict[str, SessionSpec]:
        return {s.id: s for s in self.sessions}

    @cached_property
    def group_by_id(self) -> dict[str, Group]:
        return {g.id: g for g in self.groups}

    @cached_property
    def person_by_id(self) -> dict[str, Person]:
        return {p.id: p for p in self.people}

    @cached_property
    def community_by_id(self) -> dict[str, Community]:
        return {c.id: c for c in self.communities}

    @cached_property
    def _explicit_travel(self) -> dict[frozenset[str], int]:
        return {frozenset((a, b)): minutes for a, b, minutes in self.travel_minutes}

    def travel(self, a: str, b: str) -> int:
        """Minutes to go from community a to b: a listed pair, else both legs via the hub."""
        if a == b:
            return 0
        listed = self._explicit_travel.get(frozenset((a, b)))
        if listed is not None:
            return listed
        hub = self.community_by_id
        return hub[a].travel_minutes_from_hub + hub[b].travel_minutes_from_hub

    def name_of(self, person: str) -> str:
        found = self.person_by_id.get(person)
        return found.name if found else person

    @cached_property
    def facilitators(self) -> tuple[str, ...]:
        """Everyone who co-facilitates a group's wellbeing sessions."""
        return tuple(sorted({p for g in self.groups for p in g.facilitators}))

    def supervisor_of(self, group: Group, on: dt.date) -> str | None:
        """The group's supervisor on a day (the supervision whose dates cover it)."""
        for supervision in group.supervisions:
            if ((supervision.start is None or supervision.start <= on)
                    and (supervision.end is None or on <= supervision.end)):
                return supervision.person
        return None

    @cached_property
    def months(self) -> tuple[tuple[int, int], ...]:
        """The calendar months of the period, in order: month k holds session k of each track."""
        months, year, month = [], self.period_start.year, self.period_start.month
        while (year, month) <= (self.period_end.year, self.period_end.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return tuple(months)
