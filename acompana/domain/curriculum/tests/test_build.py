"""The build: every output read back, the manifest, the cache and same-bytes rebuilds."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from io import BytesIO
from pathlib import Path

import docx
import pptx
import pytest
from pypdf import PdfReader

from acompana.domain.curriculum import Text, load_curriculum
from acompana.domain.curriculum.build import (
    BuildReport,
    build,
    plan_outputs,
    write_practice_files,
)
from acompana.domain.curriculum.guide_pdf import PartStore, guide_pdf
from acompana.domain.curriculum.sources import read_sources
from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum

REAL_CURRICULUM = Path(__file__).resolve().parents[4] / "curriculum"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The tiny curriculum built once, in both languages, for the read-back tests."""
    root = tmp_path_factory.mktemp("bundle")
    source = write_curriculum(root / "curriculum")
    return source, build(source, root / "out")


def pdf_text(path: Path) -> str:
    """The PDF's text with all runs of white space made single spaces."""
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_guide_pdf_holds_titles_and_objectives_in_order(bundle) -> None:
    source, report = bundle
    curriculum = load_curriculum(source)
    guide = report.out_dir / "es/bienestar/bienestar-guia-facilitacion.pdf"
    text = pdf_text(guide)
    chapters = text[text.index("Cada capítulo es una sesión"):]  # after the cover and contents
    expected = [
        piece
        for session in curriculum.sessions_of("bienestar")
        for piece in (session.title.es, *(objective.es for objective in session.objectives))
    ]
    positions = [chapters.index(piece) for piece in expected]
    assert positions == sorted(positions)
    assert "¿cómo respiramos?" in text and "Acompañantes" in text  # Spanish survives the fonts


def test_the_guide_contents_give_each_chapter_its_page(bundle) -> None:
    _, report = bundle
    reader = PdfReader(report.out_dir / "en/bienestar/bienestar-facilitator-guide.pdf")
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    contents = pages[1]
    for number in (1, 2):
        heading = f"Session {number}. Session {number} of bienestar"
        chapter_page = next(index for index, page in enumerate(pages[2:], 3)
                            if page.startswith(heading))
        assert re.search(rf"{heading}: how do we breathe\?[ .]*{chapter_page}\b", contents)


def test_the_guide_docx_has_one_heading_1_per_session(bundle) -> None:
    source, report = bundle
    document = docx.Document(report.out_dir / "es/supervisores/supervisores-guia-facilitacion.docx")
    styles = Counter(paragraph.style.name for paragraph in document.paragraphs)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    sessions = load_curriculum(source).sessions_of("supervisores")
    assert headings == [f"Sesión {s.number}. {s.title.es}" for s in sessions]
    assert styles["Title"] == 1
    assert styles["Heading 2"] >= sum(len(s.activities) for s in sessions)
    assert document.tables[0].style.name == "Light List Accent 1"
    assert len(document.tables) == len(sessions)


def test_each_numbered_list_in_the_docx_starts_again(bundle) -> None:
    _, report = bundle
    document = docx.Document(report.out_dir / "es/bienestar/bienestar-guia-facilitacion.docx")
    numbering_ids = []
    for paragraph in document.paragraphs:
        number_properties = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
        if paragraph.style.name == "List Number" and number_properties is not None:
            numbering_ids.append(number_properties.numId.val)
    # Runs of equal ids are one list each: 3 activities + evaluation questions per session.
    lists = [key for index, key in enumerate(numbering_ids)
             if index == 0 or numbering_ids[index - 1] != key]
    assert len(lists) == len(set(lists)) == 2 * 4


def test_the_slide_deck_has_a_title_slide_and_one_slide_per_outline_entry(bundle) -> None:
    source, report = bundle
    session = load_curriculum(source).sessions["supervisores-02"]
    path = report.out_dir / "en/supervisores/supervisores-02/supervisores-02-slides.pptx"
    deck = pptx.Presentation(path)
    assert len(deck.slides) == 1 + len(session.slides)
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles == [session.title.en, *(slide.title.en for slide in session.slides)]


