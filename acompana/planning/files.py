"""The work plan's files (PDF, XLSX, calendars, chart): built once per plan version by the
background worker, then served from storage.

A version is a hash of the plan as its reader sees it, the program, the curriculum, the
language and the code that writes the files, so any change to them is a new folder (and a
download always matches what the page shows). Looking a version up is quick (a hash and a
file test); building it takes 10 s or more (matplotlib, WeasyPrint), so only the worker builds,
and in a child process.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ICS_ARCHIVE = "calendarios.zip"  # written last: its presence marks a whole folder
FILE_TYPES = {
    "ics": (ICS_ARCHIVE, "application/zip"),
    "xlsx": ("workplan.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": ("workplan.pdf", "application/pdf"),
    "svg": ("workplan.svg", "image/svg+xml"),
    "png": ("workplan.png", "image/png"),
}

# The name a download is saved under, in the reader's language (the stored file keeps its own).
DOWNLOAD_NAMES = {
    "es": {"json": "plan.json", "xlsx": "plan-de-trabajo.xlsx", "pdf": "plan-de-trabajo.pdf",
           "svg": "plan-de-trabajo.svg", "png": "plan-de-trabajo.png", "ics": "calendarios.zip"},
    "en": {"json": "plan.json", "xlsx": "workplan.xlsx", "pdf": "workplan.pdf",
           "svg": "workplan.svg", "png": "workplan.png", "ics": "calendars.zip"},
}


def download_name(kind: str, lang: str) -> str:
    return DOWNLOAD_NAMES["en" if lang == "en" else "es"][kind]


@dataclass(frozen=True)
class PlanVersion:
    """One version of the plan's files: where they are kept and what they are built from."""

    folder: Path
    program_file: dict
    specs: list
    document: dict
    lang: str

    @property
    def built(self) -> bool:
        return (self.folder / ICS_ARCHIVE).exists()

    def path(self, kind: str) -> Path:
        return self.folder / FILE_TYPES[kind][0]


def plan_version(*, program, document: dict, lang: str) -> PlanVersion:
    """The version of the files of `document` (the plan as one reader sees it) in `lang`."""
    from acompana.curriculum.selectors import current_curriculum
    from acompana.domain.scheduler.sessions import session_specs
    from acompana.programs.selectors import program_as_file

    program_file = program_as_file(program)
    specs = session_specs(current_curriculum())
    version = hashlib.sha256(json.dumps(
        [document, program_file, [dataclasses.astuple(s) for s in specs], lang,
         _writers_fingerprint()], sort_keys=True, default=str).encode()).hexdigest()[:32]
    folder = Path(settings.PLAN_FILES_DIR) / program.code / f"{version}-{lang}"
    return PlanVersion(folder=folder, program_file=program_file, specs=specs,
                       document=document, lang=lang)


def version_seen_by(*, actor, lang: str, group: str = "", person: str = "") -> PlanVersion:
    """The version of the plan as this actor sees it, with the plan page's filters."""
    from acompana.planning.selectors import filtered_sessions, plan_document

    sessions = filtered_sessions(actor=actor, group=group, person=person)
    program = actor.person.program
    return plan_version(program=program, document=plan_document(program=program,
                                                                 sessions=sessions), lang=lang)


def stored_file(version: PlanVersion, kind: str) -> tuple[Path, str, str] | None:
    """(path, content type, name to download it as) when this version is built, else None:
    never builds."""
    if not version.built:
        return None
    name, content_type = FILE_TYPES[kind]
    return version.folder / name, content_type, download_name(kind, version.lang)


@functools.cache
def _writers_fingerprint() -> str:
    """The code that writes the plan files: a new release writes them again, never serves the
    files an older one wrote for the same plan."""
    from acompana.domain.scheduler import outputs

    folder = Path(outputs.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_plan_files(version: PlanVersion,
                     progress: Callable[[int, str], None] = lambda percent, step: None) -> None:
    """Write every format into a fresh folder beside the version's, then move it into place
    whole (two builds of one version at once both build; the first to finish is kept). The
    drawing runs in a child process. Run by the worker (acompana.planning.jobs, .tasks)."""
    from django.utils.translation import gettext as _

    from acompana.domain.child_process import run_in_child
    from acompana.domain.scheduler import problem_from_program
    from acompana.domain.scheduler.outputs import plan_from_json, write_outputs

    if version.built:
        return
    problem = problem_from_program(version.program_file, version.specs)
    plan = plan_from_json(version.document, source="plan")
    folder = version.folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-"))
    try:
        progress(10, _("Drawing the plan and writing its files (PDF, spreadsheet, calendars)"))
        run_in_child(write_outputs, {"problem": problem, "plan": plan, "folder": building,
                                     "language": version.lang}, timeout=300)
        progress(90, _("Packing the calendars"))
        with zipfile.ZipFile(building / ICS_ARCHIVE, "w") as archive:
            for path in sorted((building / "ics").glob("*.ics")):
                archive.write(path, path.name)
        with contextlib.suppress(OSError):  # built meanwhile by another job: keep that
            building.rename(folder)
    finally:
        shutil.rmtree(building, ignore_errors=True)
