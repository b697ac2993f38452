"""Reads of jobs: a person sees only the jobs she started."""

from django.shortcuts import get_object_or_404

from acompana.jobs.models import Job
from acompana.policy import Actor


def own_job(*, actor: Actor, pk) -> Job:
    """Her job, or 404 (someone else's job is not hinted at)."""
    return get_object_or_404(Job.objects.filter(owner=actor.person), pk=pk)
