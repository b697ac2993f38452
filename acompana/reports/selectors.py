"""The program's figures: delivery, attendance, fidelity, feedback and suggestions.

Every figure is one aggregate query over the actor's scope (the policy's groups), so the
dashboard costs the same whatever the number of rows a person could open one by one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from acompana.delivery.models import Attendance, FeedbackCount, FidelityItem, Suggestion
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
    figures = {g.code: GroupFigures(code=g.code, name=g.name) for g in groups.order_by("code")}
    in_period = {"date__range": (period.start, period.end)}

    sessions = visible_sessions(actor).filter(**in_period)
    for row in (sessions.filter(group__in=groups).values("group__code", "status")
                .annotate(n=Count("id"))):
        target = figures[row["group__code"]]
        target.planned += row["n"]
        if row["status"] == Status.HELD:
            target.held += row["n"]
        elif row["status"] == Status.MISSED:
            target.missed += row["n"]
    supervisors_track = dict(sessions.filter(group__isnull=True).values_list("status")
                             .annotate(n=Count("id")))

    attendance = Attendance.objects.filter(log__group__in=groups, log__date__range=(
        period.start, period.end))
    for row in attendance.values("log__group__code").annotate(
            present=Count("id", filter=Q(status="present")), marked=Count("id")):
        figures[row["log__group__code"]].present = row["present"]
        figures[row["log__group__code"]].marked = row["marked"]
    monthly = _attendance_by_month(attendance)

    fidelity = FidelityItem.objects.filter(log__group__in=groups,
                                           log__date__range=(period.start, period.end))
    for row in fidelity.values("log__group__code", "status").annotate(n=Count("id")):
        figures[row["log__group__code"]].fidelity[row["status"]] = row["n"]

    feedback = FeedbackCount.objects.filter(log__group__in=groups,
                                            log__date__range=(period.start, period.end))
    for row in feedback.values("log__group__code").annotate(
            weighted=Sum(F("face") * F("count")), answers=Sum("count")):
        figures[row["log__group__code"]].feedback_sum = row["weighted"] or 0
        figures[row["log__group__code"]].feedback_count = row["answers"] or 0

    open_suggestions = visible_suggestions(actor).exclude(
        status__in=[Suggestion.Status.ADOPTED, Suggestion.Status.NOT_ADOPTED]).count()
    return Dashboard(period=period, groups=list(figures.values()),
                     supervisors_track=supervisors_track, monthly_attendance=monthly,
                     open_suggestions=open_suggestions)


def _attendance_by_month(attendance) -> list[tuple[dt.date, float]]:
    return [(_day(row["month"]), row["present"] / row["marked"]) for row in attendance
            .annotate(month=TruncMonth("log__date")).values("month")
            .annotate(present=Count("id", filter=Q(status="present")), marked=Count("id"))
            .order_by("month") if row["marked"]]


def _day(value: dt.date | dt.datetime) -> dt.date:
    """Month truncation gives a datetime on some databases and a date on others."""
    return value.date() if isinstance(value, dt.datetime) else value


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
                .annotate(month=TruncMonth("date")).values("month", "status")
                .annotate(n=Count("id"))):
        months[_day(row["month"])][row["status"]] = row["n"]
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
    attendance = Attendance.objects.filter(log__group__in=visible_groups(actor),
                                           log__date__range=(year.start, year.end))
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
        attendance_by_month=_attendance_by_month(attendance), open_suggestions=open_suggestions)
