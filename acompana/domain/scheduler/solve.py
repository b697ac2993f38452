"""Solve the work plan and assemble plan rows: the scheduler's entry points.

A program the size of CES is one model, solved to proven optimality. A large one is planned
in two stages: first the supervisors' cohorts' calendar, then each set of groups that share
people (supervisors, facilitators), each on its own, with the cohorts' dates fixed. Re-planning
first minimises the number of future sessions that change, then the usual objective.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from acompana.domain.child_process import ChildDied, run_in_child
from acompana.domain.scheduler.agenda import Agenda, Meeting, build_agenda
from acompana.domain.scheduler.calendar import clock
from acompana.domain.scheduler.explain import (
    Explanation,
    calendar_conflicts,
    crashed,
    explain_infeasible,
    not_found_in_time,
)
from acompana.domain.scheduler.first_fit import first_fit
from acompana.domain.scheduler.model import (
    WEIGHTS,
    PlanModel,
    assignment,
    build_model,
    fix,
    hint,
)
from acompana.domain.scheduler.plan import (
    HELD,
    MISSED,
    PLANNED,
    Incident,
    Move,
    Plan,
    PlannedSession,
    SolverSummary,
    supervisor_row_id,
)
from acompana.domain.scheduler.problem import SUPERVISORS, WELLBEING, PlanningProblem, SessionSpec
from acompana.domain.scheduler.program import problem_from_program

# Meetings to decide in one model, solved to proven optimality by one worker (deterministic:
# the same plan every run, and at this size the fastest proof); above it, plan in stages.
JOINT_LIMIT = 150
NEAREST_DAYS = 8  # in stages, a session first tries the working days nearest its usual date
# A part's least time: a small part (the cohorts' calendar) on a busy machine needs a few
# seconds of wall time to build its model and take even the first-fit plan.
MIN_PART_SECONDS = 3.0
REPORT_SECONDS = 0.5  # how often a solve in progress tells its parent the best plan so far
Chosen = dict[str, tuple[int, str]]  # meeting -> (day ordinal, co-facilitator)


@dataclass(frozen=True)
class Outcome:
    """A plan, or why there is none."""

    problem: PlanningProblem
    status: str  # OPTIMAL | FEASIBLE | INFEASIBLE | UNKNOWN | CRASHED
    plan: Plan | None = None
    explanation: Explanation | None = None
    incidents: tuple[Incident, ...] = ()  # solver processes that died, and what was done


def plan_program(program: dict, sessions: Iterable[SessionSpec], *, previous: Plan | None = None,
                 as_of: dt.date | None = None, time_limit: float = 30.0, workers: int = 2,
                 source: str = "program.yaml") -> Outcome:
    """Plan (or re-plan from `previous`) a program file's mapping over its curriculum sessions.

    Raises ProgramError (naming `source`) when the program cannot be read as a problem.
    """
    problem = problem_from_program(program, sessions, source=source)
    if previous is not None:
        problem = replace(problem, previous=previous, as_of=as_of or default_as_of(previous))
    return schedule(problem, time_limit=time_limit, workers=workers)


def default_as_of(previous: Plan) -> dt.date:
    """Re-plan from the day after the last session marked held or missed."""
    marked = [s.date for s in previous.sessions if s.status in (HELD, MISSED)]
    return max(marked) + dt.timedelta(days=1) if marked else previous.period_start


@dataclass(frozen=True)
class _Solved:
    chosen: Chosen
    optimal: bool
    objective: int
    bound: int
    moved: int
    terms: dict[str, int]


def schedule(problem: PlanningProblem, *, time_limit: float = 30.0,
             workers: int = 2) -> Outcome:
    """Solve a planning problem into a plan, or explain why none exists."""
    started = time.monotonic()
    agenda = build_agenda(problem)
    impossible = calendar_conflicts(problem, agenda)
    if impossible:
        return Outcome(problem=problem, status="INFEASIBLE", explanation=impossible)
    open_ids = [m.id for m in agenda.meetings if not m.fixed]
    stages = [[set(open_ids)]] if len(open_ids) <= JOINT_LIMIT else _stages(agenda)
    chosen: Chosen = {}
    results: list[_Solved] = []
    incidents: list[Incident] = []
    staged = len(stages) > 1
    remaining = sum(len(part) for stage in stages for part in stage)
    parts = sum(len(stage) for stage in stages)
    for part_ids in (part_ids for stage in stages for part_ids in stage):
        left = time_limit - (time.monotonic() - started)
        budget = max(MIN_PART_SECONDS, left * len(part_ids) / max(remaining, 1))
        remaining -= len(part_ids)
        where = (len(results) + 1, parts) if staged else None
        if staged:
            solved = _solve_isolated(
                problem, _restrict(agenda, part_ids, chosen, NEAREST_DAYS), budget, workers,
                incidents=incidents, part=where, staged=True, explain=False)
            if solved is None:  # the nearest days were not enough: use whole windows
                solved = _solve_isolated(
                    problem, _restrict(agenda, part_ids, chosen, None), budget, workers,
                    incidents=incidents, part=where, staged=True)
        else:
            solved = _solve_isolated(problem, _restrict(agenda, part_ids, chosen, None),
                                     budget, 1, incidents=incidents, part=where)
        if isinstance(solved, Explanation):
            kind = solved.reasons[0].kind
            status = ("INFEASIBLE" if solved.conflict or kind not in ("time", "crash")
                      else "CRASHED" if kind == "crash" else "UNKNOWN")
            return Outcome(problem=problem, explanation=solved, status=status,
                           incidents=tuple(incidents))
        chosen.update(solved.chosen)
        results.append(solved)
    optimal = len(results) == 1 and results[0].optimal
    summary = SolverSummary(
        status="OPTIMAL" if optimal else "FEASIBLE",
        objective=sum(r.objective for r in results), bound=sum(r.bound for r in results),
        wall_seconds=round(time.monotonic() - started, 3),
        terms={name: sum(r.terms.get(name, 0) for r in results) for name in WEIGHTS},
        moved=sum(r.moved for r in results), parts=len(results), incidents=tuple(incidents))
    plan = assemble_plan(problem, agenda, chosen, summary)
    return Outcome(problem=problem, status=summary.status, plan=plan,
                   incidents=summary.incidents)


def _stages(agenda: Agenda) -> list[list[set[str]]]:
    """Stage 1: the cohorts' calendar. Stage 2: each set of groups linked by shared people."""
    cohorts = {m.id for m in agenda.meetings if not m.fixed and m.track == SUPERVISORS}
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    wellbeing = [m for m in agenda.meetings if not m.fixed and m.track == WELLBEING]
    for meeting in wellbeing:
        for person in meeting.people + meeting.facilitators:
            parent[root(person)] = root(meeting.id)
    parts: dict[str, set[str]] = {}
    for meeting in wellbeing:
        parts.setdefault(root(meeting.id), set()).add(meeting.id)
    return [[cohorts], list(parts.values())]


