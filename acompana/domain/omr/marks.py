"""Deciding what a row of bubbles says from how much ink each bubble holds.

Each bubble is measured on the straightened page as `cover` (the share of its inner disc that is
ink), `solid` (the share in ink patches wider than a pen line, which tells a filled bubble from a
crossed or ticked one) and `strength` (how dark its darkest quarter is, 1 = as dark as the
printed black). A row then reads as one clear mark, a correction (one bubble filled, others only
crossed), nothing, or something a person must look at: two marks, or only a faint one.
Doubtful rows are flagged with the reason and get no value, never a silent guess.
"""

from __future__ import annotations

from dataclasses import dataclass

INK = 0.35  # a pixel at least this dark (1 = printed black) is ink
FAINT = 0.18  # a bubble's strength below this is blank paper; from here up, a faint mark
MARK = 0.38  # from this strength up (with MIN_COVER), a mark someone meant
MIN_COVER = 0.08  # less of the disc than this is a speck or a stray line, not a mark
FILLED_COVER, FILLED_SOLID = 0.7, 0.5  # a filled-in bubble: mostly ink, in a solid patch
CROSSED_SOLID = 0.08  # a crossed-out (or ticked) bubble: pen lines, hardly any solid patch
DOUBT = 0.28  # a faint mark this strong beside a clear one could be a second answer

MARKED, CORRECTED, EMPTY, MULTIPLE, FAINT_ONLY, NOT_READ = (
    "marked", "corrected", "empty", "multiple", "faint", "not_read")


@dataclass(frozen=True)
class BubbleMeasure:
    value: str
    cover: float  # share of the inner disc that is ink
    strength: float  # darkness of the disc's darkest quarter
    solid: float = 0.0  # share of the disc in ink areas wider than a pen line

    @property
    def is_mark(self) -> bool:
        return self.strength >= MARK and self.cover >= MIN_COVER


@dataclass(frozen=True)
class RowReading:
    """What the row says. `value` is None when nothing is marked or when the row is flagged;
    `candidate` then holds the likeliest value for the reviewer. `confidence` runs from 0
    (a guess) to 1 (every measurement far from its threshold); flagged rows stay below 0.5
    unless the flag is only that a required row is empty."""

    value: str | None
    status: str
    confidence: float
    flagged: bool
    reason: str
    candidate: str | None = None


def classify_row(measures: list[BubbleMeasure], required: bool) -> RowReading:
    marks = [m for m in measures if m.is_mark]
    faint = [m for m in measures if not m.is_mark and m.strength >= FAINT]
    if not marks:
        return _unmarked(measures, faint, required)
    if len(marks) == 1:
        return _single(marks[0], faint, measures)
    return _several(marks, measures)


def _unmarked(measures: list[BubbleMeasure], faint: list[BubbleMeasure],
              required: bool) -> RowReading:
    if faint:
        strongest = max(faint, key=lambda m: m.strength)
        return RowReading(None, FAINT_ONLY, 0.25, True,
                          f"only a faint mark, at {_names(faint)}; check whether it was meant.",
                          strongest.value)
    darkest = max((m.strength for m in measures), default=0.0)
    confidence = 0.5 + 0.5 * _clip((FAINT - darkest) / FAINT)
    if required:
        return RowReading(None, EMPTY, confidence, True, "nothing is marked on a row that "
                          "needs an answer.")
    return RowReading(None, EMPTY, confidence, False, "")


def _single(mark: BubbleMeasure, faint: list[BubbleMeasure],
            measures: list[BubbleMeasure]) -> RowReading:
    """One clear mark; a faint one beside it is an erasure unless it is nearly as dark."""
    rival = max((m.strength for m in measures if m is not mark), default=0.0)
    if rival >= DOUBT:
        return RowReading(None, MULTIPLE, 0.3, True,
                          f"a clear mark at {mark.value} and a lighter one at {_names(faint)}.",
                          mark.value)
    margin = min((mark.strength - MARK) / 0.3, (mark.cover - MIN_COVER) / 0.25,
                 (DOUBT - rival) / 0.2)
    return RowReading(mark.value, MARKED, 0.5 + 0.5 * _clip(margin), False, "")


def _several(marks: list[BubbleMeasure], measures: list[BubbleMeasure]) -> RowReading:
    """Two or more marks: a correction when exactly one is filled in and the others are only
    lines (a cross or a tick); anything else needs a person."""
    filled = [m for m in marks if m.cover >= FILLED_COVER and m.solid >= FILLED_SOLID]
    lines = [m for m in marks if m.solid <= CROSSED_SOLID]
    if len(filled) == 1 and len(lines) == len(marks) - 1:
        chosen = filled[0]
        margin = min((chosen.solid - FILLED_SOLID) / 0.3,
                     (CROSSED_SOLID - max(m.solid for m in lines)) / CROSSED_SOLID)
        return RowReading(chosen.value, CORRECTED, 0.5 + 0.5 * _clip(margin), False,
                          f"{_names(lines)} crossed out; read the filled {chosen.value}.")
    return RowReading(None, MULTIPLE, 0.2, True, f"marks at {_names(marks)}; one was expected.",
                      filled[0].value if len(filled) == 1 else None)


def _names(measures: list[BubbleMeasure]) -> str:
    return " and ".join(m.value for m in measures) or "none"


def _clip(value: float) -> float:
    return max(0.0, min(1.0, value))
