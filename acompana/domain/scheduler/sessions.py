"""A minimal reader of the curriculum's session files, for planning only.

It reads the five fields the scheduler needs from curriculum/<track>/<id>.yaml; the curriculum
engine's loader (which validates everything) can replace `read_session_specs` one for one.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from acompana.domain.scheduler.problem import SessionSpec


class CurriculumError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def read_session_specs(curriculum: Path) -> list[SessionSpec]:
    """Every session in curriculum/<track>/<id>.yaml as a SessionSpec (title in Spanish)."""
    problems, specs = [], []
    for path in sorted(Path(curriculum).glob("*/*.yaml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            problems.append(f"{path}: not valid YAML ({error}).")
            continue
        if not isinstance(raw, dict):
            problems.append(f"{path}: expected a mapping with id, track, number, ...")
            continue
        missing = [f for f in ("id", "track", "number", "duration_minutes") if f not in raw]
        if missing:
            problems.append(f"{path}: missing field(s) {', '.join(missing)}.")
            continue
        for field in ("number", "duration_minutes"):
            if not isinstance(raw[field], int) or raw[field] < 1:
                problems.append(f"{path}, field '{field}': expected a whole number of at least "
                                f"1, got {raw[field]!r}.")
        prerequisites = raw.get("prerequisites") or []
        if not isinstance(prerequisites, list):
            problems.append(f"{path}, field 'prerequisites': expected a list of session ids.")
            prerequisites = []
        title = raw.get("title", "")
        specs.append(SessionSpec(
            id=str(raw["id"]), track=str(raw["track"]), number=raw["number"],
            duration_minutes=raw["duration_minutes"],
            prerequisites=tuple(str(p) for p in prerequisites),
            title=str(title.get("es", "")) if isinstance(title, dict) else str(title)))
    if not specs and not problems:
        problems.append(f"{curriculum}: no session files (expected <track>/<session id>.yaml).")
    if problems:
        raise CurriculumError(problems)
    return specs
