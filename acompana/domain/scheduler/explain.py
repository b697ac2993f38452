"""Why no plan exists, in plain Spanish and English, never a stack trace.

Two levels: a session whose window has no free day at all (closures, holidays, people away)
is found by looking at the calendar; anything subtler is found by the solver, which names a
set of requirements that cannot all hold (an infeasible core over the model's requirement
literals), shrunk here until every requirement in it matters.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from acompana.domain.scheduler.agenda import Agenda, Meeting
from acompana.domain.scheduler.calendar import WorkCalendar, long_date, month_end, month_name
from acompana.domain.scheduler.model import PlanModel, Requirement, build_model
from acompana.domain.scheduler.problem import PlanningProblem

ORDER_OF_KINDS = ("window", "fixed", "order", "train_the_trainer", "unavailable", "one_place",
                  "daily_limit")


@dataclass(frozen=True)
class Reason:
    kind: str
    subject: tuple[str, ...]
    es: str
    en: str


@dataclass(frozen=True)
class Explanation:
    """Why no plan exists: one calendar impossibility, or requirements that conflict."""

    reasons: tuple[Reason, ...]
    conflict: bool  # True: the reasons only fail together

    @property
    def es(self) -> str:
        head = ("No se puede armar el plan. Estas condiciones no se pueden cumplir a la vez:"
                if self.conflict else "No se puede armar el plan:")
        return "\n".join([head, *(f"- {r.es}" for r in self.reasons)])

    @property
    def en(self) -> str:
        head = ("No plan is possible. These requirements cannot all hold together:"
                if self.conflict else "No plan is possible:")
        return "\n".join([head, *(f"- {r.en}" for r in self.reasons)])


class _Words:
    """Sentences about meetings and people of one problem."""

    def __init__(self, problem: PlanningProblem, agenda: Agenda):
        self.problem = problem
        self.meetings = agenda.by_id()

    def subject(self, meeting: Meeting) -> tuple[str, str]:
        if meeting.group:
            group = self.problem.group_by_id[meeting.group]
            return f"El grupo {group.id} ({group.name})", f"Group {group.id} ({group.name})"
        people = ", ".join(meeting.people)
        return (f"La cohorte {meeting.cohort} de supervisoras ({people})",
                f"Supervisors' cohort {meeting.cohort} ({people})")

    def person(self, person: str) -> str:
        name = self.problem.name_of(person)
        return person if name == person else f"{name} ({person})"

    @staticmethod
    def window(meeting: Meeting) -> tuple[str, str]:
        first, last = meeting.window
        if first.day == 1 and (first.year, first.month) == (last.year, last.month) and (
                last == month_end(first.year, first.month)):
            return (f"en {month_name(first.year, first.month, 'es')}",
                    f"in {month_name(first.year, first.month, 'en')}")
        if first == last:
            return f"el {long_date(first, 'es')}", f"on {long_date(first, 'en')}"
        return (f"entre el {long_date(first, 'es')} y el {long_date(last, 'es')}",
                f"between {long_date(first, 'en')} and {long_date(last, 'en')}")


def calendar_conflicts(problem: PlanningProblem, agenda: Agenda) -> Explanation | None:
    """Sessions left without a single free day by the calendar and people's absences."""
    calendar, words = WorkCalendar(problem), _Words(problem, agenda)
    reasons = []
    for meeting in agenda.meetings:
        if meeting.fixed or any(_free(calendar, meeting, day) for day in meeting.days):
            continue
        reasons.append(_no_free_day(words, calendar, meeting))
    return Explanation(reasons=tuple(reasons), conflict=False) if reasons else None


def _free(calendar: WorkCalendar, meeting: Meeting, day: int) -> bool:
    date = dt.date.fromordinal(day)
    return (all(calendar.unavailable(p, date) is None for p in meeting.people)
            and any(calendar.unavailable(p, date) is None for p in meeting.facilitators))


