"""What a printed form page is: its identity (carried in the QR code) and where everything sits.

A `FormSpec` holds every bubble's centre in millimetres, so the printer draws it and the reader
measures it from the same numbers; saved as JSON when printing, it lets a page be read back years
later even if the layout code has changed since.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, ClassVar, Literal
from urllib.parse import quote, unquote

from acompana.domain.omr.errors import NotAnAcompanaFormError, UnknownFormVersionError
from acompana.domain.omr.geometry import BUBBLE_MM, Box

FORM_TYPES = ("attendance", "questionnaire", "suggestion")
# The layout versions this code prints and reads; a new layout gets a new number.
FORM_VERSIONS: dict[str, tuple[int, ...]] = {kind: (1,) for kind in FORM_TYPES}
QR_MAGIC = "ACP"
QR_FORMAT = "1"
SPEC_FORMAT = "acompana-form-spec/1"


@dataclass(frozen=True)
class FormIdentity:
    """Which printed page this is; the QR code carries exactly these values.

    `occasion` is the session id for attendance sheets and the wave for questionnaires. `copy`
    numbers the printed copies of a form filled once per person (questionnaires, suggestion
    slips), so scanning the same sheet twice can be told from two people's sheets.
    """

    form_type: str
    form_version: int
    program: str
    group: str = ""
    occasion: str = ""
    instrument: str = ""
    paper: str = "a4"
    page: int = 1
    pages: int = 1
    copy: int = 1

    _PAYLOAD_FIELDS: ClassVar[tuple[str, ...]] = (
        "form_type", "form_version", "program", "group", "occasion", "instrument", "paper",
        "page", "pages", "copy")

    def to_payload(self) -> str:
        """`ACP|1|a|1|ces|g01|s05||a4|1|2|1`: short, so the QR code needs few, big modules."""
        values = [quote(_CODES.get(value, value) if name in _CODED_FIELDS else str(value),
                        safe="") for name, value in self._values()]
        return "|".join([QR_MAGIC, QR_FORMAT, *values])

    @classmethod
    def from_payload(cls, text: str) -> FormIdentity:
        parts = text.split("|")
        if parts[0] != QR_MAGIC:
            raise NotAnAcompanaFormError(
                f"the QR code on this page was not printed by Acompaña (it reads {text[:40]!r}).")
        if len(parts) < 2 or parts[1] != QR_FORMAT:
            raise UnknownFormVersionError(
                "the QR code is in a newer format than this Acompaña reads; update Acompaña.")
        if len(parts) != 2 + len(cls._PAYLOAD_FIELDS):
            raise NotAnAcompanaFormError(
                f"the QR code looks like Acompaña's but is damaged ({text[:60]!r}).")
        values = {}
        for name, value in zip(cls._PAYLOAD_FIELDS, map(unquote, parts[2:]), strict=True):
            value = _NAMES.get(value, value) if name in _CODED_FIELDS else value
            values[name] = int(value) if name in _INTEGER_FIELDS and value.isdigit() else value
        if not all(isinstance(values[name], int) for name in _INTEGER_FIELDS):
            raise NotAnAcompanaFormError(
                f"the QR code looks like Acompaña's but is damaged ({text[:60]!r}).")
        return cls(**values)

    def _values(self):
        return ((name, getattr(self, name)) for name in self._PAYLOAD_FIELDS)

    @property
    def sheet(self) -> FormIdentity:
        """The printed form page without its copy number: what its layout depends on."""
        return replace(self, copy=1)

    def describe(self) -> str:
        """`attendance form, program ces, group g01, session or wave s05, page 1 of 2`."""
        parts = [f"{self.form_type} form", f"program {self.program}"]
        parts += [f"{label} {value}" for label, value in (
            ("instrument", self.instrument), ("group", self.group), ("session or wave",
                                                                     self.occasion)) if value]
        parts.append(f"page {self.page} of {self.pages}")
        if self.copy > 1:
            parts.append(f"copy {self.copy}")
        return ", ".join(parts)

    def file_stem(self) -> str:
        """A file name for this page's saved spec (copies share one)."""
        text = "_".join([self.form_type, self.program, self.group or "-", self.occasion or "-",
                         self.instrument or "-", self.paper, f"v{self.form_version}",
                         f"p{self.page}"])
        return re.sub(r"[^A-Za-z0-9._-]", "-", text)


