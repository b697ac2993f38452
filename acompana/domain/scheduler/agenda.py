"""The agenda: every meeting to schedule, its possible days, and what must come before what.

A meeting is one group's wellbeing session, or one cohort's supervisors' session (all its
supervisors together). Re-planning keeps what was held or is in the past as fixed meetings
and gives missed sessions a make-up window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from acompana.domain.scheduler.calendar import WorkCalendar, minutes, month_end, usual_date
from acompana.domain.scheduler.plan import HELD, MISSED, Miss, PlannedSession, supervisor_row_id
from acompana.domain.scheduler.problem import (
    SUPERVISORS,
    WELLBEING,
    Group,
    PlanningProblem,
    SessionSpec,
)
from acompana.domain.scheduler.program import ProgramError

ORDER = "order"
TRAIN_THE_TRAINER = "train_the_trainer"


@dataclass(frozen=True)
class Cohort:
    """Supervisors who take the supervisors' track together, led by one facilitator."""

    id: str
    supervisors: tuple[str, ...]
    facilitator: str


@dataclass(frozen=True)
class Meeting:
    id: str  # "g01:bienestar-03" or "c01:supervisores-02"
    track: str  # wellbeing | supervisors
    session: SessionSpec
    group: str | None
    cohort: str | None
    people: tuple[str, ...]  # always there: the group's supervisor, or the cohort and its leader
    facilitators: tuple[str, ...]  # exactly one of them co-facilitates (the solver chooses)
    community: str
    start: int  # minutes after midnight
    minutes: int
    days: tuple[int, ...]  # possible days (date ordinals): working days of its window
    window: tuple[dt.date, dt.date]  # the span the days come from (for explanations)
    usual: int  # the usual meeting day (ordinal)
    fixed: bool = False  # held, in the past, or decided by an earlier stage
    previous: tuple[int, str] | None = None  # (day, facilitator) in the plan being revised
    history: tuple[Miss, ...] = ()

    @property
    def end(self) -> int:
        return self.start + self.minutes

    @property
    def makeup(self) -> bool:
        """A missed session that gets a new date."""
        return bool(self.history) and not self.fixed


@dataclass(frozen=True)
class Precedence:
    """`after` is at least `days` days after `before` (a prerequisite)."""

    before: str
    after: str
    days: int
    kind: str  # ORDER (the track's order) | TRAIN_THE_TRAINER


@dataclass(frozen=True)
class Agenda:
    meetings: tuple[Meeting, ...]
    precedences: tuple[Precedence, ...]
    follows: dict[str, str]  # meeting -> the previous meeting of its group's or cohort's track
    cohorts: tuple[Cohort, ...]
    dropped: tuple[PlannedSession, ...] = ()  # missed and not made up: kept in the plan as is

    def by_id(self) -> dict[str, Meeting]:
        return {m.id: m for m in self.meetings}


def clash(problem: PlanningProblem, a: Meeting, b: Meeting) -> bool:
    """Whether one person cannot attend both meetings on one day (travel between them counted)."""
    travel = problem.travel(a.community, b.community)
    return not (a.end + travel <= b.start or b.end + travel <= a.start)


