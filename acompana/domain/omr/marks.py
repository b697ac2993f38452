"""Deciding what a row of bubbles says from what people draw on it.

People choose a bubble by filling it, ticking it, crossing it or drawing a ring around it; they
cancel one by scribbling it out or, as the printed instruction shows, by drawing an X over a
filled bubble. So each bubble is measured on the straightened page, with the printed form's own
ink and long straight lines (a fold crease, a slip of the pen) taken away, both inside its
printed circle and in a band just outside it:

- `cover`, `solid`, `strength`: how much of the inner disc is ink, how much of it in patches
  wider than a pen line, and how dark its darkest quarter is (1 = printed black);
- `light`: how much of the disc holds even light ink (a pencil fill pressed softly);
- `ring`, `far`: in how many directions around the circle there is ink just outside it, and
  further out (a ring drawn around the bubble; a scribble spilling well past it);
- `light_ring`: in how many directions there is even light ink just outside it, where that
  lies on three or four sides (a ring drawn lightly, or washed out by the photo);
- `sides`: on how many of its four sides that ink is (a ring, not a stroke passing by); strokes
  that start in another bubble of the row are that bubble's mark and are left out;
- `arms`, `x_arms`: how many thin strokes leave a filled circle (reaching well past the ink
  beside them, as a fill's spill does not), and how many of them lie as an X's arms do (two
  across the bubble from each other and one or two at right angles to them);
- `crossed`: how evenly the disc's ink spreads over its four quarters (an X, not a tick);
- `tall`: how far the disc's ink spreads up and down the page (a stray line or a fold along
  the row is flat; a tick, a cross or a fill is not);
- `slant`, `elongation`: the angle between the row and the long axis of the disc's ink, and
  how much longer that axis is than the other (a line passing through, even a thick one, lies
  long and thin along the row; a tick's strokes slant);
- `tone`: the disc's mean darkness, set against the page's own empty bubbles (a pencil mark a
  photocopy or a coarse photo washed out raises it a little all over);
- `lined`: how much of the disc's ink went out with a line taken out of the page (what is
  left there may be the rest of a tick the line ran through);
- `fold`, `line_end`: whether a fold the reader took out of the page crosses the disc (what
  is left of it is no mark), and whether a stray line it took out ends in the disc or just
  outside the circle (what the line ran into, a tick's foot or a ring's side, went with it).

From these each bubble gets a shape, and the row is read as a whole: one choosing mark (with
any number of cancelled ones beside it) is the answer; an X over a filled bubble cancels it
only beside another fill (the printed correction; where the fill hides two of the X's arms,
the two that show at right angles tell it, beside a fill without any); a line along the row is
no rival to a clear mark; a lone light mark clearly darker than the rest of its row (a fresh
pencil stroke beside what an eraser left, or beside a scribbled-out answer) is the answer. A
filled disc is scribbled over only if thin strokes leave it (a blotchy fill spills all round
without any), and light ink over nearly all of a disc is a fill however patchy, never a tick
or a cross. A row that looks empty but holds a trace clearly darker than its cleanest bubble,
by the page's own measure of how empty bubbles vary, is flagged; where that happens on a page,
its empty rows whose bubbles are not all alike are flagged too (all of them, on several rows);
and so is a row left empty where a stray line taken out ends in a bubble, or beside one with
ink left beside its circle. A row whose marks leave two readings plausible is flagged with
the reason and gets no value, never a silent guess.
"""

from __future__ import annotations

from dataclasses import dataclass