def test_the_handout_is_large_type_with_the_markdown_and_room_to_write(bundle) -> None:
    _, report = bundle
    path = report.out_dir / "es/bienestar/bienestar-01/bienestar-01-hoja-participantes.pdf"
    sizes: Counter[float] = Counter()

    def count_size(text, matrix, text_matrix, font, size) -> None:
        sizes[round(size * abs(matrix[0]) * abs(text_matrix[0]), 1)] += len(text.strip())

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=count_size)
    body_size = sizes.most_common(1)[0][0]
    assert body_size >= 14
    text = pdf_text(path)
    for words in ("Para recordar", "Respirar despacio ayuda. ¿Cuándo lo harás?", "Siéntate cómoda",
                  "Para practicar en casa", "Respirar tres veces antes de cada visita.",
                  "Mis notas"):
        assert words in text


def test_the_attendance_sheet_has_roster_lines_and_the_evaluation_questions(bundle) -> None:
    source, report = bundle
    session = load_curriculum(source).sessions["bienestar-02"]
    path = report.out_dir / "es/bienestar/bienestar-02/bienestar-02-asistencia-evaluacion.pdf"
    text = pdf_text(path)
    assert "Firma o huella" in text and " 15 " in text
    # The paper mirrors the session record: attendance status and how each activity went.
    assert "Presente Ausente Justificada" in text
    assert "1. Bienvenida 2. Respiración en cuatro tiempos 3. Cierre" in text
    for number, question in enumerate(session.evaluation_questions, 1):
        assert f"{number}. {question.es} No Más o menos Sí" in text
    # What the review asked to measure: the private ballot, and the care counts, never names.
    assert "Boleta privada" in text
    assert "Momentos de angustia" in text and "Canalizaciones ofrecidas" in text


def test_the_overview_is_built_from_overview_yaml(bundle) -> None:
    _, report = bundle
    text = pdf_text(report.out_dir / "en/program-overview.pdf")
    assert "Wellbeing program Purpose The program supports the Acompañantes." in text
    document = docx.Document(report.out_dir / "es/presentacion-programa.docx")
    assert [(p.style.name, p.text) for p in document.paragraphs][:3] == [
        ("Title", "Programa de bienestar"), ("Heading 1", "Propósito"),
        ("Normal", "El programa acompaña a las Acompañantes.")]


def test_the_manifest_lists_every_file_written(bundle) -> None:
    _, report = bundle
    out = report.out_dir
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    written = {
        path.relative_to(out).as_posix() for path in out.rglob("*")
        if path.is_file() and ".cache" not in path.parts and path.name != "manifest.json"
    }
    assert {entry["path"] for entry in manifest["files"]} == written
    # per language: overview, guides, sessions, picture credits and the 6 Office practice files
    # (a session: handout, slides, attendance sheet, flip chart twice, cards)
    assert len(written) == 2 * (2 + 2 * 2 + 4 * 6 + 1 + 6) + 1
    entry = next(e for e in manifest["files"] if e["path"].endswith("supervisores-01-slides.pptx"))
    assert entry["kind"] == "slides" and entry["track"] == "supervisores"
    assert entry["session"] == "supervisores-01" and entry["language"] == "en"
    index = (out / "index.html").read_text(encoding="utf-8")
    for path in written - {"index.html"}:
        assert f'href="{path}"' in index


def test_touching_one_session_re_renders_only_its_outputs_and_the_guides(tmp_path: Path) -> None:
    source = write_curriculum(tmp_path / "curriculum")
    out = tmp_path / "out"
    first = build(source, out, langs=["es"])
    assert first.cached == ()
    assert build(source, out, langs=["es"]).rendered == ()

    session_file = source / "bienestar" / "bienestar-02.yaml"
    session_file.write_text(session_file.read_text(encoding="utf-8") + "# revisado\n",
                            encoding="utf-8")
    again = build(source, out, langs=["es"])
    assert sorted(again.rendered) == sorted([
        "es/bienestar/bienestar-guia-facilitacion.pdf",
        "es/bienestar/bienestar-guia-facilitacion.docx",
        "es/bienestar/bienestar-02/bienestar-02-hoja-participantes.pdf",
        "es/bienestar/bienestar-02/bienestar-02-diapositivas.pptx",
        "es/bienestar/bienestar-02/bienestar-02-asistencia-evaluacion.pdf",
        "es/bienestar/bienestar-02/bienestar-02-rotafolio.pdf",
        "es/bienestar/bienestar-02/bienestar-02-rotafolio-tamano-carta.pdf",
        "es/bienestar/bienestar-02/bienestar-02-tarjetas.pdf",
    ])
    assert len(again.cached) == len(first.rendered) - 8

    handout = source / "bienestar" / "bienestar-02.handout.es.md"
    handout.write_text("## Nuevo\n", encoding="utf-8")
    assert build(source, out, langs=["es"]).rendered == (
        "es/bienestar/bienestar-02/bienestar-02-hoja-participantes.pdf",)

    (out / "es/presentacion-programa.pdf").write_bytes(b"edited by hand")
    assert build(source, out, langs=["es"]).rendered == ("es/presentacion-programa.pdf",)