_INTEGER_FIELDS = {"form_version", "page", "pages", "copy"}
_CODED_FIELDS = {"form_type", "paper"}
_CODES = {"attendance": "a", "questionnaire": "q", "suggestion": "s", "letter": "l"}
_NAMES = {code: name for name, code in _CODES.items()}


@dataclass(frozen=True)
class Choice:
    """One bubble: the value it stands for and its centre in mm."""

    value: str
    label: str
    x: float
    y: float


@dataclass(frozen=True)
class BubbleRow:
    """A one-of-N question: exactly one bubble should be filled. `box` frames the whole row."""

    id: str
    label: str
    choices: tuple[Choice, ...]
    box: Box
    required: bool = False  # an empty required row is flagged for review
    kind: ClassVar[str] = "bubbles"


@dataclass(frozen=True)
class FaceScale(BubbleRow):
    """A bubble row whose choices are faces, saddest first; values are "1".."3" or "1".."5"."""

    kind: ClassVar[str] = "faces"

    def __post_init__(self):
        if len(self.choices) not in (3, 5):
            raise ValueError(f"A face scale has 3 or 5 faces; {self.id} has {len(self.choices)}.")


@dataclass(frozen=True)
class TextBox:
    """A box for handwriting; the reader only crops it for a person to read."""

    id: str
    label: str
    box: Box
    kind: ClassVar[str] = "text"


Field = BubbleRow | FaceScale | TextBox
FIELD_KINDS: dict[str, type] = {kind.kind: kind for kind in (BubbleRow, FaceScale, TextBox)}


@dataclass(frozen=True)
class Text:
    """A printed line: baseline at (x, y) mm, anchored left, centre or right."""

    x: float
    y: float
    text: str
    size: float = 12.0
    bold: bool = False
    align: Literal["left", "center", "right"] = "left"


@dataclass(frozen=True)
class Face:
    """A face drawing centred at (x, y) mm: level 1 of `levels` is the saddest."""

    x: float
    y: float
    diameter: float
    level: int
    levels: int


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.25
    grey: float = 0.0  # 0 black .. 1 white


@dataclass(frozen=True)
class Dot:
    """A printed circle not to be read: the filled-bubble example in the instructions."""

    x: float
    y: float
    diameter: float
    filled: bool


@dataclass(frozen=True)
class FormSpec:
    """One printed page: identity, title, fields to read, and the printed drawing around them."""

    identity: FormIdentity
    title: str
    fields: tuple[Field, ...]
    texts: tuple[Text, ...] = ()
    faces: tuple[Face, ...] = ()
    lines: tuple[Line, ...] = ()
    dots: tuple[Dot, ...] = ()
    bubble_mm: float = BUBBLE_MM

    @property
    def paper(self) -> str:
        return self.identity.paper

    @property
    def rows(self) -> tuple[BubbleRow, ...]:
        return tuple(f for f in self.fields if isinstance(f, BubbleRow))

    def to_json(self) -> str:
        data = {"format": SPEC_FORMAT, **asdict(self)}
        data["fields"] = [{"kind": f.kind, **asdict(f)} for f in self.fields]
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> FormSpec:
        data = json.loads(text)
        if data.pop("format", None) != SPEC_FORMAT:
            raise ValueError(f"Not an Acompaña form spec (expected format {SPEC_FORMAT}).")
        return cls(
            identity=FormIdentity(**data.pop("identity")),
            fields=tuple(_field_from_data(item) for item in data.pop("fields")),
            texts=tuple(Text(**item) for item in data.pop("texts")),
            faces=tuple(Face(**item) for item in data.pop("faces")),
            lines=tuple(Line(**item) for item in data.pop("lines")),
            dots=tuple(Dot(**item) for item in data.pop("dots")),
            **data)


def _field_from_data(data: dict[str, Any]) -> Field:
    kind = FIELD_KINDS[data.pop("kind")]
    data["box"] = Box(**data["box"])
    if "choices" in data:
        data["choices"] = tuple(Choice(**choice) for choice in data["choices"])
    names = {f.name for f in fields(kind)}
    return kind(**{name: value for name, value in data.items() if name in names})


def with_pages(specs: list[FormSpec]) -> list[FormSpec]:
    """Number a form's pages 1..n of n once all of them are laid out."""
    return [replace(spec, identity=replace(spec.identity, page=number, pages=len(specs)))
            for number, spec in enumerate(specs, start=1)]

