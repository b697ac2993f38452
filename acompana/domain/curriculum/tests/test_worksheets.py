"""A session's worksheets: the printable annex the guide points at, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from acompana.domain.curriculum import CurriculumError, check_curriculum, load_curriculum
from acompana.domain.curriculum.build import WORKSHEETS, build
from acompana.domain.curriculum.tests.test_loading import edit_session

NAME = "supervisores-01.worksheet"
SHEET_ES = "# Título que el documento no repite\n\n## Ejemplo resuelto\n\n| Parte | Minutos |\n" \
           "|---|---|\n| Ver | 15 |\n\nLa doble jornada cansa.\n"
SHEET_EN = "## Worked example\n\nThe double workday is tiring.\n"


def _with_worksheet(root: Path, *, langs: tuple[str, ...] = ("es", "en")) -> Path:
    edit_session(root, "supervisores-01", lambda data: data.update(worksheets=[NAME]))
    texts = {"es": SHEET_ES, "en": SHEET_EN}
    for lang in langs:
        (root / "supervisores" / f"{NAME}.{lang}.md").write_text(texts[lang], encoding="utf-8")
    return root


def test_a_session_loads_its_worksheets_in_both_languages(curriculum_dir: Path) -> None:
    curriculum = load_curriculum(_with_worksheet(curriculum_dir), strict=True)
    session = curriculum.sessions["supervisores-01"]
    assert session.worksheets == (NAME,)
    assert session.worksheet_markdown("es") == (SHEET_ES,)
    assert session.worksheet_markdown("en") == (SHEET_EN,)
    assert curriculum.sessions["supervisores-02"].worksheet_markdown("es") == ()


def test_a_missing_language_of_a_worksheet_is_refused_even_while_drafting(
    curriculum_dir: Path,
) -> None:
    root = _with_worksheet(curriculum_dir, langs=("es",))
    with pytest.raises(CurriculumError) as error:
        load_curriculum(root)
    messages = [str(problem) for problem in error.value.problems if problem.is_error]
    assert any("no English text for worksheet" in message
               and f"supervisores/{NAME}.en.md" in message for message in messages), messages


@pytest.mark.parametrize("name", ["otra-sesion.worksheet", "supervisores-01", "hoja.pdf"])
def test_a_worksheet_name_must_belong_to_its_session(curriculum_dir: Path, name: str) -> None:
    edit_session(curriculum_dir, "supervisores-01", lambda data: data.update(worksheets=[name]))
    errors = [problem for problem in check_curriculum(curriculum_dir) if problem.is_error]
    assert errors and all(problem.field == "worksheets[1]" for problem in errors), errors


def test_a_worksheet_no_session_names_is_a_warning(curriculum_dir: Path) -> None:
    (curriculum_dir / "supervisores" / f"{NAME}.es.md").write_text(SHEET_ES, encoding="utf-8")
    problems = check_curriculum(curriculum_dir, strict=True)
    assert [problem.severity for problem in problems
            if problem.file == f"supervisores/{NAME}.es.md"] == ["warning"]


def test_unknown_session_fields_are_still_refused(curriculum_dir: Path) -> None:
    edit_session(curriculum_dir, "supervisores-01", lambda data: data.update(worksheet=[NAME]))
    assert any(problem.is_error and "worksheet" in str(problem)
               for problem in check_curriculum(curriculum_dir))


def test_the_built_worksheets_are_a_pdf_listed_with_the_other_outputs(
    curriculum_dir: Path, tmp_path: Path,
) -> None:
    report = build(_with_worksheet(curriculum_dir), tmp_path / "out")
    out = report.out_dir
    spanish = out / "es/supervisores/supervisores-01/supervisores-01-hojas-trabajo.pdf"
    english = out / "en/supervisores/supervisores-01/supervisores-01-worksheets.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(spanish).pages)
    assert "Hojas de trabajo" in text and "La doble jornada cansa." in text
    assert "Ejemplo resuelto" in text and "Título que el documento no repite" not in text
    assert "The double workday is tiring." in " ".join(
        page.extract_text() for page in PdfReader(english).pages)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    listed = {entry["path"]: entry for entry in manifest}
    for path, lang in ((spanish, "es"), (english, "en")):
        entry = listed[path.relative_to(out).as_posix()]
        assert (entry["kind"], entry["session"], entry["language"]) == (
            WORKSHEETS, "supervisores-01", lang)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "supervisores-01-hojas-trabajo.pdf" in index and "Hojas de trabajo (PDF)" in index
    # Sessions without worksheets get no such file.
    assert [entry["session"] for entry in manifest if entry["kind"] == WORKSHEETS] == [
        "supervisores-01", "supervisores-01"]


def test_changing_a_worksheet_re_renders_only_its_pdfs(curriculum_dir: Path,
                                                       tmp_path: Path) -> None:
    root = _with_worksheet(curriculum_dir)
    build(root, tmp_path / "out", langs=("es",))
    (root / "supervisores" / f"{NAME}.es.md").write_text(SHEET_ES + "\nOtra línea.\n",
                                                         encoding="utf-8")
    report = build(root, tmp_path / "out", langs=("es",))
    assert report.rendered == ("es/supervisores/supervisores-01/supervisores-01-hojas-trabajo.pdf",)
