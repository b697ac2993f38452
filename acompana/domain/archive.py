"""The whole-database archive: one CSV per table in a zip, and a manifest that vouches for them.

Each table's file holds a header of column names and one line per row. A cell is the value as
text; NULL is written `\\N`, and a text that starts with a backslash gets one more, so an empty
text, a NULL and the text "\\N" all come back as they were. manifest.json lists, per table, its
file, columns, row count and SHA-256; reading checks all of them before giving out a single row.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

FORMAT = "acompana-archive/1"
MANIFEST = "manifest.json"
NULL = "\\N"


class ArchiveError(Exception):
    """An archive that cannot be read or trusted, in a sentence naming the file and table."""


def encode_cell(value: str | None) -> str:
    if value is None:
        return NULL
    return "\\" + value if value.startswith("\\") else value


def decode_cell(cell: str) -> str | None:
    if cell == NULL:
        return None
    return cell[1:] if cell.startswith("\\") else cell


@dataclass(frozen=True)
class TableOut:
    """A table to archive: its name, its columns and its rows (cells as text or None)."""

    name: str
    columns: Sequence[str]
    rows: Iterable[Sequence[str | None]]


class _Hashing(io.RawIOBase):
    """Counts and hashes what is written through it into the zip member."""

    def __init__(self, target):
        self.target, self.sha256 = target, hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.sha256.update(data)
        return self.target.write(data)


def write_archive(path: Path, tables: Iterable[TableOut], about: dict) -> dict:
    """Write the archive (streaming, one table at a time) and return its manifest."""
    manifest = {"format": FORMAT, **about, "tables": []}
    partial = path.with_name(path.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            member = f"tables/{table.name}.csv"
            with archive.open(member, "w") as raw:
                hashing = _Hashing(raw)
                buffered = io.BufferedWriter(hashing)
                text = io.TextIOWrapper(buffered, encoding="utf-8", newline="")
                writer = csv.writer(text)  # \r\n ends rows, so a lone \r in text is quoted
                writer.writerow(table.columns)
                count = 0
                for row in table.rows:
                    writer.writerow([encode_cell(cell) for cell in row])
                    count += 1
                text.flush()
                text.detach()
                buffered.flush()
                buffered.detach()
            manifest["tables"].append({"table": table.name, "file": member,
                                       "columns": list(table.columns), "rows": count,
                                       "sha256": hashing.sha256.hexdigest()})
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    partial.replace(path)
    return manifest


class ArchiveIn:
    """An archive opened for reading, its manifest checked against every file it names."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self._zip = zipfile.ZipFile(path)
            self.manifest = json.loads(self._zip.read(MANIFEST))
        except (OSError, zipfile.BadZipFile, zlib.error) as error:  # zlib: damaged data
            raise ArchiveError(f"{path.name} is not a zip archive ({error}).") from error
        except (KeyError, ValueError) as error:
            raise ArchiveError(f"{path.name} has no readable {MANIFEST}; it is not an "
                               "archive written by `acompana export-all`.") from error
        if not isinstance(self.manifest, dict) or self.manifest.get("format") != FORMAT:
            raise ArchiveError(f"{path.name}: {MANIFEST} does not declare the format {FORMAT}.")
        self.tables = {entry["table"]: entry for entry in self.manifest.get("tables", [])}
        for entry in self.tables.values():
            self._verify(entry)

    def _verify(self, entry: dict) -> None:
        try:
            data = self._zip.read(entry["file"])
        except KeyError as error:
            raise ArchiveError(f"{self.path.name}: the table {entry['table']} is listed but "
                               f"its file {entry['file']} is missing.") from error
        except (zipfile.BadZipFile, zlib.error) as error:
            raise ArchiveError(f"{self.path.name}: {entry['file']} is damaged and cannot be "
                               "read.") from error
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise ArchiveError(f"{self.path.name}: {entry['file']} does not match its SHA-256 "
                               "in the manifest; the archive was changed or damaged.")
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        if not rows or rows[0] != entry["columns"] or len(rows) - 1 != entry["rows"]:
            raise ArchiveError(f"{self.path.name}: {entry['file']} does not hold the columns "
                               "and row count the manifest gives.")

    def rows(self, table: str) -> Iterator[list[str | None]]:
        entry = self.tables[table]
        with self._zip.open(entry["file"]) as raw:
            reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
            next(reader)
            for row in reader:
                yield [decode_cell(cell) for cell in row]

    def close(self) -> None:
        self._zip.close()
