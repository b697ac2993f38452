"""A small delivery fixture whose figures were computed by hand."""

import datetime as dt

import pytest

from acompana import policy
from acompana.delivery.selectors import sheet_page
from acompana.delivery.services import do_save_session_log
from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
from acompana.domain.session_sheet import SessionSheet
from acompana.planning.models import PlannedSession
from acompana.planning.services import do_store_plan
from acompana.policy import actor_of
from acompana.programs.models import Person


def _session(key, group, session, date, supervisor="sup-01", community="reforma"):
    return {"id": key, "track": "wellbeing", "session": session, "group": group,
            "supervisor": supervisor, "facilitator": "fac-01", "community": community,
            "date": date, "start": "10:00", "end": "12:00", "status": "planned"}


@pytest.fixture
def delivered(ces, settings, tmp_path):
    """g01: two sessions planned, one held (4 marked: 3 present, 1 absent; activities 2 done,
    1 adapted; feedback q1: 2x face 3 + 1x face 1). g02: one session, cancelled."""
    settings.CURRICULUM_DIR = write_curriculum(tmp_path / "curriculum")
    do_store_plan(by=policy.OPERATOR, program=ces, plan={"sessions": [
        _session("g01:bienestar-01", "g01", "bienestar-01", "2023-07-11"),
        _session("g01:bienestar-02", "g01", "bienestar-02", "2023-08-08"),
        _session("g02:bienestar-01", "g02", "bienestar-01", "2023-07-13",
                 community="letrero")]})
    supervisor = Person.objects.get(code="sup-01")
    actor = actor_of(_user(supervisor))
    page = sheet_page(actor=actor, key="g01:bienestar-01")
    roster = [p.code for p in page.roster][:4]
    rules = page.rules.__class__(roster=tuple(roster), activities=page.rules.activities[:3],
                                 questions=1, facilitators=page.rules.facilitators)
    held = SessionSheet(outcome="held", date=dt.date(2023, 7, 11), facilitator="sup-01",
                        duration_minutes=120,
                        attendance=dict(zip(roster, ["present", "present", "present", "absent"],
                                            strict=True)),
                        fidelity={1: "done", 2: "done", 3: "adapted"},
                        feedback={(1, 3): 2, (1, 1): 1})
    do_save_session_log(group=page.planned.group, session_code="bienestar-01", sheet=held,
                        rules=rules, entered_by=supervisor, planned=page.planned,
                        expected_version=None)
    cancelled = PlannedSession.objects.get(key="g02:bienestar-01")
    do_save_session_log(group=cancelled.group, session_code="bienestar-01", sheet=SessionSheet(
        outcome="cancelled", date=dt.date(2023, 7, 13), facilitator="sup-01",
        cancel_reason="Camino cerrado"), rules=rules.__class__(roster=(), activities=(),
                                                               questions=0),
        entered_by=supervisor, planned=cancelled, expected_version=None)
    return actor


def _user(person):
    from acompana.accounts.services import do_create_account

    if person.user is None:
        do_create_account(by=policy.OPERATOR,
                          person=person, username=person.code, password="una-clave-larga-1")
    return person.user
