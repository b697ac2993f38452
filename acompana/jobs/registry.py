"""The kinds of job a page may start: kind -> (the function that runs it, who may start it).

A runner is `run(*, job, progress) -> (file_name, body)`; it calls `progress(percent, step)`
as it goes and returns the file the page offers when the job is done. It runs in the worker,
with the job's owner as the acting person (job.owner), so it reads only what she may read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from acompana.programs.models import Role

STAFF = frozenset({Role.COORDINATOR, Role.SUPERVISOR, Role.FACILITATOR, Role.CLINICIAN})


@dataclass(frozen=True)
class JobKind:
    runner: str  # dotted path, imported when the job runs
    roles: frozenset[Role]

    def load(self) -> Callable:
        module, name = self.runner.rsplit(".", 1)
        return getattr(import_module(module), name)


JOB_KINDS: dict[str, JobKind] = {
    "curriculum.track_zip": JobKind("acompana.curriculum.jobs.track_zip", STAFF),
    "reports.monthly": JobKind("acompana.reports.jobs.monthly_report",
                               frozenset({Role.COORDINATOR, Role.SUPERVISOR})),
}
