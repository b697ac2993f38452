"""Reads of the work plan, always through the policy's scope."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from acompana.planning.models import PlannedSession
from acompana.policy import Actor, visible_groups, visible_sessions


def plan_document(*, program, sessions: QuerySet[PlannedSession] | None = None) -> dict:
    """The stored plan in plan.json shape (see README), the one format every output reads."""
    planning = program.planning.get("period", {})
    rows = sessions if sessions is not None else PlannedSession.objects.filter(program=program)
    rows = rows.select_related("group", "supervisor", "facilitator", "community")
    return {
        "program": program.code,
        "period": {"start": planning.get("start"), "end": planning.get("end")},
        "sessions": [
            {"id": s.key, "track": s.track, "session": s.session_code,
             "group": s.group.code if s.group else None, "supervisor": s.supervisor.code,
             "facilitator": s.facilitator.code, "community": s.community.code,
             "date": s.date.isoformat(), "start": s.start.strftime("%H:%M"),
             "end": s.end.strftime("%H:%M"), "status": s.status}
            for s in rows.order_by("date", "start", "key")],
    }


def filtered_sessions(*, actor: Actor, group: str = "", person: str = ""
                      ) -> QuerySet[PlannedSession]:
    sessions = visible_sessions(actor)
    if group:
        sessions = sessions.filter(group__code=group)
    if person:
        sessions = sessions.filter(supervisor__code=person) | sessions.filter(
            facilitator__code=person)
    return sessions


@dataclass(frozen=True)
class MonthCalendar:
    month: dt.date
    weeks: list[list[tuple[dt.date | None, list[PlannedSession]]]]
    previous: dt.date
    next: dt.date


def month_calendar(*, sessions: QuerySet[PlannedSession], month: dt.date) -> MonthCalendar:
    """A month as weeks of days, each with its sessions (Monday first, as in Mexico)."""
    first = month.replace(day=1)
    days_in_month = calendar.monthrange(first.year, first.month)[1]
    last = first.replace(day=days_in_month)
    by_day: dict[dt.date, list[PlannedSession]] = defaultdict(list)
    for session in sessions.filter(date__range=(first, last)).order_by("date", "start"):
        by_day[session.date].append(session)
    weeks = [[(day if day.month == first.month else None, by_day.get(day, []))
              for day in week]
             for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year,
                                                                               first.month)]
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return MonthCalendar(month=first, weeks=weeks, previous=previous,
                         next=last + dt.timedelta(days=1))


@dataclass(frozen=True)
class YearGrid:
    months: list[dt.date]
    rows: list[tuple[str, str, list[list[PlannedSession]]]]


def year_grid(*, actor: Actor, sessions: QuerySet[PlannedSession]) -> YearGrid:
    """Months across, groups (and the supervisors' track) down: the work plan at a glance."""
    sessions = list(sessions.order_by("date"))
    if not sessions:
        return YearGrid(months=[], rows=[])
    months, month = [], sessions[0].date.replace(day=1)
    while month <= sessions[-1].date:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    index = {m: i for i, m in enumerate(months)}
    cells: dict[str, list[list[PlannedSession]]] = {}
    labels: dict[str, str] = {}
    for session in sessions:
        row = session.group.code if session.group else f"sup:{session.supervisor.code}"
        labels[row] = session.group.name if session.group else session.supervisor.name
        cells.setdefault(row, [[] for _ in months])[index[session.date.replace(day=1)]].append(
            session)
    order = sorted(cells, key=lambda row: (row.startswith("sup:"), row))
    return YearGrid(months=months, rows=[(row, labels[row], cells[row]) for row in order])


def session_page(*, actor: Actor, key: str) -> PlannedSession:
    return get_object_or_404(visible_sessions(actor).prefetch_related("changes"), key=key)


def filter_choices(*, actor: Actor) -> dict:
    """Groups and people the actor may filter the plan by."""
    sessions = visible_sessions(actor)
    people = {s.supervisor for s in sessions} | {s.facilitator for s in sessions}
    return {"groups": visible_groups(actor),
            "people": sorted(people, key=lambda person: person.name)}
