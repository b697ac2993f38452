"""Reading a program file's mapping into a planning problem, and the errors a user sees."""

import datetime as dt

import pytest

from acompana.domain.scheduler.program import ProgramError, problem_from_program
from acompana.domain.scheduler.tests.programs import ces_program, curriculum_sessions


def test_ces_program_reads_into_a_problem():
    problem = problem_from_program(ces_program(), curriculum_sessions())
    assert (problem.period_start, problem.period_end) == (dt.date(2023, 7, 1),
                                                          dt.date(2024, 6, 30))
    assert len(problem.groups) == 9 and problem.supervisors == ("sup-01", "sup-02", "sup-03")
    assert problem.cohort_rule.meeting.start == dt.time(9)
    assert problem.cohort_rule.facilitators == ("coord-01",)
    assert problem.facilitators == ("fac-01", "fac-02", "fac-03")
    holidays = {h.date: h for h in problem.holidays}
    assert holidays[dt.date(2023, 9, 16)].name_es == "Día de la Independencia"
    assert holidays[dt.date(2023, 12, 25)].name_en == "Christmas Day"
    assert [c.name for c in problem.closures] == ["Vacaciones de diciembre", "Semana Santa"]
    assert problem.assessment_waves == (("baseline", 1), ("midline", 6), ("endline", 12))
    assert problem.travel("reforma", "monterrey") == 40 + 75
    assert problem.travel("jaltenango", "reforma") == 40


def test_unquoted_yaml_time_is_read_as_the_time_meant():
    # YAML 1.1 reads an unquoted 10:00 as the number 600 (minutes).
    program = ces_program()
    program["groups"][0]["meeting"]["start"] = 600
    problem = problem_from_program(program, curriculum_sessions())
    assert problem.groups[0].meeting.start == dt.time(10)


def test_travel_pairs_override_the_way_through_the_hub():
    program = ces_program()
    program["planning"]["travel_minutes"] = [{"from": "reforma", "to": "monterrey",
                                              "minutes": 30}]
    problem = problem_from_program(program, curriculum_sessions())
    assert problem.travel("monterrey", "reforma") == 30


def test_every_planning_problem_is_named_with_its_field():
    program = ces_program()
    planning = program["planning"]
    planning["closures"][1]["end"] = "2024-03-01"
    planning["supervisors_track"]["weekday"] = "sunday"
    planning["train_the_trainer_days"] = "a week"
    planning["unavailability"] = [{"person": "fac-09", "start": "2023-10-01"}]
    planning["assessment_waves"]["endline"] = 13
    planning["holidays"] = []
    with pytest.raises(ProgramError) as error:
        problem_from_program(program, curriculum_sessions(), source="programs/ces/program.yaml")
    assert error.value.problems == [
        "programs/ces/program.yaml, planning.holidays: unknown field; expected one of "
        "assessment_waves, closures, max_sessions_per_person_per_day, period, "
        "supervisors_track, train_the_trainer_days, travel_minutes, unavailability.",
        "programs/ces/program.yaml, planning.closures[1].end: 2024-03-01 is before the start "
        "2024-03-24.",
        "programs/ces/program.yaml, planning.train_the_trainer_days: expected a whole number "
        "between 0 and 90, got 'a week'.",
        "programs/ces/program.yaml, planning.supervisors_track.weekday: expected a weekday "
        "monday-friday, got 'sunday'.",
        "programs/ces/program.yaml, planning.unavailability[0].person: unknown person 'fac-09'.",
        "programs/ces/program.yaml, planning.assessment_waves.endline: expected a whole number "
        "between 1 and 12, got 13.",
    ]


def test_the_supervisors_meeting_place_is_text_the_plan_leaves_alone():
    program = ces_program()
    program["planning"]["supervisors_track"]["meeting_place"] = "Oficina de CES, Jaltenango"
    assert problem_from_program(program, curriculum_sessions()).cohort_rule.community == (
        "jaltenango")
    program["planning"]["supervisors_track"]["meeting_place"] = ""
    with pytest.raises(ProgramError, match=r"planning.supervisors_track.meeting_place: expected "
                                           "a non-empty text"):
        problem_from_program(program, curriculum_sessions())


def test_a_period_shorter_than_the_tracks_is_refused():
    program = ces_program()
    program["planning"]["period"]["end"] = "2024-03-31"
    with pytest.raises(ProgramError, match="the period has 9 months but the track 'bienestar' "
                                           "has 12 sessions"):
        problem_from_program(program, curriculum_sessions())


def test_a_group_without_supervisor_or_facilitator_is_left_out_and_listed():
    program = ces_program()
    program["groups"].append({"id": "g10", "name": "Grupo Nuevo", "community": "reforma",
                              "meeting": {"weekday": "monday", "week_of_month": 3,
                                          "start": "10:00"},
                              "supervisors": [], "facilitators": []})
    problem = problem_from_program(program, curriculum_sessions())
    assert "g10" not in problem.group_by_id and len(problem.groups) == 9
    [unstaffed] = problem.unstaffed
    assert unstaffed.lacks == ("supervisor", "facilitator")
    assert unstaffed.describe("es") == "g10 · Grupo Nuevo: le falta supervisora y cofacilitadora"
    assert unstaffed.describe("en") == ("g10 · Grupo Nuevo: lacks a supervisor and a "
                                        "co-facilitator")
