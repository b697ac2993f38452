"""Reading filled forms back from phone photos and scans.

A page is read in small steps: find the corner markers (their ids tell the paper size and which
way is up), straighten the page onto its printed geometry, read the QR code where it was printed,
look the layout up, even out the lighting, then measure every bubble and decide each row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pymupdf

from acompana.domain.omr.errors import (
    DuplicatePageError,
    MissingMarkersError,
    NotAnAcompanaFormError,
    OmrError,
    UnknownFormError,
    UnknownFormVersionError,
    UnreadableFileError,
    WrongSessionError,
)
from acompana.domain.omr.forms import rebuild_spec
from acompana.domain.omr.geometry import (
    PX_PER_MM,
    Box,
    aruco_dictionary,
    marker_boxes,
    marker_corner_points,
    page_size,
    paper_of_marker,
    qr_box,
)
from acompana.domain.omr.marks import INK, NOT_READ, BubbleMeasure, classify_row
from acompana.domain.omr.spec import FORM_VERSIONS, BubbleRow, FormIdentity, FormSpec

SpecLookup = Callable[[FormIdentity], FormSpec | None]

MARKER_SEARCH_SIDE = 1200  # markers are sought on the photo shrunk to this (12 mm is ~45 px)
QR_SEARCH_SIDE = 2200  # a QR code sought on a whole photo, on the photo shrunk to this
MAX_MARKER_ERROR_MM = 2.0  # markers further than this from a page's shape are not one page
ALIGN_MM = 1.5  # how far a row may sit from where the markers put it (curled paper, lens)
PDF_DPI = 200
MIN_PDF_DPI = 100  # below this a form's bubbles are too few pixels to read
MAX_PAGE_PIXELS = 25_000_000  # one drawn PDF page: A3 at 200 dpi is 7.8 million
SOLID_MM = 1.6  # pen lines (even felt-tip, blurred) are thinner than this; filled areas wider


@dataclass
class FieldReading:
    """One field of the page: its value, how sure, why flagged, and where it is on the image."""

    field_id: str
    kind: str
    label: str
    value: str | None
    status: str
    confidence: float
    flagged: bool
    reason: str
    box_px: tuple[int, int, int, int]  # x, y, w, h in the straightened page image
    candidate: str | None = None
    measures: tuple[BubbleMeasure, ...] = ()


@dataclass
class PageReading:
    """Everything read from one page; `image` is the straightened page (PX_PER_MM px per mm)
    that `box_px` refers to, kept so a review screen can show each row beside its value."""

    identity: FormIdentity
    fields: list[FieldReading]
    source: str = ""
    notes: list[str] = field(default_factory=list)
    image: np.ndarray | None = field(default=None, repr=False)

    @property
    def flagged(self) -> list[FieldReading]:
        return [f for f in self.fields if f.flagged]

    def values(self) -> dict[str, str | None]:
        return {f.field_id: f.value for f in self.fields if f.kind != "text"}

    def crop(self, field_id: str) -> np.ndarray:
        x, y, w, h = next(f.box_px for f in self.fields if f.field_id == field_id)
        return self.image[y:y + h, x:x + w]

    def to_dict(self) -> dict:
        return {"source": self.source, "identity": asdict(self.identity), "notes": self.notes,
                "px_per_mm": PX_PER_MM,
                "fields": [{**asdict(f), "confidence": round(f.confidence, 3),
                            "measures": [{"value": m.value, "cover": round(m.cover, 3),
                                          "solid": round(m.solid, 3),
                                          "strength": round(m.strength, 3)}
                                         for m in f.measures]}
                           for f in self.fields]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def read_page(image: np.ndarray, known_specs: SpecLookup = rebuild_spec,
              expected: FormIdentity | None = None) -> PageReading:
    """Read one photographed or scanned page. `expected` (empty strings match anything) makes a
    sheet of another program, group, session or wave an error instead of a reading."""
    gray = to_gray(image)
    markers = find_markers(gray)
    paper = paper_from_markers(markers)
    if paper is None or len(markers[paper]) < 3:
        raise marker_problem(gray, sum(map(len, markers.values())))
    to_mm, notes = page_transform(markers[paper], paper)
    identity = read_identity(gray, to_mm, paper)
    check_version(identity)
    check_expected(identity, expected)
    spec = spec_for(identity, known_specs)
    page = straighten(gray, to_mm, paper)
    ink = find_ink(even_out_light(page, paper))
    return PageReading(identity, read_fields(spec, ink), notes=notes, image=page)


def to_gray(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image


@cache
def _marker_detector() -> cv2.aruco.ArucoDetector:
    parameters = cv2.aruco.DetectorParameters()
    parameters.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
    return cv2.aruco.ArucoDetector(aruco_dictionary(), parameters)


def find_markers(gray: np.ndarray) -> dict[str, dict[int, np.ndarray]]:
    """Our corner markers by paper and id, each as its 4 corners in image pixels."""
    scale = min(1.0, MARKER_SEARCH_SIDE / max(gray.shape))
    small = gray if scale == 1.0 else cv2.resize(gray, None, fx=scale, fy=scale,
                                                 interpolation=cv2.INTER_LINEAR)
    corners, ids, _ = _marker_detector().detectMarkers(small)
    found: dict[str, dict[int, np.ndarray]] = {}
    for points, marker_id in zip(corners, [] if ids is None else ids.flatten(), strict=True):
        marker_id, paper = int(marker_id), paper_of_marker(int(marker_id))
        if paper is None:
            continue
        points, by_id = points.reshape(4, 2) / scale, found.setdefault(paper, {})
        # A look-alike in the handwriting is smaller than the printed marker.
        if marker_id not in by_id or cv2.contourArea(points) > cv2.contourArea(by_id[marker_id]):
            by_id[marker_id] = points
    return found


def paper_from_markers(markers: dict[str, dict[int, np.ndarray]]) -> str | None:
    return max(markers, key=lambda paper: len(markers[paper]), default=None)


def marker_problem(gray: np.ndarray, found: int) -> OmrError:
    """Too few markers: say so if the QR code is ours, otherwise this is not our form."""
    text = decode_qr(gray)
    if not text:
        return NotAnAcompanaFormError(
            "no Acompaña QR code or corner markers were found; this is not an Acompaña form, "
            "or the photo is too blurred, dark or far away.")
    identity = FormIdentity.from_payload(text)
    return MissingMarkersError(
        f"this is the {identity.describe()}, but only {found} of its 4 black corner squares "
        "were found; photograph the whole page flat, with all four corners in view.")


def page_transform(markers: dict[int, np.ndarray], paper: str) -> tuple[np.ndarray, list[str]]:
    """The homography from image pixels to page millimetres, fitted on every marker corner."""
    boxes = marker_boxes(paper)
    source = np.concatenate([markers[i] for i in sorted(markers)]).astype(np.float32)
    target = np.concatenate([marker_corner_points(boxes[i]) for i in sorted(markers)])
    to_mm, _ = cv2.findHomography(source, target, cv2.RANSAC, 1.0)
    if to_mm is None:
        raise MissingMarkersError("the corner markers do not outline a page; photograph the "
                                  "page flat, with all four corners in view.")
    error = np.linalg.norm(cv2.perspectiveTransform(source[None], to_mm)[0] - target, axis=1)
    if error.max() > MAX_MARKER_ERROR_MM:
        raise MissingMarkersError(
            "the corner markers do not sit where a flat page puts them (the sheet is folded "
            "or curled, or several sheets are in one photo); photograph one flat page.")
    notes = [] if len(markers) == 4 else [
        "one corner marker was not found; the page was straightened from the other three."]
    return to_mm, notes


def warp(gray: np.ndarray, to_mm: np.ndarray, region: Box, px_per_mm: float) -> np.ndarray:
    """The region of the page, in mm, resampled at `px_per_mm` and straightened."""
    to_region = np.array([[px_per_mm, 0, -region.x * px_per_mm],
                          [0, px_per_mm, -region.y * px_per_mm], [0, 0, 1]]) @ to_mm
    size = (round(region.w * px_per_mm), round(region.h * px_per_mm))
    source = gray
    # Shrink big photos first so resampling averages pixels instead of skipping them.
    shrink = _image_px_per_mm(to_mm) / (1.5 * px_per_mm)
    if shrink > 1.0:
        source = cv2.resize(gray, None, fx=1 / shrink, fy=1 / shrink,
                            interpolation=cv2.INTER_AREA)
        to_region = to_region @ np.diag([shrink, shrink, 1.0])
    return cv2.warpPerspective(source, to_region, size, flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)


def _image_px_per_mm(to_mm: np.ndarray) -> float:
    """Roughly how many image pixels one page millimetre spans."""
    return float(np.sqrt(abs(np.linalg.det(np.linalg.inv(to_mm)[:2, :2]))))


def read_identity(gray: np.ndarray, to_mm: np.ndarray, paper: str) -> FormIdentity:
    """Decode the QR code where it was printed; a blurred or dim one gets a few more tries,
    each at another resolution or sharpened, which OpenCV's decoder often needs."""
    box, margin = qr_box(paper), 5.0
    region = Box(box.x - margin, box.y - margin, box.w + 2 * margin, box.h + 2 * margin)
    for px_per_mm, treatment in QR_ATTEMPTS:
        crop = QR_TREATMENTS[treatment](warp(gray, to_mm, region, px_per_mm))
        near, far = margin * px_per_mm, (margin + box.w) * px_per_mm
        printed_at = np.array([(near, near), (far, near), (far, far), (near, far)], np.float32)
        if text := decode_qr(crop, printed_at):
            return FormIdentity.from_payload(text)
    raise NotAnAcompanaFormError(
        "the page has Acompaña corner markers but its QR code (top right) could not be read; "
        "check it is not covered, torn or in shadow, and take the photo again.")


