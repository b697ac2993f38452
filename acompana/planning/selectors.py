"""Reads of the work plan, always through the policy's scope."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from acompana.planning.models import PlanChange, PlannedSession, Status
from acompana.policy import Actor, visible_groups, visible_sessions
from acompana.programs.models import Group


def plan_document(*, program, sessions: QuerySet[PlannedSession] | None = None) -> dict:
    """The stored plan in plan.json shape (see README), the one format every output reads."""
    planning = program.planning.get("period", {})
    rows = sessions if sessions is not None else PlannedSession.objects.filter(program=program)
    rows = rows.select_related("group", "supervisor", "facilitator", "community")
    misses: dict[int, list[dict]] = {}
    for change in PlanChange.objects.filter(session__in=rows, new_status=Status.MISSED,
                                            old_date__isnull=False).order_by("made_at", "id"):
        misses.setdefault(change.session_id, []).append(
            {"date": change.old_date.isoformat(), "reason": change.reason})
    return {
        "program": program.code,
        "period": {"start": planning.get("start"), "end": planning.get("end")},
        "waves": {group: {wave: day.isoformat() if day else None for wave, day in waves.items()}
                  for group, waves in wave_dates(program=program, sessions=rows).items()},
        "sessions": [
            {"id": s.key, "track": s.track, "session": s.session_code,
             "group": s.group.code if s.group else None, "supervisor": s.supervisor.code,
             "facilitator": s.facilitator.code, "community": s.community.code,
             "date": s.date.isoformat(), "start": s.start.strftime("%H:%M"),
             "end": s.end.strftime("%H:%M"), "status": s.status,
             **({"cohort": s.cohort} if s.cohort else {}),
             **({"reason": s.status_reason} if s.status_reason else {}),
             **({"dropped": True} if s.dropped else {}),
             **({"history": misses[s.pk]} if s.pk in misses else {})}
            for s in rows.order_by("date", "start", "key")],
    }


DEFAULT_WAVES = {"baseline": 1, "midline": 6, "endline": 12}


def wave_dates(*, program, sessions: QuerySet[PlannedSession]) -> dict[str, dict]:
    """Each group's assessment waves: the dates of its wellbeing sessions numbered in the
    program's planning rules (baseline, midline, endline), None while a session is missed."""
    from acompana.curriculum.selectors import current_curriculum

    numbers = program.planning.get("assessment_waves") or DEFAULT_WAVES
    curriculum = current_curriculum()
    track = next((t for t in curriculum.tracks if t.audience == "acompanantes"), None)
    if track is None:
        return {}
    held_or_planned = {(s.group.code, s.session_code): s.date for s in sessions
                       if s.group_id and s.status != Status.MISSED and not s.dropped}
    groups = sorted({s.group.code for s in sessions if s.group_id})
    return {group: {wave: held_or_planned.get((group, track.sessions[number - 1]))
                    for wave, number in numbers.items() if 0 < number <= len(track.sessions)}
            for group in groups}


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

    @property
    def has_sessions(self) -> bool:
        return any(sessions for week in self.weeks for _day, sessions in week)


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


# --- Home pages' to-do lists -------------------------------------------------------------

def _going_ahead(sessions: QuerySet[PlannedSession]) -> QuerySet[PlannedSession]:
    """Leaves out sessions not to be held on their date: missed (waiting for a new date) or
    dropped (the program chose not to make them up)."""
    return sessions.exclude(status=Status.MISSED).exclude(dropped=True)


def week_sessions(*, actor: Actor, today: dt.date, limit: int = 50) -> list[PlannedSession]:
    """Her groups' sessions this week (Monday to Sunday), in order."""
    from acompana.domain.todo import week_of

    monday, sunday = week_of(today)
    sessions = PlannedSession.objects.filter(group__in=visible_groups(actor),
                                             date__range=(monday, sunday))
    return list(_going_ahead(sessions).select_related("group", "community")
                .order_by("date", "start", "group__name")[:limit])


def next_sessions(*, actor: Actor, today: dt.date, limit: int = 6) -> list[PlannedSession]:
    """The next group sessions she facilitates or supervises, from today."""
    if actor.person is None:
        return []
    sessions = visible_sessions(actor).filter(
        Q(facilitator=actor.person) | Q(supervisor=actor.person), group__isnull=False,
        date__gte=today)
    return list(_going_ahead(sessions).order_by("date", "start")[:limit])


