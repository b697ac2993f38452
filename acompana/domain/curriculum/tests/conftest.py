from pathlib import Path

import pytest

from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum


@pytest.fixture
def curriculum_dir(tmp_path: Path) -> Path:
    """A fresh copy of the tiny valid curriculum for each test."""
    return write_curriculum(tmp_path / "curriculum")