def decode_qr(gray: np.ndarray, corners: np.ndarray | None = None) -> str:
    """The QR code's text: read where it was printed if `corners` are known, else searched for
    (by OpenCV's two detectors) in the image as it is and in plain black and white."""
    if corners is not None:
        text, _ = cv2.QRCodeDetector().decode(gray, corners.reshape(1, 4, 2))
        if text:
            return text
    scale = min(1.0, QR_SEARCH_SIDE / max(gray.shape))
    if scale < 1.0:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    for image in (gray, _black_and_white(gray)):
        for detector in (cv2.QRCodeDetector(), cv2.QRCodeDetectorAruco()):
            try:
                text, _, _ = detector.detectAndDecode(image)
            except cv2.error:
                continue
            if text:
                return text
    return ""


def _black_and_white(gray: np.ndarray) -> np.ndarray:
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY,
                                 51, 10)


def _sharpened(gray: np.ndarray) -> np.ndarray:
    return cv2.addWeighted(gray, 2.0, cv2.GaussianBlur(gray, (0, 0), 2.0), -1.0, 0)


QR_TREATMENTS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "plain": lambda gray: gray, "sharpened": _sharpened}
QR_ATTEMPTS = ((10.0, "plain"), (10.0, "sharpened"), (6.0, "sharpened"), (14.0, "plain"),
               (14.0, "sharpened"))


