"""Starting a job and recording its progress; the worker runs it (acompana.jobs.tasks)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acompana import policy
from acompana.jobs.models import Job
from acompana.jobs.registry import JOB_KINDS

logger = logging.getLogger("acompana.jobs")


class JobFailed(Exception):
    """A runner's failure the person can act on: its sentence is shown on the job's page."""


def job_file(job: Job) -> Path:
    """Where a finished job's file is kept (the data directory, never the database)."""
    return Path(settings.JOBS_DIR) / str(job.pk) / job.file_name


def do_start_job(*, kind: str, params: dict, title: str, by) -> Job:
    """Queue a job for the worker, or return the same job of hers still waiting or running
    (a second click does not build twice). The worker is told after the row commits."""
    actor = policy.authorize(by, "jobs.do_start_job", kind)
    with transaction.atomic():
        unfinished = Job.objects.filter(
            owner=actor.person, kind=kind, params=params,
            status__in=(Job.Status.QUEUED, Job.Status.RUNNING)).first()
        if unfinished is not None:
            return unfinished
        job = Job.objects.create(kind=kind, params=params, owner=actor.person, title=title)
        transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job: Job) -> None:
    from acompana.jobs.tasks import run_job

    run_job.enqueue(str(job.pk))


def run(job: Job) -> None:
    """Run one job in the worker: progress written as it goes (each write commits at once, so
    the page sees it), the file (or the sentence) kept, and any failure recorded in a
    sentence."""
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, step=_("Starting"))

    def progress(percent: int, step: str = "") -> None:
        Job.objects.filter(pk=job.pk).update(progress=max(0, min(100, int(percent))),
                                             step=step[:200])

    try:
        made = JOB_KINDS[job.kind].load()(job=job, progress=progress)
    except JobFailed as failure:
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED,
                                             finished_at=timezone.now(), error=str(failure))
        return
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        error = (_("The file could not be made. Try again; if it fails again, tell the "
                   "coordination.") if JOB_KINDS[job.kind].then is None else
                 _("It could not be finished. Try again; if it fails again, tell the "
                   "coordination."))
        Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED,
                                             finished_at=timezone.now(), error=error)
        return
    if isinstance(made, str):
        Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, progress=100, step="",
                                             message=made, finished_at=timezone.now())
        return
    name, body = made
    job.file_name = name
    path = job_file(job)
    shutil.rmtree(path.parent, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE, progress=100, step="",
                                         file_name=name, finished_at=timezone.now())