def _no_free_day(words: _Words, calendar: WorkCalendar, meeting: Meeting) -> Reason:
    closed: dict[tuple[str, str], None] = {}
    away: dict[str, str] = {}
    first, last = meeting.window
    for offset in range((last - first).days + 1):
        date = first + dt.timedelta(days=offset)
        why = calendar.closed_reason(date)
        if why is not None:
            if date.weekday() < 5:
                closed[why] = None
            continue
        for person in meeting.people + meeting.facilitators:
            reason = calendar.unavailable(person, date)
            if reason is not None:
                away.setdefault(person, reason)
    subject_es, subject_en = words.subject(meeting)
    window_es, window_en = words.window(meeting)
    month = window_es.startswith("en ")
    whole = "todo el mes está cerrado" if month else "todo ese tiempo está cerrado"
    whole_en = "the whole month is closed" if month else "it is all closed"
    closed_es = "; ".join(es for es, _ in closed)
    closed_en = "; ".join(en for _, en in closed)
    if not away and closed:
        why_es, why_en = f"{whole} ({closed_es})", f"{whole_en} ({closed_en})"
    elif not away:
        why_es, why_en = "no hay ningún día hábil", "there is no working day"
    else:
        absent_es = "; ".join(f"{words.person(p)} no está disponible" + (f" ({r})" if r else "")
                              for p, r in away.items())
        absent_en = "; ".join(f"{words.person(p)} is away" + (f" ({r})" if r else "")
                              for p, r in away.items())
        why_es = "no queda ningún día libre: " + "; ".join(
            filter(None, [f"cerrado ({closed_es})" if closed else "", absent_es]))
        why_en = "no free day is left: " + "; ".join(
            filter(None, [f"closed ({closed_en})" if closed else "", absent_en]))
    return Reason(
        kind="window", subject=(meeting.id,),
        es=f"{subject_es} no puede tener la sesión {meeting.session.id} {window_es}: {why_es}.",
        en=f"{subject_en} cannot have session {meeting.session.id} {window_en}: {why_en}.")


def explain_infeasible(problem: PlanningProblem, agenda: Agenda,
                       time_limit: float = 20.0) -> Explanation:
    """Name a smallest set of requirements that cannot all hold (a minimal infeasible core)."""
    deadline = time.monotonic() + time_limit
    plan = build_model(problem, agenda, explain=True)
    by_index = {i: plan.model.get_bool_var_from_proto_index(i) for i in plan.requirements}
    status, core = _solve_with(plan, by_index, list(by_index), deadline)
    if status != cp_model.INFEASIBLE:
        return not_found_in_time(time_limit)
    for index in list(core):  # drop every requirement the conflict does not need
        if index not in core or time.monotonic() > deadline:
            continue
        trial = [i for i in core if i != index]
        status, smaller = _solve_with(plan, by_index, trial, deadline)
        if status == cp_model.INFEASIBLE:
            core = smaller or trial
    words = _Words(problem, agenda)
    requirements = sorted((plan.requirements[i] for i in core),
                          key=lambda r: (ORDER_OF_KINDS.index(r.kind), r.subject))
    return Explanation(reasons=tuple(_sentence(words, r) for r in requirements), conflict=True)


def _solve_with(plan: PlanModel, by_index: dict, assumptions: list[int],
                deadline: float) -> tuple[int, list[int]]:
    """Solve under some requirements; when infeasible, the indices of a sufficient subset."""
    plan.model.clear_assumptions()
    plan.model.add_assumptions([by_index[i] for i in assumptions])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # cores come from the single-thread search
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic())
    status = solver.solve(plan.model)
    if status != cp_model.INFEASIBLE:
        return status, []
    return status, [i for i in solver.sufficient_assumptions_for_infeasibility()
                    if i in by_index]


def not_found_in_time(time_limit: float) -> Explanation:
    return Explanation(reasons=(Reason(
        kind="time", subject=(),
        es=f"No se encontró un plan en {time_limit:.0f} segundos, ni una prueba de que no "
           "exista. Prueba con más tiempo (--time-limit).",
        en=f"No plan was found in {time_limit:.0f} seconds, nor a proof that none exists. "
           "Try a longer time limit (--time-limit)."),), conflict=False)


