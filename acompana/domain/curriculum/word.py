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
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from acompana.domain.curriculum.html_render import MARKDOWN_EXTENSIONS, meeting_groups, schedule
from acompana.domain.curriculum.labels import labels
from acompana.domain.curriculum.model import Overview, ProgramDetails, Session, Text, Track
from acompana.domain.office_language import tag_docx
from acompana.domain.reproducible import FIXED_DATETIME, normalise_zip

TABLE_STYLE = "Light List Accent 1"
STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "List Number",
          "List Bullet", "Quote", "Intense Quote")
MARKDOWN_HEADINGS = {"h1": "Heading 2", "h2": "Heading 2", "h3": "Heading 3", "h4": "Heading 3"}


def guide_docx(track: Track, sessions: Sequence[Session], lang: str,
               program: ProgramDetails | None = None) -> bytes:
    """The facilitator guide of a track: a cover page with the contents and the program's
    groups for the track (who facilitates, where, when), then one chapter per session."""
    t = labels(lang)
    writer = WordWriter(f"{t['facilitator_guide']}: {track.title.in_lang(lang)}", lang)
    writer.paragraph(track.title.in_lang(lang), "Title")
    audience = t[f"audience_{track.audience}"]
    writer.paragraph(f"{t['facilitator_guide']} · {t['audience']}: {audience} · "
                     f"{len(sessions)} {t['sessions']}", "Subtitle")
    writer.paragraph(track.summary.in_lang(lang))
    writer.paragraph(t["how_to_use"])
    writer.paragraph().add_run(t["contents"]).bold = True
    for session in sessions:
        writer.paragraph(f"{t['session']} {session.number}. {session.title.in_lang(lang)}")
    if groups := meeting_groups(program, track, lang):
        writer.paragraph().add_run(t["meeting_groups"]).bold = True
        writer.table((t["group"], t["facilitators_many"], t["meeting_place"], t["usual_meeting"]),
                     [(group["name"], group["facilitators"], group["place"], group["when"])
                      for group in groups])
    for session in sessions:
        writer.session(session)
    return writer.save()


def overview_docx(overview: Overview, lang: str) -> bytes:
    """The program overview: its title, then each section's heading and Markdown body."""
    writer = WordWriter(overview.title.in_lang(lang), lang)
    writer.paragraph(overview.title.in_lang(lang), "Title")
    for section in overview.sections:
        writer.paragraph(section.heading.in_lang(lang), "Heading 1")
        writer.markdown(section.body.in_lang(lang))
    return writer.save()