def form_cohorts(problem: PlanningProblem) -> tuple[Cohort, ...]:
    """Split the supervisors into as few cohorts as the size allows, of even sizes.

    Supervisors who share groups or facilitators are kept together, so a large program
    splits into cohorts that can be planned independently.
    """
    order = _people_components(problem)
    supervisors = sorted(problem.supervisors, key=lambda p: (order.get(p, len(order)), p))
    rule = problem.cohort_rule
    count = max(1, -(-len(supervisors) // rule.cohort_size))
    cohorts, begin = [], 0
    for index in range(count):
        size = len(supervisors) // count + (1 if index < len(supervisors) % count else 0)
        cohorts.append(Cohort(id=f"c{index + 1:02d}",
                              supervisors=tuple(sorted(supervisors[begin:begin + size])),
                              facilitator=rule.facilitators[index % len(rule.facilitators)]))
        begin += size
    return tuple(cohorts)


def _people_components(problem: PlanningProblem) -> dict[str, int]:
    """Number the groups of people linked by working with the same groups, in group order."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for group in problem.groups:
        for person in [s.person for s in group.supervisions] + list(group.facilitators):
            parent[root(person)] = root(f"group:{group.id}")
    numbers: dict[str, int] = {}
    for group in problem.groups:
        numbers.setdefault(root(f"group:{group.id}"), len(numbers))
    return {node: numbers[root(node)] for node in list(parent) if not node.startswith("group:")}


def build_agenda(problem: PlanningProblem) -> Agenda:
    """Every meeting of the period with its possible days, fixed or to decide."""
    builder = _AgendaBuilder(problem)
    return builder.build()


class _AgendaBuilder:
    def __init__(self, problem: PlanningProblem):
        self.problem = problem
        self.calendar = WorkCalendar(problem)
        self.cohorts = form_cohorts(problem)
        self.cohort_of = {s: c for c in self.cohorts for s in c.supervisors}
        self.previous = problem.previous.by_id() if problem.previous else {}
        self.as_of = problem.as_of or problem.period_start
        self.meetings: dict[str, Meeting] = {}
        self.sequences: list[list[str]] = []  # each group's / cohort's meetings in track order
        self.dropped: list[PlannedSession] = []
        self.working_days: dict[tuple[dt.date, dt.date], tuple[int, ...]] = {}

    def build(self) -> Agenda:
        for group in self.problem.groups:
            self._sequence(WELLBEING, group, self._wellbeing_meeting)
        for cohort in self.cohorts:
            self._sequence(SUPERVISORS, cohort, self._cohort_meeting)
        self._make_up_windows()
        follows = {later: earlier for sequence in self.sequences
                   for earlier, later in zip(sequence, sequence[1:], strict=False)}
        return Agenda(meetings=tuple(self.meetings.values()),
                      precedences=tuple(self._precedences()), follows=follows,
                      cohorts=self.cohorts, dropped=tuple(self.dropped))

    def _sequence(self, track: str, owner: Group | Cohort, make) -> None:
        """One meeting per month of the period for each session of the track, in order."""
        sequence = []
        for month, session in zip(self.problem.months, self.problem.track_sessions(track),
                                  strict=False):
            meeting = make(owner, session, month)
            if meeting is not None:
                self.meetings[meeting.id] = meeting
                sequence.append(meeting.id)
        self.sequences.append(sequence)

    def _wellbeing_meeting(self, group: Group, session: SessionSpec,
                           month: tuple[int, int]) -> Meeting | None:
        usual = usual_date(group.meeting, *month)
        supervisor = self.problem.supervisor_of(group, usual)
        if supervisor is None:
            raise ProgramError([f"groups ({group.id}), field 'supervisors': nobody supervises "
                                f"the group on {usual}, the usual date of {session.id}."])
        meeting = Meeting(
            id=f"{group.id}:{session.id}", track=WELLBEING, session=session, group=group.id,
            cohort=None, people=(supervisor,), facilitators=group.facilitators,
            community=group.community, start=minutes(group.meeting.start),
            minutes=session.duration_minutes, days=(), window=(usual, usual),
            usual=usual.toordinal())
        return self._revise(meeting, month, [self.previous.get(meeting.id)])

    def _cohort_meeting(self, cohort: Cohort, session: SessionSpec,
                        month: tuple[int, int]) -> Meeting | None:
        rule = self.problem.cohort_rule
        usual = usual_date(rule.meeting, *month)
        meeting = Meeting(
            id=f"{cohort.id}:{session.id}", track=SUPERVISORS, session=session, group=None,
            cohort=cohort.id, people=cohort.supervisors, facilitators=(cohort.facilitator,),
            community=rule.community, start=minutes(rule.meeting.start),
            minutes=session.duration_minutes, days=(), window=(usual, usual),
            usual=usual.toordinal())
        rows = [self.previous.get(supervisor_row_id(s, session.id)) for s in cohort.supervisors]
        return self._revise(meeting, month, rows)

    def _revise(self, meeting: Meeting, month: tuple[int, int],
                rows: list[PlannedSession | None]) -> Meeting | None:
        """Place a meeting given its rows in the plan being revised (none when planning anew)."""
        rows = [row for row in rows if row is not None]
        if len({(r.status, r.date, r.dropped) for r in rows}) > 1:
            raise ProgramError([f"plan being revised, sessions {', '.join(r.id for r in rows)}: "
                                "rows of one supervisors' meeting disagree on date or status; a "
                                "supervisors' session is one meeting of its cohort."])
        row = rows[0] if rows else None
        first, last = dt.date(*month, 1), month_end(*month)
        if row is None:
            return self._with_window(meeting, max(first, self.as_of), last)
        if row.status == MISSED and row.dropped:
            self.dropped.extend(rows)
            return None
        fixed = row.status == HELD or (row.status != MISSED and row.date < self.as_of)
        if fixed:
            day = row.date.toordinal()
            people = meeting.people if meeting.track == SUPERVISORS else (row.supervisor,)
            return replace(meeting, fixed=True, days=(day,), window=(row.date, row.date),
                            facilitators=(row.facilitator,), people=people,
                            start=minutes(row.start), history=row.history)
        if row.status == MISSED:
            # Its window is set once the next meeting's is known (_make_up_windows).
            history = (*row.history, Miss(row.date, row.reason))
            return replace(meeting, history=history, window=(row.date, row.date))
        # A future planned session may stay where it was, even outside its usual month.
        first, last = min(first, dt.date(row.date.year, row.date.month, 1)), max(
            last, month_end(row.date.year, row.date.month))
        revised = replace(meeting, previous=(row.date.toordinal(), row.facilitator))
        return self._with_window(revised, max(first, self.as_of), last)

    def _with_window(self, meeting: Meeting, first: dt.date, last: dt.date) -> Meeting:
        if (first, last) not in self.working_days:  # many meetings share a month
            self.working_days[(first, last)] = tuple(
                day.toordinal() for day in _span(first, last)
                if self.calendar.is_working_day(day))
        return replace(meeting, days=self.working_days[(first, last)], window=(first, last))

    def _make_up_windows(self) -> None:
        """A missed session is made up after it was missed and before the next one's window ends."""
        for sequence in self.sequences:
            for index, meeting_id in enumerate(sequence):
                meeting = self.meetings[meeting_id]
                if not meeting.makeup:
                    continue
                later = [self.meetings[m] for m in sequence[index + 1:]]
                upcoming = next((m for m in later if not m.fixed and m.days), None)
                last = (dt.date.fromordinal(upcoming.days[-1]) if upcoming
                        else self.problem.period_end)
                first = max(self.as_of, meeting.history[-1].date + dt.timedelta(days=1))
                self.meetings[meeting_id] = self._with_window(meeting, first, last)

    def _precedences(self) -> list[Precedence]:
        """Prerequisites as precedences; what is done is done, so none ends at a fixed meeting."""
        precedences = []
        for meeting in self.meetings.values():
            if meeting.fixed:
                continue
            for prerequisite in meeting.session.prerequisites:
                before, days, kind = self._prerequisite_meeting(meeting, prerequisite)
                if before in self.meetings:
                    precedences.append(Precedence(before=before, after=meeting.id, days=days,
                                                  kind=kind))
        return precedences

    def _prerequisite_meeting(self, meeting: Meeting, prerequisite: str) -> tuple[str, int, str]:
        session = self.problem.session_by_id[prerequisite]
        kind = self.problem.kind_of(session)
        if meeting.track == WELLBEING and kind == SUPERVISORS:
            cohort = self.cohort_of[meeting.people[0]]
            return (f"{cohort.id}:{prerequisite}", self.problem.train_the_trainer_days,
                    TRAIN_THE_TRAINER)
        owner = meeting.group if meeting.track == WELLBEING else meeting.cohort
        return f"{owner}:{prerequisite}", 1, ORDER


def _span(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
