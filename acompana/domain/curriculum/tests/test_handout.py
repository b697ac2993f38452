"""Picture-first handouts: key messages beside their pictures, boxes to draw and tick, the help
box where help is spoken of, and the limits `check` and the build hold a handout to."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from acompana.domain.curriculum import check_curriculum, load_curriculum
from acompana.domain.curriculum.build import build
from acompana.domain.curriculum.handout import (
    WORDS_ADVISED,
    WORDS_LIMIT,
    handout_problems,
    key_messages,
    word_count,
)
from acompana.domain.curriculum.html_render import handout_document, render_handout_html
from acompana.domain.curriculum.model import HelpContact, ProgramDetails
from acompana.domain.curriculum.pdf import html_to_pdf

PROGRAM = ProgramDetails(name="Compañeros En Salud", contacts=(
    HelpContact("Clínica de Salud Mental", "+52 963 000 0000", "9:00 a 17:00", "clinic"),
    HelpContact("Línea de la Vida", "800 911 2000", "24 horas", "crisis")))

PICTURE_FIRST = """\
## Respirar despacio ayuda

![](picture:respirar)

Huele el café y **sopla** el café.

- ![](picture:ola) Tomar aire
- [ ] Lo hice con mi familia

## Para la casa

![](picture:ola)

Marca los días:

[days 7]

Dibuja cómo te sentiste:

[draw 4]

## Si te sientes muy mal

![](picture:respirar)

Habla con la clínica:

