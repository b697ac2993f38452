"""The curriculum as the web app reads it: the source files, loaded once until they change."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import Http404

from acompana.domain.curriculum import Curriculum, Session, load_curriculum


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
