"""HTML to PDF with WeasyPrint, fonts and stylesheet loaded once per process."""

from __future__ import annotations

from functools import cache

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from acompana.domain.curriculum.html_render import TEMPLATES


@cache
def _stylesheet() -> tuple[FontConfiguration, CSS]:
    # Parsing the CSS and registering the bundled fonts once saves time on every document.
    fonts = FontConfiguration()
    return fonts, CSS(filename=str(TEMPLATES / "print.css"), font_config=fonts)


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """The PDF bytes and page count of a complete HTML document."""
    fonts, stylesheet = _stylesheet()
    document = HTML(string=html, base_url=str(TEMPLATES)).render(
        stylesheets=[stylesheet], font_config=fonts
    )
    return document.write_pdf(), len(document.pages)
