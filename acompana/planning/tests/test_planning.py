"""Planning the CES year from the stored program, re-planning after a miss, and the outputs."""

import io
import zipfile

import pytest
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from acompana import policy
from acompana.curriculum.selectors import current_curriculum
from acompana.domain.scheduler import check_plan, problem_from_program
from acompana.domain.scheduler.outputs import plan_from_json
from acompana.domain.scheduler.sessions import session_specs
from acompana.planning.models import PlannedSession
from acompana.planning.selectors import plan_document
from acompana.planning.services import do_mark_session, do_plan_program
from acompana.programs.models import Person
from acompana.programs.selectors import program_as_file


@pytest.fixture
def planned(ces):
    result = do_plan_program(by=policy.OPERATOR, program=ces)
    assert result.status == "OPTIMAL", result.explanation
    return ces


def _violations(program):
    problem = problem_from_program(program_as_file(program), session_specs(current_curriculum()))
    return check_plan(problem, plan_from_json(plan_document(program=program)))


def test_ces_year_is_planned_and_passes_the_checker(planned):
    assert PlannedSession.objects.filter(track="wellbeing").count() == 9 * 12
    assert PlannedSession.objects.filter(track="supervisors").count() == 3 * 12
    assert _violations(planned) == []
    first = PlannedSession.objects.filter(group__code="g01").order_by("date").first()
    assert first.session_code == "bienestar-01" and str(first.date).startswith("2023-07")


def test_replanning_after_a_miss_keeps_the_past_and_moves_the_minimum(planned):
    sessions = list(PlannedSession.objects.filter(group__code="g04").order_by("date"))
    held, missed = sessions[0], sessions[1]
    coordinator = Person.objects.get(code="coord-01")
    do_mark_session(session=held, status="held", reason="", by=coordinator)
    do_mark_session(session=missed, status="missed", reason="Camino cerrado", by=coordinator)
    before = {s.key: s.date for s in PlannedSession.objects.all()}
    result = do_plan_program(by=policy.OPERATOR, program=planned)
    assert result.stored is not None, result.explanation
    after = {s.key: s.date for s in PlannedSession.objects.all()}
    held.refresh_from_db()
    missed.refresh_from_db()
    assert (held.status, held.date) == ("held", before[held.key])
    assert missed.date > before[missed.key]  # made up on a later day
    moved = {key for key in before if before[key] != after[key]}
    assert missed.key in moved and len(moved) <= 3
    assert _violations(planned) == []


def test_downloads_of_the_plan(planned, login_as, client):
    login_as("coord-01")
    xlsx = client.get(reverse("planning:download", args=["xlsx"]))
    sheets = load_workbook(io.BytesIO(xlsx.content)).sheetnames
    assert len(sheets) >= 1 + 9 + 3
    archive = zipfile.ZipFile(io.BytesIO(client.get(
        reverse("planning:download", args=["ics"])).content))
    g01 = "grupo-reforma.ics"  # files named by whom they are for
    assert g01 in archive.namelist()
    events = Calendar.from_ical(archive.read(g01)).walk("VEVENT")
    assert len(events) == 12
    assert client.get(reverse("planning:download", args=["pdf"])).content.startswith(b"%PDF")
    assert b"<svg" in client.get(reverse("planning:download", args=["svg"])).content
    assert client.get(reverse("planning:download", args=["png"])).content.startswith(
        b"\x89PNG")


def test_only_the_coordination_replans(planned, login_as, client):
    login_as("sup-01")
    assert client.post(reverse("planning:replan")).status_code == 403
    login_as("coord-01")
    response = client.post(reverse("planning:replan"), follow=True)
    assert "nada tuvo que moverse" in response.content.decode()


def test_a_group_added_without_staff_is_listed_and_the_downloads_still_work(planned, login_as,
                                                                           client):
    from acompana.programs.models import Community, Group

    Group.objects.create(program=planned, code="g10", name="Grupo Nuevo",
                         community=Community.objects.get(program=planned, code="reforma"),
                         meeting_weekday=0, meeting_week_of_month=3,
                         meeting_start="10:00")
    result = do_plan_program(program=planned, by=policy.OPERATOR)
    assert result.stored is not None, result.explanation
    assert any("g10 · Grupo Nuevo: le falta supervisora y cofacilitadora" in line
               for line in result.summary)
    login_as("coord-01")
    for kind in ("json", "xlsx", "pdf", "svg", "png", "ics"):
        assert client.get(reverse("planning:download", args=[kind])).status_code == 200, kind
    page = client.get(reverse("planning:calendar")).content.decode()
    assert "Grupo Nuevo" in page and 'id="unstaffed"' in page


def test_plan_files_are_built_once_per_plan_version(planned, login_as, client, settings,
                                                    tmp_path):
    """Every format comes from one build kept in storage; a change to the plan is a new
    version, built anew."""
    settings.PLAN_FILES_DIR = tmp_path
    login_as("coord-01")
    first = client.get(reverse("planning:download", args=["pdf"]))
    [version] = (tmp_path / "ces").iterdir()
    built = {path.name: path.stat().st_mtime_ns for path in version.iterdir() if path.is_file()}
    assert {"workplan.pdf", "workplan.xlsx", "workplan.svg", "workplan.png",
            "calendarios.zip"} <= set(built)
    for kind in ("xlsx", "ics", "png", "pdf"):
        assert client.get(reverse("planning:download", args=[kind])).status_code == 200
    assert client.get(reverse("planning:download", args=["pdf"])).content == first.content
    assert {path.name: path.stat().st_mtime_ns for path in version.iterdir()
            if path.is_file()} == built
    session = PlannedSession.objects.filter(group__code="g01").order_by("date").first()
    do_mark_session(session=session, status="held", reason="",
                    by=Person.objects.get(code="coord-01"))
    client.get(reverse("planning:download", args=["xlsx"]))
    assert len(list((tmp_path / "ces").iterdir())) == 2