[help]
"""


def write_handout(curriculum_dir: Path, markdown: str, lang: str = "es") -> None:
    path = curriculum_dir / "bienestar" / f"bienestar-01.handout.{lang}.md"
    path.write_text(markdown, encoding="utf-8")


def problems(curriculum_dir: Path, *, strict: bool = True) -> list[str]:
    return [problem.report_line() for problem in check_curriculum(curriculum_dir, strict=strict)]


def test_a_handout_is_cut_into_key_messages_each_with_the_picture_beside_it() -> None:
    messages = key_messages("Hola.\n\n## Uno\n\n![Un aire](picture:respirar)\n\nTexto.\n"
                            "### Más\n## Dos\n\nSin dibujo.\n")
    assert [(m.heading, m.picture, m.line) for m in messages] == [
        (None, None, 1), ("Uno", ("respirar", "Un aire"), 3), ("Dos", None, 9)]
    assert messages[1].body == "Texto.\n### Más"


def test_words_are_counted_as_read_without_pictures_boxes_or_marks() -> None:
    assert word_count("## Hola, amiga\n\n![](picture:ola)\n\n- [ ] **Tomé** agua\n\n[draw 4]\n"
                      "[days 7]\n\n_____\n\n¿Cómo estás? 800 911 2000 don't") == 10


def test_the_picture_first_handout_is_valid() -> None:
    assert handout_problems("h.md", PICTURE_FIRST, strict=True) == []


def test_a_key_message_without_a_picture_is_an_error_when_strict(curriculum_dir: Path) -> None:
    write_handout(curriculum_dir, "## Sin dibujo\n\nTexto.\n\n## Con dibujo\n\n"
                                  "- ![](picture:ola) uno\n")
    expected = ("bienestar/bienestar-01.handout.es.md:1: picture: the key message 'Sin dibujo' "
                "has no picture; put one beside it with ![](picture:<id>) on its own line")
    assert expected in problems(curriculum_dir)
    assert f"{expected} (warning)" in problems(curriculum_dir, strict=False)
    assert not any("Con dibujo" in line for line in problems(curriculum_dir))


def test_too_many_words_is_a_warning_then_an_error_when_strict(curriculum_dir: Path) -> None:
    write_handout(curriculum_dir, "## Mucho\n\n![](picture:ola)\n\n" + "palabra " * 160)
    assert ("bienestar/bienestar-01.handout.es.md: words: 161 words; a handout should have "
            f"about {WORDS_ADVISED} (warning)") in problems(curriculum_dir)
    write_handout(curriculum_dir, "## Mucho\n\n![](picture:ola)\n\n" + "palabra " * 190)
    expected = (f"bienestar/bienestar-01.handout.es.md: words: 191 words; a handout has at most "
                f"{WORDS_LIMIT} (about {WORDS_ADVISED}): say less, let the pictures and boxes "
                f"speak")
    assert expected in problems(curriculum_dir)
    assert f"{expected} (warning)" in problems(curriculum_dir, strict=False)
    load_curriculum(curriculum_dir)  # a long draft still builds


def test_a_title_heading_is_a_warning_the_title_is_printed_already() -> None:
    found = handout_problems("h.md", "# Bienestar 1\n\n" + PICTURE_FIRST, strict=True)
    assert [(p.severity, p.line, p.field) for p in found] == [("warning", 1, "title")]


def test_an_unknown_box_or_a_size_it_cannot_take_is_an_error(curriculum_dir: Path) -> None:
    write_handout(curriculum_dir, "## Cajas\n\n![](picture:ola)\n\n[dibujo]\n\n[draw 40]\n\n"
                                  "[help 2]\n")
    found = problems(curriculum_dir, strict=False)
    assert ("bienestar/bienestar-01.handout.es.md:5: box: unknown box '[dibujo]'; expected "
            "[draw], [draw N] (N cm, 2-12), [days N] (1-31) or [help]") in found
    assert any(":7: box: '[draw 40]' has a size it cannot take" in line for line in found)
    assert any(":9: box: '[help 2]' has a size it cannot take" in line for line in found)


@pytest.fixture
def picture_first(curriculum_dir: Path):
    write_handout(curriculum_dir, PICTURE_FIRST)
    curriculum = load_curriculum(curriculum_dir, strict=True)
    session = curriculum.sessions["bienestar-01"]
    return session, curriculum.track("bienestar")


def test_boxes_to_draw_and_tick_are_drawn_and_help_is_placed_where_it_is_spoken_of(
        picture_first) -> None:
    session, track = picture_first
    html = handout_document(session, track, "es", PROGRAM)
    assert html.count('class="message"') == 3
    assert html.count('class="message-picture"><img') == 3  # each beside its picture
    assert '<div class="draw-box" style="height: 4cm"></div>' in html
    assert html.count('<span class="day"><span class="tick"></span>') == 7
    assert '<li class="ticked"><span class="tick"></span> Lo hice con mi familia</li>' in html
    assert '<li class="pictured"><img class="picture picture-inline"' in html
    # the help box where the handout placed it, and only there
    assert html.count("Dónde pedir ayuda") == 1
    assert html.index("Habla con la clínica") < html.index("800 911 2000")
    # its days to tick are the home practice, its box to draw the room for notes
    assert session.take_home.es not in html and "Mis notas" not in html


def test_a_handout_without_boxes_gets_the_take_home_help_and_notes_box_at_the_end(
        curriculum_dir: Path) -> None:
    curriculum = load_curriculum(curriculum_dir, strict=True)
    session = curriculum.sessions["bienestar-01"]
    html = handout_document(session, curriculum.track("bienestar"), "es", PROGRAM)
    assert session.take_home.es in html and "Mis notas y dibujos" in html
    assert html.index("Mis notas") > html.index("800 911 2000") > html.index("Para recordar")
    without_program = handout_document(session, curriculum.track("bienestar"), "es")
    assert "Dónde pedir ayuda" not in without_program


def test_help_placed_without_a_program_asks_the_facilitator(picture_first) -> None:
    session, track = picture_first
    assert "Pide a tu facilitadora el teléfono" in handout_document(session, track, "es")


def test_the_printed_handout_is_large_type_with_a_picture_for_each_key_message(
        picture_first) -> None:
    session, track = picture_first
    with pymupdf.open(stream=html_to_pdf(handout_document(session, track, "es", PROGRAM)).data,
                      filetype="pdf") as document:
        sizes = {span["size"] for page in document for block in page.get_text("dict")["blocks"]
                 for line in block.get("lines", ()) for span in line["spans"]
                 if span["text"].strip()}
        placed = sum(len(page.get_image_info()) for page in document)
        assert document.page_count <= 2
    assert round(min(sizes), 1) >= 14  # points, as the PDF stores them (13.9995...)
    assert placed == 1 + 3 + 1  # the title's, one per key message, one in the list


def test_the_web_page_shows_the_handout_with_its_pictures_and_boxes(picture_first) -> None:
    session, _ = picture_first
    html = render_handout_html(session, "es")
    assert "picture:" not in html and "[draw" not in html
    assert 'class="draw-box"' in html and "<img" in html


def test_the_build_warns_about_a_handout_longer_than_two_pages(curriculum_dir: Path,
                                                              tmp_path: Path) -> None:
    write_handout(curriculum_dir, "## Largo\n\n![](picture:ola)\n\n[draw 12]\n\n[draw 12]\n\n"
                                  "[draw 12]\n\n[draw 12]\n")
    report = build(curriculum_dir, tmp_path / "out", langs=["es"], track="bienestar")
    assert [str(w) for w in report.warnings if w.field == "pages"] == [
        "bienestar/bienestar-01.handout.es.md: pages: the printed handout has 3 pages; at most "
        "2: fewer words, smaller boxes"]
    again = build(curriculum_dir, tmp_path / "out", langs=["es"], track="bienestar")
    assert any(w.field == "pages" for w in again.warnings)  # from the cache, still said



def test_a_line_before_bold_text_breaks_at_its_last_space_not_after_its_first_word(
        curriculum_dir: Path) -> None:
    """At this width WeasyPrint broke this line after 'Cada' (a space just before <strong>)."""
    write_handout(curriculum_dir, "## Mi costal\n\n![](picture:ola)\n\nCada visita pone algo en "
                                  "mi costal: tristeza, miedo, culpa. **Todas las emociones son "
                                  "válidas.** Si no lo vacío, pesa.\n")
    curriculum = load_curriculum(curriculum_dir, strict=True)
    html = handout_document(curriculum.sessions["bienestar-01"], curriculum.track("bienestar"),
                            "es")
    with pymupdf.open(stream=html_to_pdf(html).data, filetype="pdf") as document:
        lines = ["".join(span["text"] for span in line["spans"]).strip()
                 for block in document[0].get_text("dict")["blocks"]
                 for line in block.get("lines", ())]
    assert lines[lines.index("Mi costal") + 1].startswith("Cada visita pone")
