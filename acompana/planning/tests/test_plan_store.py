"""Storing a plan, recording what happened, and reading it back as plan.json."""

import json

import pytest
from django.urls import reverse

from acompana import policy
from acompana.domain.program_file import ProgramDocument
from acompana.planning.models import PlanChange, PlannedSession
from acompana.planning.selectors import plan_document
from acompana.planning.services import PlanError, do_mark_session, do_store_plan
from acompana.programs.models import Person
from acompana.programs.selectors import program_as_file
from tests.support import ROLE_PEOPLE, small_plan


def _plan(date_g01="2023-07-11", date_g05="2023-07-14"):
    return small_plan(code="bienestar-01", supervisors_day="2023-07-03", date_g01=date_g01,
                      date_g05=date_g05)


def test_program_as_file_is_a_valid_program_file(ces):
    """What the scheduler reads from the database is itself a valid program file."""
    document = ProgramDocument.model_validate(program_as_file(ces))
    assert len(document.groups) == 9
    assert document.planning["period"]["start"] == "2023-07-01"


def test_stored_plan_reads_back_as_the_same_plan_json(ces):
    do_store_plan(by=policy.OPERATOR, program=ces, plan=_plan())
    document = plan_document(program=ces)
    waves = document.pop("waves")
    assert document == _plan()
    assert waves["g01"] == {"baseline": "2023-07-11", "midline": None, "endline": None}


def test_storing_again_moves_only_what_changed_and_records_it(ces):
    do_store_plan(by=policy.OPERATOR, program=ces, plan=_plan())
    report = do_store_plan(by=policy.OPERATOR,
                           program=ces, plan=_plan(date_g01="2023-07-18"), reason="replan")
    assert report.moved == [("g01:bienestar-01", "2023-07-11", "2023-07-18")]
    assert report.unchanged == 2
    change = PlanChange.objects.get()
    assert (str(change.old_date), str(change.new_date), change.reason) == (
        "2023-07-11", "2023-07-18", "replan")


def test_plan_with_unknown_people_is_refused_whole(ces):
    plan = _plan()
    plan["sessions"][2]["facilitator"] = "fac-99"
    with pytest.raises(PlanError, match=r"sessions\[2\] \(g05:bienestar-01\): field "
                                        r"'facilitator': unknown person 'fac-99'"):
        do_store_plan(by=policy.OPERATOR, program=ces, plan=plan)
    assert not PlannedSession.objects.exists()


def test_missed_needs_a_reason(ces):
    do_store_plan(by=policy.OPERATOR, program=ces, plan=_plan())
    session = PlannedSession.objects.get(key="g01:bienestar-01")
    coordinator = Person.objects.get(code="coord-01")
    with pytest.raises(PlanError, match="Di por qué"):
        do_mark_session(session=session, status="missed", reason=" ", by=coordinator)
    do_mark_session(session=session, status="missed", reason="Camino cerrado", by=coordinator)
    session.refresh_from_db()
    assert (session.status, session.status_reason) == ("missed", "Camino cerrado")


@pytest.mark.parametrize("role, sees", [
    ("coordinator", {"sup-01:supervisores-01", "g01:bienestar-01", "g05:bienestar-01"}),
    ("supervisor", {"sup-01:supervisores-01", "g01:bienestar-01"}),
    ("facilitator", {"g01:bienestar-01"}),
    ("clinician", {"sup-01:supervisores-01", "g01:bienestar-01", "g05:bienestar-01"}),
])
def test_plan_download_holds_only_what_the_role_may_see(role, sees, login_as, client, ces):
    do_store_plan(by=policy.OPERATOR, program=ces, plan=_plan())
    login_as(ROLE_PEOPLE[role])
    response = client.get(reverse("planning:download", args=["json"]))
    assert {s["id"] for s in json.loads(response.content)["sessions"]} == sees


def test_acompanante_cannot_open_the_plan(login_as, client, ces):
    do_store_plan(by=policy.OPERATOR, program=ces, plan=_plan())
    login_as(ROLE_PEOPLE["acompanante"])
    for name in ("planning:calendar", "planning:grid"):
        assert client.get(reverse(name)).status_code == 403


def test_supervisor_cannot_open_another_supervisors_session(login_as, client, ces):
    do_store_plan(by=policy.OPERATOR, program=ces, plan=_plan())
    login_as(ROLE_PEOPLE["supervisor"])
    assert client.get(reverse("planning:session", args=["g05:bienestar-01"])).status_code == 404
    assert client.get(reverse("planning:session", args=["g01:bienestar-01"])).status_code == 200


def test_rejected_mark_keeps_what_was_typed(login_as, client, ces):
    do_store_plan(by=policy.OPERATOR, program=ces, plan=_plan())
    login_as(ROLE_PEOPLE["supervisor"])
    response = client.post(reverse("planning:mark", args=["g01:bienestar-01"]),
                           {"status": "missed", "reason": ""})
    assert response.status_code == 400
    assert "Di por qué no se realizó" in response.content.decode()
    response = client.post(reverse("planning:mark", args=["g01:bienestar-01"]),
                           {"status": "missed", "reason": "Lluvia"})
    assert response.status_code == 302
    assert PlannedSession.objects.get(key="g01:bienestar-01").status == "missed"


def test_calendar_and_grid_show_the_sessions(login_as, client, ces):
    do_store_plan(by=policy.OPERATOR, program=ces, plan=_plan())
    login_as(ROLE_PEOPLE["coordinator"])
    calendar = client.get(reverse("planning:calendar"), {"month": "2023-07"}).content.decode()
    assert "Grupo Reforma · Sesión 1<" in calendar
    assert "Grupo Laguna del Cofre · Sesión 1<" in calendar
    assert "g01 · bienestar-01" not in calendar  # names people read, not the plan's ids
    grid = client.get(reverse("planning:grid"), {"group": "g05"}).content.decode()
    assert "Grupo Laguna del Cofre · Sesión 1<" in grid and "Grupo Reforma · Sesión" not in grid


def test_what_a_replan_moved_is_said_with_names_and_dates_in_words(ces):
    from django.utils import translation

    from acompana.planning.selectors import moved_in_words

    do_store_plan(program=ces, plan=_plan(), by=policy.OPERATOR)
    report = do_store_plan(program=ces, plan=_plan(date_g01="2023-07-18"), reason="replan",
                           by=policy.OPERATOR)
    with translation.override("es"):
        said = moved_in_words(program=ces, moved=report.moved)
    assert said == ["Grupo Reforma, Sesión 1: 11 de julio de 2023 → 18 de julio de 2023"]
