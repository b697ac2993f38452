"""Calendar files (.ics): one per group, supervisor and facilitator, in the program's time zone,
so each person can subscribe to her own sessions on her phone."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from acompana.domain.scheduler.outputs.text import (
    LABELS,
    community_name,
    group_name,
    session_title,
)
from acompana.domain.scheduler.plan import HELD, Plan, PlannedSession
from acompana.domain.scheduler.problem import PlanningProblem


def write_calendars(problem: PlanningProblem, plan: Plan, folder: Path,
                    language: str = "es") -> list[Path]:
    """One file per group, supervisor and facilitator in `folder`, named by who it is for
    ('grupo-reforma.ics', 'supervisora-angelica-cruz-villatoro.ics'): names, not ids."""
    folder.mkdir(parents=True, exist_ok=True)
    owners: dict[str, list[PlannedSession]] = defaultdict(list)
    for row in plan.sessions:
        if not row.takes_place:
            continue
        if row.group:
            owners[f"group-{row.group}"].append(row)
        owners[f"supervisor-{row.supervisor}"].append(row)
        owners[f"facilitator-{row.facilitator}"].append(row)
    written, taken = [], set()
    for owner, rows in sorted(owners.items()):
        label = _owner_label(problem, owner, language)
        stem = _file_stem(label)
        if stem in taken:  # two people of the same name: the id tells them apart
            stem = f"{stem}-{owner.split('-', 1)[1]}"
        taken.add(stem)
        path = folder / f"{stem}.ics"
        path.write_bytes(_calendar(problem, plan, owner, rows, language, label).to_ical())
        written.append(path)
    return written


def _owner_label(problem: PlanningProblem, owner: str, language: str) -> str:
    """'Grupo Reforma', 'Supervisora Angélica Cruz Villatoro'."""
    role, code = owner.split("-", 1)
    if role == "group":
        return group_name(problem, code)
    return f"{LABELS[language][role]} {problem.name_of(code)}"


def _file_stem(label: str) -> str:
    """A name safe in any zip and file system: 'Angélica Cruz' -> 'angelica-cruz'."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "calendario"


def _calendar(problem: PlanningProblem, plan: Plan, owner: str, rows: list[PlannedSession],
              language: str, label: str) -> Calendar:
    words = LABELS[language]
    zone = ZoneInfo(problem.time_zone)
    calendar = Calendar()
    calendar.add("prodid", "-//Acompaña//Plan de trabajo//ES")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{words['work_plan']} {problem.program_name}: {label}")
    calendar.add("x-wr-timezone", problem.time_zone)
    # RFC 5545 needs a stamp; a fixed one keeps the files identical for the same plan.
    stamp = dt.datetime.combine(plan.period_start, dt.time(), tzinfo=dt.UTC)
    seen: set[str] = set()
    for row in sorted(rows, key=lambda r: (r.date, r.start, r.id)):
        # A cohort's meeting is one event for its facilitator, not one per supervisor.
        uid = (f"{row.cohort}:{row.session}" if row.cohort and owner.startswith("facilitator")
               else row.id)
        if uid in seen:
            continue
        seen.add(uid)
        event = Event()
        event.add("uid", f"{uid}@{problem.program_id}.acompana")
        event.add("dtstamp", stamp)
        event.add("dtstart", dt.datetime.combine(row.date, row.start, tzinfo=zone))
        event.add("dtend", dt.datetime.combine(row.date, row.end, tzinfo=zone))
        where = group_name(problem, row.group) if row.group else words["supervisors_track"]
        event.add("summary", f"{session_title(problem, row) or row.session} · {where}")
        event.add("location", community_name(problem, row.community))
        event.add("description", "\n".join([
            f"{words['session']}: {session_title(problem, row) or row.session}",
            f"{words['supervisor']}: {problem.name_of(row.supervisor)}",
            f"{words['facilitator']}: {problem.name_of(row.facilitator)}",
            f"{words['status']}: {words[row.status]}"]))
        event.add("status", "CONFIRMED" if row.status == HELD else "TENTATIVE")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar
