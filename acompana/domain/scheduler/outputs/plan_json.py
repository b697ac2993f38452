"""plan.json: the one format every output, the web app and re-planning read.

Shape: {"program": id, "period": {"start", "end"}, "sessions": [{"id", "track", "session",
"group", "supervisor", "facilitator", "community", "date", "start", "end", "status",
"cohort", and when set "reason", "dropped", "history"}], "waves": {group: {wave: date}},
"as_of", "moves", "solver"}. Only the keys up to "status" are required when reading back, so a
plan exported by the web app can be re-planned.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from acompana.domain.scheduler.plan import (
    STATUSES,
    Miss,
    Move,
    Plan,
    PlannedSession,
    SolverSummary,
)
from acompana.domain.scheduler.problem import SUPERVISORS, WELLBEING

REQUIRED = ("id", "track", "session", "group", "supervisor", "facilitator", "community", "date",
            "start", "end", "status")


class PlanFileError(Exception):
    """A plan.json that cannot be read; `problems` names each session and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def plan_to_json(plan: Plan) -> dict[str, Any]:
    document: dict[str, Any] = {
        "program": plan.program,
        "period": {"start": plan.period_start.isoformat(), "end": plan.period_end.isoformat()},
        "sessions": [_session_to_json(row) for row in plan.sessions],
        "waves": {group: {wave: day.isoformat() if day else None for wave, day in waves.items()}
                  for group, waves in plan.waves.items()},
        "as_of": plan.as_of.isoformat() if plan.as_of else None,
        "moves": [{"session": m.session, "old_date": m.old_date.isoformat(),
                   "new_date": m.new_date.isoformat(), "old_facilitator": m.old_facilitator,
                   "new_facilitator": m.new_facilitator, "rescheduled": m.rescheduled}
                  for m in plan.moves],
    }
    if plan.solver:
        solver = plan.solver
        # No wall time here, so the same plan always writes the same file.
        document["solver"] = {"status": solver.status, "objective": solver.objective,
                              "bound": solver.bound, "gap": round(solver.gap, 4),
                              "terms": solver.terms, "moved": solver.moved,
                              "parts": solver.parts}
    return document


def _session_to_json(row: PlannedSession) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": row.id, "track": row.track, "session": row.session, "group": row.group,
        "supervisor": row.supervisor, "facilitator": row.facilitator,
        "community": row.community, "date": row.date.isoformat(),
        "start": row.start.strftime("%H:%M"), "end": row.end.strftime("%H:%M"),
        "status": row.status, "cohort": row.cohort,
    }
    if row.reason:
        entry["reason"] = row.reason
    if row.dropped:
        entry["dropped"] = True
    if row.history:
        entry["history"] = [{"date": miss.date.isoformat(), "reason": miss.reason}
                            for miss in row.history]
    return entry


def write_plan_json(plan: Plan, path: Path) -> Path:
    path.write_text(json.dumps(plan_to_json(plan), ensure_ascii=False, indent=1) + "\n",
                    encoding="utf-8")
    return path


def read_plan_json(path: Path) -> Plan:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PlanFileError([f"{path}: cannot read it as JSON ({error})."]) from error
    return plan_from_json(document, source=str(path))


def plan_from_json(document: Any, *, source: str = "plan.json") -> Plan:
    """A Plan from plan.json's mapping; raises PlanFileError listing every problem."""
    problems: list[str] = []
    if not isinstance(document, dict) or not isinstance(document.get("sessions"), list):
        raise PlanFileError([f"{source}: expected a mapping with a list under 'sessions'."])
    period = document.get("period") or {}
    start = _date(period.get("start"), f"{source}, period.start", problems)
    end = _date(period.get("end"), f"{source}, period.end", problems)
    rows = [_session_from_json(entry, f"{source}, sessions[{index}]", problems)
            for index, entry in enumerate(document["sessions"])]
    waves = {}
    for group, entries in (document.get("waves") or {}).items():
        waves[group] = {wave: _date(day, f"{source}, waves.{group}.{wave}", problems)
                        if day else None for wave, day in entries.items()}
    moves = tuple(Move(session=m["session"], old_date=dt.date.fromisoformat(m["old_date"]),
                       new_date=dt.date.fromisoformat(m["new_date"]),
                       old_facilitator=m["old_facilitator"],
                       new_facilitator=m["new_facilitator"],
                       rescheduled=bool(m.get("rescheduled")))
                  for m in document.get("moves") or [])
    solver = document.get("solver")
    if problems:
        raise PlanFileError(problems)
    return Plan(
        program=str(document.get("program", "")), period_start=start, period_end=end,
        sessions=tuple(rows), waves=waves, moves=moves,
        as_of=dt.date.fromisoformat(document["as_of"]) if document.get("as_of") else None,
        solver=SolverSummary(status=solver["status"], objective=solver["objective"],
                             bound=solver["bound"], wall_seconds=0.0,
                             terms=solver.get("terms", {}), moved=solver.get("moved", 0),
                             parts=solver.get("parts", 1)) if solver else None)


def _session_from_json(entry: Any, where: str, problems: list[str]) -> PlannedSession | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: expected a mapping, got {entry!r}.")
        return None
    where = f"{where} ({entry.get('id')})"
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        problems.append(f"{where}: missing field(s) {', '.join(missing)}.")
        return None
    if entry["track"] not in (WELLBEING, SUPERVISORS):
        problems.append(f"{where}, field 'track': expected wellbeing or supervisors, got "
                        f"{entry['track']!r}.")
    if entry["status"] not in STATUSES:
        problems.append(f"{where}, field 'status': expected one of {', '.join(STATUSES)}, got "
                        f"{entry['status']!r}.")
    day = _date(entry["date"], f"{where}, field 'date'", problems)
    start = _time(entry["start"], f"{where}, field 'start'", problems)
    end = _time(entry["end"], f"{where}, field 'end'", problems)
    history = tuple(Miss(date=_date(miss.get("date"), f"{where}, field 'history'", problems),
                         reason=str(miss.get("reason", "")))
                    for miss in entry.get("history") or [])
    if None in (day, start, end):
        return None
    return PlannedSession(
        id=str(entry["id"]), track=entry["track"], session=str(entry["session"]),
        group=entry["group"], supervisor=str(entry["supervisor"]),
        facilitator=str(entry["facilitator"]), community=str(entry["community"]), date=day,
        start=start, end=end, status=entry["status"], cohort=entry.get("cohort"),
        reason=str(entry.get("reason") or ""), dropped=bool(entry.get("dropped")),
        history=history)


def _date(value: Any, where: str, problems: list[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: expected a date YYYY-MM-DD, got {value!r}.")
        return None


def _time(value: Any, where: str, problems: list[str]) -> dt.time | None:
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: expected a time HH:MM, got {value!r}.")
        return None
