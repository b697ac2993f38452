"""The work plan as a CP-SAT model, built in small named steps (one function per rule).

Variables: for each meeting, one yes/no per possible day (`on_day`) and, where a group has
several co-facilitators, one yes/no per facilitator (`led_by`). Each rule below is one function
whose first comment says what it means for the program. When explaining an infeasible plan,
every rule is switched on by a named requirement literal (an assumption), so the solver can
say which requirements conflict.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from acompana.domain.scheduler.agenda import ORDER, TRAIN_THE_TRAINER, Agenda, Meeting, clash
from acompana.domain.scheduler.calendar import WorkCalendar
from acompana.domain.scheduler.problem import PlanningProblem

# What a good plan looks like: the objective's terms and their weights, in one place.
WEIGHTS = {
    # per day a session sits away from its group's (or cohort's) usual meeting day
    "days_from_usual_meeting": 4,
    # per day two consecutive sessions of a group are closer or further apart than about a
    # month (MONTH_GAP)
    "days_outside_a_month_apart": 2,
    # per session a co-facilitator has above or below her fair share
    "facilitator_load_imbalance": 2,
}
# Re-planning first changes as few future sessions as possible (moved_sessions), then WEIGHTS.
MONTH_GAP = (21, 42)  # "about a month": from three to six weeks between consecutive sessions


@dataclass(frozen=True)
class Requirement:
    """A named group of constraints that an explanation can point at."""

    kind: str  # window | fixed | order | train_the_trainer | unavailable | one_place | daily_limit
    subject: tuple[str, ...]


@dataclass
class PlanModel:
    problem: PlanningProblem
    agenda: Agenda
    explain: bool = False
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    on_day: dict[str, dict[int, cp_model.IntVar]] = field(default_factory=dict)
    date: dict[str, cp_model.IntVar] = field(default_factory=dict)
    led_by: dict[str, dict[str, cp_model.IntVar]] = field(default_factory=dict)
    requirements: dict[int, Requirement] = field(default_factory=dict)  # by literal index
    terms: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    moved: cp_model.LinearExprT | None = None

    def __post_init__(self):
        self.meetings = self.agenda.by_id()
        self.calendar = WorkCalendar(self.problem)
        self._literals: dict[Requirement, cp_model.IntVar] = {}

    def requirement(self, kind: str, *subject: str) -> list[cp_model.IntVar]:
        """The enforcement literal of a named requirement; none unless explaining."""
        if not self.explain:
            return []
        key = Requirement(kind, subject)
        if key not in self._literals:
            literal = self.model.new_bool_var(f"{kind}:{'/'.join(subject)}")
            self._literals[key] = literal
            self.requirements[literal.index] = key
            self.model.add_assumption(literal)
        return [self._literals[key]]

    def weighted_objective(self) -> cp_model.LinearExprT:
        return sum(WEIGHTS[name] * term for name, term in self.terms.items())

    def certain(self, meeting: Meeting) -> tuple[str, ...]:
        """People sure to be at the meeting: its supervisor(s), and its facilitator if only one."""
        return meeting.people + (meeting.facilitators if len(meeting.facilitators) == 1 else ())


def build_model(problem: PlanningProblem, agenda: Agenda, *, explain: bool = False) -> PlanModel:
    plan = PlanModel(problem=problem, agenda=agenda, explain=explain)
    add_one_day_per_session(plan)
    add_one_co_facilitator_per_session(plan)
    add_track_order(plan)
    add_train_the_trainer(plan)
    add_unavailability(plan)
    attendance = _attendance(plan)
    add_one_place_at_a_time(plan, attendance)
    add_daily_limit(plan, attendance)
    if not explain:
        plan.terms = {
            "days_from_usual_meeting": days_from_usual_meeting(plan),
            "days_outside_a_month_apart": days_outside_a_month_apart(plan),
            "facilitator_load_imbalance": facilitator_load_imbalance(plan),
        }
        if any(m.previous for m in agenda.meetings):
            plan.moved = moved_sessions(plan)
    return plan


def add_one_day_per_session(plan: PlanModel) -> None:
    # Each session is held once, on a working day of its month (or of its make-up window).
    model, origin = plan.model, plan.problem.period_start.toordinal()
    for meeting in plan.agenda.meetings:
        days = {day: model.new_bool_var(f"{meeting.id}@{day}") for day in meeting.days}
        plan.on_day[meeting.id] = days
        model.add_at_most_one(days.values())
        held = plan.requirement("fixed" if meeting.fixed else "window", meeting.id)
        model.add_bool_or(days.values()).only_enforce_if(held)
        date = model.new_int_var_from_domain(
            cp_model.Domain.from_values([day - origin for day in meeting.days]),
            f"date:{meeting.id}")
        model.add(date == sum((day - origin) * x for day, x in days.items())
                  ).only_enforce_if(held)
        plan.date[meeting.id] = date


def add_one_co_facilitator_per_session(plan: PlanModel) -> None:
    # One of the group's facilitators co-facilitates each wellbeing session.
    for meeting in plan.agenda.meetings:
        if len(meeting.facilitators) > 1:
            chosen = {person: plan.model.new_bool_var(f"{meeting.id}/{person}")
                      for person in meeting.facilitators}
            plan.model.add_exactly_one(chosen.values())
            plan.led_by[meeting.id] = chosen


def add_track_order(plan: PlanModel) -> None:
    # A group (or cohort) takes its sessions in the track's order, one after the other.
    _add_precedences(plan, ORDER)


def add_train_the_trainer(plan: PlanModel) -> None:
    # A supervisor has the supervisors' session that prepares a wellbeing session at least
    # N days before she facilitates it with her groups.
    _add_precedences(plan, TRAIN_THE_TRAINER)


def _add_precedences(plan: PlanModel, kind: str) -> None:
    for precedence in plan.agenda.precedences:
        before, after = plan.meetings[precedence.before], plan.meetings[precedence.after]
        if precedence.kind != kind or before.days[-1] + precedence.days <= after.days[0]:
            continue  # always true on these windows
        plan.model.add(plan.date[after.id] >= plan.date[before.id] + precedence.days
                       ).only_enforce_if(plan.requirement(kind, before.id, after.id))


def add_unavailability(plan: PlanModel) -> None:
    # Nobody is booked on a day she said she cannot come (vacations, training, leave).
    for meeting in plan.agenda.meetings:
        if meeting.fixed:
            continue
        for day, on_day in plan.on_day[meeting.id].items():
            date = dt.date.fromordinal(day)
            for person in plan.certain(meeting):
                if plan.calendar.unavailable(person, date) is not None:
                    plan.model.add_bool_or([on_day.Not()]).only_enforce_if(
                        plan.requirement("unavailable", person))
            for person, chosen in plan.led_by.get(meeting.id, {}).items():
                if plan.calendar.unavailable(person, date) is not None:
                    plan.model.add_bool_or([on_day.Not(), chosen.Not()]).only_enforce_if(
                        plan.requirement("unavailable", person))


Attendance = dict[tuple[str, int], list[tuple[Meeting, cp_model.IntVar]]]


def _attendance(plan: PlanModel) -> Attendance:
    """For each person and day with two or more possible meetings: (meeting, 'she is there')."""
    candidates: dict[tuple[str, int], list[Meeting]] = defaultdict(list)
    for meeting in plan.agenda.meetings:
        for day in meeting.days:
            for person in dict.fromkeys(meeting.people + meeting.facilitators):
                candidates[(person, day)].append(meeting)
    attendance: Attendance = {}
    for (person, day), meetings in candidates.items():
        if len(meetings) < 2 or all(m.fixed for m in meetings):
            continue
        attendance[(person, day)] = [(m, _presence(plan, m, person, day)) for m in meetings]
    return attendance


def _presence(plan: PlanModel, meeting: Meeting, person: str, day: int) -> cp_model.IntVar:
    on_day = plan.on_day[meeting.id][day]
    chosen = plan.led_by.get(meeting.id, {}).get(person)
    if chosen is None:
        return on_day
    there = plan.model.new_bool_var(f"{person}@{meeting.id}@{day}")
    plan.model.add_bool_or([on_day.Not(), chosen.Not(), there])  # held that day and chosen
    return there


def add_one_place_at_a_time(plan: PlanModel, attendance: Attendance) -> None:
    # Nobody is in two places at once: two sessions of one person on one day leave her the
    # travel time between their communities.
    for (person, _day), present in attendance.items():
        for clique in _clash_cliques(plan.problem, [m for m, _ in present]):
            plan.model.add_at_most_one(present[k][1] for k in clique).only_enforce_if(
                plan.requirement("one_place", person))


def _clash_cliques(problem: PlanningProblem, meetings: list[Meeting]) -> list[list[int]]:
    """Cover every clashing pair (not both fixed) with sets of mutually clashing meetings."""
    pairs = {(i, j) for i, a in enumerate(meetings) for j, b in enumerate(meetings)
             if i < j and not (a.fixed and b.fixed) and clash(problem, a, b)}
    cliques = []
    while pairs:
        clique = list(min(pairs))
        for k in range(len(meetings)):
            if k not in clique and all(clash(problem, meetings[k], meetings[m]) for m in clique):
                clique.append(k)
        pairs -= {(a, b) for a in clique for b in clique if a < b}
        cliques.append(clique)
    return cliques


def add_daily_limit(plan: PlanModel, attendance: Attendance) -> None:
    # Nobody has more than K sessions in one day.
    limit = plan.problem.max_sessions_per_person_per_day
    for (person, _day), present in attendance.items():
        if len(present) > limit:
            plan.model.add(sum(there for _, there in present) <= limit).only_enforce_if(
                plan.requirement("daily_limit", person))


def days_from_usual_meeting(plan: PlanModel) -> cp_model.LinearExprT:
    """Days each session sits away from its usual meeting day (the community's habit)."""
    return sum(abs(day - meeting.usual) * x
               for meeting in plan.agenda.meetings if not meeting.fixed
               for day, x in plan.on_day[meeting.id].items())


def days_outside_a_month_apart(plan: PlanModel) -> cp_model.LinearExprT:
    """Days by which consecutive sessions of a group (or cohort) are closer than three weeks
    or further apart than six."""
    shortest, longest = MONTH_GAP
    deviations = []
    for later_id, earlier_id in plan.agenda.follows.items():
        later, earlier = plan.meetings.get(later_id), plan.meetings.get(earlier_id)
        if later is None or earlier is None or (later.fixed and earlier.fixed):
            continue
        gaps = (later.days[0] - earlier.days[-1], later.days[-1] - earlier.days[0])
        if shortest <= gaps[0] and gaps[1] <= longest:
            continue  # always about a month on these windows
        gap = plan.date[later_id] - plan.date[earlier_id]
        deviation = plan.model.new_int_var(
            0, max(shortest - gaps[0], gaps[1] - longest, 0), f"spacing:{later_id}")
        plan.model.add(deviation >= shortest - gap)
        plan.model.add(deviation >= gap - longest)
        deviations.append(deviation)
    return sum(deviations)


def facilitator_load_imbalance(plan: PlanModel) -> cp_model.LinearExprT:
    """Sessions each co-facilitator has above or below her fair share of her groups' sessions."""
    share: dict[str, float] = defaultdict(float)
    load: dict[str, list] = defaultdict(list)
    for meeting in plan.agenda.meetings:
        options = plan.led_by.get(meeting.id)
        if options is None:  # one possible facilitator, or already held
            load[meeting.facilitators[0]].append(1)
            share[meeting.facilitators[0]] += 1
            continue
        for person, chosen in options.items():
            load[person].append(chosen)
            share[person] += 1 / len(options)
    deviations = []
    for person, assigned in load.items():
        if all(isinstance(a, int) for a in assigned):
            continue  # nothing to choose
        target = round(share[person])
        deviation = plan.model.new_int_var(0, len(assigned), f"imbalance:{person}")
        plan.model.add(deviation >= sum(assigned) - target)
        plan.model.add(deviation >= target - sum(assigned))
        deviations.append(deviation)
    return sum(deviations)


def moved_sessions(plan: PlanModel) -> cp_model.LinearExprT:
    """Future sessions whose date or co-facilitator differs from the plan being revised."""
    moved = []
    for meeting in plan.agenda.meetings:
        if meeting.fixed or meeting.previous is None:
            continue
        day, facilitator = meeting.previous
        on_day = plan.on_day[meeting.id].get(day)
        if on_day is None or facilitator not in meeting.facilitators:
            moved.append(1)
            continue
        kept = plan.model.new_bool_var(f"kept:{meeting.id}")
        plan.model.add_implication(kept, on_day)
        chosen = plan.led_by.get(meeting.id, {}).get(facilitator)
        if chosen is not None:
            plan.model.add_implication(kept, chosen)
        moved.append(1 - kept)
    return sum(moved)


def assignment(plan: PlanModel, solver: cp_model.CpSolver) -> dict[str, tuple[int, str]]:
    """The solution as meeting -> (day ordinal, co-facilitator)."""
    chosen = {}
    for meeting in plan.agenda.meetings:
        day = next(d for d, x in plan.on_day[meeting.id].items() if solver.boolean_value(x))
        options = plan.led_by.get(meeting.id)
        facilitator = (next(p for p, x in options.items() if solver.boolean_value(x))
                       if options else meeting.facilitators[0])
        chosen[meeting.id] = (day, facilitator)
    return chosen


def hint(plan: PlanModel, chosen: dict[str, tuple[int, str]]) -> None:
    """Start the search from a known plan (the previous one, or an earlier phase's)."""
    plan.model.clear_hints()
    for meeting_id, (day, facilitator) in chosen.items():
        for option, x in plan.on_day.get(meeting_id, {}).items():
            plan.model.add_hint(x, option == day)
        for person, x in plan.led_by.get(meeting_id, {}).items():
            plan.model.add_hint(x, person == facilitator)


def fix(plan: PlanModel, chosen: dict[str, tuple[int, str]]) -> None:
    """Hold meetings to a known plan's days and co-facilitators, as constraints (for a solve
    that must not carry hints)."""
    for meeting_id, (day, facilitator) in chosen.items():
        on_day = plan.on_day.get(meeting_id, {}).get(day)
        if on_day is not None:
            plan.model.add(on_day == 1)
        led_by = plan.led_by.get(meeting_id, {}).get(facilitator)
        if led_by is not None:
            plan.model.add(led_by == 1)
