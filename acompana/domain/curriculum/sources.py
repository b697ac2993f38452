"""The first build stage: the curriculum source files, read once, with their content hashes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from acompana.domain.curriculum.problems import CurriculumError, Problem

TRACKS_FILE = "tracks.yaml"
OVERVIEW_FILE = "overview.yaml"
HANDOUT_MARK = ".handout."
WORKSHEET_MARK = ".worksheet"  # a worksheet file: "<session>.worksheet[-more].<lang>.md"
PICTURES_FOLDER = "pictures"


@dataclass(frozen=True)
class Sources:
    """Every file of a curriculum directory that the format gives a meaning to."""

    root: Path
    files: Mapping[str, bytes]  # path relative to root, with forward slashes -> content
    digests: Mapping[str, str]  # same paths -> sha256 of the content

    def text(self, name: str) -> str:
        return self.files[name].decode("utf-8")


def read_sources(root: Path) -> Sources:
    """Read the top-level YAML files, each track folder's YAML and Markdown files, and the
    picture library."""
    root = Path(root)
    if not (root / TRACKS_FILE).is_file():
        missing = "no such folder" if not root.is_dir() else f"no {TRACKS_FILE} in this folder"
        raise CurriculumError(
            [Problem("error", str(root), None, "", f"{missing}; expected a curriculum folder "
                     f"holding {TRACKS_FILE} and one folder per track")]
        )
    paths = [path for path in root.glob("*.y*ml") if path.is_file()]
    for folder in sorted(path for path in root.iterdir() if path.is_dir()):
        if folder.name.startswith((".", "_")):
            continue
        if folder.name == PICTURES_FOLDER:  # the picture library: every file, licences too
            paths += [path for path in folder.rglob("*") if path.is_file()]
            continue
        paths += [path for path in folder.iterdir() if path.suffix in {".yaml", ".yml", ".md"}]
    files = {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(paths)}
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    return Sources(root=root, files=files, digests=digests)
