"""The HTML fragments shared by the web app's pages and the printed guide."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from acompana.domain.curriculum import Text, load_curriculum, render_session_html, render_track_html


def test_the_session_fragment_holds_the_whole_session(curriculum_dir: Path) -> None:
    session = load_curriculum(curriculum_dir).sessions["bienestar-02"]
    html = render_session_html(session, "es")
    assert html.startswith('<section class="session" id="session-bienestar-02" lang="es">')
    for words in (
        "Sesión 2 de bienestar: ¿cómo respiramos?",
        "Objetivo dos de bienestar-02: ¡practicar en grupo!",
        "Sin electricidad: Rotafolio con dibujos",
        "<td>0:50</td><td>3. Cierre</td><td>Cierre</td>",
        '<td class="number">60</td>',
        "Inhalar contando hasta cuatro.",
        "Nota para quien facilita:</strong> Llegar temprano y acomodar el espacio.",
        "Si algunas personas leen poco:</strong> Usar dibujos en lugar de texto.",
        "Respirar tres veces antes de cada visita.",
        "Kabat-Zinn J. (1990). Full Catastrophe Living. Delacorte.",
        "Antes de esta sesión: Sesión 1",
    ):
        assert words in html


def test_the_fragment_escapes_text_and_falls_back_to_spanish(curriculum_dir: Path) -> None:
    session = load_curriculum(curriculum_dir).sessions["bienestar-01"]
    session = dataclasses.replace(session, summary=Text("Niñas <y> niños & familias"))
    html = render_session_html(session, "en")
    assert "Niñas &lt;y&gt; niños &amp; familias" in html
    assert "Session 1 of bienestar: how do we breathe?" in html
    assert "Without electricity: Flip chart with drawings" in html


def test_the_track_fragment_has_its_sessions_in_delivery_order(curriculum_dir: Path) -> None:
    curriculum = load_curriculum(curriculum_dir)
    track = curriculum.track("supervisores")
    html = render_track_html(track, curriculum.sessions_of("supervisores"), "en")
    assert "<h1>Supervisors&#39; training</h1>" in html
    assert html.index('id="session-supervisores-01"') < html.index('id="session-supervisores-02"')


def test_handout_tables_render_as_tables_in_html_and_word():
    """The supervisors' comparison matrices are Markdown tables, not raw pipes."""
    import io

    from docx import Document

    from acompana.domain.curriculum.html_render import _markdown
    from acompana.domain.curriculum.word import WordWriter

    source = "| País | Pago |\n|---|---|\n| Brasil | Salario |\n"
    assert "<table>" in _markdown(source) and "|" not in _markdown(source)
    writer = WordWriter("Hoja", "es")
    writer.markdown(source)
    document = Document(io.BytesIO(writer.save()))
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [
        ["País", "Pago"], ["Brasil", "Salario"]]