def crashed(how: str, attempts: int) -> Explanation:
    """Every attempt's solver process died before finding a plan."""
    return Explanation(reasons=(Reason(
        kind="crash", subject=(how,),
        es=f"El proceso del solver terminó de forma anormal ({how}) en los {attempts} "
           "intentos, sin encontrar un plan; el plan guardado no cambió. Vuelve a intentarlo; "
           "si se repite, avisa a quien mantiene Acompaña.",
        en=f"The solver's process ended abnormally ({how}) in all {attempts} attempts, "
           "before finding a plan; the stored plan did not change. Try again; if it happens "
           "again, tell whoever maintains Acompaña."),), conflict=False)


def _sentence(words: _Words, requirement: Requirement) -> Reason:
    kind, subject = requirement.kind, requirement.subject
    problem = words.problem
    if kind in ("window", "fixed"):
        meeting = words.meetings[subject[0]]
        who_es, who_en = words.subject(meeting)
        if kind == "fixed":
            date = dt.date.fromordinal(meeting.days[0])
            es = (f"{who_es} tiene la sesión {meeting.session.id} fija el "
                  f"{long_date(date, 'es')} (realizada, pasada o ya decidida).")
            en = (f"{who_en} has session {meeting.session.id} fixed on {long_date(date, 'en')} "
                  "(held, past or already decided).")
        else:
            window_es, window_en = words.window(meeting)
            es = (f"{who_es} debe tener la sesión {meeting.session.id} {window_es} "
                  f"({len(meeting.days)} días hábiles posibles).")
            en = (f"{who_en} must have session {meeting.session.id} {window_en} "
                  f"({len(meeting.days)} possible working days).")
    elif kind in ("order", "train_the_trainer"):
        before, after = (words.meetings[m] for m in subject)
        (before_es, before_en), (after_es, after_en) = words.window(before), words.window(after)
        when_es = f"({before.session.id} {before_es}; {after.session.id} {after_es})"
        when_en = f"({before.session.id} {before_en}; {after.session.id} {after_en})"
        if kind == "order":
            who_es, who_en = words.subject(after)
            es = f"{who_es} debe tener {before.session.id} antes de {after.session.id} {when_es}."
            en = f"{who_en} must have {before.session.id} before {after.session.id} {when_en}."
        else:
            days, supervisor = problem.train_the_trainer_days, words.person(after.people[0])
            es = (f"{supervisor} debe recibir {before.session.id} al menos {days} días antes de "
                  f"facilitar {after.session.id} con el grupo {after.group} {when_es}.")
            en = (f"{supervisor} must have {before.session.id} at least {days} days before she "
                  f"facilitates {after.session.id} with group {after.group} {when_en}.")
    elif kind == "unavailable":
        person = subject[0]
        spans = [w for w in problem.unavailability if w.person == person]
        es = f"{words.person(person)} no está disponible " + "; ".join(
            f"del {long_date(w.start, 'es')} al {long_date(w.end, 'es')}"
            + (f" ({w.reason})" if w.reason else "") for w in spans) + "."
        en = f"{words.person(person)} is away " + "; ".join(
            f"from {long_date(w.start, 'en')} to {long_date(w.end, 'en')}"
            + (f" ({w.reason})" if w.reason else "") for w in spans) + "."
    elif kind == "one_place":
        person = words.person(subject[0])
        es = (f"{person} no puede estar en dos lugares a la vez (contando el traslado entre "
              "comunidades).")
        en = f"{person} cannot be in two places at once (counting travel between communities)."
    else:  # daily_limit
        person, limit = words.person(subject[0]), problem.max_sessions_per_person_per_day
        es = f"{person} no puede tener más de {limit} sesiones en un día."
        en = f"{person} cannot have more than {limit} sessions in one day."
    return Reason(kind=kind, subject=subject, es=es, en=en)
