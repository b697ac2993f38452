"""A job's page: its progress while the worker runs it, then its file (or what it did). The page
reloads itself every few seconds until the job is finished (no script needed), and when the
person watched it finish, the file's download starts by itself; `?format=json` gives the same
row to a page that prefers to poll it."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render

from acompana.jobs import selectors, services
from acompana.jobs.models import Job
from acompana.jobs.registry import JOB_KINDS

REFRESH_SECONDS = 3


def job_view(request, pk):
    job = selectors.own_job(actor=request.actor, pk=pk)
    if request.GET.get("format") == "json":
        return JsonResponse({"status": job.status, "progress": job.progress, "step": job.step,
                             "finished": job.finished, "error": job.error,
                             "message": job.message,
                             "download": job.status == Job.Status.DONE and bool(job.file_name)
                             and request.build_absolute_uri(f"{request.path}archivo/")})
    return render(request, "jobs/job.html", {
        "job": job, "refresh": REFRESH_SECONDS, "watched": request.GET.get("watched") == "1",
        "then": JOB_KINDS[job.kind].then if job.kind in JOB_KINDS else None})


def download_view(request, pk):
    job = selectors.own_job(actor=request.actor, pk=pk)
    if job.status != Job.Status.DONE:
        return redirect("jobs:job", pk=pk)
    path = services.job_file(job)
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name)


def start_and_show(request, *, kind: str, params: dict, title: str):
    """What a page's view returns to run something slow: start the job, show its page."""
    job = services.do_start_job(kind=kind, params=params, title=title, by=request.actor)
    return redirect("jobs:job", pk=job.pk)
