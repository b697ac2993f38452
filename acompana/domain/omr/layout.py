"""Laying a form out on pages: text measured in the printing font, tables that flow onto new pages.

Every form is a header (title, who and when), the marking instructions, then tables: a text column
on the left (a name, an activity, a questionnaire item) and groups of bubbles on the right, with
the column heads repeated on every page the table reaches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import pymupdf

from acompana.domain.omr.geometry import (
    MARKER_MARGIN_MM,
    MARKER_MM,
    MM_PER_PT,
    Box,
    content_box,
    qr_box,
)
from acompana.domain.omr.spec import (
    BubbleRow,
    Choice,
    Dot,
    Face,
    FaceScale,
    Field,
    FormIdentity,
    FormSpec,
    Line,
    Text,
    TextBox,
    with_pages,
)

ROW_MM = 9.0  # one table line: a 6 mm bubble with 1.5 mm either side
PITCH_MM = 9.0  # bubble centre to centre
GROUP_GAP_MM = 5.0
NUMBER_MM = 8.0  # the row-number column
LINE_MM = 5.2  # line height of 12 pt text
FONT, BOLD_FONT = "helv", "hebo"  # PDF base fonts: Latin accents and ñ, nothing to embed


@cache
def font(bold: bool = False) -> pymupdf.Font:
    return pymupdf.Font(BOLD_FONT if bold else FONT)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Printed width in mm."""
    return font(bold).text_length(text, fontsize=size) * MM_PER_PT


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to `width` mm; a single word too long is cut to fit."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(candidate, size, bold) <= width:
            lines[-1] = candidate
        else:
            lines.append(fit(word, width, size, bold))
    return lines or [""]


def fit(text: str, width: float, size: float, bold: bool = False) -> str:
    """The text, shortened with '...' if it is wider than `width` mm."""
    if not text or text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "...", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "..."


@dataclass
class _Draft:
    fields: list[Field] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    faces: list[Face] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)


