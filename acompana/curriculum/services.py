"""Building the materials the web app hands out, on demand and cached by content hash."""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from acompana import policy
from acompana.curriculum.selectors import material_wanted, printed_program
from acompana.domain.curriculum import Session
from acompana.domain.curriculum.build import (
    BuildReport,
    StepReport,
    build,
    build_file,
)
from acompana.programs.models import Person


@contextmanager
def _exclusive(directory: Path):
    """One build at a time per materials folder, across gunicorn workers."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def do_build_materials(*, lang: str, track: str | None = None,
                       by: policy.Actor | Person | None,
                       on_step: StepReport | None = None) -> BuildReport:
    """Bring the built materials of one language (and track) up to date with the sources;
    `on_step` hears each stage of the build as it starts.

    Only what changed since the last build is rendered again, so a second call is quick.
    """
    actor = policy.authorize(by, "curriculum.do_build_materials")
    out_dir = Path(settings.MATERIALS_DIR)
    with _exclusive(out_dir):
        return build(Path(settings.CURRICULUM_DIR), out_dir, langs=[lang], track=track,
                     program=printed_program(actor), on_step=on_step)


def do_build_material(*, lang: str, session: Session, kind: str, ending: str,
                      by: policy.Actor | Person | None) -> Path:
    """One material of a session (`kind` as in the manifest, its file `ending`), or its track's
    guide, brought up to date alone: a download waits for its own file, not for the track."""
    actor = policy.authorize(by, "curriculum.do_build_material")
    out_dir = Path(settings.MATERIALS_DIR)
    with _exclusive(out_dir):
        return build_file(Path(settings.CURRICULUM_DIR), out_dir, lang=lang, track=session.track,
                          wanted=material_wanted(session, kind, ending),
                          program=printed_program(actor))
