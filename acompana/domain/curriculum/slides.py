"""A session's slide deck: a title slide, then one slide per entry of the session's outline.

Slides are for rooms where people read little: 16:9, each with one large picture and its title
(a few words); the outline's bullets are the facilitator's script, in the speaker notes. Every
text box is sized for its text with real font metrics (a wider font than the one the deck names,
so it fits wherever it is shown), and no box overlaps another.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from PIL import ImageFont
from pptx import Presentation
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from acompana.domain.curriculum.labels import labels
from acompana.domain.curriculum.model import Picture, Session, Track
from acompana.domain.curriculum.pictures import picture_png
from acompana.domain.office_language import tag_pptx
from acompana.domain.reproducible import FIXED_DATETIME, normalise_zip

TITLE_LAYOUT = 0
TITLE_ONLY_LAYOUT = 5
SLIDE_WIDTH, SLIDE_HEIGHT = Emu(12192000), Emu(6858000)  # 16:9, 13.333 x 7.5 in
MARGIN = Inches(0.5)
DECK_FONT = "Arial"
# Measured with DejaVu Sans, wider than Arial and Calibri: text that fits here fits there.
MEASURING_FONT = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"
LINE_HEIGHT = 1.2
LANGUAGE_IDS = {"es": MSO_LANGUAGE_ID.MEXICAN_SPANISH, "en": MSO_LANGUAGE_ID.ENGLISH_US}


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int


# The places on a slide, none overlapping another.
COVER_PICTURE = Box(MARGIN, Inches(1.25), Inches(5.0), Inches(5.0))
COVER_TITLE = Box(Inches(6.0), Inches(1.25), Inches(6.83), Inches(3.4))
COVER_SUBTITLE = Box(Inches(6.0), Inches(4.85), Inches(6.83), Inches(1.4))
SLIDE_TITLE = Box(MARGIN, Inches(0.35), Inches(12.33), Inches(1.6))
SLIDE_PICTURE = Box(Inches(4.17), Inches(2.2), Inches(5.0), Inches(5.0))


def session_pptx(session: Session, track: Track, lang: str) -> bytes:
    """The deck, with 1 + len(session.slides) slides."""
    t = labels(lang)
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    properties = presentation.core_properties
    properties.title = session.title.in_lang(lang)
    properties.author = properties.last_modified_by = t["program"]
    properties.created = properties.modified = FIXED_DATETIME
    properties.revision = 1

    cover = presentation.slides.add_slide(presentation.slide_layouts[TITLE_LAYOUT])
    place_text(cover.shapes.title, COVER_TITLE, session.title.in_lang(lang), lang, largest=44,
               bold=True)
    place_text(cover.placeholders[1], COVER_SUBTITLE,
               f"{track.title.in_lang(lang)} · {t['session']} {session.number}", lang, largest=24)
    place_picture(cover, session.pictures.get(session.picture or ""), COVER_PICTURE)
    set_notes(cover, session.summary.in_lang(lang))

    for outline in session.slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_ONLY_LAYOUT])
        place_text(slide.shapes.title, SLIDE_TITLE, outline.title.in_lang(lang), lang,
                   largest=40, bold=True)
        picture = session.pictures.get(outline.picture or session.picture or "")
        place_picture(slide, picture, SLIDE_PICTURE)
        set_notes(slide, "\n".join(f"• {bullet.in_lang(lang)}" for bullet in outline.bullets))
    tag_pptx(presentation, lang)
    buffer = BytesIO()
    presentation.save(buffer)
    return normalise_zip(buffer.getvalue())


def place_text(shape, box: Box, text: str, lang: str, *, largest: int, bold: bool = False
               ) -> None:
    """The text in the box at the largest size (down to 18 pt) at which it fits, in its language."""
    shape.left, shape.top, shape.width, shape.height = box.left, box.top, box.width, box.height
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(0.1))
    frame.text = text
    size = fitting_size(text, Emu(box.width - Inches(0.2)).pt, Emu(box.height - Inches(0.2)).pt,
                        largest=largest, bold=bold)
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.name = DECK_FONT
            run.font.language_id = LANGUAGE_IDS[lang]


def place_picture(slide, picture: Picture | None, box: Box) -> None:
    if picture is None:
        return
    # A PNG: PowerPoint before 2016 shows no SVG.
    slide.shapes.add_picture(BytesIO(picture_png(picture)), box.left, box.top,
                             box.width, box.height)
    slide.shapes[-1].name = f"Picture: {picture.id}"
    slide.shapes[-1]._element.nvPicPr.cNvPr.set("descr", picture.alt.es)


def set_notes(slide, text: str) -> None:
    if text:
        slide.notes_slide.notes_text_frame.text = text


@cache
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    path = MEASURING_FONT.with_name("DejaVuSans-Bold.ttf") if bold else MEASURING_FONT
    return ImageFont.truetype(str(path), size)


def wrapped_lines(text: str, size: int, width_pt: float, *, bold: bool = False) -> list[str]:
    """The text broken into lines at word boundaries, as a word processor would."""
    font = _font(size, bold)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and font.getlength(candidate) > width_pt:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def text_fits(text: str, size: int, width_pt: float, height_pt: float, *, bold: bool = False
              ) -> bool:
    font = _font(size, bold)
    lines = wrapped_lines(text, size, width_pt, bold=bold)
    return (all(font.getlength(line) <= width_pt for line in lines)
            and len(lines) * size * LINE_HEIGHT <= height_pt)


def fitting_size(text: str, width_pt: float, height_pt: float, *, largest: int,
                 bold: bool = False, smallest: int = 18) -> int:
    for size in range(largest, smallest - 1, -2):
        if text_fits(text, size, width_pt, height_pt, bold=bold):
            return size
    return smallest