class PageFlow:
    """Places blocks top to bottom; a full page starts a new one headed like the first."""

    def __init__(self, identity: FormIdentity, title: str, header_lines: list[str]):
        self.identity = identity
        self.title = title
        self.header_lines = header_lines
        self.area = content_box(identity.paper)
        self.drafts: list[_Draft] = []
        self.repeat_heads: Callable[[], None] | None = None
        self.y = 0.0
        self.new_page()

    @property
    def page(self) -> _Draft:
        return self.drafts[-1]

    @property
    def bottom(self) -> float:
        return self.area.y + self.area.h

    def new_page(self) -> None:
        self.drafts.append(_Draft())
        self.y = self.area.y
        self._header()
        self._instructions()
        if self.repeat_heads:
            self.repeat_heads()

    def reserve(self, height: float, keep_with: float = 0.0) -> float:
        """The top of a block `height` mm tall, on a new page if this one (with `keep_with` mm
        of what follows) has no room."""
        if self.y + height + keep_with > self.bottom:
            self.new_page()
        top, self.y = self.y, self.y + height
        return top

    def text(self, x: float, y: float, text: str, size: float = 12, bold: bool = False,
             align: str = "left") -> None:
        self.page.texts.append(Text(x, y, text, size, bold, align))

    def paragraph(self, text: str, size: float = 11, bold: bool = False, indent: float = 0.0,
                  gap: float = 1.0) -> None:
        """Wrapped text across the content width."""
        line_height = size * 0.45
        for line in wrap(text, self.area.w - indent, size, bold):
            top = self.reserve(line_height)
            self.text(self.area.x + indent, top + line_height * 0.8, line, size, bold)
        self.y += gap

    def text_box(self, field_id: str, label: str, height: float, least: float = 20.0) -> None:
        """A box `height` mm tall, or shorter (down to `least`) to finish on this page."""
        room = self.bottom - self.y - 2
        if least <= room < height:
            height = room
        top = self.reserve(height + 2)
        self.page.fields.append(TextBox(field_id, label, Box(self.area.x, top, self.area.w,
                                                             height)))

    def specs(self) -> list[FormSpec]:
        return with_pages([
            FormSpec(identity=self.identity, title=self.title, fields=tuple(d.fields),
                     texts=tuple(d.texts), faces=tuple(d.faces), lines=tuple(d.lines),
                     dots=tuple(d.dots))
            for d in self.drafts])

    def _header(self) -> None:
        """Title and who/when beside the top-left marker, clear of the QR code."""
        left = MARKER_MARGIN_MM + MARKER_MM + 4.0
        width = qr_box(self.identity.paper).x - 5.0 - left  # the QR code's quiet zone
        self.text(left, 16.0, fit(self.title, width, 16, bold=True), 16, bold=True)
        for number, line in enumerate(self.header_lines[:3]):
            self.text(left, 23.5 + 6.0 * number, fit(line, width, 11.5), 11.5)

    def _instructions(self) -> None:
        """How to mark, in pictures with few words: a filled circle (this is how to answer);
        then a filled circle crossed out, an arrow and another filled circle (to change an
        answer, cross it out and fill the other)."""
        top = self.reserve(10.0)
        x, cy, size = self.area.x, top + 4.0, 10.5
        self._example_dot(x + 3.0, cy)
        self.text(x + 7.5, cy + 1.4, INSTRUCTION_FILL, size, bold=True)
        change = x + 7.5 + text_width(INSTRUCTION_FILL, size, True) + 12.0
        self.text(change, cy + 1.4, INSTRUCTION_CHANGE, size, bold=True)
        crossed = change + text_width(INSTRUCTION_CHANGE, size, True) + 6.0
        self._example_dot(crossed, cy, crossed_out=True)
        arrow_start, arrow_end = crossed + 4.5, crossed + 11.0
        self.page.lines.append(Line(arrow_start, cy, arrow_end, cy, width=0.5))
        for sign in (-1, 1):
            self.page.lines.append(Line(arrow_end - 1.6, cy + 1.2 * sign, arrow_end, cy,
                                        width=0.5))
        self._example_dot(arrow_end + 4.0, cy)
        self.text(arrow_end + 8.5, cy + 1.4, INSTRUCTION_CHANGE_HOW, size)

    def _example_dot(self, x: float, y: float, crossed_out: bool = False) -> None:
        self.page.dots.append(Dot(x, y, 5.0, filled=True))
        if crossed_out:  # black arms outside the circle, white across it, as a pen's X shows
            for sign in (-1, 1):
                self.page.lines.append(Line(x - 3.6, y - 3.6 * sign, x + 3.6, y + 3.6 * sign,
                                            width=0.7))
                self.page.lines.append(Line(x - 2.1, y - 2.1 * sign, x + 2.1, y + 2.1 * sign,
                                            width=0.7, grey=1.0))


# The marking instruction printed on every form (the forms are printed in Spanish).
INSTRUCTION_FILL = "Marca así"
INSTRUCTION_CHANGE = "Para cambiar:"
INSTRUCTION_CHANGE_HOW = "tacha con una X y rellena otro."


@dataclass(frozen=True)
class Column:
    """A group of bubbles in a table: one per row, with its heads printed above the bubbles."""

    prefix: str  # field ids are `prefix:row key`
    heading: str
    choices: tuple[tuple[str, str], ...]  # (value, label)
    heads: tuple[str, ...] = ()  # printed above each bubble; empty when `faces`
    faces: bool = False
    required: bool = False
    pitch: float = PITCH_MM

    @property
    def width(self) -> float:
        return self.pitch * len(self.choices)


@dataclass(frozen=True)
class Row:
    key: str
    number: str
    text: str
    label: str  # what the reading calls this row: a person's name, "Actividad 2"


def columns_width(columns: list[Column]) -> float:
    return sum(c.width for c in columns) + GROUP_GAP_MM * (len(columns) - 1)


