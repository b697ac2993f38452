"""Planning the CES year from the stored program, re-planning after a miss, and the outputs."""

import datetime as dt
import io
import zipfile

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar
from openpyxl import load_workbook

from acompana import policy
from acompana.curriculum.selectors import current_curriculum
from acompana.domain.scheduler import check_plan, problem_from_program
from acompana.domain.scheduler.outputs import plan_from_json
from acompana.domain.scheduler.sessions import session_specs
from acompana.jobs.models import Job
from acompana.planning import files
from acompana.planning.models import PlannedSession
from acompana.planning.selectors import plan_document
from acompana.planning.services import do_mark_session, do_plan_program
from acompana.programs.models import Person
from acompana.programs.selectors import program_as_file
from tests.support import run_worker


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


@pytest.fixture
def plan_storage(settings, tmp_path):
    """The plan's files and the jobs' files in folders of this test's own."""
    settings.PLAN_FILES_DIR = tmp_path / "plan-files"
    settings.JOBS_DIR = tmp_path / "jobs"
    return settings.PLAN_FILES_DIR


def _never_build(monkeypatch):
    """From here on, a download that would build the plan's files fails the test."""
    def refused(*args, **kwargs):
        raise AssertionError("the plan's files were built again")

    monkeypatch.setattr(files, "build_plan_files", refused)


