"""The scheduler plans from the curriculum engine's sessions: one loader, one validation."""

import pytest

from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
from acompana.domain.scheduler.problem import SessionSpec
from acompana.domain.scheduler.sessions import CurriculumError, read_session_specs


def test_sessions_become_specs_in_track_order(tmp_path):
    specs = read_session_specs(write_curriculum(tmp_path))
    assert [spec.id for spec in specs] == ["bienestar-01", "bienestar-02", "supervisores-01",
                                           "supervisores-02"]
    second = specs[1]
    assert second == SessionSpec(id="bienestar-02", track="bienestar", number=2,
                                 duration_minutes=60, prerequisites=second.prerequisites,
                                 title="Sesión 2 de bienestar: ¿cómo respiramos?",
                                 audience="acompanantes")
    assert specs[2].audience == "supervisors"
    assert "bienestar-01" in second.prerequisites


def test_a_broken_curriculum_is_refused_with_the_engines_message(tmp_path):
    root = write_curriculum(tmp_path)
    path = root / "supervisores" / "supervisores-01.yaml"
    path.write_text(path.read_text().replace("number: 1", "number: uno"))
    with pytest.raises(CurriculumError) as error:
        read_session_specs(root)
    assert any("supervisores-01.yaml" in str(problem) for problem in error.value.problems)