def _restrict(agenda: Agenda, decide: set[str], chosen: Chosen, nearest: int | None) -> Agenda:
    """The meetings to decide (on their `nearest` days to the usual date, if given) plus,
    fixed, every decided meeting sharing a person with them."""
    people = {p for m in agenda.meetings if m.id in decide for p in m.people + m.facilitators}
    meetings = []
    for meeting in agenda.meetings:
        if meeting.id in decide:
            meetings.append(_nearest_days(meeting, nearest) if nearest else meeting)
        elif (meeting.fixed or meeting.id in chosen) and people & set(
                meeting.people + meeting.facilitators):
            if not meeting.fixed:
                day, facilitator = chosen[meeting.id]
                meeting = replace(meeting, fixed=True, days=(day,), facilitators=(facilitator,))
            meetings.append(meeting)
    ids = {m.id for m in meetings}
    return Agenda(
        meetings=tuple(meetings), cohorts=agenda.cohorts,
        precedences=tuple(p for p in agenda.precedences if p.after in decide and p.before in ids),
        follows={later: earlier for later, earlier in agenda.follows.items()
                 if later in ids and earlier in ids and (later in decide or earlier in decide)})


def _nearest_days(meeting: Meeting, count: int) -> Meeting:
    """Keep the `count` working days nearest the usual date (and the previously planned one)."""
    kept = set(sorted(meeting.days, key=lambda day: (abs(day - meeting.usual), day))[:count])
    if meeting.previous and meeting.previous[0] in meeting.days:
        kept.add(meeting.previous[0])
    return replace(meeting, days=tuple(sorted(kept)))


