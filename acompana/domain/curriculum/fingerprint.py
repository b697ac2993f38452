"""What the renderers themselves are: a change here must re-render every output."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

# Bump to re-render everything when output changes for a reason the fingerprint cannot see.
RENDERER_VERSION = "1"
PACKAGE_DIR = Path(__file__).parent
LIBRARIES = ("weasyprint", "pydyf", "pypdf", "python-docx", "python-pptx", "Markdown", "Jinja2")


@cache
def renderer_fingerprint() -> str:
    """A hash of this package's code, templates and fonts and of the rendering libraries."""
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        relative = path.relative_to(PACKAGE_DIR)
        if path.is_file() and relative.parts[0] not in {"tests", "__pycache__"}:
            digest.update(relative.as_posix().encode())
            digest.update(path.read_bytes())
    for library in LIBRARIES:
        digest.update(f"{library}={metadata.version(library)}".encode())
    return digest.hexdigest()
