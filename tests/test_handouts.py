"""The program's handouts are picture-first: for people who read little, one sheet each.

Every handout of both tracks, in both languages, built as `acompana build --program
programs/ces` builds it: a picture for every key message, at most two pages, at most the word
limit, type of 14 pt or more, room to draw or mark instead of lines to write on, and the
program's help numbers printed wherever the handout speaks of getting help.

How pictures are counted: the builder rasterises every library picture (SVG or PNG) to a PNG
at print resolution (`pictures.picture_png`), so each one placed on the page is an image
placement in the PDF, whatever the reader; `page.get_image_info()` lists placements (a picture
used twice counts twice), unlike `get_images()`, which lists each image once per page.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pymupdf
import pytest

from acompana.domain.curriculum import load_curriculum
from acompana.domain.curriculum.handout import MAX_PAGES, handout_problems, key_messages
from acompana.domain.curriculum.html_render import handout_document
from acompana.domain.curriculum.pdf import html_to_pdf
from acompana.domain.program_file import printed_details, read_program_file

ROOT = Path(__file__).resolve().parents[1]
CURRICULUM = ROOT / "curriculum"
MIN_POINTS = 14
# Where a handout speaks of getting help, and of violence at home (both languages).
HELP = re.compile(r"cl[ií]nic|l[ií]nea de la vida|pedir ayuda|ask(ing)? for help|emergenc",
                  re.IGNORECASE)
VIOLENCE = re.compile(r"violen", re.IGNORECASE)
WRITING_LINE = re.compile(r"_{5,}")
def _handouts() -> list:
    """(track, session, language) of every handout."""
    return [pytest.param(track, f"{track}-{number:02d}", lang, id=f"{track}-{number:02d}-{lang}")
            for track in ("bienestar", "supervisores")
            for number in range(1, 13)
            for lang in ("es", "en")]


@cache
def _curriculum():
    return load_curriculum(CURRICULUM)


@cache
def _program():
    document = read_program_file(ROOT / "programs" / "ces").document
    return printed_details(document)


def _source(track: str, session: str, lang: str) -> str:
    return (CURRICULUM / track / f"{session}.handout.{lang}.md").read_text(encoding="utf-8")


@cache
def _printed(session_id: str, lang: str) -> bytes:
    """The handout's PDF, made by the build's own renderer with the CES program file."""
    curriculum = _curriculum()
    session = curriculum.sessions[session_id]
    document = handout_document(session, curriculum.track(session.track), lang, _program())
    return html_to_pdf(document).data


@pytest.mark.parametrize("track, session, lang", _handouts())
def test_the_handout_passes_the_strict_check(track: str, session: str, lang: str) -> None:
    """A picture for each key message (`##` section), at most the word limit (180; about
    150 advised: more is only a warning), only boxes the format knows, no title heading."""
    source = _source(track, session, lang)
    problems = [str(problem) for problem in handout_problems(session, source, strict=True)
                if problem.is_error or problem.field != "words"]
    assert problems == []


@pytest.mark.parametrize("track, session, lang", _handouts())
def test_the_handout_leaves_room_to_draw_or_mark_not_lines_to_write(
        track: str, session: str, lang: str) -> None:
    assert not WRITING_LINE.search(_source(track, session, lang))


@pytest.mark.slow
@pytest.mark.parametrize("track, session, lang", _handouts())
def test_the_printed_handout_is_picture_first(track: str, session: str, lang: str) -> None:
    """At most two pages, type of 14 pt or more, a picture for the title and each message."""
    source = _source(track, session, lang)
    with pymupdf.open(stream=_printed(session, lang), filetype="pdf") as document:
        pages = document.page_count
        placed = sum(len(page.get_image_info()) for page in document)
        sizes = [span["size"] for page in document
                 for block in page.get_text("dict")["blocks"]
                 for line in block.get("lines", ()) for span in line["spans"]
                 if span["text"].strip()]
    messages = [message for message in key_messages(source) if message.heading is not None]
    assert pages <= MAX_PAGES
    assert placed >= 1 + len(messages)
    assert round(min(sizes), 1) >= MIN_POINTS  # as stored: 13.9995... is 14 pt


@pytest.mark.slow
@pytest.mark.parametrize("track, session, lang", _handouts())
def test_the_programs_help_numbers_are_printed_where_help_is_mentioned(
        track: str, session: str, lang: str) -> None:
    source = _source(track, session, lang)
    if not HELP.search(source):
        pytest.skip("the handout does not speak of getting help")
    with pymupdf.open(stream=_printed(session, lang), filetype="pdf") as document:
        text = " ".join(" ".join(page.get_text().split()) for page in document)
    contacts = {contact.topic: contact for contact in _program().contacts}
    expected = [contacts["clinic"], contacts["crisis"]]
    if VIOLENCE.search(source):
        expected.append(contacts["violence"])
    for contact in expected:
        assert f"{contact.name}: {contact.phone}" in text, contact.name
