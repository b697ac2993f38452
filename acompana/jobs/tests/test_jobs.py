"""Slow work through the background worker: a page starts a job, shows its progress, offers its
file; a job is its owner's alone; a failing job says so in a sentence."""

import pytest
from django.urls import reverse

from acompana.jobs.models import Job
from acompana.jobs.registry import JOB_KINDS
from acompana.jobs.services import do_start_job
from acompana.policy import Refused
from acompana.programs.models import Person
from tests.support import run_worker


def test_monthly_report_is_built_by_the_worker_and_seen_only_by_who_asked(
        transactional_db, login_as, client, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.JOBS_DIR = tmp_path
    login_as("coord-01")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get(reverse("reports:monthly", args=["xlsx"]), {"month": "2023-07"})
    with django_capture_on_commit_callbacks(execute=True):
        again = client.get(reverse("reports:monthly", args=["xlsx"]), {"month": "2023-07"})
    assert started.url == again.url  # a second click while it waits builds nothing twice
    assert Job.objects.count() == 1
    run_worker()
    job = Job.objects.get()
    assert (job.status, job.progress) == (Job.Status.DONE, 100)
    assert job.file_name.endswith(".xlsx")
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"PK")
    login_as("sup-01")
    assert client.get(started.url).status_code == 404


def test_a_failing_job_is_marked_failed_with_a_sentence_and_the_worker_goes_on(
        transactional_db, ces, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setitem(JOB_KINDS, "reports.monthly",
                        JOB_KINDS["reports.monthly"].__class__(
                            "acompana.jobs.tests.test_jobs.broken_runner",
                            JOB_KINDS["reports.monthly"].roles))
    coordinator = Person.objects.get(code="coord-01")
    with django_capture_on_commit_callbacks(execute=True):
        job = do_start_job(kind="reports.monthly", params={}, title="x", by=coordinator)
    run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "Try again" in job.error or "Vuelve a intentarlo" in job.error


def broken_runner(*, job, progress):
    progress(30, "a medias")
    raise OSError("disk full")


def test_a_role_the_kind_does_not_name_cannot_start_it(ces):
    with pytest.raises(Refused):
        do_start_job(kind="reports.monthly", params={}, title="x",
                     by=Person.objects.get(code="clin-01"))
