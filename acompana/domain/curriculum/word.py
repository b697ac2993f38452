"""The facilitator guide and the program overview as Word documents, with real Word styles.

Styles, not direct formatting, so a program can restyle the whole guide in Word: Title,
Heading 1 per session, Heading 2 per activity (and per part of a session), List Number for
steps (restarting at 1 for each list), List Bullet, and the 'Light List Accent 1' table style.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Sequence
from io import BytesIO

import markdown
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from acompana.domain.curriculum.html_render import schedule
from acompana.domain.curriculum.labels import labels
from acompana.domain.curriculum.model import Overview, Session, Text, Track
from acompana.domain.curriculum.reproducible import FIXED_DATETIME, normalise_zip

TABLE_STYLE = "Light List Accent 1"
HEADING_STYLES = {"h1": "Heading 2", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 4"}


def guide_docx(track: Track, sessions: Sequence[Session], lang: str) -> bytes:
    """The facilitator guide of a track: a cover page, then one chapter per session."""
    t = labels(lang)
    document = _new_document(f"{t['facilitator_guide']}: {track.title.in_lang(lang)}")
    document.add_paragraph(track.title.in_lang(lang), style="Title")
    audience = t[f"audience_{track.audience}"]
    document.add_paragraph(
        f"{t['facilitator_guide']} · {t['audience']}: {audience} · "
        f"{len(sessions)} {t['sessions']}", style="Subtitle")
    document.add_paragraph(track.summary.in_lang(lang))
    document.add_paragraph(t["how_to_use"])
    contents = document.add_paragraph()
    contents.add_run(t["contents"]).bold = True
    for session in sessions:
        document.add_paragraph(f"{t['session']} {session.number}. {session.title.in_lang(lang)}")
    for session in sessions:
        _add_session(document, session, lang)
    return _save(document)


def overview_docx(overview: Overview, lang: str) -> bytes:
    """The program overview: its title, then each section's heading and Markdown body."""
    document = _new_document(overview.title.in_lang(lang))
    document.add_paragraph(overview.title.in_lang(lang), style="Title")
    for section in overview.sections:
        document.add_heading(section.heading.in_lang(lang), level=1)
        _add_markdown(document, section.body.in_lang(lang))
    return _save(document)


def _new_document(title: str) -> WordDocument:
    document = Document()
    properties = document.core_properties
    properties.title = title
    properties.author = labels("es")["program"]
    properties.last_modified_by = labels("es")["program"]
    properties.created = properties.modified = FIXED_DATETIME
    properties.revision = 1
    _add_page_numbers(document)
    return document