def check_version(identity: FormIdentity) -> None:
    if identity.form_version not in FORM_VERSIONS.get(identity.form_type, ()):
        raise UnknownFormVersionError(
            f"this is a {identity.form_type!r} form of layout version {identity.form_version}, "
            "which this Acompaña does not know how to read; update Acompaña.")


def check_expected(identity: FormIdentity, expected: FormIdentity | None) -> None:
    """A sheet from another group or session must not be entered as this one's."""
    if expected is None:
        return
    names = {"form_type": "form", "program": "program", "group": "group",
             "occasion": "session or wave", "instrument": "questionnaire"}
    wrong = [f"{label} {getattr(identity, name) or '(none)'} instead of "
             f"{getattr(expected, name)}" for name, label in names.items()
             if getattr(expected, name) and getattr(identity, name) != getattr(expected, name)]
    if wrong:
        raise WrongSessionError(f"this sheet belongs elsewhere: it is for {'; '.join(wrong)}. "
                                "Enter it with its own session.")


def spec_for(identity: FormIdentity, known_specs: SpecLookup) -> FormSpec:
    spec = known_specs(identity.sheet)
    if spec is None or spec.identity.sheet != identity.sheet:
        raise UnknownFormError(
            f"this is the {identity.describe()}, but its layout is not at hand; read it with "
            "the form specs saved when it was printed (acompana scan --spec-dir DIR).")
    return spec


def straighten(gray: np.ndarray, to_mm: np.ndarray, paper: str) -> np.ndarray:
    width, height = page_size(paper)
    return warp(gray, to_mm, Box(0, 0, width, height), PX_PER_MM)


def even_out_light(page: np.ndarray, paper: str) -> np.ndarray:
    """Darkness from 0 (paper) to 1 (printed black), whatever the light and shadows.

    The paper's own brightness is estimated with a morphological closing at 1 px per mm, which
    wipes out marks and print up to 15 mm across but keeps the edges of shadows; dividing by it
    leaves only the ink. The darkness of the printed corner markers then sets the scale."""
    small = cv2.resize(page, None, fx=1 / PX_PER_MM, fy=1 / PX_PER_MM,
                       interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (15, 15))
    paper_light = cv2.GaussianBlur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel), (0, 0), 1)
    paper_light = cv2.resize(paper_light, (page.shape[1], page.shape[0]),
                             interpolation=cv2.INTER_LINEAR)
    darkness = cv2.divide(cv2.subtract(paper_light, page), np.maximum(paper_light, 1),
                          dtype=cv2.CV_32F)
    return np.minimum(darkness * (1.0 / _printed_black(darkness, paper)), 1.0)


