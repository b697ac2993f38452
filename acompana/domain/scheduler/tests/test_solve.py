"""Planning CES (and a generated program in stages): every rule holds, by the checker."""

import datetime as dt
from collections import Counter

from acompana.domain.scheduler.check import check_plan
from acompana.domain.scheduler.solve import plan_program, summary
from acompana.domain.scheduler.tests.programs import curriculum_sessions, generated_program


def test_ces_plan_is_proven_optimal_and_passes_the_checker(ces):
    assert ces.status == "OPTIMAL"
    assert ces.plan.solver.objective == ces.plan.solver.bound
    assert check_plan(ces.problem, ces.plan) == []
    assert summary(ces)[:2] == [
        "Sesiones / sessions: 144 (108 wellbeing, 36 supervisors' rows)",
        f"Estado / status: OPTIMAL  objective {ces.plan.solver.objective}  bound "
        f"{ces.plan.solver.bound}  gap 0.0%  ({ces.plan.solver.wall_seconds:.1f} s, 1 part(s))"]


def test_ces_plan_has_one_wellbeing_session_per_group_and_month(ces):
    rows = [r for r in ces.plan.sessions if r.track == "wellbeing"]
    assert len(rows) == 9 * 12
    months = Counter((r.group, r.date.year, r.date.month) for r in rows)
    assert set(months.values()) == {1}
    g01 = sorted((r for r in rows if r.group == "g01"), key=lambda r: r.date)
    assert [r.session for r in g01] == [f"bienestar-{n:02d}" for n in range(1, 13)]
    assert {r.supervisor for r in g01} == {"sup-01"}
    assert {r.facilitator for r in g01} <= {"fac-01", "fac-02"}


def test_ces_supervisors_meet_together_before_they_facilitate(ces):
    by_id = ces.plan.by_id()
    for supervisor in ("sup-01", "sup-02", "sup-03"):
        first = by_id[f"{supervisor}:supervisores-01"]
        assert (first.date, first.start, first.facilitator) == (
            dt.date(2023, 7, 3), dt.time(9), "coord-01")
        assert (by_id["g01:bienestar-01"].date - first.date).days >= 7


def test_ces_plan_stays_on_usual_days_except_where_the_calendar_says_no(ces):
    by_id = ces.plan.by_id()
    assert by_id["g01:bienestar-01"].date == dt.date(2023, 7, 11)  # 2nd Tuesday
    # g07 meets on the 4th Tuesday: 26 December is in the December vacation.
    december = by_id["g07:bienestar-06"].date
    assert december < dt.date(2023, 12, 18) and december.month == 12
    # The cohort's 1st Monday of February (5th) is Constitution Day.
    assert by_id["sup-01:supervisores-08"].date != dt.date(2024, 2, 5)


def test_ces_waves_are_the_dates_of_sessions_1_6_and_12(ces):
    by_id = ces.plan.by_id()
    assert ces.plan.waves["g03"] == {"baseline": by_id["g03:bienestar-01"].date,
                                     "midline": by_id["g03:bienestar-06"].date,
                                     "endline": by_id["g03:bienestar-12"].date}


def test_a_large_program_is_planned_in_stages_and_passes_the_checker():
    outcome = plan_program(generated_program(40), curriculum_sessions(), time_limit=2)
    assert outcome.plan.solver.parts > 1
    assert check_plan(outcome.problem, outcome.plan) == []
    cohorts = {r.cohort for r in outcome.plan.sessions if r.track == "supervisors"}
    assert len(cohorts) == 2  # 14 supervisors, cohorts of at most 12
