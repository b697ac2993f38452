"""Dashboard figures against a small fixture computed by hand, and exports within scope."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from acompana.delivery.selectors import sheet_page
from acompana.delivery.services import do_save_session_log
from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
from acompana.domain.session_sheet import SessionSheet
from acompana.planning.models import PlannedSession
from acompana.planning.services import do_store_plan
from acompana.policy import actor_of
from acompana.programs.models import Person
from acompana.reports.selectors import Period, dashboard

PERIOD = Period(dt.date(2023, 7, 1), dt.date(2024, 6, 30))


def _session(key, group, session, date, supervisor="sup-01", community="reforma"):
    return {"id": key, "track": "wellbeing", "session": session, "group": group,
            "supervisor": supervisor, "facilitator": "fac-01", "community": community,
            "date": date, "start": "10:00", "end": "12:00", "status": "planned"}


@pytest.fixture
def delivered(ces, settings, tmp_path):
    """g01: two sessions planned, one held (4 marked: 3 present, 1 absent; activities 2 done,
    1 adapted; feedback q1: 2x face 3 + 1x face 1). g02: one session, cancelled."""
    settings.CURRICULUM_DIR = write_curriculum(tmp_path / "curriculum")
    do_store_plan(program=ces, plan={"sessions": [
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
        do_create_account(person=person, username=person.code, password="una-clave-larga-1")
    return person.user


def test_figures_match_the_hand_computed_fixture(delivered):
    board = dashboard(actor=delivered, period=PERIOD)
    figures = {g.code: g for g in board.groups}
    g01, g02 = figures["g01"], figures["g02"]
    assert (g01.planned, g01.held, g01.missed) == (2, 1, 0)
    assert (g02.planned, g02.held, g02.missed) == (1, 0, 1)
    assert (g01.present, g01.marked, g01.attendance_rate) == (3, 4, 0.75)
    assert g01.fidelity == {"done": 2, "adapted": 1}
    assert g01.fidelity_done == pytest.approx(2 / 3)
    assert g01.feedback_mean == pytest.approx((3 * 2 + 1 * 1) / 3)
    assert set(figures) == {"g01", "g02", "g03"}  # sup-01's groups only
    assert board.monthly_attendance == [(dt.date(2023, 7, 1), 0.75)]
    assert board.totals.planned == 3


def test_period_filter_leaves_out_other_months(delivered):
    board = dashboard(actor=delivered, period=Period(dt.date(2023, 8, 1),
                                                     dt.date(2023, 8, 31)))
    g01 = next(g for g in board.groups if g.code == "g01")
    assert (g01.planned, g01.held, g01.marked) == (1, 0, 0)


def test_dashboard_page_and_drill_down(delivered, client):
    client.force_login(Person.objects.get(code="sup-01").user)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "<svg" in page and "Grupo Reforma" in page and "75%" in page
    drill = client.get(reverse("reports:group", args=["g01"])).content.decode()
    assert drill.count("100%") == 3 and "0%" in drill


def test_exports_hold_only_the_scope_and_open_as_data(delivered, client, login_as):
    client.force_login(Person.objects.get(code="sup-01").user)
    response = client.get(reverse("reports:export", args=["asistencia", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["date", "group", "session", "person", "name", "status"]
    assert len(rows) == 5
    response = client.get(reverse("reports:export", args=["sesiones", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["held",
                                                                                 "cancelled"]
    login_as("sup-02")
    response = client.get(reverse("reports:export", args=["asistencia", "csv"]))
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 1