class WordWriter:
    """Appends to one new Word document in one language.

    Paragraph styles are set by id: python-docx scans every style on each assignment (to find
    the default one), which made a long guide take seconds.
    """

    def __init__(self, title: str, lang: str) -> None:
        self.document = Document()
        self.lang = lang
        self.t = labels(lang)
        self.style_ids = {name: self.document.styles[name].style_id for name in STYLES}
        self.table_style = self.document.styles[TABLE_STYLE]
        properties = self.document.core_properties
        properties.title = title
        properties.author = properties.last_modified_by = self.t["program"]
        properties.created = properties.modified = FIXED_DATETIME
        properties.revision = 1
        tag_docx(self.document, lang)
        # Each numbered list gets its own instance of List Number's numbering (see items).
        self.numbering = self.document.part.numbering_part.numbering_definitions._numbering
        list_number = self.document.styles["List Number"].element.pPr.numPr.numId.val
        self.list_number_abstract_id = (
            self.numbering.num_having_numId(list_number).abstractNumId.val)
        self._add_page_numbers()

    def save(self) -> bytes:
        buffer = BytesIO()
        self.document.save(buffer)
        return normalise_zip(buffer.getvalue())

    def paragraph(self, text: str = "", style: str = "Normal") -> Paragraph:
        paragraph = self.document.add_paragraph(text)
        if style != "Normal":  # the default style needs no mark
            paragraph._p.get_or_add_pPr().style = self.style_ids[style]
        return paragraph

    def session(self, session: Session) -> None:
        """One chapter: facts, objectives, materials, timings, activities, take-home, evaluation."""
        t, lang = self.t, self.lang
        heading = self.paragraph(
            f"{t['session']} {session.number}. {session.title.in_lang(lang)}", "Heading 1")
        heading.paragraph_format.page_break_before = True
        self.paragraph(session.summary.in_lang(lang))
        facts = f"{t['duration']}: {session.duration_minutes} {t['minutes_long']}"
        if session.prerequisites:
            facts += f" · {t['prerequisites']}: {', '.join(session.prerequisites)}"
        self.paragraph(facts)
        self.paragraph(t["objectives"], "Heading 2")
        self.texts(session.objectives, "List Bullet")
        if session.materials:
            self.paragraph(t["materials"], "Heading 2")
            for material in session.materials:
                paragraph = self.paragraph(material.item.in_lang(lang), "List Bullet")
                if material.without_power:
                    paragraph.add_run(f" — {t['without_power']}: ").bold = True
                    paragraph.add_run(material.without_power.in_lang(lang))
        self.paragraph(t["timings"], "Heading 2")
        self.timings(session)
        for number, (_, activity) in enumerate(schedule(session), 1):
            kind = t[f"kind_{activity.kind}"]
            self.paragraph(f"{number}. {activity.name.in_lang(lang)} "
                           f"({kind} · {activity.minutes} {t['minutes']})", "Heading 2")
            self.texts(activity.steps, "List Number")
            self.note(t["facilitator_notes"], activity.facilitator_notes, "Intense Quote")
            self.note(t["low_literacy"], activity.low_literacy, "Quote")
        self.paragraph(t["take_home"], "Heading 2")
        self.paragraph(session.take_home.in_lang(lang))
        if session.teach_back:
            self.paragraph(t["teach_back"], "Heading 2")
            self.paragraph(session.teach_back.in_lang(lang))
            self.paragraph(t["teach_back_how"])
        self.paragraph(t["evaluation_questions"], "Heading 2")
        self.paragraph(t["evaluation_how"])
        self.texts(session.evaluation_questions, "List Number")
        if session.references:
            self.paragraph(t["references"], "Heading 2")
            self.items(session.references, "List Bullet")

    def timings(self, session: Session) -> None:
        """The timings table: each activity's start, name, kind and minutes, then the total."""
        t = self.t
        rows = [(start, f"{number}. {activity.name.in_lang(self.lang)}",
                 t[f"kind_{activity.kind}"], str(activity.minutes))
                for number, (start, activity) in enumerate(schedule(session), 1)]
        rows.append(("", t["total"], "",
                     str(sum(activity.minutes for activity in session.activities))))
        self.table((t["start"], t["activity"], t["kind"], t["minutes"]), rows)

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
        """A table in the guide's style, filled row by row (row.cells, not table.cell, which
        is slow)."""
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = self.table_style
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            cell.text = header
        for row in rows:
            for cell, value in zip(table.add_row().cells, row, strict=True):
                cell.text = value

    def note(self, label: str, text: Text | None, style: str) -> None:
        if text is not None:
            paragraph = self.paragraph(style=style)
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(text.in_lang(self.lang))

    def texts(self, texts: Iterable[Text], style: str) -> None:
        self.items([text.in_lang(self.lang) for text in texts], style)

    def items(self, items: Sequence[str], style: str) -> list[Paragraph]:
        """One paragraph per item; a numbered list starts again at 1."""
        paragraphs = [self.paragraph(item, style) for item in items]
        if style == "List Number" and paragraphs:
            self._restart_numbering(paragraphs)
        return paragraphs

    def markdown(self, source: str) -> None:
        """Markdown as Word paragraphs: headings, paragraphs, lists, bold and italic."""
        html = markdown.markdown(source, extensions=MARKDOWN_EXTENSIONS)
        try:
            root = ElementTree.fromstring(f"<div>{html}</div>")
        except ElementTree.ParseError:  # raw HTML the writer cannot follow: keep the words
            self.paragraph(source)
            return
        for element in root:
            if element.tag in MARKDOWN_HEADINGS:
                self.paragraph("".join(element.itertext()), MARKDOWN_HEADINGS[element.tag])
            elif element.tag in {"ul", "ol"}:
                style = "List Number" if element.tag == "ol" else "List Bullet"
                entries = element.findall("li")
                for paragraph, entry in zip(self.items([""] * len(entries), style), entries,
                                            strict=True):
                    _add_inline(paragraph, entry)
            elif element.tag == "hr":
                self.paragraph("_" * 40)
            elif element.tag == "table":
                self._table(element)
            else:
                _add_inline(self.paragraph(), element)

    def _table(self, element: ElementTree.Element) -> None:
        """A Markdown table as a Word table, header row bold (row.cells: linear, not quadratic)."""
        rows = element.findall(".//tr")
        width = max(len(row) for row in rows)
        table = self.document.add_table(rows=0, cols=width)
        table.style = self.table_style
        for index, source_row in enumerate(rows):
            cells = table.add_row().cells
            for cell, source_cell in zip(cells, source_row, strict=False):
                _add_inline(cell.paragraphs[0], source_cell, bold=index == 0)

    def _restart_numbering(self, paragraphs: Sequence[Paragraph]) -> None:
        """Give the paragraphs their own numbering instance, so the list counts from 1 again."""
        num = self.numbering.add_num(self.list_number_abstract_id)
        num.add_lvlOverride(ilvl=0).add_startOverride(1)
        for paragraph in paragraphs:
            number_properties = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            number_properties.get_or_add_ilvl().val = 0
            number_properties.get_or_add_numId().val = num.numId

    def _add_page_numbers(self) -> None:
        """A centred PAGE field in the footer: Word fills in the number on every page."""
        paragraph = self.document.sections[0].footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        paragraph._p.append(field)


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
