"""The minimal curriculum reader the plan command uses until the curriculum engine's loader."""

import pytest
import yaml

from acompana.domain.scheduler.problem import SessionSpec
from acompana.domain.scheduler.sessions import CurriculumError, read_session_specs


def write(folder, track, entry):
    (folder / track).mkdir(exist_ok=True)
    (folder / track / f"{entry['id']}.yaml").write_text(yaml.safe_dump(entry, allow_unicode=True),
                                                        encoding="utf-8")


def test_session_files_read_into_specs(tmp_path):
    write(tmp_path, "bienestar", {
        "id": "bienestar-02", "track": "bienestar", "number": 2, "duration_minutes": 120,
        "title": {"es": "Respirar y estar presentes", "en": "Breathing and being present"},
        "prerequisites": ["bienestar-01", "supervisores-01"], "tags": ["mindfulness"]})
    assert read_session_specs(tmp_path) == [SessionSpec(
        id="bienestar-02", track="bienestar", number=2, duration_minutes=120,
        prerequisites=("bienestar-01", "supervisores-01"), title="Respirar y estar presentes")]


def test_a_session_file_without_its_number_is_named(tmp_path):
    write(tmp_path, "supervisores", {"id": "supervisores-01", "track": "supervisores",
                                     "duration_minutes": 180})
    with pytest.raises(CurriculumError) as error:
        read_session_specs(tmp_path)
    assert error.value.problems == [
        f"{tmp_path}/supervisores/supervisores-01.yaml: missing field(s) number."]