def _download(client, kind: str) -> bytes:
    response = client.get(reverse("planning:download", args=[kind]))
    assert response.status_code == 200, (kind, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


def _first_download(client, kind: str, capture) -> Job:
    """A download of a version not built yet: the job's page, then the worker builds it."""
    with capture(execute=True):
        response = client.get(reverse("planning:download", args=[kind]))
    job = Job.objects.get(kind="planning.plan_file", params__kind=kind)
    assert response.status_code == 302 and response.url == reverse("jobs:job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert 'aria-busy="true"' in page and "<progress" in page and 'http-equiv="refresh"' in page
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    return job


def test_downloads_of_the_plan(transactional_db, planned, login_as, client, plan_storage,
                               django_capture_on_commit_callbacks, monkeypatch):
    """The first download of a plan version is built by the worker while a page shows the
    progress, then offers the file; every format is then served from storage, never built."""
    login_as("coord-01")
    job = _first_download(client, "pdf", django_capture_on_commit_callbacks)
    watched = client.get(reverse("jobs:job", args=[job.pk]), {"watched": "1"}).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in watched  # the download starts by itself
    built = client.get(reverse("jobs:download", args=[job.pk]))
    assert b"".join(built.streaming_content).startswith(b"%PDF")
    _never_build(monkeypatch)
    assert _download(client, "pdf").startswith(b"%PDF")
    # Saved under Spanish names on a Spanish page (English ones on an English page).
    names = {kind: client.get(reverse("planning:download", args=[kind]))["Content-Disposition"]
             for kind in ("pdf", "xlsx", "ics")}
    assert names == {"pdf": 'attachment; filename="plan-de-trabajo.pdf"',
                     "xlsx": 'attachment; filename="plan-de-trabajo.xlsx"',
                     "ics": 'attachment; filename="calendarios.zip"'}
    page = client.get(reverse("planning:calendar")).content.decode()
    assert "plan-de-trabajo.pdf" in page and "workplan" not in page
    sheets = load_workbook(io.BytesIO(_download(client, "xlsx"))).sheetnames
    assert len(sheets) >= 1 + 9 + 3
    archive = zipfile.ZipFile(io.BytesIO(_download(client, "ics")))
    g01 = "grupo-reforma.ics"  # files named by whom they are for
    assert g01 in archive.namelist()
    events = Calendar.from_ical(archive.read(g01)).walk("VEVENT")
    assert len(events) == 12
    assert b"<svg" in _download(client, "svg")
    assert _download(client, "png").startswith(b"\x89PNG")


def test_only_the_coordination_replans_and_the_worker_runs_it(
        transactional_db, planned, login_as, client, django_capture_on_commit_callbacks):
    """A re-plan from the web is a job: the page shows its progress, then what moved."""
    login_as("sup-01")
    assert client.post(reverse("planning:replan")).status_code == 403
    login_as("coord-01")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("planning:replan"))
    job = Job.objects.get(kind="planning.replan")
    assert started.url == reverse("jobs:job", args=[job.pk])
    assert 'aria-busy="true"' in client.get(started.url).content.decode()
    run_worker()
    page = client.get(started.url).content.decode()
    assert "nada tuvo que moverse" in page
    assert reverse("planning:calendar") in page  # and back to the plan


def test_a_group_added_without_staff_is_listed_and_the_downloads_still_work(
        transactional_db, planned, login_as, client, plan_storage,
        django_capture_on_commit_callbacks, monkeypatch):
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
    assert _download(client, "json")
    _first_download(client, "pdf", django_capture_on_commit_callbacks)
    _never_build(monkeypatch)
    for kind in ("xlsx", "pdf", "svg", "png", "ics"):
        assert _download(client, kind), kind
    page = client.get(reverse("planning:calendar")).content.decode()
    assert "Grupo Nuevo" in page and 'id="unstaffed"' in page


def test_plan_files_are_built_once_per_plan_version(
        transactional_db, planned, login_as, client, plan_storage,
        django_capture_on_commit_callbacks):
    """Every format comes from one build kept in storage; a change to the plan is a new
    version, built anew."""
    login_as("coord-01")
    job = _first_download(client, "pdf", django_capture_on_commit_callbacks)
    [version] = (plan_storage / "ces").iterdir()
    built = {path.name: path.stat().st_mtime_ns for path in version.iterdir() if path.is_file()}
    assert {"workplan.pdf", "workplan.xlsx", "workplan.svg", "workplan.png",
            "calendarios.zip"} <= set(built)
    for kind in ("xlsx", "ics", "png"):
        _download(client, kind)
    assert _download(client, "pdf") == b"".join(
        client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    assert {path.name: path.stat().st_mtime_ns for path in version.iterdir()
            if path.is_file()} == built
    session = PlannedSession.objects.filter(group__code="g01").order_by("date").first()
    do_mark_session(session=session, status="held", reason="",
                    by=Person.objects.get(code="sup-01"))  # a typed sheet: built later
    assert client.get(reverse("planning:download", args=["xlsx"])).status_code == 302


def test_a_run_of_typed_sheets_queues_one_build_once_it_has_settled(
        transactional_db, planned, login_as, client, plan_storage, monkeypatch):
    """Sheets typed one after another each mark a session held: the plan's files are built
    once, ten minutes after the first, and the next download comes from storage."""
    supervisor = Person.objects.get(code="sup-01")
    sessions = PlannedSession.objects.filter(group__code="g01").order_by("date")[:3]
    for session in sessions:
        do_mark_session(session=session, status="held", reason="", by=supervisor)
    waiting = DBTaskResult.objects.filter(
        task_path="acompana.planning.tasks.build_whole_plan_files", status="READY",
        run_after__lt=timezone.now() + dt.timedelta(days=1))
    [build] = waiting
    settle = build.run_after - timezone.now()
    assert dt.timedelta(minutes=9) < settle <= dt.timedelta(minutes=10)
    run_worker()  # what waited before (the stored plan's build), not the sheets' build
    assert build.run_after > timezone.now() and DBTaskResult.objects.ready().count() == 0
    assert len(list((plan_storage / "ces").iterdir())) == 1
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        run_worker()
        login_as("coord-01")
        _never_build(monkeypatch)
        assert _download(client, "pdf").startswith(b"%PDF")


def test_a_replan_queues_the_build_of_the_new_versions_files(
        transactional_db, planned, login_as, client, plan_storage,
        django_capture_on_commit_callbacks, monkeypatch):
    """After the coordination marks a session missed and re-plans from the web, the worker
    builds the new version's files: the next download is served from storage at once."""
    coordinator = login_as("coord-01")
    missed = PlannedSession.objects.filter(group__code="g04").order_by("date")[1]
    with django_capture_on_commit_callbacks(execute=True):
        do_mark_session(session=missed, status="missed", reason="Camino cerrado",
                        by=coordinator)
        client.post(reverse("planning:replan"))
    queued = list(DBTaskResult.objects.ready().values_list("task_path", flat=True))
    assert queued.count("acompana.planning.tasks.build_whole_plan_files") == 2
    run_worker()  # the mark's build, the re-plan, and the re-plan's build
    assert Job.objects.get(kind="planning.replan").status == Job.Status.DONE
    assert DBTaskResult.objects.filter(
        task_path="acompana.planning.tasks.build_whole_plan_files",
        status="SUCCESSFUL").count() == 3
    _never_build(monkeypatch)
    assert _download(client, "pdf").startswith(b"%PDF")
    assert len(list((plan_storage / "ces").iterdir())) == 2  # after the mark, after the re-plan


def test_a_replan_that_finds_no_plan_says_why_on_its_page(
        transactional_db, ces, login_as, client, django_capture_on_commit_callbacks,
        monkeypatch):
    """The solver's explanation (and any retry it needed) is the failed job's sentence."""
    from acompana.planning import services

    monkeypatch.setattr(services, "do_plan_program", lambda **kwargs: services.PlanningResult(
        status="INFEASIBLE", summary=[], stored=None,
        explanation="Las sesiones de g04 no caben en el periodo.",
        incidents=["El proceso del planificador se detuvo y se volvió a intentar."]))
    login_as("coord-01")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("planning:replan"))
    run_worker()
    job = Job.objects.get(kind="planning.replan")
    assert job.status == Job.Status.FAILED
    page = client.get(started.url).content.decode()
    assert "no caben en el periodo" in page and "se volvió a intentar" in page
    assert reverse("planning:calendar") in page
