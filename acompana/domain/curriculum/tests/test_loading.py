"""Loading the curriculum, and a catalogue of broken sources each rejected in plain words."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from acompana.domain.curriculum import (
    CurriculumError,
    Text,
    check_curriculum,
    load_curriculum,
)
from acompana.domain.curriculum.tests.tiny_curriculum import dump, session_data


def edit_session(root: Path, session_id: str, change: Callable[[dict], None]) -> None:
    """Load a session file of the tiny curriculum, change its data, write it back."""
    track = session_id.rpartition("-")[0]
    path = root / track / f"{session_id}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    dump(path, data)


def edit_tracks(root: Path, change: Callable[[dict], None]) -> None:
    path = root / "tracks.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    dump(path, data)


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line holding `needle`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def problem_lines(problems) -> list[str]:
    return [f"{problem.severity}: {problem}" for problem in problems]


def test_the_tiny_curriculum_loads_in_track_order(curriculum_dir: Path) -> None:
    curriculum = load_curriculum(curriculum_dir)
    assert [track.id for track in curriculum.tracks] == ["bienestar", "supervisores"]
    assert list(curriculum.sessions) == [
        "bienestar-01", "bienestar-02", "supervisores-01", "supervisores-02"]
    session = curriculum.sessions["bienestar-02"]
    assert session.title == Text("Sesión 2 de bienestar: ¿cómo respiramos?",
                                 "Session 2 of bienestar: how do we breathe?")
    assert session.prerequisites == ("bienestar-01",)
    assert session.activities[0].low_literacy.in_lang("en") == "Use drawings, not text."
    assert set(session.handouts) == {"es", "en"}
    assert curriculum.overview.sections[0].heading.in_lang("es") == "Propósito"
    assert check_curriculum(curriculum_dir, strict=True) == []


def _unknown_field(root: Path) -> None:
    edit_session(root, "bienestar-01", lambda data: data.update(colour="rojo"))


def _missing_field(root: Path) -> None:
    edit_session(root, "bienestar-01", lambda data: data.pop("take_home"))


def _wrong_type(root: Path) -> None:
    edit_session(root, "bienestar-01", lambda data: data.update(duration_minutes="dos horas"))


def _text_as_list(root: Path) -> None:
    edit_session(root, "bienestar-01", lambda data: data.update(title=["uno", "dos"]))


def _id_not_file_name(root: Path) -> None:
    edit_session(root, "bienestar-02", lambda data: data.update(id="bienestar-09"))


def _duplicate_id(root: Path) -> None:
    data = session_data("bienestar", 1, [])
    dump(root / "supervisores" / "bienestar-01.yaml", data)


def _track_mismatch(root: Path) -> None:
    edit_session(root, "bienestar-02", lambda data: data.update(track="supervisores"))


def _listed_but_missing(root: Path) -> None:
    edit_tracks(root, lambda data: data["tracks"][0]["sessions"].append("bienestar-03"))


def _not_listed(root: Path) -> None:
    dump(root / "bienestar" / "bienestar-03.yaml", session_data("bienestar", 3, []))


def _number_out_of_place(root: Path) -> None:
    edit_session(root, "bienestar-02", lambda data: data.update(number=5))


def _unknown_prerequisite(root: Path) -> None:
    edit_session(root, "bienestar-02", lambda data: data.update(prerequisites=["bienestar-07"]))


def _cycle(root: Path) -> None:
    edit_session(root, "supervisores-01", lambda data: data.update(prerequisites=["bienestar-02"]))


def _later_prerequisite(root: Path) -> None:
    edit_session(root, "bienestar-01", lambda data: data.update(prerequisites=["bienestar-02"]))


def _minutes_do_not_add_up(root: Path) -> None:
    edit_session(root, "bienestar-01", lambda data: data["activities"][1].update(minutes=20))


def _unknown_kind(root: Path) -> None:
    edit_session(root, "bienestar-01", lambda data: data["activities"][1].update(kind="juego"))


def _too_many_objectives(root: Path) -> None:
    edit_session(root, "bienestar-01", lambda data: data["objectives"].extend(
        [{"es": f"Otro {n}", "en": f"Another {n}"} for n in range(3)]))


def _four_wellbeing_questions(root: Path) -> None:
    edit_session(root, "bienestar-01", lambda data: data["evaluation_questions"].append(
        {"es": "¿Algo más?", "en": "Anything else?"}))


def _bad_tag(root: Path) -> None:
    edit_session(root, "bienestar-01", lambda data: data.update(tags=["Atención Plena"]))


def _zero_minutes(root: Path) -> None:
    edit_session(root, "bienestar-01", lambda data: data["activities"][0].update(minutes=0))


def _text_with_unknown_language(root: Path) -> None:
    edit_session(root, "bienestar-01", lambda data: data.update(take_home={"es": "a", "fr": "b"}))


def _invalid_yaml(root: Path) -> None:
    (root / "bienestar" / "bienestar-01.yaml").write_text("id: bienestar-01\ntitle: [sin cerrar\n",
                                                           encoding="utf-8")


def _empty_file(root: Path) -> None:
    (root / "bienestar" / "bienestar-01.yaml").write_text("# nada\n", encoding="utf-8")


def _field_twice(root: Path) -> None:
    path = root / "bienestar" / "bienestar-01.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "number: 1\n", encoding="utf-8")


def _folder_not_a_track(root: Path) -> None:
    shutil.move(root / "bienestar" / "bienestar-02.yaml", root / "otros" / "bienestar-02.yaml")


def _track_listed_twice(root: Path) -> None:
    edit_tracks(root, lambda data: data["tracks"][1]["sessions"].append("bienestar-01"))


def _unknown_audience(root: Path) -> None:
    edit_tracks(root, lambda data: data["tracks"][0].update(audience="todas"))


# (change, file, field, message): each broken curriculum is rejected with exactly these words.
BROKEN = {
    "unknown field": (
        _unknown_field, "bienestar/bienestar-01.yaml", "colour",
        "unknown field 'colour'; expected one of: id, track, number, title"),
    "missing field": (
        _missing_field, "bienestar/bienestar-01.yaml", "take_home", "missing field 'take_home'"),
    "wrong type": (
        _wrong_type, "bienestar/bienestar-01.yaml", "duration_minutes",
        "expected a whole number, found 'dos horas'"),
    "text as a list": (
        _text_as_list, "bienestar/bienestar-01.yaml", "title",
        "expected text: a string, or a mapping with keys es and en; found a list"),
    "id not the file name": (
        _id_not_file_name, "bienestar/bienestar-02.yaml", "id",
        "id 'bienestar-09' does not match the file name; expected 'bienestar-02' "
        "(a session file is named after its id)"),
    "duplicate id": (
        _duplicate_id, "supervisores/bienestar-01.yaml", "id",
        "duplicate session id 'bienestar-01': bienestar/bienestar-01.yaml already uses it"),
    "track mismatch": (
        _track_mismatch, "bienestar/bienestar-02.yaml", "track",
        "track is 'supervisores' but the file is in the folder 'bienestar'; expected 'bienestar'"),
    "listed but no file": (
        _listed_but_missing, "tracks.yaml", "tracks[1].sessions[3]",
        "session 'bienestar-03' is listed in track 'bienestar' but there is no file "
        "bienestar/bienestar-03.yaml"),
    "file not listed": (
        _not_listed, "bienestar/bienestar-03.yaml", "id",
        "session 'bienestar-03' is not listed in tracks.yaml; add it to the sessions of track "
        "'bienestar'"),
    "number out of place": (
        _number_out_of_place, "bienestar/bienestar-02.yaml", "number",
        "number is 5 but tracks.yaml lists this session 2nd in track 'bienestar'; expected 2"),
    "unknown prerequisite": (
        _unknown_prerequisite, "bienestar/bienestar-02.yaml", "prerequisites[1]",
        "prerequisite 'bienestar-07' is not a session of the curriculum; expected the id of a "
        "session file"),
    "prerequisite cycle": (
        _cycle, "bienestar/bienestar-01.yaml", "prerequisites",
        "prerequisites form a cycle (each needs the next): bienestar-01 -> supervisores-01 -> "
        "bienestar-02 -> bienestar-01; remove one of these prerequisites"),
    "prerequisite delivered later": (
        _later_prerequisite, "bienestar/bienestar-01.yaml", "prerequisites[1]",
        "prerequisite 'bienestar-02' is delivered 2nd in track 'bienestar', not before this "
        "session (1st); expected an earlier session"),
    "minutes do not add up": (
        _minutes_do_not_add_up, "bienestar/bienestar-01.yaml", "duration_minutes",
        "the activities add up to 40 minutes but duration_minutes is 60; they must agree "
        "within 5 minutes"),
    "unknown activity kind": (
        _unknown_kind, "bienestar/bienestar-01.yaml", "activities[2].kind",
        "unknown activity kind 'juego'; expected one of: opening, dinamica, reflection, "
        "practice, input, break, closing"),
    "too many objectives": (
        _too_many_objectives, "bienestar/bienestar-01.yaml", "objectives",
        "expected 2 to 4 items, found 5"),
    "wellbeing asks exactly 3 questions": (
        _four_wellbeing_questions, "bienestar/bienestar-01.yaml", "evaluation_questions",
        "expected exactly 3 evaluation questions for track 'bienestar' (acompanantes), found 4"),
    "bad tag": (
        _bad_tag, "bienestar/bienestar-01.yaml", "tags[1]",
        "'Atención Plena' is not a valid tag; use lower-case ASCII letters and digits joined "
        "by hyphens"),
    "zero minutes": (
        _zero_minutes, "bienestar/bienestar-01.yaml", "activities[1].minutes",
        "expected a whole number of at least 1, found 0"),
    "text with unknown language": (
        _text_with_unknown_language, "bienestar/bienestar-01.yaml", "take_home.fr",
        "unknown field 'fr'; expected one of: es, en"),
    "invalid YAML": (
        _invalid_yaml, "bienestar/bienestar-01.yaml", "(file)", "this is not valid YAML"),
    "empty file": (
        _empty_file, "bienestar/bienestar-01.yaml", "(file)",
        "the file is empty; expected a session"),
    "field twice": (
        _field_twice, "bienestar/bienestar-01.yaml", "number", "this field appears twice"),
    "folder not a track": (
        _folder_not_a_track, "otros/bienestar-02.yaml", "track",
        "the folder 'otros' is not a track in tracks.yaml; expected one of: bienestar, "
        "supervisores"),
    "session in two tracks": (
        _track_listed_twice, "tracks.yaml", "tracks[2].sessions[3]",
        "session 'bienestar-01' is listed twice (also in track 'bienestar')"),
    "unknown audience": (
        _unknown_audience, "tracks.yaml", "tracks[1].audience",
        "unknown audience 'todas'; expected one of: acompanantes, supervisors"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_curriculum_is_rejected_in_plain_words(curriculum_dir: Path, case: str) -> None:
    change, file, field, message = BROKEN[case]
    (curriculum_dir / "otros").mkdir()
    change(curriculum_dir)
    with pytest.raises(CurriculumError) as raised:
        load_curriculum(curriculum_dir)
    errors = [problem for problem in raised.value.problems if problem.is_error]
    matching = [problem for problem in errors if problem.file == file and
                f"{field}: {message}" in str(problem)]
    assert matching, "\n".join(problem_lines(raised.value.problems))


def test_a_problem_points_at_the_line_to_change(curriculum_dir: Path) -> None:
    _unknown_kind(curriculum_dir)
    [problem] = check_curriculum(curriculum_dir)
    path = curriculum_dir / "bienestar" / "bienestar-01.yaml"
    assert problem.line == line_of(path, "kind: juego")
    assert str(problem) == (
        f"bienestar/bienestar-01.yaml:{problem.line}: activities[2].kind: unknown activity kind "
        "'juego'; expected one of: opening, dinamica, reflection, practice, input, break, closing")


def test_every_problem_is_reported_at_once(curriculum_dir: Path) -> None:
    _unknown_field(curriculum_dir)
    _listed_but_missing(curriculum_dir)
    _unknown_kind(curriculum_dir)
    with pytest.raises(CurriculumError) as raised:
        load_curriculum(curriculum_dir)
    assert len([problem for problem in raised.value.problems if problem.is_error]) == 3
    assert "the curriculum has 3 error(s)" in str(raised.value)


def test_missing_english_is_a_warning_and_an_error_when_strict(curriculum_dir: Path) -> None:
    edit_session(curriculum_dir, "bienestar-02",
                 lambda data: data.update(summary="Solo en español, por ahora."))
    [warning] = check_curriculum(curriculum_dir)
    assert (warning.severity, warning.field, warning.message) == (
        "warning", "summary", "no English text; write it as a mapping with es and en")
    assert load_curriculum(curriculum_dir).sessions["bienestar-02"].summary.in_lang("en") == (
        "Solo en español, por ahora.")
    [error] = check_curriculum(curriculum_dir, strict=True)
    assert error.severity == "error"
    with pytest.raises(CurriculumError):
        load_curriculum(curriculum_dir, strict=True)


def test_a_missing_handout_is_a_warning_and_an_error_when_strict(curriculum_dir: Path) -> None:
    (curriculum_dir / "supervisores" / "supervisores-02.handout.en.md").unlink()
    expected = ("supervisores/supervisores-02.yaml: handout: no English participant handout; "
                "expected the file supervisores/supervisores-02.handout.en.md")
    [warning] = check_curriculum(curriculum_dir)
    assert (warning.severity, str(warning)) == ("warning", expected)
    [error] = check_curriculum(curriculum_dir, strict=True)
    assert (error.severity, str(error)) == ("error", expected)


def test_a_folder_without_tracks_file_is_named(tmp_path: Path) -> None:
    [problem] = check_curriculum(tmp_path)
    assert problem.file == str(tmp_path)
    assert problem.message.startswith("no tracks.yaml in this folder; expected a curriculum folder")
