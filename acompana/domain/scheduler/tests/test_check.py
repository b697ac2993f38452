"""The checker catches each rule broken on purpose in a hand-altered CES plan."""

import datetime as dt
from dataclasses import replace

from acompana.domain.scheduler.check import check_plan
from acompana.domain.scheduler.plan import HELD, Plan
from acompana.domain.scheduler.problem import Unavailability


def altered(plan: Plan, session: str, **changes) -> Plan:
    return replace(plan, sessions=tuple(replace(r, **changes) if r.id == session else r
                                        for r in plan.sessions))


def broken(problem, plan, session: str | None = None) -> dict[str, list[str]]:
    """Rule -> Spanish sentences, for the violations about one session (or all)."""
    found: dict[str, list[str]] = {}
    for violation in check_plan(problem, plan):
        if session is None or violation.session == session:
            found.setdefault(violation.rule, []).append(violation.es)
    return found


def test_a_missing_session_is_caught(ces):
    plan = replace(ces.plan, sessions=tuple(r for r in ces.plan.sessions
                                            if r.id != "g01:bienestar-05"))
    assert broken(ces.problem, plan)["complete"] == ["Falta la sesión g01:bienestar-05."]


def test_a_facilitator_from_another_group_is_caught(ces):
    plan = altered(ces.plan, "g01:bienestar-02", facilitator="fac-03")
    assert broken(ces.problem, plan, "g01:bienestar-02") == {
        "people": ["g01:bienestar-02: facilitator fac-03 no corresponde; se esperaba fac-01 o "
                   "fac-02."]}


def test_a_session_outside_the_period_is_caught(ces):
    plan = altered(ces.plan, "g01:bienestar-12", date=dt.date(2024, 7, 9))
    assert "period" in broken(ces.problem, plan, "g01:bienestar-12")


def test_a_session_on_a_weekend_is_caught(ces):
    plan = altered(ces.plan, "g01:bienestar-03", date=dt.date(2023, 9, 9))
    assert broken(ces.problem, plan, "g01:bienestar-03") == {
        "weekend": ["g01:bienestar-03 cae en fin de semana (2023-09-09)."]}


def test_a_session_on_a_public_holiday_is_caught(ces):
    plan = altered(ces.plan, "g01:bienestar-05", date=dt.date(2023, 11, 20))
    assert broken(ces.problem, plan, "g01:bienestar-05") == {
        "holiday": ["g01:bienestar-05 cae en día festivo (2023-11-20: Día de la Revolución)."]}


def test_a_session_in_a_closure_is_caught(ces):
    plan = altered(ces.plan, "g01:bienestar-09", date=dt.date(2024, 3, 26))
    assert broken(ces.problem, plan, "g01:bienestar-09")["closure"] == [
        "g01:bienestar-09 cae en un cierre (2024-03-26: Semana Santa)."]


def test_a_session_when_its_facilitator_is_away_is_caught(ces):
    row = ces.plan.by_id()["g01:bienestar-04"]
    away = Unavailability(person=row.facilitator, start=row.date, end=row.date,
                          reason="Vacaciones")
    problem = replace(ces.problem, unavailability=(away,))
    assert broken(problem, ces.plan) == {
        "unavailable": [f"g01:bienestar-04: {row.facilitator} no está disponible el {row.date}."]}


def test_a_session_outside_its_monthly_meeting_is_caught(ces):
    plan = altered(ces.plan, "g01:bienestar-04", date=dt.date(2023, 11, 7))
    assert broken(ces.problem, plan, "g01:bienestar-04") == {
        "month": ["g01:bienestar-04 (2023-11-07) no cae en su reunión mensual (10/2023)."]}


def test_a_session_before_its_prerequisite_is_caught(ces):
    second = ces.plan.by_id()["g01:bienestar-02"].date
    plan = altered(ces.plan, "g01:bienestar-03", date=second - dt.timedelta(days=1))
    assert "order" in broken(ces.problem, plan, "g01:bienestar-03")