def _save(document: WordDocument) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def _add_page_numbers(document: WordDocument) -> None:
    """A centred PAGE field in the footer: Word fills in the number on every page."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)


def _add_session(document: WordDocument, session: Session, lang: str) -> None:
    t = labels(lang)
    heading = document.add_heading(
        f"{t['session']} {session.number}. {session.title.in_lang(lang)}", level=1)
    heading.paragraph_format.page_break_before = True
    document.add_paragraph(session.summary.in_lang(lang))
    facts = f"{t['duration']}: {session.duration_minutes} {t['minutes_long']}"
    if session.prerequisites:
        facts += f" · {t['prerequisites']}: {', '.join(session.prerequisites)}"
    document.add_paragraph(facts)
    document.add_heading(t["objectives"], level=2)
    _add_list(document, session.objectives, lang, style="List Bullet")
    if session.materials:
        document.add_heading(t["materials"], level=2)
        for material in session.materials:
            paragraph = document.add_paragraph(material.item.in_lang(lang), style="List Bullet")
            if material.without_power:
                paragraph.add_run(f" — {t['without_power']}: ").bold = True
                paragraph.add_run(material.without_power.in_lang(lang))
    document.add_heading(t["timings"], level=2)
    _add_timings(document, session, lang)
    for number, (_, activity) in enumerate(schedule(session), 1):
        kind = t[f"kind_{activity.kind}"]
        document.add_heading(
            f"{number}. {activity.name.in_lang(lang)} ({kind} · {activity.minutes} {t['minutes']})",
            level=2)
        _add_list(document, activity.steps, lang, style="List Number")
        _add_note(document, t["facilitator_notes"], activity.facilitator_notes, lang,
                  style="Intense Quote")
        _add_note(document, t["low_literacy"], activity.low_literacy, lang, style="Quote")
    document.add_heading(t["take_home"], level=2)
    document.add_paragraph(session.take_home.in_lang(lang))
    document.add_heading(t["evaluation_questions"], level=2)
    _add_list(document, session.evaluation_questions, lang, style="List Number")
    if session.references:
        document.add_heading(t["references"], level=2)
        for reference in session.references:
            document.add_paragraph(reference, style="List Bullet")


def _add_timings(document: WordDocument, session: Session, lang: str) -> None:
    t = labels(lang)
    table = document.add_table(rows=1, cols=4)
    table.style = TABLE_STYLE
    for cell, title in zip(table.rows[0].cells, (t["start"], t["activity"], t["kind"],
                                                  t["minutes"]), strict=True):
        cell.text = title
    for number, (start, activity) in enumerate(schedule(session), 1):
        cells = table.add_row().cells
        cells[0].text = start
        cells[1].text = f"{number}. {activity.name.in_lang(lang)}"
        cells[2].text = t[f"kind_{activity.kind}"]
        cells[3].text = str(activity.minutes)
    cells = table.add_row().cells
    cells[1].text = t["total"]
    cells[3].text = str(sum(activity.minutes for activity in session.activities))


def _add_note(
    document: WordDocument, label: str, text: Text | None, lang: str, *, style: str
) -> None:
    if text is None:
        return
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(text.in_lang(lang))


def _add_list(document: WordDocument, texts: Iterable[Text], lang: str, *, style: str) -> None:
    _add_items(document, [text.in_lang(lang) for text in texts], style=style)


def _add_items(document: WordDocument, items: Sequence[str], *, style: str) -> list[Paragraph]:
    """One paragraph per item; a numbered list starts again at 1."""
    paragraphs = [document.add_paragraph(item, style=style) for item in items]
    if style == "List Number" and paragraphs:
        _restart_numbering(document, paragraphs)
    return paragraphs


def _restart_numbering(document: WordDocument, paragraphs: Sequence[Paragraph]) -> None:
    """Give the paragraphs their own numbering instance, so this list counts from 1 again."""
    numbering = document.part.numbering_part.numbering_definitions._numbering
    style_num_id = document.styles["List Number"].element.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(style_num_id).abstractNumId.val
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    for paragraph in paragraphs:
        number_properties = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        number_properties.get_or_add_ilvl().val = 0
        number_properties.get_or_add_numId().val = num.numId


def _add_markdown(document: WordDocument, source: str) -> None:
    """Markdown as Word paragraphs: headings, paragraphs, lists, bold and italic."""
    html = markdown.markdown(source, extensions=["sane_lists"])
    try:
        root = ElementTree.fromstring(f"<div>{html}</div>")
    except ElementTree.ParseError:  # raw HTML the Word writer cannot follow: keep the words
        document.add_paragraph(source)
        return
    for element in root:
        if element.tag in HEADING_STYLES:
            document.add_paragraph("".join(element.itertext()), style=HEADING_STYLES[element.tag])
        elif element.tag in {"ul", "ol"}:
            style = "List Number" if element.tag == "ol" else "List Bullet"
            paragraphs = _add_items(document, [""] * len(element.findall("li")), style=style)
            for paragraph, item in zip(paragraphs, element.findall("li"), strict=True):
                _add_inline(paragraph, item)
        elif element.tag == "hr":
            document.add_paragraph("_" * 40)
        else:
            _add_inline(document.add_paragraph(), element)


def _add_inline(paragraph: Paragraph, element: ElementTree.Element, *, bold: bool = False,
                italic: bool = False) -> None:
    """The text of an element as runs, bold inside <strong> and italic inside <em>."""
    if element.text:
        run = paragraph.add_run(element.text)
        run.bold, run.italic = bold or None, italic or None
    for child in element:
        if child.tag == "br":
            paragraph.add_run().add_break()
        else:
            _add_inline(paragraph, child, bold=bold or child.tag in {"strong", "b"},
                        italic=italic or child.tag in {"em", "i"})
        if child.tail:
            run = paragraph.add_run(child.tail)
            run.bold, run.italic = bold or None, italic or None