INK = 0.35  # a pixel at least this dark (1 = printed black) is ink
LIGHT_INK = 0.13  # ... and at least this dark, a light pencil stroke or a rubbed-out trace
FAINT = 0.18  # a bubble's strength below this is blank paper; from here up, a faint mark
FAINT_PEAK = 0.15  # ... or a thin stroke this dark anywhere in the disc
FAINT_LIGHT = 0.2  # ... or light ink over this much of the disc
MARK = 0.38  # from this strength up (with MIN_COVER), a mark someone meant
PEAK_MARK = 0.33  # ... or a thin stroke (a tick) this dark
MIN_COVER = 0.06  # less of the disc than this is a speck or a stray line, not a mark
FILLED_COVER, FILLED_SOLID = 0.55, 0.3  # a filled-in bubble: mostly ink, in a solid patch
LIGHT_FILL = 0.4  # a light fill covers at least this much of the disc with light ink
RING_AROUND = 0.6  # ink just outside in this share of directions: all round the bubble
RING_SHARE, RING_SIDES = 0.3, 3  # a ring drawn around: ink in this share of directions, on
# this many of the bubble's four sides
FAINT_RING = 0.4  # light ink just outside in this share of directions, on 3 or 4 sides: a ring
# drawn lightly or washed out by a yellowed or shadowed photo (such rings measure 0.4 to 0.55;
# noise and what spills from neighbours, under 0.4), a person looks
PART_RING = 0.2  # ink around on fewer sides or directions: maybe a ring, a person looks (if
# lighter ink closes it on a third side: on two alone it spilled from a neighbour's mark)
SCRIBBLE_FAR = 0.45  # a scribble: ink well past the circle in this share of directions
SCRIBBLE_STROKES = 2  # ... and, over a filled disc, at least this many thin strokes leaving it
# (a scribble's zigzags do; a blotchy fill spilling past its circle all round leaves none)
SCRIBBLE_ARMS = 5  # strokes leaving a fill all round, this many: scribbled over (an X has 4)
X_ARMS = 3  # strokes leaving a filled bubble as an X's arms do: an X drawn over it (one line
# through it, a slip of the pen, has only two)
X_PAIR = 2  # two strokes at right angles leaving a fill: an X whose other arms the fill hides,
# or a line cutting across its edge; only beside a fill without any, is it the crossed-out one
CROSSED = 0.3  # the disc's quarters this evenly inked: a cross, not a tick
PATCHY_FILL = 0.8  # a tick's or a cross's strokes leave much of the disc clean; light ink over
# this much of it is a fill, however patchy its dark ink (which then measures like a stroke)
TRACE_FLOOR = 0.12  # a disc's darkest twelfth this dark, and three times the row's usual: a trace
DOUBT = 0.28  # a faint mark this strong beside a clear one could be a second answer
FLAT = 0.32  # a thin stroke whose ink spreads less than this (mm, s.d.) up and down the page
# runs along the row: a line passing through (a tick or a cross is taller)
ALONG_ROW_DEGREES = 15.0  # ... as does one whose ink's long axis lies this close to the row's
ALONG_ROW_ELONGATION = 2.5  # ... and is this many times longer than it is wide (a thick pen's
# line, slanting a little, is taller than FLAT; a tick's strokes slant at 30 degrees or more)

MARKED, CORRECTED, EMPTY, MULTIPLE, FAINT_ONLY, CANCELLED, NOT_READ = (
    "marked", "corrected", "empty", "multiple", "faint", "cancelled", "not_read")

# Shapes of what was drawn in and around one bubble.
BLANK, FAINT_MARK, FILL, LIGHT_FILL_MARK, TICK, CROSS, RING, SCRIBBLE, X_OVER_FILL = (
    "blank", "faint", "fill", "light fill", "tick", "cross", "ring", "scribble",
    "X over a filled bubble")
LINE_ALONG = "line along the row"  # a thin stroke flat along the row: a stray line through it
CHOOSING = (FILL, LIGHT_FILL_MARK, TICK, CROSS, RING)
CANCELLING = (SCRIBBLE, X_OVER_FILL)


