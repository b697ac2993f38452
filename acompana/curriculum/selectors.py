"""The curriculum as the web app reads it: the source files, loaded once until they change."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404

from acompana import policy
from acompana.domain.curriculum import Curriculum, Session, load_curriculum
from acompana.domain.curriculum.build import (
    ATTENDANCE,
    GUIDE,
    HANDOUT,
    SLIDES,
    PlannedOutput,
    built_file,
)
from acompana.domain.curriculum.model import ProgramDetails
from acompana.programs.models import Program
from acompana.programs.selectors import program_details

# The materials a session page offers: URL name -> (kind in the manifest, file ending).
MATERIALS = {
    "handout": (HANDOUT, ".pdf"),
    "slides": (SLIDES, ".pptx"),
    "attendance": (ATTENDANCE, ".pdf"),
    "guide-pdf": (GUIDE, ".pdf"),
    "guide-docx": (GUIDE, ".docx"),
}


def _signature(directory: Path) -> tuple:
    """Changes whenever a source file is added, removed or edited."""
    return tuple(sorted((str(path), path.stat().st_mtime_ns)
                        for path in directory.rglob("*") if path.suffix in (".yaml", ".md")))


@lru_cache(maxsize=4)
def _load(directory: str, signature: tuple) -> Curriculum:
    return load_curriculum(directory)


def current_curriculum() -> Curriculum:
    directory = Path(settings.CURRICULUM_DIR)
    return _load(str(directory), _signature(directory))


def curriculum_session(code: str) -> Session:
    try:
        return current_curriculum().sessions[code]
    except KeyError:
        raise Http404(f"No curriculum session {code}") from None


def curriculum_session_ids() -> set[str]:
    return set(current_curriculum().sessions)


def printed_program(actor: policy.Actor) -> ProgramDetails | None:
    """What the materials print of the actor's program (the first program for the server's
    administration), or None when no program is loaded."""
    program = actor.person.program if actor.person else Program.objects.order_by("pk").first()
    return program_details(program) if program else None


def material_wanted(session: Session, kind: str, ending: str
                    ) -> Callable[[PlannedOutput], bool]:
    """Which planned file is a session's material `kind` (as in the manifest) ending so: its
    own, or its track's (the guide)."""
    def wanted(planned: PlannedOutput) -> bool:
        return (planned.kind == kind and planned.path.endswith(ending)
                and planned.session in (session.id, None))

    return wanted


def built_material(*, lang: str, session: Session, kind: str, ending: str,
                   actor: policy.Actor) -> Path | None:
    """The material curriculum.services.do_build_material would bring up to date, when it is
    current already; None when it must be rendered first (nothing is rendered here)."""
    return built_file(Path(settings.CURRICULUM_DIR), Path(settings.MATERIALS_DIR), lang=lang,
                      track=session.track, wanted=material_wanted(session, kind, ending),
                      program=printed_program(actor))