def _printed_black(darkness: np.ndarray, paper: str) -> float:
    """How dark the printed black came out, from the markers' black cells."""
    levels = []
    for box in marker_boxes(paper).values():
        x, y, w, h = box.to_px()
        levels.append(np.percentile(darkness[y:y + h, x:x + w], 85))
    return float(np.clip(np.median(levels), 0.4, 1.0))


@dataclass(frozen=True)
class Ink:
    """The straightened page as darkness (0 paper .. 1 printed black) and as solid ink: ink
    still there after eroding SOLID_MM, so filled areas and not pen lines."""

    darkness: np.ndarray
    solid: np.ndarray


def find_ink(darkness: np.ndarray) -> Ink:
    size = round(SOLID_MM * PX_PER_MM) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))  # fast, and as good
    solid = cv2.erode((darkness >= INK).astype(np.uint8), kernel)
    return Ink(darkness, solid.astype(bool))


def read_fields(spec: FormSpec, ink: Ink) -> list[FieldReading]:
    readings = []
    for field_spec in spec.fields:
        box = field_spec.box.to_px()
        if not isinstance(field_spec, BubbleRow):
            readings.append(FieldReading(field_spec.id, field_spec.kind, field_spec.label, None,
                                         NOT_READ, 1.0, False, "", box))
            continue
        measures = measure_row(ink, field_spec, spec.bubble_mm)
        row = classify_row(measures, field_spec.required)
        readings.append(FieldReading(field_spec.id, field_spec.kind, field_spec.label, row.value,
                                     row.status, row.confidence, row.flagged, row.reason, box,
                                     row.candidate, tuple(measures)))
    return readings


