"""A session's slide deck: a title slide, then one slide per entry of the session's outline."""

from __future__ import annotations

from io import BytesIO

from pptx import Presentation
from pptx.enum.text import MSO_AUTO_SIZE

from acompana.domain.curriculum.labels import labels
from acompana.domain.curriculum.model import Session, Track
from acompana.domain.reproducible import FIXED_DATETIME, normalise_zip

TITLE_LAYOUT = 0
TITLE_AND_CONTENT_LAYOUT = 1


def session_pptx(session: Session, track: Track, lang: str) -> bytes:
    """The deck, with 1 + len(session.slides) slides."""
    t = labels(lang)
    presentation = Presentation()
    properties = presentation.core_properties
    properties.title = session.title.in_lang(lang)
    properties.author = properties.last_modified_by = t["program"]
    properties.created = properties.modified = FIXED_DATETIME
    properties.revision = 1

    cover = presentation.slides.add_slide(presentation.slide_layouts[TITLE_LAYOUT])
    cover.shapes.title.text = session.title.in_lang(lang)
    cover.placeholders[1].text = (
        f"{track.title.in_lang(lang)} · {t['session']} {session.number}"
    )
    for outline in session.slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[TITLE_AND_CONTENT_LAYOUT])
        slide.shapes.title.text = outline.title.in_lang(lang)
        body = slide.placeholders[1]
        if not outline.bullets:  # a title-only slide: no empty "click to add text" box
            body.element.getparent().remove(body.element)
            continue
        frame = body.text_frame
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # long bullets shrink, not overflow
        frame.text = outline.bullets[0].in_lang(lang)
        for bullet in outline.bullets[1:]:
            frame.add_paragraph().text = bullet.in_lang(lang)
    buffer = BytesIO()
    presentation.save(buffer)
    return normalise_zip(buffer.getvalue())
