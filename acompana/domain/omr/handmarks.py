"""Marks drawn as hands make them, on the project's printed forms, photographed as phones do.

This module is the examiner, not the pupil: it knows nothing of how the reader decides (it never
imports `read` or `marks`, and shares none of their thresholds). Every mark is drawn in
millimetres around a bubble's printed centre as pen or pencil strokes: jittered polylines whose
width and darkness follow the hand's pressure. The kinds people use are all here: fills that
spill and do not fill fully, rings drawn around the bubble (of varying size, off-centre, open or
overlapping at their ends), ticks and crosses of several shapes, a wrong answer scribbled out
and another chosen, the printed correction (an X over a filled bubble, the other filled), light
pencil, rubbed-out pencil, and stray lines across a row. The photos then suffer one degradation
each: tilt, rotation, a fold crease across a blank row, a shadow, yellow paper, blur, low
resolution, heavy JPEG, a photocopy, the top of the page out of frame, or two sheets in one photo.
Everything follows from the seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

import cv2
import numpy as np
import pymupdf

from acompana.domain.omr.render import render_pdf
from acompana.domain.omr.spec import BubbleRow, FormIdentity, FormSpec

DPI = 200
PX_MM = DPI / 25.4
PENS = {"blue": (150, 70, 25), "black": (35, 35, 35), "red": (40, 40, 170)}  # BGR

# How people mark a row; each names what a careful person reads from it.
MARK_KINDS = ("fill", "ring", "tick", "cross", "scribble_out", "x_correction", "light_pencil",
              "rubbed_pencil", "stray_line", "blank")
DEGRADATIONS = ("scan", "tilt", "rotation", "crease", "shadow", "yellow", "blur", "low_res",
                "jpeg", "photocopy", "cut_top", "two_sheets")


@dataclass(frozen=True)
class RowTruth:
    """What was drawn on a row and what it says: `value` (None for a blank row)."""

    kind: str
    value: str | None
    drawn: tuple[tuple[str, str], ...] = ()  # (choice value, what was drawn there)


@dataclass
class HandPhoto:
    """A photo of one or more filled sheets: per printed page (its QR identity) the truth of
    each row."""

    image: np.ndarray
    degradation: str
    sheets: dict[FormIdentity, dict[str, RowTruth]] = field(default_factory=dict)
    expect_out_of_frame: bool = False


# --- The printed page --------------------------------------------------------------------

@lru_cache(maxsize=4)
def _printed(spec_json: str, copy: int) -> np.ndarray:
    spec = FormSpec.from_json(spec_json)
    pdf = render_pdf([spec], copies=1, first_copy=copy)
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        pixmap = document[0].get_pixmap(dpi=DPI, alpha=False)
        rgb = np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.stride)
        rgb = rgb[:, :pixmap.width * 3].reshape(pixmap.height, pixmap.width, 3)
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)


def printed_page(spec: FormSpec, copy: int = 1) -> np.ndarray:
    """The form page as the project prints it, at 200 dpi, in colour."""
    return _printed(spec.to_json(), copy).copy()


# --- Strokes ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pen:
    colour: tuple[int, int, int]
    width_mm: float
    opacity: float  # how much of the paper the ink hides at full pressure
    pencil: bool = False


def pick_pen(rng: np.random.Generator) -> Pen:
    name = str(rng.choice(["blue", "black", "red"], p=[0.55, 0.38, 0.07]))
    return Pen(PENS[name], float(rng.uniform(0.35, 0.8)), float(rng.uniform(0.8, 0.97)))


def pencil(rng: np.random.Generator, light: float) -> Pen:
    """Graphite: grey and grainy; `light` from 0 (pressed hard) to 1 (barely touching)."""
    return Pen((70, 70, 75), float(rng.uniform(0.35, 0.6)), float(0.75 - 0.5 * light), True)


def _wobble(count: int, rng: np.random.Generator, amount: float) -> np.ndarray:
    """A smooth random drift (mm) along a stroke: the hand is never straight."""
    walk = np.cumsum(rng.normal(0, 1, (count, 2)), axis=0)
    kernel = np.ones(5) / 5
    smooth = np.stack([np.convolve(walk[:, k], kernel, mode="same") for k in (0, 1)], 1)
    smooth -= np.linspace(smooth[0], smooth[-1], count)
    return smooth / max(np.abs(smooth).max(), 1e-6) * amount


def _resample(points: np.ndarray, step_mm: float = 0.25) -> np.ndarray:
    lengths = np.linalg.norm(np.diff(points, axis=0), axis=1)
    total = float(lengths.sum())
    if total == 0:
        return points
    at = np.concatenate([[0], np.cumsum(lengths)])
    samples = np.linspace(0, total, max(2, int(total / step_mm)))
    return np.stack([np.interp(samples, at, points[:, k]) for k in (0, 1)], 1)


class Sheet:
    """A page being written on: strokes accumulate in an ink layer, laid on the paper at the
    end (so overlapping strokes darken as real ink does, without going blacker than the pen)."""

    def __init__(self, page: np.ndarray, rng: np.random.Generator):
        self.page = page
        self.rng = rng
        self.layers: dict[Pen, np.ndarray] = {}

    def stroke(self, points_mm: np.ndarray, pen: Pen, wobble_mm: float = 0.15,
               pressure: tuple[float, float] = (0.55, 1.0)) -> None:
        """A polyline in page mm drawn with varying pressure: width and darkness swell and
        fade along it, tapering at both ends."""
        points = _resample(np.asarray(points_mm, float))
        count = len(points)
        points = points + _wobble(count, self.rng, wobble_mm) + self.rng.normal(0, 0.03,
                                                                                points.shape)
        low, high = pressure
        phase = self.rng.uniform(0, 2 * np.pi)
        t = np.linspace(0, 1, count)
        force = low + (high - low) * (0.5 + 0.5 * np.sin(phase + t * self.rng.uniform(2, 7)))
        force *= np.clip(np.minimum(t, 1 - t) * count / 6 + 0.35, 0, 1)  # tapering ends
        if pen not in self.layers:
            self.layers[pen] = np.zeros(self.page.shape[:2], np.float32)
        layer = self.layers[pen]
        px = np.rint(points * PX_MM * 4).astype(np.int32)  # 2 bits of sub-pixel precision
        for n in range(count - 1):
            width = max(1, round(pen.width_mm * PX_MM * (0.55 + 0.45 * force[n])))
            cv2.line(layer, tuple(px[n]), tuple(px[n + 1]), float(force[n]), width,
                     cv2.LINE_AA, shift=2)

    def finish(self) -> np.ndarray:
        page = self.page.copy()
        for pen, layer in self.layers.items():
            x, y, w, h = cv2.boundingRect((layer > 0).astype(np.uint8))
            if not w:
                continue
            alpha = np.minimum(layer[y:y + h, x:x + w], 1.0) * pen.opacity
            if pen.pencil:  # graphite catches on the paper's grain
                grain = self.rng.uniform(0.45, 1.0, alpha.shape).astype(np.float32)
                alpha *= cv2.GaussianBlur(grain, (0, 0), 0.7)
            region = page[y:y + h, x:x + w].astype(np.float32)
            alpha3 = cv2.merge([alpha] * 3)
            ink = np.array(pen.colour, np.float32).reshape(1, 1, 3)
            page[y:y + h, x:x + w] = np.clip(region - alpha3 * (region - ink), 0, 255)
        return page

    def rub_out(self, centre_mm: np.ndarray, radius_mm: float) -> None:
        """An eraser over pencil: most of the graphite goes, a grey smudge stays."""
        for pen, layer in self.layers.items():
            if not pen.pencil:
                continue
            x, y = np.rint(centre_mm * PX_MM).astype(int)
            r = round(radius_mm * PX_MM)
            window = layer[max(0, y - r):y + r, max(0, x - r):x + r]
            keep = self.rng.uniform(0.06, 0.2)
            smudge = cv2.GaussianBlur(window, (0, 0), 2.5) * keep
            window[...] = smudge


# --- Marks, in mm around a bubble of radius r -----------------------------------------------

def _rotate(points: np.ndarray, angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return points @ np.array([[c, s], [-s, c]])


def draw_fill(sheet: Sheet, centre: np.ndarray, r: float, pen: Pen, full: bool = True) -> None:
    """Back-and-forth or round-and-round, spilling over the edge or leaving a gap."""
    rng = sheet.rng
    spread = r * rng.uniform(0.8, 1.25)
    centre = centre + rng.normal(0, 0.3, 2)
    share = rng.uniform(0.8, 1.0) if full else rng.uniform(0.5, 0.75)
    if rng.random() < 0.55:
        angle, step = rng.uniform(0, np.pi), pen.width_mm * rng.uniform(0.6, 1.1)
        offsets = np.arange(-spread, -spread + 2 * spread * share, step)
        points = []
        for n, offset in enumerate(offsets):
            half = np.sqrt(max(spread ** 2 - offset ** 2, 0.05)) * rng.uniform(0.85, 1.1)
            ends = (-half, half) if n % 2 == 0 else (half, -half)
            points += [(end, offset) for end in ends]
        sheet.stroke(centre + _rotate(np.array(points), angle), pen, 0.1)
    else:
        turns = spread / (pen.width_mm * rng.uniform(0.7, 1.0))
        t = np.linspace(0, 1, 80 + int(turns * 30))
        radius = spread * (1 - t * share) ** 0.9
        theta = rng.uniform(0, 2 * np.pi) + t * turns * 2 * np.pi
        sheet.stroke(centre + np.stack([radius * np.cos(theta), radius * np.sin(theta)], 1),
                     pen, 0.1)


def draw_ring(sheet: Sheet, centre: np.ndarray, r: float, pen: Pen) -> None:
    """A loop drawn around the bubble: bigger than it, off-centre, open or overlapping."""
    rng = sheet.rng
    size = r * rng.uniform(1.2, 1.75)
    aspect = rng.uniform(0.8, 1.25)
    offset = rng.normal(0, 0.12 * r, 2)
    start = rng.uniform(0, 2 * np.pi)
    sweep = rng.uniform(1.7, 2.25) * np.pi  # an open end, or the pen runs on past the start
    theta = start + np.linspace(0, sweep, 90)
    spiral = 1 + rng.uniform(-0.1, 0.1) * np.linspace(0, 1, theta.size)
    points = np.stack([size * aspect * np.cos(theta), size / aspect * np.sin(theta)], 1)
    sheet.stroke(centre + offset + _rotate(points * spiral[:, None], rng.uniform(0, np.pi)),
                 pen, 0.25)


TICKS = {  # (down-stroke start, corner, end of the long stroke), in bubble radii
    "check": ((-0.6, -0.05), (-0.15, 0.55), (0.8, -0.8)),
    "long_tail": ((-0.4, 0.0), (-0.1, 0.45), (1.3, -1.2)),
    "v": ((-0.6, -0.6), (0.0, 0.6), (0.6, -0.6)),
    "small": ((-0.35, 0.0), (-0.1, 0.3), (0.4, -0.4)),
}


def draw_tick(sheet: Sheet, centre: np.ndarray, r: float, pen: Pen) -> None:
    rng = sheet.rng
    shape = np.array(TICKS[str(rng.choice(list(TICKS)))])
    points = _rotate(shape * r * rng.uniform(0.85, 1.45), rng.uniform(-0.35, 0.35))
    sheet.stroke(centre + rng.normal(0, 0.35, 2) + points, pen, 0.15)


def draw_cross(sheet: Sheet, centre: np.ndarray, r: float, pen: Pen, size: float = 1.0) -> None:
    """Two strokes, not always equal, not always square to the page (a plus sign too)."""
    rng = sheet.rng
    angle = rng.uniform(-0.3, 0.3) + (np.pi / 4 if rng.random() < 0.15 else 0.0)
    centre = centre + rng.normal(0, 0.3, 2)
    for direction in (1, -1):
        reach = r * size * rng.uniform(0.75, 1.35, 2)
        line = np.array([(-reach[0], -reach[0] * direction), (reach[1], reach[1] * direction)])
        sheet.stroke(centre + _rotate(line * 0.75, angle), pen, 0.12)


def draw_scribble(sheet: Sheet, centre: np.ndarray, r: float, pen: Pen) -> None:
    """A wrong answer blotted out: fast tight zigzags in two directions, well past the edge."""
    rng = sheet.rng
    for _ in range(2):
        reach = r * rng.uniform(1.25, 1.7)
        angle = rng.uniform(0, np.pi)
        count = int(rng.integers(7, 13))
        across = np.linspace(-reach, reach, count)
        along = np.where(np.arange(count) % 2 == 0, -1, 1) * reach * rng.uniform(0.8, 1.05,
                                                                                  count)
        points = np.stack([along, across], 1)
        sheet.stroke(centre + rng.normal(0, 0.3, 2) + _rotate(points, angle), pen, 0.2,
                     pressure=(0.8, 1.0))


def draw_stray_line(sheet: Sheet, row: BubbleRow, pen: Pen) -> None:
    """A slip of the pen or a line from the next row's writing, across part of the row."""
    rng = sheet.rng
    xs = [c.x for c in row.choices]
    y = row.choices[0].y + rng.uniform(-2.5, 2.5)
    start = rng.uniform(min(xs) - 15, max(xs))
    length = rng.uniform(15, 45)
    slope = rng.uniform(-0.15, 0.15)
    points = np.array([(start, y), (start + length, y + slope * length)])
    sheet.stroke(points, pen, 0.3)


