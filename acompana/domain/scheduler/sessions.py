"""The curriculum's sessions as the scheduler needs them, read by the curriculum engine.

One loader for the whole system: the engine validates everything (ids, prerequisites and their
cycles, durations) and the scheduler keeps the fields it plans with.
"""

from __future__ import annotations

from pathlib import Path

from acompana.domain.curriculum import Curriculum, CurriculumError, load_curriculum
from acompana.domain.scheduler.problem import SessionSpec

__all__ = ["CurriculumError", "read_session_specs", "session_specs"]


def session_specs(curriculum: Curriculum) -> list[SessionSpec]:
    """Every session of every track, with its Spanish title for the plan's documents and its
    track's audience (which the scheduler plans by, whatever the track's id)."""
    return [SessionSpec(id=session.id, track=session.track, number=session.number,
                        duration_minutes=session.duration_minutes,
                        prerequisites=tuple(session.prerequisites), title=session.title.es,
                        audience=track.audience)
            for track in curriculum.tracks for session in curriculum.sessions_of(track.id)]


def read_session_specs(curriculum: Path) -> list[SessionSpec]:
    """Load and check the curriculum folder; raises CurriculumError naming every problem."""
    return session_specs(load_curriculum(curriculum))
