"""The work plan the scheduler returns: one row per session and person-facing place (plan.json).

A supervisors'-track session is one meeting of a cohort but one row per supervisor
("sup-01:supervisores-02"), so every supervisor's calendar and the web app see their own row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

PLANNED, HELD, MISSED = "planned", "held", "missed"
STATUSES = (PLANNED, HELD, MISSED)


@dataclass(frozen=True)
class Miss:
    """A date on which a session was planned but did not happen, and why."""

    date: dt.date
    reason: str = ""


@dataclass(frozen=True)
class PlannedSession:
    id: str  # "g01:bienestar-03" or "sup-01:supervisores-02"
    track: str  # wellbeing | supervisors
    session: str  # curriculum session id
    group: str | None
    supervisor: str
    facilitator: str
    community: str
    date: dt.date
    start: dt.time
    end: dt.time
    status: str = PLANNED
    cohort: str | None = None
    reason: str = ""  # why it was missed
    dropped: bool = False  # a missed session that will not be made up
    history: tuple[Miss, ...] = ()  # earlier dates it was missed on

    @property
    def takes_place(self) -> bool:
        """Planned or held: it occupies its people on its date."""
        return self.status != MISSED


@dataclass(frozen=True)
class Move:
    """A future session the re-plan changed: its date, its co-facilitator, or a make-up date."""

    session: str
    old_date: dt.date
    new_date: dt.date
    old_facilitator: str
    new_facilitator: str
    rescheduled: bool = False  # a missed session given a new date


@dataclass(frozen=True)
class Incident:
    """Something that went wrong in a solve and what was done about it, for the person."""

    es: str
    en: str


@dataclass(frozen=True)
class SolverSummary:
    status: str  # OPTIMAL | FEASIBLE
    objective: int
    bound: int
    wall_seconds: float
    terms: dict[str, int] = field(default_factory=dict)  # objective term -> value (unweighted)
    moved: int = 0
    parts: int = 1  # independent sub-plans solved
    incidents: tuple[Incident, ...] = ()  # solver processes that died, and the retries

    @property
    def gap(self) -> float:
        """Relative optimality gap: 0 when proven optimal."""
        return 0.0 if self.objective == 0 else (self.objective - self.bound) / self.objective


@dataclass(frozen=True)
class Plan:
    program: str
    period_start: dt.date
    period_end: dt.date
    sessions: tuple[PlannedSession, ...]
    waves: dict[str, dict[str, dt.date | None]] = field(default_factory=dict)
    as_of: dt.date | None = None
    moves: tuple[Move, ...] = ()
    solver: SolverSummary | None = None

    def by_id(self) -> dict[str, PlannedSession]:
        return {s.id: s for s in self.sessions}


def wellbeing_id(group: str, session: str) -> str:
    return f"{group}:{session}"


def supervisor_row_id(supervisor: str, session: str) -> str:
    return f"{supervisor}:{session}"
