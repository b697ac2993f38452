"""The jobs' task for Django's tasks framework (django-tasks, database backend)."""

from django_tasks import task

from acompana.jobs.models import Job


@task()
def run_job(job_id: str) -> None:
    from acompana.jobs.services import run

    job = Job.objects.filter(pk=job_id).first()
    if job is not None and job.status == Job.Status.QUEUED:
        run(job)
