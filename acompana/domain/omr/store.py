"""Keeping each printed page's layout, so its photos can be read back later.

When forms are printed, every page's `FormSpec` is saved as JSON beside the PDF (or in the
database); the reader looks it up by the identity in the page's QR code. Forms whose layout
follows from the QR identity alone (suggestion slips) need nothing saved.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from acompana.domain.omr.forms import rebuild_spec
from acompana.domain.omr.render import render_pdf
from acompana.domain.omr.spec import FormIdentity, FormSpec


def save_specs(specs: Sequence[FormSpec], directory: str | Path) -> list[Path]:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec in specs:
        path = directory / f"{spec.identity.file_stem()}.json"
        path.write_text(spec.to_json(), encoding="utf-8")
        paths.append(path)
    return paths


def write_forms(specs: Sequence[FormSpec], pdf_path: str | Path,
                spec_dir: str | Path | None = None, copies: int = 1,
                first_copy: int = 1) -> Path:
    """Print a form to a PDF file and keep its layout in `spec_dir` for reading it back."""
    pdf_path = Path(pdf_path)
    pdf_path.write_bytes(render_pdf(specs, copies, first_copy))
    if spec_dir is not None:
        save_specs(specs, spec_dir)
    return pdf_path


class SpecDirectory:
    """Looks a page's layout up among the specs saved in a directory when it was printed."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def __call__(self, identity: FormIdentity) -> FormSpec | None:
        path = self.directory / f"{identity.sheet.file_stem()}.json"
        if path.is_file():
            return FormSpec.from_json(path.read_text(encoding="utf-8"))
        return rebuild_spec(identity)
