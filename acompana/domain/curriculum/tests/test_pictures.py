"""Pictures in the curriculum: checked before they are used, printed in handouts, guides, slides."""

from __future__ import annotations

from pathlib import Path

import pptx
import pymupdf
import pytest
import yaml
from pptx.enum.shapes import MSO_SHAPE_TYPE

from acompana.domain.curriculum import check_curriculum, load_curriculum
from acompana.domain.curriculum.build import build
from acompana.domain.curriculum.slides import text_fits
from acompana.domain.curriculum.tests.tiny_curriculum import dump

REAL_CURRICULUM = Path(__file__).resolve().parents[4] / "curriculum"


def errors(folder: Path) -> list[str]:
    return [f"{p.file}:{p.field}: {p.message}" for p in check_curriculum(folder, strict=True)
            if p.is_error]


def edit_catalogue(folder: Path, change) -> None:
    path = folder / "pictures" / "pictures.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    dump(path, data)


def test_the_tiny_curriculum_with_pictures_is_valid(curriculum_dir: Path) -> None:
    curriculum = load_curriculum(curriculum_dir, strict=True)
    session = curriculum.sessions["bienestar-01"]
    assert set(session.pictures) == {"respirar", "ola"}
    assert session.pictures["respirar"].alt.en == "A circle"


def test_a_missing_picture_file_is_refused(curriculum_dir: Path) -> None:
    (curriculum_dir / "pictures" / "ola.svg").unlink()
    assert any("pictures[2].file" in e and "no file pictures/ola.svg" in e
               for e in errors(curriculum_dir))


def test_alternative_text_is_required_in_both_languages(curriculum_dir: Path) -> None:
    edit_catalogue(curriculum_dir, lambda data: data["pictures"][0].update(alt="Un círculo"))
    assert any("pictures[1].alt" in e and "Spanish and English" in e
               for e in errors(curriculum_dir))


def test_a_picture_without_a_licence_is_refused(curriculum_dir: Path) -> None:
    edit_catalogue(curriculum_dir, lambda data: data["pictures"][1].pop("licence"))
    assert any("pictures[2].licence" in e for e in errors(curriculum_dir))
    edit_catalogue(curriculum_dir, lambda data: data["pictures"][1].update(licence="libre"))
    assert any("unknown licence 'libre'" in e for e in errors(curriculum_dir))


def test_a_licence_without_its_text_is_refused(curriculum_dir: Path) -> None:
    (curriculum_dir / "pictures" / "LICENSES" / "CC-BY-SA-4.0.txt").unlink()
    assert any("licences.CC-BY-SA-4.0.text" in e for e in errors(curriculum_dir))


def test_an_unknown_picture_named_by_a_session_or_a_handout_is_refused(
        curriculum_dir: Path) -> None:
    session = curriculum_dir / "bienestar" / "bienestar-01.yaml"
    session.write_text(session.read_text(encoding="utf-8").replace(
        "picture: ola", "picture: mar"), encoding="utf-8")
    handout = curriculum_dir / "bienestar" / "bienestar-02.handout.es.md"
    handout.write_text(handout.read_text(encoding="utf-8") + "\n![](picture:nube)\n",
                       encoding="utf-8")
    found = errors(curriculum_dir)
    assert any("bienestar-01.yaml:activities[2].picture: no picture 'mar'" in e for e in found)
    assert any("bienestar-02.handout.es.md:picture: no picture 'nube'" in e for e in found)


def test_every_picture_of_the_real_library_has_its_file_alt_text_and_licence() -> None:
    curriculum = load_curriculum(REAL_CURRICULUM)  # the library is checked alike
    assert len(curriculum.pictures) >= 40
    for picture in curriculum.pictures.values():
        assert picture.data and picture.alt.es and picture.alt.en
        assert picture.licence in curriculum.licences
    assert all(session.picture in curriculum.pictures for session in curriculum.sessions.values())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum

    root = tmp_path_factory.mktemp("pictures")
    return build(write_curriculum(root / "curriculum"), root / "out").out_dir


def pdf_image_count(path: Path) -> int:
    with pymupdf.open(path) as document:
        return sum(len(page.get_images()) for page in document)


def test_handouts_and_guides_carry_the_pictures(built: Path) -> None:
    handout = built / "es/bienestar/bienestar-01/bienestar-01-hoja-participantes.pdf"
    assert pdf_image_count(handout) >= 2  # the session's, and the one its Markdown places
    assert pdf_image_count(built / "es/bienestar/bienestar-guia-facilitacion.pdf") >= 2