def table(flow: PageFlow, text_heading: str, columns: list[Column], rows: list[Row],
          one_line: bool = False, centred: bool = False) -> None:
    """Rows of text with bubble groups at the right (or centred when there is no text); heads
    repeat on every page the table reaches."""
    area = flow.area
    left = area.x + (area.w - columns_width(columns)) / (2 if centred else 1)
    text_x, text_width_mm = area.x + NUMBER_MM, left - area.x - NUMBER_MM - 3.0
    letters = all(len(h) <= 2 for c in columns for h in c.heads)
    head_size = 11.5 if letters else 9.0
    head_lines = max((len(wrap(h, c.pitch - 0.8, head_size)) for c in columns for h in c.heads),
                     default=0)
    face_mm = min(10.0, min((c.pitch for c in columns if c.faces), default=0.0) - 2.5)
    face_height = face_mm + 1.5 if face_mm > 0 else 0.0
    head_height = 6.0 + face_height + head_size * 0.4 * head_lines
    heads_top = 7.0 + face_height + head_size * 0.15

    def heads() -> None:
        top = flow.reserve(head_height)
        flow.text(text_x, top + head_height - 2.0, text_heading, 10.5, bold=True)
        x = left
        for column in columns:
            flow.text(x + column.width / 2, top + 4.5, fit(column.heading, column.width + 4,
                                                           10.5, True), 10.5, True, "center")
            for index in range(len(column.choices)):
                centre = x + column.pitch * (index + 0.5)
                if column.faces:
                    flow.page.faces.append(Face(centre, top + 6.0 + face_mm / 2, face_mm,
                                                index + 1, len(column.choices)))
                for n, line in enumerate(wrap(column.heads[index], column.pitch - 0.8,
                                              head_size) if column.heads else []):
                    flow.text(centre, top + heads_top + head_size * 0.4 * n, line, head_size,
                              letters, "center")
            x += column.width + GROUP_GAP_MM
        flow.page.lines.append(Line(area.x, top + head_height, area.x + area.w,
                                    top + head_height, width=0.4))

    sizes = [_one_line_size(r.text, text_width_mm) if one_line else 12.0 for r in rows]
    lines_of = [[fit(r.text, text_width_mm, size)] if one_line
                else wrap(r.text, text_width_mm, size) for r, size in zip(rows, sizes, strict=True)]
    flow.reserve(0.0, keep_with=head_height + ROW_MM)
    heads()
    flow.repeat_heads = heads
    for row, lines, size in zip(rows, lines_of, sizes, strict=True):
        height = max(ROW_MM, LINE_MM * len(lines) + 3.8)
        _table_row(flow, row, lines, columns, left, height, text_x, size)
    flow.repeat_heads = None
    flow.y += 4.0


def _one_line_size(text: str, width: float) -> float:
    """12 pt, or down to 10 pt so a long name still fits on its line."""
    return next((size for size in (12.0, 11.0, 10.0) if text_width(text, size) <= width), 10.0)


def _table_row(flow: PageFlow, row: Row, lines: list[str], columns: list[Column], left: float,
               height: float, text_x: float, text_size: float) -> None:
    area = flow.area
    top = flow.reserve(height)
    first_baseline = top + height / 2 - LINE_MM * (len(lines) - 1) / 2 + 1.6
    flow.text(area.x, first_baseline, row.number, text_size - 1)
    for n, line in enumerate(lines):
        flow.text(text_x, first_baseline + LINE_MM * n, line, text_size)
    row_box = Box(area.x, top, area.w, height)
    x, cy = left, top + height / 2
    for column in columns:
        choices = tuple(Choice(value, label, round(x + column.pitch * (i + 0.5), 3), round(cy, 3))
                        for i, (value, label) in enumerate(column.choices))
        kind = FaceScale if column.faces else BubbleRow
        flow.page.fields.append(kind(f"{column.prefix}:{row.key}",
                                     f"{row.label}: {column.heading}", choices, row_box,
                                     column.required))
        x += column.width + GROUP_GAP_MM
    flow.page.lines.append(Line(area.x, top + height, area.x + area.w, top + height,
                                width=0.2, grey=0.55))
