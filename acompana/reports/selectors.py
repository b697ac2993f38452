"""The program's figures: delivery, attendance, fidelity, feedback and suggestions.

Attendance, fidelity and feedback are sums of the figures each session log keeps, a row per
session rather than per mark (a national program has millions of marks). A whole program's
totals and trend are sums of its day rows (ProgramDay), a row per day rather than per session;
a supervisor's few groups are summed from their own records. Figures by group are counted for
the page of groups shown only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When

from acompana.delivery.models import LOG_FIGURES, Attendance, FidelityItem, SessionLog, Suggestion
from acompana.planning.models import Status
from acompana.policy import (
    Actor,
    sees_whole_program,
    visible_groups,
    visible_sessions,
    visible_suggestions,
)
from acompana.programs.models import Role
from acompana.reports.models import ProgramDay
from acompana.reports.services import DAY_COLUMNS, SESSION_COLUMNS


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
class Overview:
    """The actor's scope in a period, whole: totals, the supervisors' track and the trend."""

    period: Period
    totals: GroupFigures
    supervisors_track: dict[str, int]
    sessions_by_month: dict[dt.date, dict[str, int]]
    monthly_attendance: list[tuple[dt.date, float]]
    open_suggestions: int


@dataclass(frozen=True)
class Dashboard(Overview):
    """The overview with the figures of a page of groups (of every group when no page was
    asked for)."""

    groups: list[GroupFigures] = field(default_factory=list)
    page: Page | None = None


GROUPS_PER_PAGE = 50


def overview(*, actor: Actor, period: Period, group: str = "") -> Overview:
    """Sums by day over the whole scope: the program's day rows for a coordinator, a few
    hundred rows whatever the number of groups; a supervisor's groups' own records."""
    if sees_whole_program(actor) and not group:
        totals, track, by_month, by_day = _from_program_days(actor.person.program_id, period)
    else:
        totals, track, by_month, by_day = _from_records(actor, period, group)
    open_suggestions = visible_suggestions(actor).exclude(
        status__in=[Suggestion.Status.ADOPTED, Suggestion.Status.NOT_ADOPTED]).count()
    return Overview(period=period, totals=totals, supervisors_track=dict(track),
                    sessions_by_month={month: dict(counts) for month, counts
                                       in sorted(by_month.items())},
                    monthly_attendance=_by_month(by_day), open_suggestions=open_suggestions)


Sums = tuple[GroupFigures, dict[str, int], dict[dt.date, dict[str, int]], list[dict]]


def _from_program_days(program_id: int, period: Period) -> Sums:
    by_day = list(ProgramDay.objects.filter(program_id=program_id, date__range=(
        period.start, period.end)).values("date", *DAY_COLUMNS))
    sessions = ((row["date"], status, "group" if of_groups else "track", row[column])
                for row in by_day for (of_groups, status), column in SESSION_COLUMNS.items()
                if row[column])
    return _sums(sessions, by_day)


def _from_records(actor: Actor, period: Period, group: str) -> Sums:
    scope = _scope(actor, group)
    groups = _as_ids(list(scope.values_list("pk", flat=True)[:SHORT + 1]), scope)
    in_period = {"date__range": (period.start, period.end)}
    sessions = visible_sessions(actor).filter(**in_period)
    if group:
        sessions = sessions.filter(group__in=groups)
    # A supervisor also sees the sessions she facilitates for other groups: in the trend only.
    kind = Case(When(group__isnull=True, then=Value("track")),
                When(group__in=groups, then=Value("group")), default=Value("other"))
    sessions = (
        (row["date"], row["status"], row["kind"], row["n"])
        for row in (sessions.annotate(kind=kind).values("date", "status", "kind")
                    .annotate(n=Count("id")).order_by()))
    by_day = list(SessionLog.objects.filter(group__in=groups, **in_period).values("date")
                  .annotate(**LOG_SUMS).order_by())
    return _sums(sessions, by_day)


def _sums(sessions, by_day: list[dict]) -> Sums:
    """Totals, the supervisors' track and sessions by month from (date, status, kind, count)
    rows of sessions, kind being 'group', 'track' or 'other' (in the trend only), and the
    logs' figures summed by day."""
    totals = GroupFigures(code="", name="")
    track: dict[str, int] = defaultdict(int)
    by_month: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for date, status, kind, count in sessions:
        by_month[date.replace(day=1)][status] += count
        if kind == "track":
            track[status] += count
        elif kind == "group":
            _add_sessions(totals, status, count)
    for row in by_day:
        _add_logs(totals, row)
    return totals, track, by_month, by_day