# --- What a row gets ------------------------------------------------------------------------

CHOOSE = ("fill", "tick", "ring", "cross")


def mark_row(sheet: Sheet, row: BubbleRow, kind: str, pen: Pen, r: float) -> RowTruth:
    """Draw one row the way `kind` says; return what a careful person reads from it."""
    rng = sheet.rng
    choices = {c.value: np.array([c.x, c.y]) for c in row.choices}
    values = list(choices)
    chosen, wrong = (str(v) for v in rng.choice(values, size=2, replace=False))

    def choose(value: str, how: str, with_pen: Pen = pen) -> None:
        {"fill": lambda: draw_fill(sheet, choices[value], r, with_pen, rng.random() < 0.8),
         "tick": lambda: draw_tick(sheet, choices[value], r, with_pen),
         "ring": lambda: draw_ring(sheet, choices[value], r, with_pen),
         "cross": lambda: draw_cross(sheet, choices[value], r, with_pen)}[how]()

    if kind == "blank":
        return RowTruth(kind, None)
    if kind in CHOOSE:
        choose(chosen, kind)
        return RowTruth(kind, chosen, ((chosen, kind),))
    if kind == "scribble_out":
        first = str(rng.choice(["fill", "tick", "ring"]))
        choose(wrong, first)
        draw_scribble(sheet, choices[wrong], r, pen)
        then = str(rng.choice(["tick", "ring", "fill"], p=[0.45, 0.3, 0.25]))
        choose(chosen, then)
        return RowTruth(kind, chosen, ((wrong, f"{first}+scribble"), (chosen, then)))
    if kind == "x_correction":
        draw_fill(sheet, choices[wrong], r, pen, True)
        draw_cross(sheet, choices[wrong], r, pen, size=rng.uniform(1.3, 1.7))
        draw_fill(sheet, choices[chosen], r, pen, True)
        return RowTruth(kind, chosen, ((wrong, "fill+X"), (chosen, "fill")))
    if kind == "light_pencil":
        draw_fill(sheet, choices[chosen], r, pencil(rng, rng.uniform(0.3, 0.75)), True)
        return RowTruth(kind, chosen, ((chosen, "pencil fill"),))
    if kind == "rubbed_pencil":
        lead = pencil(rng, rng.uniform(0.0, 0.3))
        draw_fill(sheet, choices[wrong], r, lead, True)
        sheet.rub_out(choices[wrong], r * 1.8)
        choose(chosen, str(rng.choice(["fill", "tick"])), lead)
        return RowTruth(kind, chosen, ((wrong, "rubbed out"), (chosen, "pencil")))
    if kind == "stray_line":
        how = str(rng.choice(["fill", "tick", "ring"]))
        choose(chosen, how)
        draw_stray_line(sheet, row, pen)
        return RowTruth(kind, chosen, ((chosen, how), ("-", "stray line")))
    raise ValueError(f"Unknown mark kind {kind!r}; kinds are {', '.join(MARK_KINDS)}.")


