"""An independent check of a work plan against every planning rule, in plain language.

This is a separate code path from the model: it reads only the problem and the plan's rows,
so a bug in the model (or a plan edited by hand) cannot vouch for itself. Rows already held
are facts and are not judged against the calendar; they still count for people's days.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from acompana.domain.scheduler.plan import HELD, MISSED, Plan, PlannedSession
from acompana.domain.scheduler.problem import SUPERVISORS, WELLBEING, PlanningProblem


@dataclass(frozen=True)
class Violation:
    rule: str
    session: str | None
    es: str
    en: str

    def __str__(self) -> str:
        return self.es


def check_plan(problem: PlanningProblem, plan: Plan) -> list[Violation]:
    """Every rule the plan breaks, one violation per session (or person-day) and rule."""
    checker = _Checker(problem, plan)
    for rule in (checker.complete, checker.right_people, checker.calendar, checker.month,
                 checker.order, checker.train_the_trainer, checker.cohorts, checker.times,
                 checker.one_place_at_a_time, checker.daily_limit, checker.kept,
                 checker.waves):
        rule()
    return checker.violations


def _minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


class _Checker:
    def __init__(self, problem: PlanningProblem, plan: Plan):
        self.problem, self.plan = problem, plan
        self.violations: list[Violation] = []
        self.rows = {r.id: r for r in plan.sessions}
        self.active = [r for r in plan.sessions if r.status != MISSED]
        self.to_judge = [r for r in self.active if r.status != HELD]  # held rows are facts
        self.previous = problem.previous.by_id() if problem.previous else {}
        self.as_of = problem.as_of or problem.period_start

    def add(self, rule: str, row: PlannedSession | None, es: str, en: str) -> None:
        self.violations.append(Violation(rule=rule, session=row.id if row else None, es=es,
                                          en=en))

    def _expected_ids(self) -> dict[str, str]:
        expected = {}
        for group in self.problem.groups:
            for session in self.problem.track_sessions(WELLBEING):
                expected[f"{group.id}:{session.id}"] = WELLBEING
        for supervisor in self.problem.supervisors:
            for session in self.problem.track_sessions(SUPERVISORS):
                expected[f"{supervisor}:{session.id}"] = SUPERVISORS
        return expected

    def complete(self) -> None:
        # Every group has every wellbeing session and every supervisor every supervisors' one.
        expected = self._expected_ids()
        seen: set[str] = set()
        for row in self.plan.sessions:
            if row.id in seen:
                self.add("complete", row, f"{row.id} aparece más de una vez.",
                         f"{row.id} appears more than once.")
            seen.add(row.id)
            if row.id not in expected:
                self.add("complete", row, f"{row.id} no es una sesión de este programa.",
                         f"{row.id} is not a session of this program.")
            elif row.status == MISSED and not row.dropped:
                self.add("complete", row, f"{row.id} se perdió el {row.date} y no tiene nueva "
                         "fecha.", f"{row.id} was missed on {row.date} and has no new date.")
        for missing in sorted(set(expected) - seen):
            self.add("complete", None, f"Falta la sesión {missing}.",
                     f"Session {missing} is missing.")

    def right_people(self) -> None:
        # The group's supervisor facilitates with one of the group's facilitators, in its
        # community; the supervisors' track meets where and with whom the program says.
        rule = self.problem.cohort_rule
        for row in self.to_judge:
            if row.track == WELLBEING:
                group = self.problem.group_by_id.get(row.group or "")
                if group is None:
                    self.add("people", row, f"{row.id}: el grupo {row.group} no existe.",
                             f"{row.id}: group {row.group} does not exist.")
                    continue
                supervisor = self.problem.supervisor_of(group, row.date)
                wrong = [(row.supervisor == supervisor, "supervisor", supervisor),
                         (row.facilitator in group.facilitators, "facilitator",
                          " o ".join(group.facilitators)),
                         (row.community == group.community, "community", group.community)]
            else:
                wrong = [(row.supervisor in self.problem.supervisors, "supervisor",
                          "una supervisora"),
                         (row.facilitator in rule.facilitators, "facilitator",
                          " o ".join(rule.facilitators)),
                         (row.community == rule.community, "community", rule.community)]
            for ok, field, expected in wrong:
                if not ok:
                    self.add("people", row, f"{row.id}: {field} {getattr(row, field)} no "
                             f"corresponde; se esperaba {expected}.",
                             f"{row.id}: {field} {getattr(row, field)} is wrong; expected "
                             f"{expected.replace(' o ', ' or ')}.")

    def calendar(self) -> None:
        # Sessions fall inside the period, on working days, not on holidays or closures, and
        # never when one of their people said she cannot come.
        holidays = {h.date: h for h in self.problem.holidays}
        for row in self.to_judge:
            day = row.date
            if not self.problem.period_start <= day <= self.problem.period_end:
                self.add("period", row, f"{row.id} ({day}) cae fuera del periodo.",
                         f"{row.id} ({day}) falls outside the period.")
            if day.weekday() >= 5:
                self.add("weekend", row, f"{row.id} cae en fin de semana ({day}).",
                         f"{row.id} falls on a weekend ({day}).")
            if day in holidays:
                self.add("holiday", row, f"{row.id} cae en día festivo ({day}: "
                         f"{holidays[day].name_es}).",
                         f"{row.id} falls on a public holiday ({day}: {holidays[day].name_en}).")
            for closure in self.problem.closures:
                if closure.start <= day <= closure.end:
                    self.add("closure", row, f"{row.id} cae en un cierre ({day}: "
                             f"{closure.name}).", f"{row.id} falls in a closure ({day}: "
                             f"{closure.name}).")
            for away in self.problem.unavailability:
                if away.person in (row.supervisor, row.facilitator) and (
                        away.start <= day <= away.end):
                    self.add("unavailable", row, f"{row.id}: {away.person} no está disponible "
                             f"el {day}.", f"{row.id}: {away.person} is away on {day}.")

    def month(self) -> None:
        # One session per monthly meeting: session k of a track falls in month k of the period
        # (or where the plan being revised had it); a missed one is made up after it was missed.
        months = self.problem.months
        for row in self.to_judge:
            spec = self.problem.session_by_id.get(row.session)
            if spec is None:
                continue
            if row.history:
                if row.date <= row.history[-1].date:
                    self.add("month", row, f"{row.id} se repone el {row.date}, no después de "
                             f"perderse el {row.history[-1].date}.",
                             f"{row.id} is made up on {row.date}, not after it was missed on "
                             f"{row.history[-1].date}.")
                continue
            allowed = {months[spec.number - 1]} if spec.number <= len(months) else set()
            earlier = self.previous.get(row.id)
            if earlier is not None:
                allowed.add((earlier.date.year, earlier.date.month))
            if (row.date.year, row.date.month) not in allowed:
                self.add("month", row, f"{row.id} ({row.date}) no cae en su reunión mensual "
                         f"({', '.join(f'{m:02d}/{y}' for y, m in sorted(allowed))}).",
                         f"{row.id} ({row.date}) is not in its monthly meeting "
                         f"({', '.join(f'{m:02d}/{y}' for y, m in sorted(allowed))}).")

    def _owner_row(self, row: PlannedSession, session: str) -> PlannedSession | None:
        owner = row.group if row.track == WELLBEING else row.supervisor
        return self.rows.get(f"{owner}:{session}")

    def order(self) -> None:
        # A group (or supervisor) takes each session after its prerequisites in the same track.
        for row in self.to_judge:
            spec = self.problem.session_by_id.get(row.session)
            for prerequisite in spec.prerequisites if spec else ():
                before = self.problem.session_by_id[prerequisite]
                if self.problem.kind_of(before) != row.track:
                    continue
                earlier = self._owner_row(row, prerequisite)
                if earlier is None or (earlier.status == MISSED and earlier.dropped):
                    continue  # dropped: no longer required
                if earlier.date >= row.date:
                    self.add("order", row, f"{row.id} ({row.date}) no va después de "
                             f"{earlier.id} ({earlier.date}).",
                             f"{row.id} ({row.date}) does not come after {earlier.id} "
                             f"({earlier.date}).")

    def train_the_trainer(self) -> None:
        # A supervisor has the supervisors' session preparing a wellbeing session N days before
        # she facilitates it.
        days = self.problem.train_the_trainer_days
        for row in self.to_judge:
            spec = self.problem.session_by_id.get(row.session)
            if row.track != WELLBEING or spec is None:
                continue
            for prerequisite in spec.prerequisites:
                if self.problem.kind_of(self.problem.session_by_id[prerequisite]) != SUPERVISORS:
                    continue
                prepared = self.rows.get(f"{row.supervisor}:{prerequisite}")
                if prepared is None or not prepared.takes_place:
                    self.add("train_the_trainer", row, f"{row.supervisor} facilita {row.id} sin "
                             f"haber tenido {prerequisite}.", f"{row.supervisor} facilitates "
                             f"{row.id} without having had {prerequisite}.")
                elif (row.date - prepared.date).days < days:
                    self.add("train_the_trainer", row, f"{row.supervisor} tiene {prerequisite} "
                             f"el {prepared.date}, menos de {days} días antes de {row.id} "
                             f"({row.date}).", f"{row.supervisor} has {prerequisite} on "
                             f"{prepared.date}, less than {days} days before {row.id} "
                             f"({row.date}).")

    def cohorts(self) -> None:
        # A cohort's supervisors meet together (one date, time and place) and a meeting (one
        # facilitator's group at a time and place) holds at most the cohort size.
        together: dict[tuple, list[PlannedSession]] = defaultdict(list)
        by_cohort: dict[tuple, set] = defaultdict(set)
        for row in self.active:
            if row.track != SUPERVISORS:
                continue
            together[(row.session, row.date, row.start, row.community, row.facilitator)].append(row)
            if row.cohort:
                by_cohort[(row.cohort, row.session)].add((row.date, row.start, row.facilitator))
        for (session, day, *_), rows in together.items():
            if len(rows) > self.problem.cohort_rule.cohort_size:
                self.add("cohort", rows[0], f"{session} el {day} reúne {len(rows)} supervisoras; "
                         f"el máximo es {self.problem.cohort_rule.cohort_size}.",
                         f"{session} on {day} gathers {len(rows)} supervisors; the most is "
                         f"{self.problem.cohort_rule.cohort_size}.")
        for (cohort, session), meetings in by_cohort.items():
            if len(meetings) > 1:
                self.add("cohort", None, f"La cohorte {cohort} tiene {session} en "
                         f"{len(meetings)} fechas u horarios distintos.", f"Cohort {cohort} has "
                         f"{session} on {len(meetings)} different dates or times.")

    def times(self) -> None:
        # A session lasts what the curriculum says.
        for row in self.to_judge:
            spec = self.problem.session_by_id.get(row.session)
            length = _minutes(row.end) - _minutes(row.start)
            if spec and length != spec.duration_minutes:
                self.add("times", row, f"{row.id} dura {length} minutos; la sesión dura "
                         f"{spec.duration_minutes}.", f"{row.id} lasts {length} minutes; the "
                         f"session takes {spec.duration_minutes}.")

    def _days_of_people(self) -> dict[tuple[str, dt.date], dict[tuple, PlannedSession]]:
        """Each person's sessions per day; a cohort meeting counts once for its leader."""
        days: dict[tuple[str, dt.date], dict[tuple, PlannedSession]] = defaultdict(dict)
        for row in self.active:
            event = (row.session, row.date, row.start, row.community, row.group)
            for person in {row.supervisor, row.facilitator}:
                days[(person, row.date)].setdefault(event, row)
        return days

    def one_place_at_a_time(self) -> None:
        # Nobody is in two places at once, counting travel between communities.
        for (person, day), events in self._days_of_people().items():
            rows = sorted(events.values(), key=lambda r: r.start)
            for index, first in enumerate(rows):
                for second in rows[index + 1:]:
                    if first.status == HELD and second.status == HELD:
                        continue
                    travel = self.problem.travel(first.community, second.community)
                    if _minutes(first.end) + travel > _minutes(second.start):
                        self.add("one_place", second, f"{person} no puede estar en {first.id} y "
                                 f"{second.id} el {day} (traslado de {travel} minutos).",
                                 f"{person} cannot be at {first.id} and {second.id} on {day} "
                                 f"({travel} minutes of travel).")

    def daily_limit(self) -> None:
        # Nobody has more than K sessions a day.
        limit = self.problem.max_sessions_per_person_per_day
        for (person, day), events in self._days_of_people().items():
            if len(events) > limit and any(r.status != HELD for r in events.values()):
                self.add("daily_limit", None, f"{person} tiene {len(events)} sesiones el {day}; "
                         f"el máximo es {limit}.", f"{person} has {len(events)} sessions on "
                         f"{day}; the most is {limit}.")

    def kept(self) -> None:
        # Re-planning keeps what was held and what is in the past exactly as it was.
        for old in self.previous.values():
            if old.status != HELD and not (old.status != MISSED and old.date < self.as_of):
                continue
            new = self.rows.get(old.id)
            if new is None or (new.date, new.facilitator, new.status) != (
                    old.date, old.facilitator, old.status):
                self.add("kept", new or old, f"{old.id} ya pasó o se realizó el {old.date} y el "
                         "plan lo cambia.", f"{old.id} was held or is past ({old.date}) and the "
                         "plan changes it.")

    def waves(self) -> None:
        # Assessment waves fall on the dates of the numbered wellbeing sessions.
        track = self.problem.track_sessions(WELLBEING)
        for group in self.problem.groups:
            for wave, number in self.problem.assessment_waves:
                row = self.rows.get(f"{group.id}:{track[number - 1].id}")
                expected = row.date if row is not None and row.takes_place else None
                found = self.plan.waves.get(group.id, {}).get(wave)
                if found != expected:
                    self.add("waves", row, f"La ola {wave} del grupo {group.id} dice {found}; la "
                             f"sesión {number} es el {expected}.", f"Wave {wave} of group "
                             f"{group.id} says {found}; session {number} is on {expected}.")
