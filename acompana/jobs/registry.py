"""The kinds of job a page may start: kind -> (the function that runs it, who may start it).

A runner is `run(*, job, progress) -> (file_name, body)`; it calls `progress(percent, step)`
as it goes and returns the file the page offers when the job is done, or, for work that makes
no file (a re-plan), the sentence the page shows. A failure the person can act on raises
`acompana.jobs.services.JobFailed` with its sentence. It runs in the worker, with the job's
owner as the acting person (job.owner), so it reads only what she may read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from acompana.programs.models import Role

STAFF = frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.FACILITATOR, Role.CLINICIAN})


@dataclass(frozen=True)
class JobKind:
    runner: str  # dotted path, imported when the job runs
    roles: frozenset[Role]
    # The page the finished job leads on to: (URL name, link text), when it makes no file.
    then: tuple[str, str | Promise] | None = None

    def load(self) -> Callable:
        module, name = self.runner.rsplit(".", 1)
        return getattr(import_module(module), name)


JOB_KINDS: dict[str, JobKind] = {
    "curriculum.track_zip": JobKind("acompana.curriculum.jobs.track_zip", STAFF),
    "curriculum.material": JobKind("acompana.curriculum.jobs.material", STAFF),
    "reports.monthly": JobKind("acompana.reports.jobs.monthly_report",
                               frozenset({Role.COORDINATOR, Role.SUPERVISOR})),
    "planning.plan_file": JobKind("acompana.planning.jobs.plan_file", STAFF),
    "planning.replan": JobKind("acompana.planning.jobs.replan", frozenset({Role.COORDINATOR}),
                               then=("planning:calendar", _("See the work plan"))),
}
