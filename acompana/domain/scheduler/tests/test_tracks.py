"""The scheduler plans each track by its audience, as tracks.yaml declares it, not by its id."""

from dataclasses import replace

import pytest

from acompana.domain.scheduler.check import check_plan
from acompana.domain.scheduler.problem import SessionSpec
from acompana.domain.scheduler.program import ProgramError, problem_from_program
from acompana.domain.scheduler.solve import plan_program
from acompana.domain.scheduler.tests.programs import ces_program, curriculum_sessions

RENAMED = {"bienestar": "cuidado", "supervisores": "lideres"}


def renamed(session: SessionSpec) -> SessionSpec:
    """Another program's curriculum: the same sessions, its own track and session ids."""
    def new_id(old: str) -> str:
        track, number = old.rsplit("-", 1)
        return f"{RENAMED[track]}-{number}"

    return replace(session, id=new_id(session.id), track=RENAMED[session.track],
                   prerequisites=tuple(new_id(p) for p in session.prerequisites))


def test_tracks_with_other_ids_are_planned_by_their_audience():
    outcome = plan_program(ces_program(), [renamed(s) for s in curriculum_sessions()],
                           time_limit=30)
    assert outcome.plan is not None, outcome.explanation
    assert check_plan(outcome.problem, outcome.plan) == []
    by_id = outcome.plan.by_id()
    assert by_id["g01:cuidado-01"].track == "wellbeing"
    assert by_id["sup-01:lideres-01"].track == "supervisors"
    assert (by_id["g01:cuidado-01"].date - by_id["sup-01:lideres-01"].date).days >= 7
    assert outcome.plan.waves["g01"]["endline"] == by_id["g01:cuidado-12"].date
    assert {s.track for s in outcome.plan.sessions} == {"wellbeing", "supervisors"}


def test_a_third_track_for_the_same_audience_is_refused_with_the_tracks_named():
    third = [SessionSpec(id=f"familias-{n:02d}", track="familias", number=n,
                         duration_minutes=90, audience="acompanantes") for n in (1, 2)]
    with pytest.raises(ProgramError) as error:
        problem_from_program(ces_program(), [*curriculum_sessions(), *third])
    assert error.value.problems == [
        "program.yaml, curriculum: the tracks 'bienestar', 'familias' are all for the audience "
        "'acompanantes'; the planner plans one track per audience (the groups' track and the "
        "supervisors' track). Merge them or plan them as separate programs."]


def test_a_curriculum_without_a_supervisors_track_says_which_audience_is_missing():
    sessions = [s for s in curriculum_sessions() if s.audience == "acompanantes"]
    sessions = [replace(s, prerequisites=tuple(p for p in s.prerequisites
                                               if p.startswith("bienestar")))
                for s in sessions]
    with pytest.raises(ProgramError, match="no track whose audience is 'supervisors'; the "
                                           "supervisors sessions are planned from it"):
        problem_from_program(ces_program(), sessions)
