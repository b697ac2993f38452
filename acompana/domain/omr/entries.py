"""What a read page means for the records: the values a person would have typed from it.

A scanned sheet is never saved as it was read. Its readings become the same form values the
typed entry uses (`attendance-<person>`, `fidelity-<n>`, `feedback-<question>-<face>`,
`item-<n>`), and a person checks them beside the image before the usual services save them.
A flagged mark fills nothing: the field stays empty, so the form cannot be saved until someone
has looked at the paper and chosen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import cv2
import numpy as np

from acompana.domain.omr.spec import FormSpec


@dataclass(frozen=True)
class RowToCheck:
    """A row of the sheet as read: its picture's place, what was read and why to look again."""

    label: str
    box_px: tuple[int, int, int, int]
    values: tuple[str, ...]
    flagged: tuple[str, ...]  # why, per flagged field of the row: its reading status
    # (marks.MULTIPLE, FAINT_ONLY, EMPTY, ...), which the page words in the reader's language


@dataclass
class EntryValues:
    """Form values read from a sheet, and the fields a person must decide."""

    typed: dict[str, str] = field(default_factory=dict)
    to_decide: list[str] = field(default_factory=list)  # form field names left empty on purpose
    uncounted: Counter = field(default_factory=Counter)  # question -> flagged face marks


def attendance_entry(fields: Iterable[Mapping]) -> EntryValues:
    """The attendance-and-feedback sheet's readings (`FieldReading.to_dict` rows, every page of
    the sheet) as the entry form's values; faces are counted per question."""
    entry = EntryValues()
    faces: Counter = Counter()
    for reading in fields:
        column, _, key = reading["field_id"].partition(":")
        value, flagged = reading["value"], reading["flagged"]
        if column == "attendance":
            name = f"attendance-{key}"
        elif column == "activity":
            name = f"fidelity-{key}"
        elif column.startswith("q") and column[1:].isdigit():
            if flagged:
                entry.uncounted[int(column[1:])] += 1
            elif value is not None:
                faces[(int(column[1:]), value)] += 1
            continue
        else:
            continue
        if flagged or value is None:
            entry.to_decide.append(name)
        else:
            entry.typed[name] = value
    for (question, face), count in sorted(faces.items()):
        entry.typed[f"feedback-{question}-{face}"] = str(count)
    return entry


def questionnaire_entry(fields: Iterable[Mapping]) -> EntryValues:
    """A questionnaire's readings as `item-<n>` values; flagged or empty items are to decide."""
    entry = EntryValues()
    for reading in fields:
        column, _, key = reading["field_id"].partition(":")
        if column != "item":
            continue
        if reading["flagged"] or reading["value"] is None:
            entry.to_decide.append(f"item-{key}")
        else:
            entry.typed[f"item-{key}"] = reading["value"]
    return entry


def rows_to_check(fields: Iterable[Mapping], spec: FormSpec | None = None) -> list[RowToCheck]:
    """The sheet's printed rows in order, each with every value read on it (a person's row holds
    her attendance and her faces), so a reviewer sees the paper beside what was read; values
    are shown by their printed labels when the page's layout is at hand."""
    labels = {row.id: {c.value: c.label for c in row.choices} for row in spec.rows} if spec \
        else {}
    rows: dict[tuple, dict] = {}
    for reading in fields:
        row = rows.setdefault(tuple(reading["box_px"]), {
            "label": reading["label"].split(": ")[0], "values": [], "flagged": []})
        value, candidate = reading["value"], reading.get("candidate")
        named = labels.get(reading["field_id"], {})
        shown = named.get(value, value) if value is not None else (
            f"{named.get(candidate, candidate)}?" if reading["flagged"] and candidate else "—")
        if reading["kind"] != "text":
            heading = reading["label"].split(": ", 1)[-1]
            row["values"].append(f"{heading}: {shown}" if heading and heading != row["label"]
                                 else shown)
        if reading["flagged"]:
            row["flagged"].append(reading["status"])
    return [RowToCheck(row["label"], box, tuple(row["values"]), tuple(row["flagged"]))
            for box, row in rows.items()]


def encode_png(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 6])
    if not ok:
        raise ValueError("the page image could not be encoded as PNG")
    return data.tobytes()


def crop_png(page_png: bytes, box_px: tuple[int, int, int, int], margin: int = 6) -> bytes:
    """One region of a stored page image, with a little margin, as PNG."""
    page = cv2.imdecode(np.frombuffer(page_png, np.uint8), cv2.IMREAD_GRAYSCALE)
    x, y, w, h = box_px
    top, left = max(0, y - margin), max(0, x - margin)
    return encode_png(page[top:y + h + margin, left:x + w + margin])