def test_a_changed_session_lays_out_only_its_chapter_of_the_guide(curriculum_dir: Path,
                                                                  tmp_path: Path) -> None:
    curriculum = load_curriculum(curriculum_dir)
    track, sessions = curriculum.track("bienestar"), curriculum.sessions_of("bienestar")
    first = PartStore(tmp_path / "parts")
    whole = guide_pdf(track, sessions, "es", first)
    assert first.laid_out == ["front-count", "intro", "bienestar-01", "bienestar-02"]

    changed = dataclasses.replace(sessions[1], take_home=Text("Caminar despacio.", "Walk."))
    again = PartStore(tmp_path / "parts")
    guide = guide_pdf(track, [sessions[0], changed], "es", again)
    assert again.laid_out == ["bienestar-02"]
    assert "Caminar despacio." in " ".join(p.extract_text() for p in PdfReader(
        BytesIO(guide.data)).pages)
    # Joined from kept parts or laid out from scratch, the guide is the same file.
    assert guide.data == guide_pdf(track, [sessions[0], changed], "es", PartStore()).data
    assert whole.pages == guide.pages


def test_two_clean_builds_give_the_same_bytes(bundle, tmp_path: Path) -> None:
    source, report = bundle
    again = build(source, tmp_path / "out", langs=["es"])
    first = {entry.path: entry.sha256 for entry in report.files if entry.language == "es"}
    second = {entry.path: entry.sha256 for entry in again.files if entry.language == "es"}
    assert second == first
    assert any(path.endswith(".pdf") for path in second)


def test_a_track_and_a_language_can_be_built_alone(curriculum_dir: Path) -> None:
    curriculum = load_curriculum(curriculum_dir)
    plan = plan_outputs(curriculum, read_sources(curriculum_dir), langs=["en"],
                        track="supervisores")
    assert {(output.lang, output.track) for output in plan} == {("en", "supervisores")}
    assert len(plan) == 2 + 2 * 6
    with pytest.raises(ValueError, match="unknown track 'otra'; expected one of: bienestar, "
                                         "supervisores"):
        plan_outputs(curriculum, read_sources(curriculum_dir), track="otra")


def test_practice_files_join_the_manifest_when_their_module_exists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "tiny_practice.py").write_text(
        "from pathlib import Path\n\n\n"
        "def write_practice_files(out_dir: Path, lang: str, paper: str) -> list[Path]:\n"
        "    path = out_dir / f'practica-{lang}.txt'\n"
        "    path.write_text(lang)\n"
        "    return [path]\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(modules))
    out = tmp_path / "out"
    entries = write_practice_files(out, ["es", "en"], module="tiny_practice")
    assert [(e.path, e.kind, e.language) for e in entries] == [
        ("es/practica/practica-es.txt", "practice", "es"),
        ("en/practice/practica-en.txt", "practice", "en"),
    ]
    assert write_practice_files(out, ["es"], module="no_such_practice_module") == []


def test_a_build_says_each_step_as_it_starts(bundle) -> None:
    """Six numbered steps for the whole bundle; the third says how many files it renders."""
    source, report = bundle
    heard: list[tuple[int, int, str]] = []
    build(source, report.out_dir, on_step=lambda *step: heard.append(step))
    assert [(number, count) for number, count, _ in heard] == [(n, 6) for n in range(1, 7)]
    planned = len(report.rendered) + len(report.cached)
    assert heard[2][2] == (f"rendering 0 of {planned} files ({planned} unchanged since the last "
                           "build)")
    assert heard[4][2] == "writing the Office practice files"
