"""HTML to PDF with WeasyPrint, fonts and stylesheet loaded once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pymupdf
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from acompana.domain.curriculum.html_render import TEMPLATES

PX_TO_PT = 0.75  # WeasyPrint measures in CSS pixels (96 per inch); PDF in points (72 per inch)


@dataclass(frozen=True)
class OpenLink:
    """A link to an anchor outside this PDF, left for whoever joins PDFs to resolve."""

    target: str  # the anchor name, without '#'
    page_index: int  # the page (0-based) the link is on
    rect: tuple[float, float, float, float]  # in PDF points from the bottom-left corner


@dataclass(frozen=True)
class LaidOut:
    data: bytes
    pages: int
    open_links: tuple[OpenLink, ...] = ()


@cache
def _stylesheet() -> tuple[FontConfiguration, CSS]:
    # Parsing the CSS and registering the bundled fonts once saves time on every document.
    fonts = FontConfiguration()
    return fonts, CSS(filename=str(TEMPLATES / "print.css"), font_config=fonts)


@cache
def _first_page_rule(first_page: int) -> CSS:
    return CSS(string=f"@page :first {{ counter-reset: page {first_page} }}")


def html_to_pdf(html: str, *, first_page: int = 1) -> LaidOut:
    """The PDF of a complete HTML document, its pages numbered from `first_page`."""
    fonts, stylesheet = _stylesheet()
    stylesheets = [stylesheet] if first_page == 1 else [stylesheet, _first_page_rule(first_page)]
    document = HTML(string=html, base_url=str(TEMPLATES)).render(
        stylesheets=stylesheets, font_config=fonts
    )
    open_links = _take_open_links(document)  # before writing, which would log each of them
    return LaidOut(document.write_pdf(), len(document.pages), open_links)


def _take_open_links(document) -> tuple[OpenLink, ...]:
    """Remove the links to anchors this document lacks (WeasyPrint would log an error for
    each) and return them, one rectangle per anchor and page."""
    anchors = set().union(*(page.anchors for page in document.pages))
    boxes: dict[tuple[int, str], list[tuple[float, float, float, float]]] = {}
    for index, page in enumerate(document.pages):
        for link in list(page.links):
            if link[0] == "internal" and link[1] not in anchors:
                page.links.remove(link)
                boxes.setdefault((index, link[1]), []).append(link[2])
    open_links = []
    for (index, target), rects in boxes.items():
        height = document.pages[index].height * PX_TO_PT
        left, top = min(r[0] for r in rects), min(r[1] for r in rects)
        right, bottom = max(r[2] for r in rects), max(r[3] for r in rects)
        rect = (left * PX_TO_PT, height - bottom * PX_TO_PT,
                right * PX_TO_PT, height - top * PX_TO_PT)
        open_links.append(OpenLink(target, index, rect))
    return tuple(open_links)


def tiled_halves(data: bytes) -> LaidOut:
    """Each landscape page cut into its left and right halves, each on a page of its own: a
    tabloid sheet (17 x 11 in) prints as two letter pages (8.5 x 11 in) to join side by side."""
    with pymupdf.open(stream=data, filetype="pdf") as source, pymupdf.open() as tiled:
        for page in source:
            width, height = page.rect.width, page.rect.height
            for left in (0, width / 2):
                tile = tiled.new_page(width=width / 2, height=height)
                tile.show_pdf_page(tile.rect, source, page.number,
                                   clip=pymupdf.Rect(left, 0, left + width / 2, height))
        tiled.set_metadata({key: value for key, value in source.metadata.items()
                            if key in ("title", "author", "creationDate", "modDate") and value})
        return LaidOut(tiled.tobytes(garbage=3, deflate=True, no_new_id=True), tiled.page_count)