def missed_without_new_date(*, actor: Actor, limit: int = 20):
    """Sessions marked missed that the plan has not given a new date (nor dropped): the next
    re-plan must place them."""
    from acompana.domain.todo import Listing

    sessions = visible_sessions(actor).filter(status=Status.MISSED, dropped=False).order_by(
        "date", "start", "key")
    return Listing.first(sessions, limit)


@dataclass(frozen=True)
class GroupBehind:
    """A group that has held fewer sessions than its plan had until yesterday."""

    group: Group
    planned: int
    held: int

    @property
    def behind(self) -> int:
        return self.planned - self.held


def groups_behind(*, actor: Actor, today: dt.date) -> list[GroupBehind]:
    """Her groups (all of them for the coordination) with fewer sessions held than planned to
    date, furthest behind first. One query, however many sessions."""
    from django.db.models import Count, F

    to_date = Q(sessions__date__lt=today, sessions__dropped=False)
    groups = (visible_groups(actor)
              .annotate(planned_count=Count("sessions", filter=to_date, distinct=True),
                        held_count=Count("sessions", filter=to_date & Q(
                            sessions__status=Status.HELD), distinct=True))
              .filter(held_count__lt=F("planned_count")))
    rows = [GroupBehind(group, group.planned_count, group.held_count) for group in groups]
    return sorted(rows, key=lambda row: (-row.behind, row.group.name))


def session_name(session_code: str, *, title: bool = True) -> str:
    """'Sesión 2: Respirar y estar presentes' (or 'Sesión 2'): a curriculum session as people
    name it, in the active language; its code only when the curriculum no longer has it."""
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    from acompana.curriculum.selectors import current_curriculum

    lesson = current_curriculum().sessions.get(session_code)
    if lesson is None:
        return session_code
    if not title:
        return _("Session %(number)s") % {"number": lesson.number}
    return _("Session %(number)s: %(title)s") % {
        "number": lesson.number, "title": lesson.title.in_lang((get_language() or "es")[:2])}


def moved_in_words(*, program, moved: list[tuple[str, str | None, str]], shown: int = 20
                   ) -> list[str]:
    """What a re-plan moved, as people read it: 'Grupo Reforma, Sesión 2: 10 de agosto de
    2023 → 11 de octubre de 2023' (the first `shown`, then how many more)."""
    from django.utils.formats import date_format
    from django.utils.translation import ngettext

    sessions = {s.key: s for s in PlannedSession.objects.filter(
        program=program, key__in=[key for key, _old, _new in moved[:shown]]).select_related(
        "group", "supervisor")}
    said = []
    for key, old, new in moved[:shown]:
        session = sessions.get(key)
        who = (session.group.name if session.group else session.supervisor.name) if session \
            else key
        what = session_name(session.session_code, title=False) if session else ""
        dates = " → ".join(date_format(dt.date.fromisoformat(day), "DATE_FORMAT") if day else "—"
                           for day in (old, new))
        said.append(f"{who}, {what}: {dates}" if what else f"{who}: {dates}")
    if len(moved) > shown:
        more = len(moved) - shown
        said.append(ngettext("and %(n)s more session", "and %(n)s more sessions", more)
                    % {"n": more})
    return said


def session_page(*, actor: Actor, key: str) -> PlannedSession:
    return get_object_or_404(visible_sessions(actor).prefetch_related("changes"), key=key)


def unstaffed_groups(*, actor: Actor) -> list[tuple[str, list[str]]]:
    """Groups the plan leaves out until they have a supervisor and a facilitator, as
    (group name, what it lacks): the same rule as the scheduler's."""
    from django.db.models import Count
    from django.utils.translation import gettext as _

    groups = visible_groups(actor).annotate(
        supervisor_count=Count("supervisions", distinct=True),
        facilitator_count=Count("facilitators", distinct=True)).filter(
        Q(supervisor_count=0) | Q(facilitator_count=0)).order_by("code")
    return [(group.name, [lack for lack, missing in (
        (_("a supervisor"), group.supervisor_count == 0),
        (_("a co-facilitator"), group.facilitator_count == 0)) if missing])
        for group in groups]


def filter_choices(*, actor: Actor) -> dict:
    """Groups and people the actor may filter the plan by (and the groups not planned yet)."""
    sessions = visible_sessions(actor)
    people = {s.supervisor for s in sessions} | {s.facilitator for s in sessions}
    return {"groups": visible_groups(actor),
            "people": sorted(people, key=lambda person: person.name),
            "unstaffed": unstaffed_groups(actor=actor)}