def dashboard(*, actor: Actor, period: Period, group: str = "", page: int | str | None = None
              ) -> Dashboard:
    """The overview, and each group's figures for the page of groups asked for (all of them
    when `page` is None): a program of 10,000 groups costs the same page as one of nine."""
    scope = _scope(actor, group)
    shown = scope.order_by("code").values_list("pk", "code", "name")
    listed = None
    if page is not None:
        listed = Paginator(shown, GROUPS_PER_PAGE).get_page(page)
        shown = listed.object_list
    figures = {pk: GroupFigures(code=code, name=name) for pk, code, name in shown}
    in_period = {"date__range": (period.start, period.end)}
    ids = _as_ids(list(figures), scope)
    for group_id, planned, held, missed in _plain_rows(
            visible_sessions(actor).filter(group__in=ids, **in_period).values("group_id")
            .annotate(planned=Count("id"), held=Count("id", filter=Q(status=Status.HELD)),
                      missed=Count("id", filter=Q(status=Status.MISSED)))
            .values_list("group_id", "planned", "held", "missed").order_by()):
        target = figures[group_id]
        target.planned, target.held, target.missed = planned, held, missed
    for group_id, *sums in _plain_rows(SessionLog.objects.filter(group__in=ids, **in_period)
                                       .values("group_id").annotate(**LOG_SUMS)
                                       .values_list("group_id", *LOG_SUMS).order_by()):
        _add_logs(figures[group_id], dict(zip(LOG_SUMS, sums, strict=True)))
    whole = overview(actor=actor, period=period, group=group)
    return Dashboard(**vars(whole), groups=list(figures.values()), page=listed)


def _plain_rows(rows: QuerySet) -> list[tuple]:
    """A query of ids and counts run as the database answers it: for a program's 10,000 groups
    the ORM's conversion of each value to int (already ints) costs more than the query."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # no group to count (say, a group outside the actor's scope)
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _scope(actor: Actor, group: str):
    groups = visible_groups(actor)
    return groups.filter(code=group) if group else groups


def _add_sessions(figures: GroupFigures, status: str, count: int) -> None:
    figures.planned += count
    if status == Status.HELD:
        figures.held += count
    elif status == Status.MISSED:
        figures.missed += count


def _add_logs(figures: GroupFigures, row: dict) -> None:
    """Add a row of sums of the logs' figures (named as SessionLog's)."""
    figures.present += row["attendance_present"]
    figures.marked += row["attendance_marked"]
    for status, column in FIDELITY_COLUMNS:
        if row[column]:
            figures.fidelity[status] = figures.fidelity.get(status, 0) + row[column]
    figures.feedback_sum += row["feedback_weighted"]
    figures.feedback_count += row["feedback_answers"]


def _as_ids(ids: list[int], groups):
    """A few groups (a page, a supervisor's) by their ids, so the database looks them up in the
    group indexes; many (a whole program's) as the query that lists them."""
    return ids if len(ids) <= SHORT else groups.values("pk")


SHORT = 500  # groups, at most, named one by one in a query


LOG_SUMS = {name: Sum(name) for name in LOG_FIGURES}
FIDELITY_COLUMNS = tuple((status, f"fidelity_{status}") for status in FidelityItem.Status.values)


def _by_month(by_day: list[dict]) -> list[tuple[dt.date, float]]:
    """The attendance rate per month from the logs' sums by day: summed by day in SQL, by
    month here, with no month function (SQLite would call one in Python for every log)."""
    months: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for row in by_day:
        month = months[row["date"].replace(day=1)]
        month[0] += row["attendance_present"]
        month[1] += row["attendance_marked"]
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
    paper: str = "a4"  # the program's paper (acompana.programs.models.Program.paper)


def month_period(month: dt.date) -> Period:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return Period(start=first, end=following - dt.timedelta(days=1))


def monthly_report(*, actor: Actor, month: dt.date) -> MonthlyReport:
    """The month's sessions, attendance, fidelity, feedback and open suggestions in the actor's
    scope, every group's figures, and the twelve months up to it for the trend."""
    period = month_period(month)
    eleven_back = period.start.year * 12 + period.start.month - 1 - 11
    year = Period(start=dt.date(eleven_back // 12, eleven_back % 12 + 1, 1), end=period.end)
    trend = overview(actor=actor, period=year)
    open_suggestions = list(visible_suggestions(actor).filter(received_on__lte=period.end)
                            .exclude(status__in=[Suggestion.Status.ADOPTED,
                                                 Suggestion.Status.NOT_ADOPTED])
                            .order_by("received_on", "id"))
    person = actor.person
    return MonthlyReport(
        month=period.start, program=person.program.name if person else "",
        supervisor=person.name if person and person.role == Role.SUPERVISOR else "",
        board=dashboard(actor=actor, period=period),
        sessions_by_month=trend.sessions_by_month,
        attendance_by_month=trend.monthly_attendance, open_suggestions=open_suggestions,
        paper=person.program.paper if person else "a4")