def measure_row(ink: Ink, row: BubbleRow, bubble_mm: float) -> list[BubbleMeasure]:
    """Cover, solidity and strength of each bubble's inner disc, the row first nudged onto its
    printed circles."""
    darkness = ink.darkness
    centres = np.array([(c.x, c.y) for c in row.choices]) * PX_PER_MM
    centres = np.rint(centres + align_row(darkness, centres, bubble_mm)).astype(int)
    offsets = _disc_offsets(bubble_mm)
    ys = np.clip(centres[:, 1, None] + offsets[:, 1], 0, darkness.shape[0] - 1)
    xs = np.clip(centres[:, 0, None] + offsets[:, 0], 0, darkness.shape[1] - 1)
    samples = darkness[ys, xs]
    quarter = max(1, samples.shape[1] // 4)
    strength = np.partition(samples, -quarter, axis=1)[:, -quarter:].mean(axis=1)
    cover = (samples >= INK).mean(axis=1)
    solid = ink.solid[ys, xs].mean(axis=1)
    return [BubbleMeasure(c.value, float(k), float(s), float(d))
            for c, k, s, d in zip(row.choices, cover, strength, solid, strict=True)]


@cache
def _disc_offsets(bubble_mm: float) -> np.ndarray:
    """Pixel offsets inside a bubble, 0.8 mm clear of its printed outline."""
    radius = (bubble_mm / 2 - 0.8) * PX_PER_MM
    span = np.arange(-int(radius), int(radius) + 1)
    dx, dy = np.meshgrid(span, span)
    inside = dx ** 2 + dy ** 2 <= radius ** 2
    return np.stack([dx[inside], dy[inside]], axis=1)


@cache
def _ring_template(bubble_mm: float) -> np.ndarray:
    """Positive on a bubble's printed circle, negative around it, summing to zero: it answers
    strongly to an empty bubble's outline and hardly at all to a filled disc or blank paper."""
    radius = bubble_mm / 2 * PX_PER_MM
    size = int(radius + 4) * 2 + 1
    yy, xx = np.mgrid[:size, :size] - size // 2
    distance = np.hypot(xx, yy)
    ring = (np.abs(distance - radius) <= 1.2).astype(np.float32)
    around = (distance <= radius + 3.5) & ~(ring > 0)
    template = ring - around * (ring.sum() / around.sum())
    return template.astype(np.float32)


def align_row(darkness: np.ndarray, centres: np.ndarray, bubble_mm: float) -> np.ndarray:
    """The shift (px) that best lays the row's printed circles on the image, up to ALIGN_MM."""
    template = _ring_template(bubble_mm)
    reach = round(ALIGN_MM * PX_PER_MM)
    half = template.shape[0] // 2 + reach
    total = np.zeros((2 * reach + 1, 2 * reach + 1), np.float32)
    for x, y in np.rint(centres).astype(int):
        if not (half <= x < darkness.shape[1] - half and half <= y < darkness.shape[0] - half):
            return np.zeros(2)
        window = darkness[y - half:y + half + 1, x - half:x + half + 1]
        total += cv2.matchTemplate(window, template, cv2.TM_CCORR)
    best_y, best_x = np.unravel_index(int(np.argmax(total)), total.shape)
    if total[best_y, best_x] <= 0:
        return np.zeros(2)
    return np.array([best_x - reach, best_y - reach], dtype=float)


def load_pages(paths: Iterable[str | Path]) -> Iterator[tuple[str, np.ndarray | OmrError]]:
    """Each page of each file (JPEG, PNG or PDF) with its source name, or why it cannot open.

    PDF pages are drawn one at a time, each only after its size is checked against the pixel
    cap, so a tiny file declaring huge or many pages costs one capped page of memory at most.
    """
    for path in map(Path, paths):
        if path.suffix.lower() == ".pdf":
            yield from _pdf_pages(path)
            continue
        image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
        if image is None:
            yield str(path), UnreadableFileError(
                "cannot open this file as an image; send a JPEG, PNG or PDF.", str(path))
        else:
            yield str(path), image


def _pdf_pages(path: Path) -> Iterator[tuple[str, np.ndarray | OmrError]]:
    """A PDF's pages, drawn one by one at PDF_DPI, or lower down to MIN_PDF_DPI to stay within
    MAX_PAGE_PIXELS (photos saved as PDF have large pages); larger pages are refused undrawn."""
    try:
        document = pymupdf.open(path, filetype="pdf")
    except (OSError, RuntimeError, ValueError) as error:
        yield str(path), UnreadableFileError(f"cannot open this PDF ({error}).", str(path))
        return
    with document:
        for number, page in enumerate(document, start=1):
            source = f"{path} page {number}"
            width_in, height_in = page.rect.width / 72, page.rect.height / 72
            dpi = min(PDF_DPI, int((MAX_PAGE_PIXELS / max(width_in * height_in, 1e-6)) ** 0.5))
            if dpi < MIN_PDF_DPI:
                yield source, UnreadableFileError(
                    f"page {number} measures {width_in * 2.54:.0f} × {height_in * 2.54:.0f} cm; "
                    f"a form page is at most A3 size (at {MIN_PDF_DPI} dpi it would be "
                    f"{width_in * height_in * MIN_PDF_DPI ** 2 / 1e6:.0f} million pixels, "
                    f"over the limit of {MAX_PAGE_PIXELS // 1_000_000}); scan the sheet again "
                    "as A4 or Letter.", source)
                continue
            try:
                pixmap = page.get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY, alpha=False)
            except (RuntimeError, ValueError) as error:
                yield source, UnreadableFileError(f"cannot draw this page ({error}).", source)
                continue
            image = np.frombuffer(pixmap.samples_mv, dtype=np.uint8).reshape(
                pixmap.height, pixmap.stride)[:, :pixmap.width].copy()
            del pixmap
            yield source, image


def scan(paths: Iterable[str | Path], known_specs: SpecLookup = rebuild_spec,
         expected: FormIdentity | None = None) -> Iterator[PageReading | OmrError]:
    """Every page of the files, read or with the reason it could not be; the same printed page
    twice in one batch is an error on its second appearance."""
    seen: dict[FormIdentity, str] = {}
    for source, image in load_pages(paths):
        if isinstance(image, OmrError):
            yield image
            continue
        try:
            reading = read_page(image, known_specs, expected)
            if reading.identity in seen:
                raise DuplicatePageError(
                    f"this is the {reading.identity.describe()}, already read from "
                    f"{seen[reading.identity]}; the same sheet was scanned twice.")
        except OmrError as error:
            error.source = source
            yield error
            continue
        reading.source = seen[reading.identity] = source
        yield reading


def read_files(paths: Iterable[str | Path], known_specs: SpecLookup = rebuild_spec,
               expected: FormIdentity | None = None) -> list[PageReading]:
    """Every page of the files; the first page that cannot be read raises its error."""
    readings = []
    for result in scan(paths, known_specs, expected):
        if isinstance(result, OmrError):
            raise result
        readings.append(result)
    return readings


def batch_to_dict(results: Iterable[PageReading | OmrError]) -> dict:
    """A batch as plain data: the pages read and, apart, the pages that could not be."""
    results = list(results)
    return {"pages": [r.to_dict() for r in results if isinstance(r, PageReading)],
            "problems": [{"source": r.source, "error": type(r).__name__, "message": r.reason}
                         for r in results if isinstance(r, OmrError)]}