@dataclass(frozen=True)
class BubbleMeasure:
    value: str
    cover: float  # share of the inner disc that is ink
    strength: float  # darkness of the disc's darkest quarter
    solid: float = 0.0  # share of the disc in ink areas wider than a pen line
    light: float = 0.0  # share of the disc with at least light ink
    peak: float = 0.0  # darkness of the disc's darkest twelfth (a thin light stroke)
    ring: float = 0.0  # share of directions with ink just outside the printed circle
    far: float = 0.0  # share of directions with ink well outside it
    sides: int = 0  # sides of the bubble (of 4) with ink around it (a ring: 3 or 4)
    arms: int = 0  # thin strokes leaving the circle
    x_arms: int = 0  # ... of them lying as an X's arms do (3 or 4; 0 when they do not)
    sideways: bool = False  # ... one of them along the row, towards the bubbles beside it
    light_ring: float = 0.0  # share of directions with even light ink just outside the
    # circle, where it lies on 3 or 4 sides (else 0): a faint ring
    crossed: float = 0.0  # evenness of ink over the disc's quarters (1 = an even X or fill)
    tall: float = 0.0  # how far the disc's light ink spreads up and down the page (mm, s.d.)
    tone: float = 0.0  # the disc's mean darkness (a washed-out fill raises it all over)
    band: float = 0.0  # how much darker its darkest horizontal third is than its lightest
    # (a crease or a line along the row darkens one; a washed-out fill, all three alike)
    slant: float = 0.0  # angle (degrees) between the row and the long axis of the disc's ink
    elongation: float = 1.0  # ... and how much longer that axis is than the other
    fold: bool = False  # a fold's crease crosses its disc (what is left of it is no mark)
    lined: float = 0.0  # share of the disc whose ink went out with a line taken out of the page
    line_end: str = ""  # a line taken out of the page (a stray stroke) ends in its disc ("in")
    # or just outside its circle ("beside"): what it ran into there may have gone out with it

    @property
    def shape(self) -> str:
        if self.cover >= 0.4 and self.far >= SCRIBBLE_FAR and self.ring >= RING_AROUND and (
                self.cover < FILLED_COVER or self.arms >= SCRIBBLE_STROKES):
            return SCRIBBLE
        if self.strength >= MARK and (self.cover >= FILLED_COVER + 0.05 or (
                self.cover >= FILLED_COVER and self.solid >= FILLED_SOLID)):
            return X_OVER_FILL if self.x_arms >= X_ARMS else FILL
        if (self.strength >= MARK or self.peak >= PEAK_MARK) and (
                self.cover >= MIN_COVER or self.light >= 2 * MIN_COVER):
            if self.light >= PATCHY_FILL:
                return FILL
            if self.crossed >= CROSSED:
                return CROSS
            if self.tall >= FLAT and not self.lies_along_row:
                return TICK
            return RING if self.sides >= RING_SIDES and self.ring >= RING_SHARE else LINE_ALONG
        if self.sides >= RING_SIDES and self.ring >= RING_SHARE or (
                self.ring >= PART_RING and self.light_ring >= RING_AROUND):
            return RING  # (or drawn lightly: dark in places, light ink all round)
        if self.light >= LIGHT_FILL:
            return LIGHT_FILL_MARK
        if self.strength >= FAINT or self.peak >= FAINT_PEAK or self.light >= FAINT_LIGHT or (
                self.ring >= PART_RING and self.sides >= RING_SIDES - 1 and self.light_ring) or (
                self.light_ring >= FAINT_RING):
            return FAINT_MARK  # something someone may have meant: a person looks
        return BLANK

    @property
    def may_be_scribbled(self) -> bool:
        """Ink spills well past its circle all round, as a scribble over it does; read as a
        fill only because no two thin strokes were seen leaving it (a blotchy fill has none,
        but blur runs a scribble's strokes together too)."""
        return self.far >= SCRIBBLE_FAR and self.ring >= RING_AROUND

    @property
    def lies_along_row(self) -> bool:
        """Its ink is one long thin stroke lying along the row: a line passing through or
        ending in it (a tick's strokes slant across the row, a cross's cross each other)."""
        return self.slant <= ALONG_ROW_DEGREES and self.elongation >= ALONG_ROW_ELONGATION

    @property
    def is_crease_trace(self) -> bool:
        """Its light ink is a flat streak along the row, as a crease or a faint line leaves
        across a row: flatter than any tick and several times longer than wide. Not where a
        stray line was taken out through the disc: what it leaves flat along the row there is
        what is left of a mark the line ran through (a tick, a fresh pencil stroke)."""
        return (self.tall < TRACE_TALL and self.lies_along_row and self.cover < MIN_COVER
                and not self.lined)

    @property
    def is_mark(self) -> bool:
        return self.shape not in (BLANK, FAINT_MARK)


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


