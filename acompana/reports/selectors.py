"""The program's figures: delivery, attendance, fidelity, feedback and suggestions.

Every figure is one aggregate query over the actor's scope (the policy's groups), so the
dashboard costs the same whatever the number of rows a person could open one by one; attendance,
fidelity and feedback are sums of the figures each session log keeps, a row per session rather
than per mark (a national program has millions of marks).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from acompana.delivery.models import Attendance, FidelityItem, SessionLog, Suggestion
from acompana.planning.models import Status
from acompana.policy import Actor, visible_groups, visible_sessions, visible_suggestions
from acompana.programs.models import Role


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


def default_period(actor: Actor) -> Period:
    planning = actor.person.program.planning.get("period", {}) if actor.person else {}
    today = dt.date.today()
    return Period(start=dt.date.fromisoformat(planning.get("start", f"{today.year}-01-01")),
                  end=dt.date.fromisoformat(planning.get("end", f"{today.year}-12-31")))


@dataclass
class GroupFigures:
    code: str
    name: str
    planned: int = 0
    held: int = 0
    missed: int = 0
    present: int = 0
    marked: int = 0
    fidelity: dict[str, int] = field(default_factory=dict)
    feedback_sum: int = 0
    feedback_count: int = 0

    @property
    def attendance_rate(self) -> float | None:
        return self.present / self.marked if self.marked else None

    @property
    def fidelity_done(self) -> float | None:
        total = sum(self.fidelity.values())
        return self.fidelity.get("done", 0) / total if total else None

    @property
    def feedback_mean(self) -> float | None:
        return self.feedback_sum / self.feedback_count if self.feedback_count else None


@dataclass(frozen=True)
class Dashboard:
    period: Period
    groups: list[GroupFigures]
    supervisors_track: dict[str, int]
    monthly_attendance: list[tuple[dt.date, float]]
    open_suggestions: int

    @property
    def totals(self) -> GroupFigures:
        total = GroupFigures(code="", name="")
        for figures in self.groups:
            for name in ("planned", "held", "missed", "present", "marked", "feedback_sum",
                         "feedback_count"):
                setattr(total, name, getattr(total, name) + getattr(figures, name))
            for status, count in figures.fidelity.items():
                total.fidelity[status] = total.fidelity.get(status, 0) + count
        return total


def dashboard(*, actor: Actor, period: Period, group: str = "") -> Dashboard:
    groups = visible_groups(actor)
    if group:
        groups = groups.filter(code=group)
    figures = {pk: GroupFigures(code=code, name=name) for pk, code, name in
               groups.order_by("code").values_list("pk", "code", "name")}
    in_period = {"date__range": (period.start, period.end)}
    groups = _as_ids(groups, known=list(figures))

    sessions = visible_sessions(actor).filter(**in_period)
    for row in (sessions.filter(group__in=groups).values("group_id", "status")
                .annotate(n=Count("id")).order_by()):
        target = figures[row["group_id"]]
        target.planned += row["n"]
        if row["status"] == Status.HELD:
            target.held += row["n"]
        elif row["status"] == Status.MISSED:
            target.missed += row["n"]
    supervisors_track = dict(sessions.filter(group__isnull=True).values_list("status")
                             .annotate(n=Count("id")).order_by())

    logs = SessionLog.objects.filter(group__in=groups, **in_period)
    for row in logs.values("group_id").annotate(**LOG_FIGURES).order_by():
        target = figures[row["group_id"]]
        target.present, target.marked = row["present"], row["marked"]
        target.fidelity = {status: row[status] for status in FidelityItem.Status.values
                           if row[status]}
        target.feedback_sum, target.feedback_count = row["weighted"], row["answers"]

    open_suggestions = visible_suggestions(actor).exclude(
        status__in=[Suggestion.Status.ADOPTED, Suggestion.Status.NOT_ADOPTED]).count()
    return Dashboard(period=period, groups=list(figures.values()),
                     supervisors_track=supervisors_track,
                     monthly_attendance=_attendance_by_month(logs),
                     open_suggestions=open_suggestions)


def _as_ids(groups, known: list[int] | None = None):
    """A scope of a few groups (a supervisor's) as their ids, so the database looks them up in
    the group indexes; a whole program's stays a subquery."""
    ids = known if known is not None else list(groups.values_list("pk", flat=True)[:SHORT + 1])
    return ids if len(ids) <= SHORT else groups


SHORT = 500  # groups, at most, named one by one in a query


# The sums of the session logs' figures (kept with each log: see SessionLog).
LOG_FIGURES = {"present": Sum("attendance_present"), "marked": Sum("attendance_marked"),
               "done": Sum("fidelity_done"), "adapted": Sum("fidelity_adapted"),
               "skipped": Sum("fidelity_skipped"), "weighted": Sum("feedback_weighted"),
               "answers": Sum("feedback_answers")}


def _attendance_by_month(logs) -> list[tuple[dt.date, float]]:
    """Summed by day in SQL, by month here: a few hundred rows, and no month function, which
    SQLite would call in Python for every log."""
    months: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for row in logs.values("date").annotate(present=Sum("attendance_present"),
                                            marked=Sum("attendance_marked")).order_by():
        month = months[row["date"].replace(day=1)]
        month[0] += row["present"]
        month[1] += row["marked"]
    return [(month, present / marked) for month, (present, marked) in sorted(months.items())
            if marked]


@dataclass(frozen=True)
class PersonAttendance:
    code: str
    name: str
    present: int
    marked: int

    @property
    def rate(self) -> float | None:
        return self.present / self.marked if self.marked else None


def group_people(*, actor: Actor, group: str, period: Period) -> list[PersonAttendance]:
    """Drill-down: each member's attendance in the period."""
    rows = (Attendance.objects.filter(log__group__in=visible_groups(actor).filter(code=group),
                                      log__date__range=(period.start, period.end))
            .values("person__code", "person__name")
            .annotate(present=Count("id", filter=Q(status="present")), marked=Count("id"))
            .order_by("person__name"))
    return [PersonAttendance(row["person__code"], row["person__name"], row["present"],
                             row["marked"]) for row in rows]


def planned_by_month(*, actor: Actor, period: Period) -> dict[dt.date, dict[str, int]]:
    """Sessions per month and status, for the planned-versus-held chart."""
    months: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for row in (visible_sessions(actor).filter(date__range=(period.start, period.end))
                .values("date", "status").annotate(n=Count("id")).order_by()):
        counts = months[row["date"].replace(day=1)]
        counts[row["status"]] = counts.get(row["status"], 0) + row["n"]
    return dict(sorted(months.items()))


@dataclass(frozen=True)
class MonthlyReport:
    """A month's figures for the program's leadership, with the year's trend up to it."""

    month: dt.date
    program: str
    supervisor: str  # the supervisor whose groups the report covers; empty for the program
    board: Dashboard
    sessions_by_month: dict[dt.date, dict[str, int]]
    attendance_by_month: list[tuple[dt.date, float]]
    open_suggestions: list[Suggestion]


def month_period(month: dt.date) -> Period:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return Period(start=first, end=following - dt.timedelta(days=1))


def monthly_report(*, actor: Actor, month: dt.date) -> MonthlyReport:
    """The month's sessions, attendance, fidelity, feedback and open suggestions in the actor's
    scope, and the twelve months up to it for the trend."""
    period = month_period(month)
    eleven_back = period.start.year * 12 + period.start.month - 1 - 11
    year = Period(start=dt.date(eleven_back // 12, eleven_back % 12 + 1, 1), end=period.end)
    logs = SessionLog.objects.filter(group__in=_as_ids(visible_groups(actor)),
                                     date__range=(year.start, year.end))
    open_suggestions = list(visible_suggestions(actor).filter(received_on__lte=period.end)
                            .exclude(status__in=[Suggestion.Status.ADOPTED,
                                                 Suggestion.Status.NOT_ADOPTED])
                            .order_by("received_on", "id"))
    person = actor.person
    return MonthlyReport(
        month=period.start, program=person.program.name if person else "",
        supervisor=person.name if person and person.role == Role.SUPERVISOR else "",
        board=dashboard(actor=actor, period=period),
        sessions_by_month=planned_by_month(actor=actor, period=year),
        attendance_by_month=_attendance_by_month(logs), open_suggestions=open_suggestions)