@dataclass(frozen=True)
class Attempt:
    """How one solve is tried. After a crash: without hints (the presolve fault of OR-Tools
    9.15, issues 5288 and 5091, needs a hint to carry through presolve), with another seed,
    and last on one worker (no parallel neighbourhood searches, each with its own presolve)."""

    hints: bool = True
    seed: int = 0
    single_worker: bool = False

    def words(self) -> tuple[str, str]:
        if self.hints:
            return "", ""
        es, en = f"sin pistas, semilla {self.seed}", f"without hints, seed {self.seed}"
        if self.single_worker:
            es, en = f"{es}, un solo hilo", f"{en}, one thread"
        return es, en


ATTEMPTS = (Attempt(), Attempt(hints=False, seed=1),
            Attempt(hints=False, seed=2, single_worker=True))


def _solve_isolated(problem: PlanningProblem, agenda: Agenda, time_limit: float, workers: int,
                    *, incidents: list[Incident], part: tuple[int, int] | None,
                    staged: bool = False,
                    explain: bool = True) -> _Solved | Explanation | None:
    """`_solve_part` in a child process, retried after a crash with parameters that avoid the
    known fault; if every attempt dies, the best plan any of them reported, else an
    Explanation of kind "crash"."""
    best: list[_Solved] = []
    where_es, where_en = (f" (parte {part[0]} de {part[1]})", f" (part {part[0]} of {part[1]})"
                          ) if part else ("", "")

    def keep_best(solved: _Solved) -> None:
        if not best or solved.objective < best[0].objective:
            best[:] = [solved]

    problem = _as_part(problem, agenda)
    for number, attempt in enumerate(ATTEMPTS):
        try:
            return run_in_child(_solve_part, {
                "problem": problem, "agenda": agenda, "time_limit": time_limit,
                "workers": 1 if attempt.single_worker else workers, "staged": staged,
                "explain": explain, "hints": attempt.hints, "seed": attempt.seed},
                timeout=3 * time_limit + 10, on_progress=keep_best)
        except ChildDied as died:
            if number + 1 < len(ATTEMPTS):
                retry_es, retry_en = ATTEMPTS[number + 1].words()
                incidents.append(Incident(
                    es=f"El proceso del solver terminó de forma anormal ({died.how}){where_es}; "
                       f"se intentó otra vez ({retry_es}).",
                    en=f"The solver's process ended abnormally ({died.how}){where_en}; it was "
                       f"tried again ({retry_en})."))
            else:
                how = died.how
    if best:
        solved = best[0]
        gap = (solved.objective - solved.bound) / solved.objective if solved.objective else 0.0
        incidents.append(Incident(
            es=f"El proceso del solver terminó de forma anormal ({how}){where_es} en los "
               f"{len(ATTEMPTS)} intentos; se usa el mejor plan que encontró: factible, no "
               f"probado óptimo (brecha {gap:.1%}).",
            en=f"The solver's process ended abnormally ({how}){where_en} in all {len(ATTEMPTS)} "
               f"attempts; the best plan it found is used: feasible, not proven optimal "
               f"(gap {gap:.1%})."))
        return replace(solved, optimal=False)
    return crashed(how, len(ATTEMPTS))


def _as_part(problem: PlanningProblem, agenda: Agenda) -> PlanningProblem:
    """The problem as one part's solve needs it (the groups and communities of its meetings,
    no previous plan): a thousand-group program is sent to each part's child process small."""
    groups = {m.group for m in agenda.meetings if m.group}
    communities = {m.community for m in agenda.meetings}
    return replace(problem, groups=tuple(g for g in problem.groups if g.id in groups),
                   communities=tuple(c for c in problem.communities if c.id in communities),
                   unstaffed=(), previous=None)