def fill_page(spec: FormSpec, rng: np.random.Generator, kinds: dict[str, str] | None = None,
              copy: int = 1, weights: dict[str, float] | None = None
              ) -> tuple[np.ndarray, dict[str, RowTruth]]:
    """The printed page with every row marked by hand. `kinds` fixes a row's kind; the others
    are drawn from `weights` (all kinds alike by default; blank only on optional rows)."""
    kinds = kinds or {}
    weights = weights or dict.fromkeys(MARK_KINDS, 1.0)
    names, shares = list(weights), np.array(list(weights.values()), float)
    sheet = Sheet(printed_page(spec, copy), rng)
    pen = pick_pen(rng)
    r = spec.bubble_mm / 2
    truth = {}
    for row in spec.rows:
        kind = kinds.get(row.id) or str(rng.choice(names, p=shares / shares.sum()))
        if kind == "blank" and row.required:
            kind = "fill"
        truth[row.id] = mark_row(sheet, row, kind, pen, r)
    return sheet.finish(), truth


# --- Photographing ----------------------------------------------------------------------------

def _on_table(page: np.ndarray, rng: np.random.Generator, scale: float, angle_deg: float,
              tilt: float, canvas: np.ndarray | None = None,
              offset: tuple[float, float] = (0.0, 0.0)) -> tuple[np.ndarray, np.ndarray]:
    """The page rotated, tilted (perspective) and scaled onto a table (or onto `canvas`, beside
    what is already there); also where its corners landed."""
    page = cv2.resize(page, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    height, width = page.shape[:2]
    corners = np.array([(0, 0), (width, 0), (width, height), (0, height)], np.float32)
    angle = np.radians(angle_deg)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    placed = (corners - (width / 2, height / 2)) @ rotation.T
    placed += rng.uniform(-tilt, tilt, placed.shape) * np.array([width, height])
    margin = rng.uniform(25, 80)
    placed += np.array((margin, margin)) + offset - placed.min(axis=0)
    if canvas is None:
        size = tuple(int(v) for v in np.ceil(placed.max(axis=0) + margin))
        table = np.array(rng.integers(40, 150, 3), np.uint8)
        canvas = np.empty((size[1], size[0], 3), np.uint8)
        canvas[...] = table
    size = (canvas.shape[1], canvas.shape[0])
    transform = cv2.getPerspectiveTransform(corners, placed.astype(np.float32))
    photo = cv2.warpPerspective(page, transform, size, flags=cv2.INTER_LINEAR)
    cover = cv2.warpPerspective(np.ones(page.shape[:2], np.uint8), transform, size,
                                flags=cv2.INTER_NEAREST) > 0
    np.copyto(canvas, photo, where=cover[..., None])
    return canvas, placed


def _room_light(image: np.ndarray, rng: np.random.Generator, strength: float = 1.0
                ) -> np.ndarray:
    """Light falling off across the photo."""
    height, width = image.shape[:2]
    yy, xx = np.mgrid[:height // 8, :width // 8].astype(np.float32)
    xx, yy = xx / max(1, width // 8) - 0.5, yy / max(1, height // 8) - 0.5
    angle = rng.uniform(0, 2 * np.pi)
    light = 1.0 - strength * (rng.uniform(0.05, 0.25) * (xx * np.cos(angle) + yy * np.sin(angle)
                                                          + 0.5) + 0.15 * (xx ** 2 + yy ** 2))
    light = cv2.resize(light, (width, height), interpolation=cv2.INTER_LINEAR)
    return cv2.multiply(image, cv2.merge([light] * 3), dtype=cv2.CV_8U)


def _noise_and_jpeg(image: np.ndarray, rng: np.random.Generator, quality: int) -> np.ndarray:
    noise = rng.standard_normal(image.shape[:2], dtype=np.float32) * rng.uniform(1.5, 4)
    image = cv2.add(image, cv2.merge([noise] * 3), dtype=cv2.CV_8U)
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def _crease(page: np.ndarray, y_mm: float, rng: np.random.Generator) -> np.ndarray:
    """A fold pressed flat: a thin dark line across the page, slightly slanted and uneven,
    the paper a shade darker on one side of it."""
    height, width = page.shape[:2]
    xs = np.arange(width, dtype=np.float32)
    slope = rng.uniform(-0.01, 0.01)
    line_y = y_mm * PX_MM + rng.uniform(-1.0, 1.0) * PX_MM + slope * (xs - width / 2)
    yy = np.arange(height, dtype=np.float32)[:, None]
    distance = yy - line_y[None, :]
    dark = rng.uniform(0.35, 0.6) * np.exp(-(distance / rng.uniform(1.2, 2.5)) ** 2)
    dark *= (0.6 + 0.4 * np.sin(xs / rng.uniform(30, 90) + rng.uniform(0, 6)))[None, :]
    side = rng.uniform(0.04, 0.12) / (1 + np.exp(np.clip(-distance / 3, -50, 50)))
    shade = (1 - dark - side).astype(np.float32)
    return cv2.multiply(page, cv2.merge([shade] * 3), dtype=cv2.CV_8U)


def _shadow(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The shadow of the phone or a hand: a dark region with a soft edge over part of the page."""
    height, width = image.shape[:2]
    yy, xx = np.mgrid[:height // 4, :width // 4].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    across = (xx * np.cos(angle) + yy * np.sin(angle))
    edge = np.quantile(across, rng.uniform(0.45, 0.8))
    shadow = 1 / (1 + np.exp(-(across - edge) / rng.uniform(1.0, 6.0)))
    light = 1 - rng.uniform(0.35, 0.6) * shadow
    light = cv2.resize(light.astype(np.float32), (width, height))
    return cv2.multiply(image, cv2.merge([light] * 3), dtype=cv2.CV_8U)


def _photocopy(page: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Grey toner, harsh contrast, a dirty drum's specks."""
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY).astype(np.float32)
    gray = np.clip((gray - 60) * rng.uniform(1.3, 1.7) + 20, 0, 255)
    gray = cv2.GaussianBlur(gray, (0, 0), 0.8)
    specks = rng.random(gray.shape) < 0.0008
    gray[cv2.dilate(specks.astype(np.uint8), np.ones((2, 2))) > 0] = rng.uniform(40, 110)
    gray = np.clip(gray * rng.uniform(0.85, 0.97) + 10, 0, 255).astype(np.uint8)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


def photograph(pages: list[np.ndarray], degradation: str, rng: np.random.Generator,
               crease_y_mm: float | None = None) -> tuple[np.ndarray, bool]:
    """One photo of the page(s) under `degradation`; also whether part of the page is meant to
    be out of frame."""
    page = pages[0]
    dpi = rng.uniform(130, 170)
    angle, tilt, quality = rng.uniform(-8, 8), 0.03, int(rng.integers(70, 90))
    if degradation == "scan":
        dpi, angle, tilt = rng.uniform(150, 200), rng.uniform(-2, 2), 0.0
    elif degradation == "tilt":
        angle, tilt = rng.uniform(-12, 12), 0.09
    elif degradation == "rotation":
        angle = float(rng.choice([90, 180, 270])) + rng.uniform(-25, 25)
    elif degradation == "crease" and crease_y_mm is not None:
        page = _crease(page, crease_y_mm, rng)
    elif degradation == "yellow":
        tint = np.array([rng.uniform(0.55, 0.75), rng.uniform(0.88, 0.95), 1.0], np.float32)
        page = cv2.multiply(page.astype(np.float32), tint.reshape(1, 1, 3)).astype(np.uint8)
    elif degradation == "low_res":
        dpi = rng.uniform(72, 95)
    elif degradation == "jpeg":
        quality = int(rng.integers(12, 25))
    elif degradation == "photocopy":
        page, dpi, tilt = _photocopy(page, rng), rng.uniform(140, 200), 0.0
        angle = rng.uniform(-2, 2)
    if degradation == "two_sheets":
        scale = rng.uniform(100, 120) / DPI
        side = page.shape[1] * scale
        tall = page.shape[0] * scale
        canvas = np.empty((int(tall * 1.12 + 180), int(2 * side + 0.25 * tall + 260), 3),
                          np.uint8)
        canvas[...] = np.array(rng.integers(40, 150, 3), np.uint8)
        image, placed = _on_table(page, rng, scale, rng.uniform(-6, 6), 0.02, canvas)
        image, _ = _on_table(pages[1], rng, scale, rng.uniform(-6, 6), 0.02, canvas,
                             (side + 0.12 * tall + rng.uniform(10, 40), rng.uniform(-10, 10)))
    else:
        image, placed = _on_table(page, rng, dpi / DPI, angle, tilt)
    if degradation not in ("scan", "photocopy"):
        image = _room_light(image, rng)
    if degradation == "shadow":
        image = _shadow(image, rng)
    if degradation == "blur":
        if rng.random() < 0.5:
            image = cv2.GaussianBlur(image, (0, 0), rng.uniform(1.6, 2.4))
        else:
            length = int(rng.integers(5, 9))
            kernel = np.zeros((length, length), np.float32)
            kernel[length // 2, :] = 1 / length
            turn = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5),
                                           rng.uniform(0, 180), 1.0)
            image = cv2.filter2D(image, -1, cv2.warpAffine(kernel, turn, (length, length)))
    else:
        image = cv2.GaussianBlur(image, (0, 0), rng.uniform(0.4, 0.9))
    out_of_frame = False
    if degradation == "cut_top":
        top = placed[:, 1].min()
        height = placed[:, 1].max() - top
        cut = int(top + height * rng.uniform(0.03, 0.07))
        image, out_of_frame = image[cut:], True
    return _noise_and_jpeg(image, rng, quality), out_of_frame


def hand_photo(specs: list[FormSpec], degradation: str, seed: int, copy: int = 1,
               kinds: dict[str, str] | None = None,
               weights: dict[str, float] | None = None) -> HandPhoto:
    """A photo of `specs[0]` (and `specs[1]` for two sheets) filled by hand and degraded."""
    rng = np.random.default_rng(seed)
    pages, sheets = [], {}
    crease_y = None
    for number, spec in enumerate(specs[:2 if degradation == "two_sheets" else 1]):
        fixed = dict(kinds or {})
        if degradation == "crease" and number == 0:
            optional = [row for row in spec.rows if not row.required]
            if optional:
                target = optional[int(rng.integers(len(optional)))]
                crease_y = target.choices[0].y
                for row in spec.rows:  # every optional field on the creased line stays blank
                    if not row.required and abs(row.choices[0].y - crease_y) < 1.0:
                        fixed[row.id] = "blank"
        image, truth = fill_page(spec, rng, fixed, copy + number, weights)
        pages.append(image)
        sheets[replace(spec.identity, copy=copy + number)] = truth
    image, out_of_frame = photograph(pages, degradation, rng, crease_y)
    return HandPhoto(image, degradation, sheets, out_of_frame)