def test_facilitating_too_soon_after_the_supervisors_session_is_caught(ces):
    plan = altered(ces.plan, "g01:bienestar-01", date=dt.date(2023, 7, 6))
    assert broken(ces.problem, plan, "g01:bienestar-01")["train_the_trainer"] == [
        "sup-01 tiene supervisores-01 el 2023-07-03, menos de 7 días antes de g01:bienestar-01 "
        "(2023-07-06)."]


def test_a_supervisor_away_from_her_cohort_is_caught(ces):
    plan = altered(ces.plan, "sup-02:supervisores-03", date=dt.date(2023, 9, 5))
    assert broken(ces.problem, plan)["cohort"] == [
        "La cohorte c01 tiene supervisores-03 en 2 fechas u horarios distintos."]


def test_a_cohort_larger_than_allowed_is_caught(ces):
    problem = replace(ces.problem, cohort_rule=replace(ces.problem.cohort_rule, cohort_size=2))
    assert all("reúne 3 supervisoras; el máximo es 2" in sentence
               for sentence in broken(problem, ces.plan)["cohort"])


def test_a_session_of_the_wrong_length_is_caught(ces):
    plan = altered(ces.plan, "g01:bienestar-06", end=dt.time(11, 0))
    assert broken(ces.problem, plan, "g01:bienestar-06") == {
        "times": ["g01:bienestar-06 dura 60 minutos; la sesión dura 120."]}


def test_a_supervisor_in_two_places_at_once_is_caught(ces):
    plan = altered(ces.plan, "g02:bienestar-01", date=ces.plan.by_id()["g01:bienestar-01"].date)
    assert ("sup-01 no puede estar en g01:bienestar-01 y g02:bienestar-01 el 2023-07-11 "
            "(traslado de 100 minutos).") in broken(ces.problem, plan)["one_place"]


def test_travel_time_between_communities_counts(ces):
    # g01 in Reforma ends at 12:00; Letrero is 100 minutes away, so 13:00 is too soon.
    day = ces.plan.by_id()["g01:bienestar-01"].date
    plan = altered(ces.plan, "g02:bienestar-01", date=day, start=dt.time(13), end=dt.time(15))
    assert ("sup-01 no puede estar en g01:bienestar-01 y g02:bienestar-01 el 2023-07-11 "
            "(traslado de 100 minutos).") in broken(ces.problem, plan)["one_place"]
    later = altered(ces.plan, "g02:bienestar-01", date=day, start=dt.time(14),
                    end=dt.time(16))
    assert "one_place" not in broken(ces.problem, later)


def test_more_sessions_in_a_day_than_allowed_is_caught(ces):
    day = ces.plan.by_id()["g01:bienestar-01"].date
    plan = altered(ces.plan, "g02:bienestar-01", date=day, start=dt.time(14), end=dt.time(16))
    problem = replace(ces.problem, max_sessions_per_person_per_day=1)
    assert ("sup-01 tiene 2 sesiones el 2023-07-11; el máximo es 1."
            in broken(problem, plan)["daily_limit"])


def test_changing_a_held_session_when_re_planning_is_caught(ces):
    held = altered(ces.plan, "g01:bienestar-01", status=HELD)
    problem = replace(ces.problem, previous=held, as_of=dt.date(2023, 7, 12))
    plan = altered(held, "g01:bienestar-01", date=dt.date(2023, 7, 10))
    assert broken(problem, plan, "g01:bienestar-01")["kept"] == [
        "g01:bienestar-01 ya pasó o se realizó el 2023-07-11 y el plan lo cambia."]


def test_a_wave_off_its_session_date_is_caught(ces):
    waves = {**ces.plan.waves, "g01": {**ces.plan.waves["g01"],
                                       "baseline": dt.date(2023, 7, 12)}}
    assert broken(ces.problem, replace(ces.plan, waves=waves)) == {
        "waves": ["La ola baseline del grupo g01 dice 2023-07-12; la sesión 1 es el "
                  "2023-07-11."]}
