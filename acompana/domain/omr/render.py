"""Drawing form pages to PDF with PyMuPDF, every shape at the millimetre the spec gives.

PyMuPDF draws in PDF points at exact coordinates (no HTML layout engine deciding where a bubble
lands), and the same library turns PDF pages back into images for the reader.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

import numpy as np
import pymupdf
import segno

from acompana.domain.omr.geometry import (
    MM_PER_PT,
    Box,
    marker_bits,
    marker_boxes,
    page_size,
    qr_box,
)
from acompana.domain.omr.layout import font, text_width
from acompana.domain.omr.spec import BubbleRow, Face, FormIdentity, FormSpec, TextBox

PT = 1.0 / MM_PER_PT  # points per mm
BLACK, WHITE = (0, 0, 0), (1, 1, 1)
BUBBLE_LINE_MM = 0.35


def render_pdf(specs: Sequence[FormSpec], copies: int = 1, first_copy: int = 1) -> bytes:
    """A PDF of the form's pages, `copies` times over, each copy numbered in its QR code
    (from `first_copy`, to print more of a form later without repeating numbers)."""
    document = pymupdf.open()
    for copy in range(first_copy, first_copy + copies):
        for spec in specs:
            _draw_page(document, spec, replace(spec.identity, copy=copy))
    return document.tobytes(garbage=3, deflate=True)


def pdf_pages(data: bytes, dpi: int = 200) -> Iterator[np.ndarray]:
    """Each page of a PDF as a greyscale image."""
    with pymupdf.open(stream=data, filetype="pdf") as document:
        for page in document:
            pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
            yield np.frombuffer(pixmap.samples, dtype=np.uint8).reshape(
                pixmap.height, pixmap.stride)[:, :pixmap.width].copy()


def blank_page(spec: FormSpec, px_per_mm: float) -> np.ndarray:
    """The page as printed before anyone writes on it, greyscale at `px_per_mm`: the ink a
    photo of it holds that nobody put there by hand, around its bubbles (the QR code, which
    changes with every copy, is left out). Drawn straight to pixels, with no PDF file between:
    the reader draws one per layout it meets."""
    zoom = px_per_mm * MM_PER_PT
    with pymupdf.open() as document:
        _draw_page(document, spec, spec.identity, code=False)
        pixmap = document[0].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom),
                                        colorspace=pymupdf.csGRAY, alpha=False)
        return np.frombuffer(pixmap.samples, dtype=np.uint8).reshape(
            pixmap.height, pixmap.stride)[:, :pixmap.width].copy()


def _draw_page(document: pymupdf.Document, spec: FormSpec, identity: FormIdentity,
               code: bool = True) -> None:
    width, height = page_size(spec.paper)
    page = document.new_page(width=width * PT, height=height * PT)
    shape = page.new_shape()
    _draw_markers(shape, spec.paper)
    if code:
        _draw_qr(shape, identity)
    _draw_fields(shape, spec)
    _draw_decorations(shape, spec)
    shape.commit()
    writer = pymupdf.TextWriter(page.rect)
    for text in spec.texts:
        _write(writer, text.x, text.y, text.text, text.size, text.bold, text.align)
    for box in (f for f in spec.fields if isinstance(f, TextBox)):
        _write(writer, box.box.x + 2.0, box.box.y + 5.0, box.label, 10)
    footer = f"Página {identity.page} de {identity.pages}"
    if identity.copy > 1 or identity.form_type != "attendance":
        footer += f"   ·   Hoja n.º {identity.copy}"
    _write(writer, width / 2, height - 12.0, footer + "   ·   No dobles esta hoja.", 10,
           align="center")
    writer.write_text(page, color=BLACK)


def _draw_markers(shape: pymupdf.Shape, paper: str) -> None:
    """ArUco markers drawn cell by cell, as runs so no hairline shows between black cells."""
    for marker_id, box in marker_boxes(paper).items():
        _draw_cells(shape, marker_bits(marker_id), box)


def _draw_qr(shape: pymupdf.Shape, identity: FormIdentity) -> None:
    code = segno.make(identity.to_payload(), error="m", micro=False)
    cells = np.array([list(row) for row in code.matrix], dtype=bool)
    _draw_cells(shape, cells, qr_box(identity.paper))


def _draw_cells(shape: pymupdf.Shape, cells: np.ndarray, box: Box) -> None:
    size = box.w / cells.shape[1]
    for row_index, row in enumerate(cells):
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            end = column
            while end < len(row) and row[end]:
                end += 1
            # A hair taller than a cell, so rows overlap instead of leaving a seam.
            shape.draw_rect(_rect(box.x + column * size, box.y + row_index * size,
                                  (end - column) * size, size * 1.02))
            column = end
    shape.finish(color=None, fill=BLACK, width=0)


def _draw_fields(shape: pymupdf.Shape, spec: FormSpec) -> None:
    radius = spec.bubble_mm / 2
    for field in spec.fields:
        if isinstance(field, BubbleRow):
            for choice in field.choices:
                shape.draw_circle(pymupdf.Point(choice.x * PT, choice.y * PT), radius * PT)
        elif isinstance(field, TextBox):
            shape.draw_rect(_rect(field.box.x, field.box.y, field.box.w, field.box.h))
    shape.finish(color=BLACK, fill=None, width=BUBBLE_LINE_MM * PT)


def _draw_decorations(shape: pymupdf.Shape, spec: FormSpec) -> None:
    """Example dots first, then lines, so an X can be drawn across a filled example dot."""
    for dot in spec.dots:
        shape.draw_circle(pymupdf.Point(dot.x * PT, dot.y * PT), dot.diameter / 2 * PT)
        shape.finish(color=BLACK, fill=BLACK if dot.filled else None,
                     width=BUBBLE_LINE_MM * PT)
    for line in spec.lines:
        shape.draw_line(pymupdf.Point(line.x1 * PT, line.y1 * PT),
                        pymupdf.Point(line.x2 * PT, line.y2 * PT))
        shape.finish(color=(line.grey,) * 3, width=line.width * PT)
    for face in spec.faces:
        _draw_face(shape, face)


def _draw_face(shape: pymupdf.Shape, face: Face) -> None:
    """A round face whose mouth bends from a frown (level 1) to a smile (top level)."""
    d, x, y = face.diameter, face.x, face.y
    shape.draw_circle(pymupdf.Point(x * PT, y * PT), d / 2 * PT)
    shape.finish(color=BLACK, width=0.3 * PT)
    for eye_x in (x - 0.17 * d, x + 0.17 * d):
        shape.draw_circle(pymupdf.Point(eye_x * PT, (y - 0.12 * d) * PT), 0.06 * d * PT)
    shape.finish(color=BLACK, fill=BLACK, width=0)
    bend = 2 * (face.level - 1) / (face.levels - 1) - 1  # -1 frown .. 1 smile
    mouth_y = y + 0.2 * d - 0.08 * d * bend
    control = pymupdf.Point(x * PT, (mouth_y + 0.3 * d * bend) * PT)
    shape.draw_bezier(pymupdf.Point((x - 0.24 * d) * PT, mouth_y * PT), control, control,
                      pymupdf.Point((x + 0.24 * d) * PT, mouth_y * PT))
    shape.finish(color=BLACK, width=0.3 * PT, closePath=False)


def _write(writer: pymupdf.TextWriter, x: float, y: float, text: str, size: float,
           bold: bool = False, align: str = "left") -> None:
    shift = {"left": 0.0, "center": 0.5, "right": 1.0}[align] * text_width(text, size, bold)
    writer.append(pymupdf.Point((x - shift) * PT, y * PT), text, font=font(bold), fontsize=size)


def _rect(x: float, y: float, w: float, h: float) -> pymupdf.Rect:
    return pymupdf.Rect(x * PT, y * PT, (x + w) * PT, (y + h) * PT)