def _solve_part(problem: PlanningProblem, agenda: Agenda, time_limit: float, workers: int, *,
                staged: bool = False, explain: bool = True, hints: bool = True, seed: int = 0,
                report: Callable[[_Solved], None] | None = None
                ) -> _Solved | Explanation | None:
    """Lexicographic: fewest moved sessions first (when re-planning), then the weighted terms.

    A part of a staged plan starts from a first-fit plan and skips presolve: on these models
    both find good plans much sooner (presolve costs seconds and weakens the bound), while a
    CES-size model is proven optimal faster the default way. An infeasible part is explained,
    or returns None when `explain` is off. Without `hints`, the first-fit plan is only used
    (as constraints) when no plan is found in time. Each better plan goes to `report`.
    """
    deadline = time.monotonic() + time_limit
    plan = build_model(problem, agenda)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.cp_model_probing_level = 0  # probing costs more than it saves here
    solver.parameters.cp_model_presolve = not staged
    moved, first_optimal = 0, True
    quick = first_fit(problem, agenda) if staged and plan.moved is None else {}
    if plan.moved is None:
        if hints and quick:
            hint(plan, quick)
    else:
        if hints:
            hint(plan, {m.id: m.previous for m in agenda.meetings if m.previous})
        plan.model.minimize(plan.moved)
        solver.parameters.max_time_in_seconds = time_limit / 2
        status = solver.solve(plan.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return _failed(problem, agenda, status, time_limit, explain)
        moved, first_optimal = round(solver.objective_value), status == cp_model.OPTIMAL
        if hints:
            hint(plan, assignment(plan, solver))
        plan.model.add(plan.moved <= moved)
    plan.model.minimize(plan.weighted_objective())
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic())
    progress = _Progress(plan, moved, report) if report else None
    status = solver.solve(plan.model, progress)
    if status == cp_model.UNKNOWN and staged and quick:
        # Out of time before the first plan (a busy machine): take the first-fit plan.
        if hints:
            solver.parameters.fix_variables_to_their_hinted_value = True
        else:
            fix(plan, quick)
        solver.parameters.max_time_in_seconds = time_limit
        status = solver.solve(plan.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _failed(problem, agenda, status, time_limit, explain)
    return _Solved(chosen=assignment(plan, solver),
                   optimal=first_optimal and status == cp_model.OPTIMAL,
                   objective=round(solver.objective_value),
                   bound=round(solver.best_objective_bound), moved=moved,
                   terms=_term_values(plan, solver))


class _Progress(cp_model.CpSolverSolutionCallback):
    """Sends the plans found while searching (at most one each REPORT_SECONDS, and the first),
    so that a parent outliving a crashed child still has the best one."""

    def __init__(self, plan: PlanModel, moved: int, report: Callable[[_Solved], None]):
        super().__init__()
        self.plan, self.moved, self.report = plan, moved, report
        self.last = -REPORT_SECONDS

    def on_solution_callback(self) -> None:
        now = time.monotonic()
        if now - self.last < REPORT_SECONDS:
            return
        self.last = now
        self.report(_Solved(chosen=assignment(self.plan, self), optimal=False,
                            objective=round(self.objective_value),
                            bound=round(self.best_objective_bound), moved=self.moved,
                            terms=_term_values(self.plan, self)))


def _failed(problem: PlanningProblem, agenda: Agenda, status: int, time_limit: float,
            explain: bool) -> Explanation | None:
    if status != cp_model.INFEASIBLE:
        return not_found_in_time(time_limit)
    if not explain:
        return None
    return explain_infeasible(problem, agenda, time_limit=max(10.0, time_limit))


def _term_values(plan: PlanModel, solver: cp_model.CpSolver | cp_model.CpSolverSolutionCallback
                 ) -> dict[str, int]:
    return {name: round(solver.value(term)) if not isinstance(term, int) else term
            for name, term in plan.terms.items()}


def assemble_plan(problem: PlanningProblem, agenda: Agenda, chosen: Chosen,
                  summary: SolverSummary | None) -> Plan:
    """Plan rows from the decided meetings; held and past rows are kept exactly as they were."""
    previous = problem.previous.by_id() if problem.previous else {}
    rows: list[PlannedSession] = list(agenda.dropped)
    moves: list[Move] = []
    for meeting in agenda.meetings:
        if meeting.track == WELLBEING:
            row_ids = [meeting.id]
        else:
            row_ids = [supervisor_row_id(s, meeting.session.id) for s in meeting.people]
        if meeting.fixed:
            rows.extend(previous[r] for r in row_ids if r in previous)
            continue
        day, facilitator = chosen[meeting.id]
        date = dt.date.fromordinal(day)
        for row_id, supervisor in zip(row_ids, meeting.people, strict=False):
            rows.append(PlannedSession(
                id=row_id, track=meeting.track, session=meeting.session.id,
                group=meeting.group, supervisor=supervisor, facilitator=facilitator,
                community=meeting.community, date=date, start=clock(meeting.start),
                end=clock(meeting.end), status=PLANNED, cohort=meeting.cohort,
                history=meeting.history))
        if meeting.makeup:
            missed = previous[row_ids[0]]
            moves.append(Move(session=meeting.id, old_date=missed.date, new_date=date,
                              old_facilitator=missed.facilitator, new_facilitator=facilitator,
                              rescheduled=True))
        elif meeting.previous and meeting.previous != (day, facilitator):
            moves.append(Move(session=meeting.id,
                              old_date=dt.date.fromordinal(meeting.previous[0]), new_date=date,
                              old_facilitator=meeting.previous[1], new_facilitator=facilitator))
    rows.sort(key=lambda r: (r.date, r.start, r.id))
    return Plan(program=problem.program_id, period_start=problem.period_start,
                period_end=problem.period_end, sessions=tuple(rows),
                waves=assessment_waves(problem, rows), as_of=problem.as_of,
                moves=tuple(sorted(moves, key=lambda m: (m.new_date, m.session))),
                solver=summary)


def assessment_waves(problem: PlanningProblem,
                     rows: Iterable[PlannedSession]) -> dict[str, dict[str, dt.date | None]]:
    """Each group's wave dates: the dates of its wellbeing sessions numbered in the program."""
    track = problem.track_sessions(WELLBEING)
    dates = {r.id: r.date for r in rows if r.takes_place}
    return {group.id: {wave: dates.get(f"{group.id}:{track[number - 1].id}")
                       for wave, number in problem.assessment_waves}
            for group in problem.groups}


def summary(outcome: Outcome) -> list[str]:
    """What was planned, how good it is, and (re-planning) what moved: for the command line."""
    plan, solver = outcome.plan, outcome.plan.solver
    wellbeing = sum(1 for s in plan.sessions if s.track == "wellbeing")
    lines = [f"Sesiones / sessions: {len(plan.sessions)} ({wellbeing} wellbeing, "
             f"{len(plan.sessions) - wellbeing} supervisors' rows)",
             f"Estado / status: {solver.status}  objective {solver.objective}  bound "
             f"{solver.bound}  gap {solver.gap:.1%}  ({solver.wall_seconds:.1f} s, "
             f"{solver.parts} part(s))",
             "Términos / terms: " + ", ".join(f"{k}={v}" for k, v in solver.terms.items())]
    lines += [f"Incidente / incident: {i.es} / {i.en}" for i in solver.incidents]
    lines += [f"Sin planear / not planned: {group.describe('es')} / {group.describe('en')}"
              for group in outcome.problem.unstaffed]
    if plan.as_of:
        lines.append(f"Re-plan desde / from {plan.as_of}: {solver.moved} moved, "
                     f"{sum(m.rescheduled for m in plan.moves)} made up")
        lines += [f"  {m.session}: {m.old_date} -> {m.new_date}"
                  + (f" ({m.old_facilitator} -> {m.new_facilitator})"
                     if m.old_facilitator != m.new_facilitator else "")
                  + (" (missed, made up)" if m.rescheduled else "") for m in plan.moves]
    return lines