def test_every_slide_has_a_picture_its_script_in_the_notes_and_boxes_that_fit(built: Path
                                                                             ) -> None:
    deck = pptx.Presentation(built / "es/bienestar/bienestar-01/bienestar-01-diapositivas.pptx")
    assert deck.slide_width * 9 == deck.slide_height * 16  # 16:9
    for slide in deck.slides:
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        boxes = [(s.left, s.top, s.left + s.width, s.top + s.height) for s in slide.shapes]
        for left, top, right, bottom in boxes:
            assert 0 <= left < right <= deck.slide_width and 0 <= top < bottom <= deck.slide_height
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text:
                run = shape.text_frame.paragraphs[0].runs[0]
                frame = shape.text_frame
                width = (shape.width - frame.margin_left - frame.margin_right) / 12700
                height = (shape.height - frame.margin_top - frame.margin_bottom) / 12700
                assert text_fits(frame.text, int(run.font.size.pt), width, height,
                                 bold=bool(run.font.bold))
                assert run._r.get_or_add_rPr().get("lang") == "es-MX"
                assert len(frame.text.split()) <= 12
    notes = deck.slides[1].notes_slide.notes_text_frame.text
    assert "Notar el aire" in notes


def test_the_picture_credits_list_every_picture_with_its_licence(built: Path) -> None:
    from acompana.domain.curriculum.tests.test_build import pdf_text

    text = pdf_text(built / "es/creditos-imagenes.pdf")
    assert "Un círculo" in text and "Una ola" in text
    assert "openmoji@17.0.0" in text and "1F30A" in text and "Creative Commons" in text
    assert "picture-credits.pdf" in (built / "index.html").read_text(encoding="utf-8")


def test_building_one_language_after_the_other_lists_both(tmp_path: Path) -> None:
    import json

    from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum

    source = write_curriculum(tmp_path / "curriculum")
    out = tmp_path / "out"
    build(source, out, langs=["es"])
    build(source, out, langs=["en"])
    languages = {entry["language"] for entry in
                 json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]}
    assert {"es", "en"} <= languages
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Español" in index and "English" in index
    build(source, out, langs=["es"], track="bienestar")  # one track again keeps the rest
    paths = [entry["path"] for entry in
             json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]]
    assert any(path.startswith("es/supervisores/") for path in paths)
    assert any(path.startswith("en/") for path in paths)


def test_spanish_office_files_say_they_are_in_mexican_spanish(built: Path) -> None:
    import zipfile

    for path in [*built.glob("es/**/*.docx"), *built.glob("es/**/*.pptx")]:
        with zipfile.ZipFile(path) as archive:
            xml = " ".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                           if name.endswith(".xml"))
        assert "en-US" not in xml, path
        assert "es-MX" in xml, path


def test_each_session_has_a_flip_chart_on_tabloid_and_on_letter_pages(built: Path) -> None:
    from acompana.domain.curriculum.tests.test_build import pdf_text

    folder = built / "es/bienestar/bienestar-01"
    with pymupdf.open(folder / "bienestar-01-rotafolio.pdf") as flip:
        # a cover and a sheet per activity, each with its back page; landscape tabloid
        assert flip.page_count == 2 * (1 + 3)
        assert (round(flip[0].rect.width), round(flip[0].rect.height)) == (1224, 792)
        assert all(flip[index].get_images() for index in range(0, 8, 2))
    text = pdf_text(folder / "bienestar-01-rotafolio.pdf")
    assert "El grupo ve ahora: 2. Respiración en cuatro tiempos" in text
    assert "Inhalar contando hasta cuatro." in text  # the cue: that activity's steps
    with pymupdf.open(folder / "bienestar-01-rotafolio-tamano-carta.pdf") as tiled:
        assert tiled.page_count == 2 * 8
        assert (round(tiled[0].rect.width), round(tiled[0].rect.height)) == (612, 792)


def test_picture_cards_print_four_to_a_page(built: Path) -> None:
    cards = built / "en/bienestar/bienestar-01/bienestar-01-cards.pdf"
    with pymupdf.open(cards) as document:
        assert document.page_count == 1 and len(document[0].get_images()) == 2
        assert "Calm" in document[0].get_text()


def test_the_programs_own_help_numbers_are_printed_in_the_handouts(tmp_path: Path) -> None:
    from acompana.domain.curriculum.model import HelpContact, ProgramDetails
    from acompana.domain.curriculum.tests.test_build import pdf_text
    from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum

    program = ProgramDetails(name="Compañeros En Salud", contacts=(
        HelpContact("Clínica de Salud Mental", "+52 963 000 0000", "9:00 a 17:00", "clinic"),
        HelpContact("Línea de la Vida", "800 911 2000", "24 horas", "crisis")))
    source = write_curriculum(tmp_path / "curriculum")
    report = build(source, tmp_path / "out", langs=["es"], track="bienestar", program=program)
    handout = "es/bienestar/bienestar-01/bienestar-01-hoja-participantes.pdf"
    text = pdf_text(report.out_dir / handout)
    assert "Dónde pedir ayuda" in text and "800 911 2000" in text and "+52 963 000 0000" in text
    # another clinic number is another handout: built again, not taken from the cache
    moved = ProgramDetails(name=program.name, contacts=(
        HelpContact("Clínica de Salud Mental", "+52 963 111 1111", "", "clinic"),))
    again = build(source, tmp_path / "out", langs=["es"], track="bienestar", program=moved)
    assert handout in again.rendered
