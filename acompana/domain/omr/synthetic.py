"""Made-up filled forms, photographed badly on purpose, for the tests and the benchmark.

A page is rendered from its spec, marked by a synthetic hand (full, partial and light fills,
ticks, crosses, corrections, and on purpose ambiguous double or faint marks), then degraded
like a phone photo or a cheap scan: a sheet not quite flat, rotation (upside down too),
perspective, uneven light, a shadow, blur, noise, 150 dpi and JPEG quality 40. Everything
follows from the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import pymupdf

from acompana.domain.omr.render import render_pdf
from acompana.domain.omr.spec import BubbleRow, FormSpec, TextBox

MARKS = ("full", "partial", "light", "tick", "cross", "faint")
# Share of rows filled each way; blank rows only where an answer may be left out.
SCENARIOS: dict[str, float] = {"full": 0.5, "partial": 0.1, "light": 0.08, "tick": 0.07,
                               "cross": 0.08, "correction": 0.07, "blank": 0.05,
                               "double": 0.025, "faint": 0.025}
BLUE_PEN, BLACK_PEN = (150, 60, 30), (40, 40, 40)  # BGR
RENDER_DPI, PHOTO_DPI = 200, 150


@dataclass(frozen=True)
class Answer:
    """What the hand did on a row, and what a careful reader concludes: `value`, or a flag
    when the marks are ambiguous on purpose."""

    marks: tuple[tuple[str, str], ...]  # (choice value, mark)
    value: str | None
    should_flag: bool


def page_image(spec: FormSpec, copy: int = 1, dpi: int = RENDER_DPI) -> np.ndarray:
    """The printed page as a colour image."""
    pdf = render_pdf([spec], copies=1, first_copy=copy)
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        pixmap = document[0].get_pixmap(dpi=dpi, alpha=False)
        rgb = np.frombuffer(pixmap.samples, np.uint8).reshape(pixmap.height, pixmap.stride)
        rgb = rgb[:, :pixmap.width * 3].reshape(pixmap.height, pixmap.width, 3)
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)


def random_answers(spec: FormSpec, rng: np.random.Generator,
                   scenarios: dict[str, float] = SCENARIOS) -> dict[str, Answer]:
    """One answer per bubble row, each drawn from the scenario shares."""
    names, weights = list(scenarios), np.array(list(scenarios.values()))
    answers = {}
    for row in spec.rows:
        scenario = str(rng.choice(names, p=weights / weights.sum()))
        if scenario == "blank" and row.required:
            scenario = "full"
        answers[row.id] = answer(row, scenario, rng)
    return answers


def answer(row: BubbleRow, scenario: str, rng: np.random.Generator) -> Answer:
    """The marks for one scenario: a mark kind, `correction`, `double` or `blank`."""
    values = [c.value for c in row.choices]
    chosen, other = (str(v) for v in rng.choice(values, size=2, replace=False))
    if scenario == "blank":
        return Answer((), None, row.required)
    if scenario == "correction":
        return Answer(((other, "cross"), (chosen, "full")), chosen, False)
    if scenario == "double":
        return Answer(((chosen, "full"), (other, "full")), None, True)
    if scenario == "faint":
        return Answer(((chosen, "faint"),), None, True)
    return Answer(((chosen, scenario),), chosen, False)


def fill(image: np.ndarray, spec: FormSpec, answers: dict[str, Answer],
         rng: np.random.Generator, dpi: int = RENDER_DPI) -> np.ndarray:
    """The page with the answers marked in pen, and some writing in the text boxes."""
    marked = image.copy()
    scale = dpi / 25.4
    radius = spec.bubble_mm / 2 * scale
    pen = BLUE_PEN if rng.random() < 0.6 else BLACK_PEN
    for row in spec.rows:
        choices = {c.value: c for c in row.choices}
        for value, mark in answers[row.id].marks:
            centre = np.array([choices[value].x, choices[value].y]) * scale
            draw_mark(marked, centre, radius, mark, pen, rng, scale)
    for box in (f.box for f in spec.fields if isinstance(f, TextBox)):
        _scribble(marked, box.x * scale, box.y * scale, box.w * scale, box.h * scale, pen, rng)
    return marked


def draw_mark(image: np.ndarray, centre: np.ndarray, radius: float, mark: str,
              pen: tuple[int, int, int], rng: np.random.Generator, px_per_mm: float) -> None:
    """One mark as a hand makes it: off-centre, uneven, in pen, pencil or barely pressed."""
    centre = centre + rng.normal(0, 0.35 * px_per_mm, 2)
    width = max(2, round(rng.uniform(0.45, 0.9) * px_per_mm))
    if mark in ("full", "light", "faint"):
        colour = {"full": pen, "light": (int(rng.integers(105, 135)),) * 3,
                  "faint": (int(rng.integers(192, 206)),) * 3}[mark]
        _zigzag(image, centre, radius * rng.uniform(0.85, 1.2), 1.0, colour, width, rng)
    elif mark == "partial":
        _zigzag(image, centre, radius * rng.uniform(0.85, 1.0), rng.uniform(0.45, 0.75), pen,
                width, rng)
    elif mark == "tick":
        points = np.array([(-0.55, -0.05), (-0.1, 0.5), (0.75, -0.7)]) * radius
        _stroke(image, centre + points, pen, width, rng, radius)
    elif mark == "cross":
        for points in (np.array([(-0.8, -0.8), (0.8, 0.8)]), np.array([(0.8, -0.8),
                                                                        (-0.8, 0.8)])):
            _stroke(image, centre + points * radius * rng.uniform(0.95, 1.25), pen, width, rng,
                    radius)
    else:
        raise ValueError(f"Unknown mark {mark!r}; marks are {', '.join(MARKS)}.")


def _zigzag(image: np.ndarray, centre: np.ndarray, radius: float, share: float,
            colour: tuple[int, ...], width: int, rng: np.random.Generator) -> None:
    """Back-and-forth strokes over `share` of the disc, as a pen fills a circle."""
    angle = rng.uniform(0, np.pi)
    along, across = np.array([np.cos(angle), np.sin(angle)]), np.array([-np.sin(angle),
                                                                         np.cos(angle)])
    step = width * rng.uniform(0.7, 1.0)
    points = []
    for n, offset in enumerate(np.arange(-radius, -radius + 2 * radius * share, step)):
        half = np.sqrt(max(radius ** 2 - offset ** 2, 0.0)) * rng.uniform(0.9, 1.1)
        ends = (-half, half) if n % 2 == 0 else (half, -half)
        points += [centre + across * offset + along * end for end in ends]
    if points:
        cv2.polylines(image, [np.rint(points).astype(np.int32)], False, colour, width,
                      cv2.LINE_AA)


def _stroke(image: np.ndarray, points: np.ndarray, colour: tuple[int, ...], width: int,
            rng: np.random.Generator, radius: float) -> None:
    shaky = points + rng.normal(0, 0.06 * radius, points.shape)
    cv2.polylines(image, [np.rint(shaky).astype(np.int32)], False, colour, width, cv2.LINE_AA)


def _scribble(image: np.ndarray, x: float, y: float, w: float, h: float,
              colour: tuple[int, ...], rng: np.random.Generator) -> None:
    """A few lines of handwriting-like squiggles in a text box."""
    for line in range(int(rng.integers(1, 4))):
        baseline = y + 12 * (line + 2) * (h / max(h, 60))
        xs = np.linspace(x + 10, x + w * rng.uniform(0.3, 0.9), 60)
        ys = baseline + 6 * np.sin(xs / rng.uniform(3, 6)) + rng.normal(0, 1, xs.size)
        if baseline < y + h - 8:
            cv2.polylines(image, [np.stack([xs, ys], 1).astype(np.int32)], False, colour, 2,
                          cv2.LINE_AA)


def degrade(image: np.ndarray, rng: np.random.Generator, dpi: int = RENDER_DPI,
            photo: bool = True) -> np.ndarray:
    """A phone photo (or, with photo=False, a flatbed scan) of the page at about 150 dpi."""
    if photo:
        image = _curl(image, rng, dpi / 25.4)
    taken = _place_on_table(image, rng, PHOTO_DPI / dpi, photo)
    if photo:
        taken = _light(taken, rng)
    taken = cv2.GaussianBlur(taken, (0, 0), rng.uniform(0.5, 1.2))
    taken = _noise(taken, rng, rng.uniform(2, 6))
    return _jpeg(taken, 40)


def _curl(image: np.ndarray, rng: np.random.Generator, px_per_mm: float) -> np.ndarray:
    """A sheet that does not lie flat: its middle bows up to 1 mm from where the corners put it."""
    height, width = image.shape[:2]
    xs, ys = np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32)
    bow = np.outer(np.sin(np.pi * ys / height), np.sin(np.pi * xs / width))
    dx, dy = (float(v) for v in rng.uniform(-1.0, 1.0, 2) * px_per_mm)
    return cv2.remap(image, xs[None, :] + dx * bow, ys[:, None] + dy * bow, cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE)


def _place_on_table(image: np.ndarray, rng: np.random.Generator, scale: float,
                    photo: bool) -> np.ndarray:
    """Rotate (up to 15 degrees, a quarter of pages upside down), tilt and shrink the page."""
    height, width = image.shape[:2]
    corners = np.array([(0, 0), (width, 0), (width, height), (0, height)], np.float32)
    angle = np.radians(rng.uniform(-15, 15) if photo else rng.uniform(-3, 3))
    angle += np.pi if rng.random() < 0.25 else 0.0
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    placed = (corners - (width / 2, height / 2)) @ rotation.T * scale
    if photo:
        placed += rng.uniform(-0.06, 0.06, placed.shape) * scale * np.array([width, height])
    margin = rng.uniform(20, 70)
    placed += margin - placed.min(axis=0)
    size = tuple(np.ceil(placed.max(axis=0) + margin).astype(int))
    table = tuple(int(v) for v in rng.integers(40, 140, 3)) if photo else (235, 235, 235)
    transform = cv2.getPerspectiveTransform(corners, placed.astype(np.float32))
    return cv2.warpPerspective(image, transform, size, flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=table)


def _light(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Light falling off across the page and towards its corners, and the soft-edged shadow of
    a hand or the phone over one side; worked out coarsely, as light varies slowly."""
    height, width = image.shape[:2]
    coarse = (width // 8, height // 8)
    yy, xx = np.mgrid[:coarse[1], :coarse[0]].astype(np.float32)
    xx, yy = xx / coarse[0] - 0.5, yy / coarse[1] - 0.5
    angle = rng.uniform(0, 2 * np.pi)
    ramp = xx * np.cos(angle) + yy * np.sin(angle)
    light = 1.0 - rng.uniform(0.1, 0.35) * (ramp + 0.5) - rng.uniform(0.1, 0.3) * (xx**2 + yy**2)
    angle = rng.uniform(0, 2 * np.pi)
    across = xx * np.cos(angle) + yy * np.sin(angle)
    edge = np.quantile(across, 1 - rng.uniform(0.15, 0.45))
    shadow = 1 / (1 + np.exp(-(across - edge) / rng.uniform(0.003, 0.012)))
    light *= 1.0 - rng.uniform(0.25, 0.45) * shadow
    light = cv2.resize(light.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
    return cv2.multiply(image, cv2.merge([light] * 3), dtype=cv2.CV_8U)


def _noise(image: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    """Sensor noise, the same on the three colours (it is mostly in the brightness)."""
    noise = rng.standard_normal(image.shape[:2], dtype=np.float32) * sigma
    return cv2.add(image, cv2.merge([noise] * 3), dtype=cv2.CV_8U)


def _jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def photographed_form(spec: FormSpec, seed: int, copy: int = 1, photo: bool = True,
                      scenarios: dict[str, float] = SCENARIOS
                      ) -> tuple[np.ndarray, dict[str, Answer]]:
    """A filled, photographed page and the answers on it, the same for the same seed."""
    rng = np.random.default_rng(seed)
    answers = random_answers(spec, rng, scenarios)
    return degrade(fill(page_image(spec, copy), spec, answers, rng), rng, photo=photo), answers
