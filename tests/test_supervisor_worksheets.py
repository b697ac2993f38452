"""The supervisors' guides point at what exists: what the picture-first handouts no longer hold
(country cards, checklists, worked examples, the Office steps) lives in each session's
worksheets, and the guide names the worksheet by its heading."""

from __future__ import annotations

import html
import re
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from acompana.domain.curriculum import load_curriculum
from acompana.domain.curriculum.handout import key_messages
from acompana.domain.curriculum.html_render import render_session_html, worksheets_document
from acompana.domain.curriculum.pdf import html_to_pdf

CURRICULUM = Path(__file__).resolve().parents[1] / "curriculum"
SESSIONS = [f"supervisores-{number:02d}" for number in range(1, 13)]
# How the guides used to point at what the picture-first handouts cut.
CUT_REFERENCES = {
    "es": ["tarjetas de país del material", "(en el material para participantes)",
           "(vienen en el material para participantes)", "ejemplo resuelto del material",
           "lista de revisión del material", "hoja de autoevaluación del material",
           "modelo del material", "del material\" (", "capturas de pantalla del material",
           "banco del material", "fórmula del material", "copian del material",
           "pasos numerados del material", "tabla de funciones del material",
           "instrucciones del material", "plan en el material", "el material lleva un dibujo",
           "el material tiene un espacio"],
    "en": ["from the participant handout", "in the participant handout", "in the handout",
           "from the handout", "of the handout", "page of the handout", "handout's table",
           "handout's instructions"],
}
# A worksheet named in the guide: «…» in Spanish, the worksheet(s) "…" in English.
NAMED = {"es": re.compile(r"«([^»]+)»"),
         "en": re.compile(r"worksheets? \"([^\"]+)\"(?:(?: and| to) \"([^\"]+)\")?")}


@cache
def _curriculum():
    return load_curriculum(CURRICULUM, strict=True)


def _guide_text(session_id: str, lang: str) -> str:
    fragment = render_session_html(_curriculum().sessions[session_id], lang)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _headings(session_id: str, lang: str) -> list[str]:
    session = _curriculum().sessions[session_id]
    return [message.heading for markdown in session.worksheet_markdown(lang)
            for message in key_messages(markdown) if message.heading]


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("session_id", SESSIONS)
def test_the_guide_no_longer_sends_to_the_handout_for_what_it_cut(session_id: str,
                                                                   lang: str) -> None:
    text = _guide_text(session_id, lang)
    assert [phrase for phrase in CUT_REFERENCES[lang] if phrase in text] == []


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("session_id", SESSIONS)
def test_every_worksheet_the_guide_names_is_a_heading_of_its_worksheets(session_id: str,
                                                                        lang: str) -> None:
    text = _guide_text(session_id, lang)
    headings = _headings(session_id, lang)
    named = [name for match in NAMED[lang].finditer(text) for name in match.groups() if name]
    missing = [name for name in named
               if not any(heading.startswith(name) for heading in headings)]
    assert missing == [], f"{session_id} ({lang}) names worksheets it does not have"


def test_the_guides_name_the_worksheets_of_the_cut_material() -> None:
    named = {(session_id, name) for session_id in SESSIONS
             for name in NAMED["es"].findall(_guide_text(session_id, "es"))}
    for expected in [("supervisores-02", "Tarjeta 1 · Brasil"),
                     ("supervisores-03", "Tarjeta 5 · India"),
                     ("supervisores-05", "Ejemplo resuelto"),
                     ("supervisores-05", "Lista de revisión para probar con las compañeras"),
                     ("supervisores-06", "6. La carta formal"),
                     ("supervisores-07", "8. Capturar un mes nuevo y actualizar"),
                     ("supervisores-07", "Práctica guiada en la oficina"),
                     ("supervisores-08", "Lista para observar una presentación"),
                     ("supervisores-09", "4. Banco de dinámicas de cohesión"),
                     ("supervisores-11", "5. Lista de observación de la reunión mensual"),
                     ("supervisores-12", "6. Evaluación de la formación (anónima)")]:
        assert expected in named


@pytest.mark.parametrize(("session_id", "lang", "moved"), [
    ("supervisores-05", "es", ["La doble jornada", "Lista de revisión para probar"]),
    ("supervisores-05", "en", ["The double workday"]),
    ("supervisores-07", "es", ["Visitas de enero", "Práctica guiada en la oficina",
                               "CONTAR.SI.CONJUNTO"]),
    ("supervisores-07", "en", ["January visits", "Guided office practice"]),
])
def test_the_printed_worksheets_hold_the_moved_text(session_id: str, lang: str,
                                                    moved: list[str]) -> None:
    session = _curriculum().sessions[session_id]
    laid_out = html_to_pdf(worksheets_document(session, _curriculum().track("supervisores"),
                                               lang))
    text = " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(BytesIO(laid_out.data)).pages)
    assert [phrase for phrase in moved if phrase not in text] == []