@dataclass(frozen=True)
class PagePaper:
    """How the page's bubbles look when nobody marked them, measured on the page itself: the
    usual mean darkness of a bubble's disc (`tone`, the median) and how much it varies from
    bubble to bubble (`spread`, measured on the lightest quarter, which marks, all darker,
    cannot widen: where pencil and erasures fill half a page's bubbles, its median is no
    longer paper, but its lightest quarter still is). A photocopy or a low-resolution photo
    can wash a pencil mark out to a few hundredths of darkness; set against this page's own
    paper and print it still stands out, though no fixed threshold would see it."""

    tone: float = 0.0
    spread: float = 0.0

    @classmethod
    def of(cls, measures: list[BubbleMeasure]) -> PagePaper:
        if not measures:
            return cls()
        tones = sorted(m.tone for m in measures)
        count = len(tones)
        # Noise spread evenly puts the 25th percentile as far below the 50th (the spread,
        # as measured before) as the 5th is below the 25th, over 0.97 / 0.674 of that.
        quarter = tones[count // 4] - tones[count // 20]
        return cls(tones[count // 2], LIGHT_QUARTER_TO_SPREAD * quarter)


LIGHT_QUARTER_TO_SPREAD = 0.674 / 0.97


LEFT_BY_LINE = 0.06  # ink just outside a bubble in more than one direction, where a line taken
# out ends beside it: what is left of a ring or a tick the line ran into (the rest went out
# with it); a line that ends inside the disc may have taken all of a small tick
WASHED_SPREADS = 2.5  # a disc this many of the page's spreads darker than its row's cleanest
WASHED_TONE = 0.01  # ... and this much darker (mean darkness): a washed-out mark, not paper
WASHED_BANDED = 3.0  # ... unless its darkest horizontal third is darker than its lightest by
# this many times the disc's darkness over the page's usual: a line along the row (a crease)
WASHED_ROWS = 2  # this many rows of a page with washed-out marks: its empty rows are doubtful
DOUBT_SPREADS = 1.5  # with one such row, its empty rows whose darkest bubble is this many of
DOUBT_TONE = 0.003  # the page's spreads, and this much, darker than their cleanest (what the
# page's noise could hide, the copy may have hidden; rows all alike to within the photo's
# noise of a few thousandths hold nothing)


def classify_page(rows: list[tuple[list[BubbleMeasure], bool]]) -> list[RowReading]:
    """Every row of a page (its bubbles' measures and whether it needs an answer), each read
    against the page's own paper: a row that looks empty but holds a washed-out trace is
    flagged, and when several rows of the page do, its other empty rows are flagged too (the
    pencil that faded on those may have faded past seeing on these)."""
    page = PagePaper.of([m for measures, _required in rows for m in measures])
    readings = [classify_row(measures, required, page) for measures, required in rows]
    washed = sum(r.status == FAINT_ONLY and r.reason.startswith(WASHED_OUT) for r in readings)
    if not washed:
        return readings
    bar = 0.0 if washed >= WASHED_ROWS else max(DOUBT_SPREADS * page.spread, DOUBT_TONE)
    return [RowReading(None, EMPTY, 0.3, True, "nothing is marked here, but pencil on other "
                       "rows of this page is washed out to a trace; check on the paper that "
                       "this row is really empty.")
            if r.status == EMPTY and not r.flagged and _above_cleanest(measures) >= bar else r
            for r, (measures, _required) in zip(readings, rows, strict=True)]


def _above_cleanest(measures: list[BubbleMeasure]) -> float:
    """How much darker (mean darkness) a row's darkest bubble is than its cleanest."""
    tones = [m.tone for m in measures]
    return max(tones, default=0.0) - min(tones, default=0.0)


def classify_row(measures: list[BubbleMeasure], required: bool,
                 page: PagePaper | None = None) -> RowReading:
    shapes = _row_shapes(measures)
    marks = [m for m in measures if shapes[m.value] not in (BLANK, FAINT_MARK, LINE_ALONG)]
    faint = [m for m in measures if shapes[m.value] in (FAINT_MARK, LINE_ALONG)]
    if not marks:
        reading = _unmarked(measures, faint, required)
        if reading.status == EMPTY and page is not None and (
                washed := _washed_out(measures, page)):
            return RowReading(None, FAINT_ONLY, 0.2, True,
                              f"{WASHED_OUT} at {washed.value}, darker than this page's empty "
                              "bubbles; check whether it was meant.", washed.value)
        if reading.status == EMPTY and (ended := [m for m in measures if m.line_end == "in" or (
                m.line_end and m.ring >= LEFT_BY_LINE) or _left_by_line(m, measures)]):
            return RowReading(None, EMPTY, 0.3, True,
                              f"a stray line ends at or runs through {_names(ended)}: nothing "
                              "is marked here once it is set aside, but it may hide a tick or a "
                              "ring it ran into; check on the paper.", ended[0].value)
        return reading
    # A line passing through bubbles beside a clear mark is no rival to it.
    measures = [m for m in measures if shapes[m.value] != LINE_ALONG]
    faint = [m for m in faint if shapes[m.value] != LINE_ALONG]
    choosing = [m for m in marks if shapes[m.value] in CHOOSING]
    cancelled = [m for m in marks if shapes[m.value] in CANCELLING]
    if len(choosing) == 2 and not cancelled:
        choosing, cancelled = _crossed_then_filled(choosing, shapes)
    crossed_out = [m for m in cancelled if shapes[m.value] == X_OVER_FILL]
    if len(choosing) == 1 and crossed_out and (
            _touched(choosing[0], crossed_out, measures) if shapes[choosing[0].value] == FILL
            else not all(m.arms >= SCRIBBLE_ARMS and m.ring >= RING_AROUND
                         for m in crossed_out)):
        # The printed correction is a crossed-out fill and another fill; strokes leaving both
        # of two neighbouring fills may be one X's arms reaching over both. Beside a tick or a
        # ring, a fill counts as cancelled only when strokes leave it all round (scribbled
        # over): two strokes and a spill may be a line passing through a real answer.
        return RowReading(None, MULTIPLE, 0.3, True,
                          f"{_names(crossed_out)} looks crossed out, but the other mark, at "
                          f"{choosing[0].value}, is not a clean fill.", None)
    if len(choosing) == 1:
        return _chosen(choosing[0], cancelled, faint, measures, shapes)
    if not choosing:
        # A tick pressed lightly beside a scribbled-out answer is the new one, when it stands
        # out from the rest of the row as a fresh pencil stroke beside an erasure does.
        rest = [m for m in measures if m not in cancelled]
        if len(faint) == 1 and all(shapes[m.value] == SCRIBBLE for m in cancelled) and (
                margin := _clear_trace(faint[0], rest)) > 0:
            return RowReading(faint[0].value, CORRECTED, 0.5 + 0.5 * _clip(margin), False,
                              f"{_names(cancelled)} cancelled ({_shapes(cancelled, shapes)}); "
                              f"read the light mark at {faint[0].value}.")
        return RowReading(None, CANCELLED, 0.3, True,
                          f"{_names(cancelled)} cancelled ({_shapes(cancelled, shapes)}) and "
                          "no other answer marked.", None)
    return RowReading(None, MULTIPLE, 0.2, True,
                      f"marks at {_names(choosing)} ({_shapes(choosing, shapes)}); one was "
                      "expected.", None)


def _left_by_line(bubble: BubbleMeasure, measures: list[BubbleMeasure]) -> bool:
    """A stray line taken out of the page ran through its disc and left light ink there,
    standing out from the row's own noise as what an eraser or a crease leaves does not:
    the rest of a small tick the line took with it."""
    peaks = sorted(m.peak for m in measures)
    return bubble.lined > 0 and not bubble.fold and bubble.light > 0 and (
        bubble.peak >= 3 * peaks[len(peaks) // 2])


def _touched(fill: BubbleMeasure, crossed_out: list[BubbleMeasure],
             measures: list[BubbleMeasure]) -> bool:
    """Whether the other fill may be crossed out too: strokes at right angles leave it, or a
    stroke leaves it along the row beside a crossed-out fill with more strokes than an X's
    four (some of which may then be this fill's, and the X's arms reach over both)."""
    at = measures.index(fill)
    return fill.x_arms >= X_PAIR or (fill.sideways and any(
        abs(measures.index(m) - at) == 1 and m.arms >= SCRIBBLE_ARMS for m in crossed_out))


def _row_shapes(measures: list[BubbleMeasure]) -> dict[str, str]:
    """Each bubble's shape, seen against the rest of its row: a trace well above the row's own
    noise is worth a look; beside a scribble, what looks like an X over a filled bubble is the
    scribble's strokes reaching over a fill."""
    shapes = {m.value: m.shape for m in measures}
    if len(measures) < 2:
        return shapes
    if SCRIBBLE in shapes.values():
        shapes = {value: FILL if shape == X_OVER_FILL else shape
                  for value, shape in shapes.items()}
    peaks = sorted(m.peak for m in measures)
    noise = peaks[len(peaks) // 2]
    for m in measures:
        if shapes[m.value] == BLANK and m.peak >= max(TRACE_FLOOR, 3 * noise):
            shapes[m.value] = FAINT_MARK
        elif shapes[m.value] == FAINT_MARK and m.is_crease_trace:
            shapes[m.value] = BLANK
    return shapes


def _crossed_then_filled(choosing: list[BubbleMeasure], shapes: dict[str, str]
                         ) -> tuple[list[BubbleMeasure], list[BubbleMeasure]]:
    """The earlier printed convention, a cross on the wrong bubble and the right one filled;
    or the printed one where only two of the X's arms show: two strokes at right angles
    leaving one fill, none the other (marks `shapes` of the crossed-out one)."""
    crossed = [m for m in choosing if shapes[m.value] == CROSS]
    filled = [m for m in choosing if shapes[m.value] == FILL]
    if len(crossed) == 1 and len(filled) == 1:
        return filled, crossed
    if len(filled) == 2:  # the printed correction, two of the X's arms showing past the fill
        paired = [m for m in filled if m.x_arms == X_PAIR]
        clean = [m for m in filled if m.x_arms == 0]
        if len(paired) == 1 and len(clean) == 1:
            shapes[paired[0].value] = X_OVER_FILL
            return clean, paired
    return choosing, []


WASHED_OUT = "a washed-out trace"


def _washed_out(measures: list[BubbleMeasure], page: PagePaper) -> BubbleMeasure | None:
    """The bubble of a row read as empty that is clearly darker than the row's cleanest one
    (by more than the page's empty bubbles vary among themselves), if any: pencil a photocopy
    or a coarse photo washed out. A crease darkens a whole row alike, so the row's own
    cleanest bubble is the measure, not the page's usual tone; and it darkens a band across
    the disc, where a fill darkens it all; where the reader found the fold and took it out,
    what is left of it is no trace either."""
    darkest = max(measures, key=lambda m: m.tone)
    above = _above_cleanest(measures)
    if above >= WASHED_TONE and above >= WASHED_SPREADS * page.spread and (
            darkest.band < WASHED_BANDED * (darkest.tone - page.tone)) and (
            not darkest.fold and not darkest.is_crease_trace):
        return darkest
    return None


def _unmarked(measures: list[BubbleMeasure], faint: list[BubbleMeasure],
              required: bool) -> RowReading:
    if len(faint) == 1 and (margin := _clear_trace(faint[0], measures)) > 0:
        return RowReading(faint[0].value, MARKED, 0.5 + 0.5 * _clip(margin), False,
                          f"a light mark at {faint[0].value}; the other bubbles are clean or "
                          "hold only what an eraser leaves.")
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


TRACE_OVER_REST = 1.5  # a light mark this many times darker than the rest of its row ...
TRACE_MARGIN = 0.05  # ... and this much darker, is the row's answer (what an eraser leaves is
# a low smudge; a fresh pencil stroke beside it is clearly darker)
TRACE_TALL = 0.25  # ... if it spreads up and down the page: a crease or a stray line along the
# row is flat (its trace spreads about 0.15 mm; a pencil tick, even blurred, 0.27 or more)
LINE_BANDED = 2.5  # ... and is not one stroke along the row whose darkest horizontal third
# is darker than its lightest by this many times the disc's mean darkness: its ink lies in
# one third (all of it in the top or bottom third gives 3.4; a tick crosses the thirds, and a
# tick with a line through it measures 2.3 at most)


def _clear_trace(mark: BubbleMeasure, measures: list[BubbleMeasure]) -> float:
    """How clearly a light mark stands out as the row's one answer (> 0: it does): a pencil
    stroke beside blank bubbles or a rubbed-out one, not a trace a fold leaves along the row."""
    rest = max((m.peak for m in measures if m is not mark), default=0.0)
    if mark.peak < FAINT_PEAK or mark.tall < TRACE_TALL or (
            mark.lies_along_row and mark.band >= LINE_BANDED * mark.tone):
        return 0.0
    return min((mark.peak - TRACE_OVER_REST * rest) / 0.1, (mark.peak - rest - TRACE_MARGIN) / 0.1,
               (mark.tall - TRACE_TALL) / 0.3)


def _chosen(mark: BubbleMeasure, cancelled: list[BubbleMeasure], faint: list[BubbleMeasure],
            measures: list[BubbleMeasure], shapes: dict[str, str]) -> RowReading:
    """One choosing mark; a faint one beside it is an erasure unless it is nearly as dark, and
    a light fill is only an answer where nothing else on the row looks like one."""
    others = [m for m in measures if m is not mark and m not in cancelled]
    rival = max((m.strength for m in others), default=0.0)
    rival_light = max((m.light for m in others), default=0.0)
    if shapes[mark.value] == LIGHT_FILL_MARK:
        if rival_light >= 0.25 or rival >= DOUBT:
            return RowReading(None, MULTIPLE, 0.3, True, f"a light mark at {mark.value} and "
                              f"another trace at {_names(others)}.", mark.value)
        margin = min((mark.light - LIGHT_FILL) / 0.3, (0.25 - rival_light) / 0.2)
        return RowReading(mark.value, MARKED, 0.5 + 0.5 * _clip(margin), False, "")
    if rival >= DOUBT:
        return RowReading(None, MULTIPLE, 0.3, True,
                          f"a clear mark at {mark.value} and a lighter one at {_names(faint)}.",
                          mark.value)
    strokes = [m for m in faint if not m.lies_along_row
               and _clear_trace(m, [n for n in measures if n is not mark]) > 0]
    if shapes[mark.value] == RING and strokes:
        # A ring's ink lies outside its disc, so no darkness inside weighs it against a pencil
        # stroke in another disc; what an eraser leaves of a ring is a ring too.
        return RowReading(None, MULTIPLE, 0.3, True,
                          f"a ring at {mark.value} and a pencil stroke at {_names(strokes)}; "
                          "one may be rubbed out.", mark.value)
    if shapes[mark.value] == FILL and mark.may_be_scribbled and strokes:
        # A fill blotted past its circle all round, or scribbled over with strokes the blur
        # ran together: beside a light stroke that stands out as a fresh tick does, either.
        return RowReading(None, MULTIPLE, 0.3, True,
                          f"a fill at {mark.value}, spilling all round as a scribble over it "
                          f"would, and a light stroke at {_names(strokes)}; one may be the "
                          "answer.", mark.value)
    margin = min((mark.strength - MARK) / 0.3, (mark.cover - MIN_COVER) / 0.25,
                 (DOUBT - rival) / 0.2)
    if not cancelled:
        return RowReading(mark.value, MARKED, 0.5 + 0.5 * _clip(margin), False, "")
    return RowReading(mark.value, CORRECTED, 0.5 + 0.5 * _clip(margin), False,
                      f"{_names(cancelled)} cancelled ({_shapes(cancelled, shapes)}); read the "
                      f"{shapes[mark.value]} at {mark.value}.")


def _names(measures: list[BubbleMeasure]) -> str:
    return " and ".join(m.value for m in measures) or "none"


def _shapes(measures: list[BubbleMeasure], shapes: dict[str, str]) -> str:
    return ", ".join(shapes[m.value] for m in measures)


def _clip(value: float) -> float:
    return max(0.0, min(1.0, value))
