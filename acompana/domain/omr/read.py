"""Reading filled forms back from phone photos and scans.

A page is read in small steps: find the corner markers (their ids tell the paper size and which
way is up), straighten the page onto its printed geometry, read the QR code where it was printed,
look the layout up, even out the lighting, then measure every bubble and decide each row.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import cv2
import numpy as np
import pymupdf

from acompana.domain.omr.errors import (
    BlurredPhotoError,
    DuplicatePageError,
    MissingMarkersError,
    NotAnAcompanaFormError,
    OmrError,
    OutOfFrameError,
    UnknownFormError,
    UnknownFormVersionError,
    UnreadableFileError,
    UnreadableQrError,
    WrongSessionError,
)
from acompana.domain.omr.forms import rebuild_spec
from acompana.domain.omr.geometry import (
    MARKER_MARGIN_MM,
    PX_PER_MM,
    Box,
    aruco_dictionary,
    marker_boxes,
    marker_corner_points,
    page_size,
    paper_of_marker,
    qr_box,
)
from acompana.domain.omr.marks import (
    FILLED_COVER,
    INK,
    LIGHT_INK,
    NOT_READ,
    BubbleMeasure,
    classify_page,
)
from acompana.domain.omr.render import blank_page
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
                            "measures": [{"value": m.value, "shape": m.shape,
                                          "cover": round(m.cover, 3),
                                          "solid": round(m.solid, 3),
                                          "strength": round(m.strength, 3)}
                                         for m in f.measures]}
                           for f in self.fields]}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def read_page(image: np.ndarray, known_specs: SpecLookup = rebuild_spec,
              expected: FormIdentity | None = None) -> PageReading:
    """Read one photographed or scanned page (the first, if the photo shows several); raise
    the reason it cannot be read. `expected` (empty strings match anything) makes a sheet of
    another program, group, session or wave an error instead of a reading."""
    result = read_photo(image, known_specs, expected)[0]
    if isinstance(result, OmrError):
        raise result
    return result


def read_photo(image: np.ndarray, known_specs: SpecLookup = rebuild_spec,
               expected: FormIdentity | None = None) -> list[PageReading | OmrError]:
    """Every sheet in a photo, each read or refused with its reason, in reading order (top to
    bottom, left to right)."""
    gray = to_gray(image)
    markers = find_markers(gray)
    sheets = find_sheets(markers)
    if not sheets:
        return [marker_problem(gray, markers)]
    results: list[PageReading | OmrError] = []
    for paper, sheet_markers in sheets:
        try:
            results.append(read_sheet(gray, paper, sheet_markers, known_specs, expected))
        except OmrError as error:
            results.append(error)
    if len(sheets) > 1:
        for result in results:
            if isinstance(result, PageReading):
                result.notes.append(f"this photo shows {len(sheets)} sheets; each was read "
                                    "on its own.")
    return results


def read_sheet(gray: np.ndarray, paper: str, markers: dict[int, np.ndarray],
               known_specs: SpecLookup, expected: FormIdentity | None) -> PageReading:
    """One sheet of the photo, from its own corner markers."""
    to_mm, notes = page_transform(markers, paper)
    try:
        identity = read_identity(gray, to_mm, paper)
    except UnreadableQrError:
        if cut := _qr_out_of_frame(gray, to_mm, paper):
            raise cut from None
        raise
    check_version(identity)
    check_expected(identity, expected)
    spec = spec_for(identity, known_specs)
    if cut := _rows_out_of_frame(gray, to_mm, spec):
        raise cut
    page = straighten(gray, to_mm, paper)
    ink = find_ink(even_out_light(page, paper), spec)
    return PageReading(identity, read_fields(spec, ink), notes=notes, image=page)


def to_gray(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image


@cache
def _marker_detector() -> cv2.aruco.ArucoDetector:
    parameters = cv2.aruco.DetectorParameters()
    parameters.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
    return cv2.aruco.ArucoDetector(aruco_dictionary(), parameters)


Markers = dict[str, dict[int, list[np.ndarray]]]
MAX_SHEETS = 4  # sheets sought in one photo; more markers than this are look-alikes


def find_markers(gray: np.ndarray) -> Markers:
    """Our corner markers by paper and id, biggest first, each as its 4 corners in image
    pixels; an id found more than once belongs to several sheets (or to handwriting)."""
    scale = min(1.0, MARKER_SEARCH_SIDE / max(gray.shape))
    small = gray if scale == 1.0 else cv2.resize(gray, None, fx=scale, fy=scale,
                                                 interpolation=cv2.INTER_LINEAR)
    corners, ids, _ = _marker_detector().detectMarkers(small)
    found: Markers = {}
    for points, marker_id in zip(corners, [] if ids is None else ids.flatten(), strict=True):
        marker_id, paper = int(marker_id), paper_of_marker(int(marker_id))
        if paper is None:
            continue
        found.setdefault(paper, {}).setdefault(marker_id, []).append(
            points.reshape(4, 2) / scale)
    for by_id in found.values():
        for instances in by_id.values():
            instances.sort(key=cv2.contourArea, reverse=True)
            del instances[MAX_SHEETS:]
    return found


def find_sheets(markers: Markers) -> list[tuple[str, dict[int, np.ndarray]]]:
    """The sheets in the photo: sets of at least three markers, one per corner, that sit where
    one flat page puts them; the fullest and best-fitting sets first, no marker used twice."""
    if len(markers) == 1:  # the usual photo: one sheet, each corner found once
        (paper, by_id), = markers.items()
        if len(by_id) >= 3 and all(len(found) == 1 for found in by_id.values()):
            chosen = {i: found[0] for i, found in by_id.items()}
            if _fit_error(chosen, marker_boxes(paper)) <= MAX_MARKER_ERROR_MM:
                return [(paper, chosen)]
    candidates = []
    for paper, by_id in markers.items():
        boxes = marker_boxes(paper)
        ids = sorted(boxes)
        options = [[*by_id.get(i, []), None] for i in ids]
        for combination in itertools.product(*options):
            chosen = {i: points for i, points in zip(ids, combination, strict=True)
                      if points is not None}
            if len(chosen) < 3:
                continue
            error = _fit_error(chosen, boxes)
            if error <= MAX_MARKER_ERROR_MM:
                candidates.append((-len(chosen), error, paper, chosen))
    candidates.sort(key=lambda c: (c[0], c[1]))
    used: set[int] = set()
    sheets = []
    for _count, _error, paper, chosen in candidates:
        if any(id(points) in used for points in chosen.values()):
            continue
        used.update(id(points) for points in chosen.values())
        sheets.append((paper, chosen))
    return sorted(sheets, key=lambda sheet: _reading_order(sheet[1]))


def _fit_error(chosen: dict[int, np.ndarray], boxes: dict[int, Box]) -> float:
    """How far (mm) the markers' corners sit from where the best flat page puts them."""
    source = np.concatenate([chosen[i] for i in sorted(chosen)]).astype(np.float32)
    target = np.concatenate([marker_corner_points(boxes[i]) for i in sorted(chosen)])
    to_mm, _ = cv2.findHomography(source, target, 0)
    if to_mm is None:
        return float("inf")
    return float(np.linalg.norm(cv2.perspectiveTransform(source[None], to_mm)[0] - target,
                                axis=1).max())


def _reading_order(chosen: dict[int, np.ndarray]) -> tuple[int, float]:
    centre = np.concatenate(list(chosen.values())).mean(axis=0)
    return (round(float(centre[1]) / 400), float(centre[0]))


def marker_problem(gray: np.ndarray, markers: Markers) -> OmrError:
    """Too few markers: part of the page out of the photo, a photo too blurred, or a page
    whose QR code is ours but whose corners are hidden; otherwise this is not our form."""
    if cut := _out_of_frame_from_markers(gray, markers):
        return cut
    if any(len(by_id) >= 3 for by_id in markers.values()):
        return MissingMarkersError(
            "the corner markers do not sit where a flat page puts them (the sheet is folded "
            "or curled); photograph the page lying flat.")
    text = decode_qr(gray)
    found = sum(len(instances) for by_id in markers.values() for instances in by_id.values())
    if not text:
        if _too_blurred(gray):
            return BlurredPhotoError(
                "the photo is too blurred to read: hold the phone still, let it focus on the "
                "page, and take the photo again.")
        if any(len(by_id) == 2 for by_id in markers.values()):  # two corners of one page
            return MissingMarkersError(
                "only 2 of the page's 4 black corner squares were found, and not its QR code "
                "(top right); photograph the whole page flat, with all four corners in view.")
        return NotAnAcompanaFormError(
            "no Acompaña QR code or corner markers were found; this is not an Acompaña form, "
            "or the photo is too blurred, dark or far away.")
    identity = FormIdentity.from_payload(text)
    return MissingMarkersError(
        f"this is the {identity.describe()}, but only {found} of its 4 black corner squares "
        "were found; photograph the whole page flat, with all four corners in view.")


EDGES = ("top", "right", "bottom", "left")  # of the page, clockwise from its top-left corner
FRAME_SLACK_MM = 4.0  # a missing corner marker this close to the photo's edge is cut by it


def _out_of_frame_from_markers(gray: np.ndarray, markers: Markers) -> OutOfFrameError | None:
    """One or two corner markers found, and the page they belong to puts a missing one, with
    the paper around it, outside the photo: say which edge of the page is cut off. (ArUco finds
    no marker cut by the photo's edge, nor one hard against it; and two markers at one end of
    the page place the other end only to a few millimetres.)"""
    height, width = gray.shape[:2]
    for paper, by_id in markers.items():
        if not 1 <= len(by_id) <= 2:
            continue
        boxes = marker_boxes(paper)
        found = {i: instances[0] for i, instances in by_id.items()}
        source = np.concatenate([marker_corner_points(boxes[i]) for i in found])
        target = np.concatenate(list(found.values())).astype(np.float32)
        to_image, _ = cv2.estimateAffinePartial2D(source, target)
        if to_image is None:
            continue
        missing = [i for i in boxes if i not in found]
        outside = [i for i in missing if not _inside(_grown(boxes[i], FRAME_SLACK_MM),
                                                     _affine(to_image), width, height)]
        if outside:
            return OutOfFrameError(out_of_frame_reason(_edges_of_markers(paper, outside)))
        if edges := _paper_cut_at(gray, paper, found, to_image, missing):
            return OutOfFrameError(out_of_frame_reason(edges))
    return None


PAPER_SEARCH_SIDE = 500  # the paper around the markers is followed on the photo shrunk to this
PAPER_STEP = 5  # grey levels between neighbouring pixels of the paper (lit unevenly, grainy)
PAPER_CUT_MM = 5.0  # paper along this much of the photo's edge: the page runs out of it
PAPER_INSIDE_MM = 4.0  # ... (in a photo all paper, where it crosses the page this far inside)


def _paper_cut_at(gray: np.ndarray, paper: str, found: dict[int, np.ndarray],
                  to_image: np.ndarray, missing: list[int]) -> list[str]:
    """The edges of the page, beside its missing corner markers, where the paper the markers
    found lie on runs on out of the photo (where the markers place those edges is only known
    to a few millimetres; the paper itself reaching the photo's edge is seen)."""
    scale = min(1.0, PAPER_SEARCH_SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    height, width = small.shape
    boxes = marker_boxes(paper)
    beside = np.concatenate([_grown(boxes[i], 2.5) for i in found])  # the white around them
    seeds = [(int(x), int(y)) for x, y in np.rint(_affine(to_image)(beside) * scale)
             if 0 <= x < width and 0 <= y < height]
    if not seeds:
        return []
    seed = max(seeds, key=lambda point: int(small[point[1], point[0]]))
    mask = np.zeros((height + 2, width + 2), np.uint8)
    cv2.floodFill(small, mask, seed, 0, PAPER_STEP, PAPER_STEP,
                  4 | cv2.FLOODFILL_MASK_ONLY | (1 << 8))
    region = mask[1:-1, 1:-1]
    ys, xs = np.nonzero(region)
    at_edge = (ys == 0) | (ys == height - 1) | (xs == 0) | (xs == width - 1)
    if not at_edge.any():
        return []
    to_page = cv2.invertAffineTransform(to_image)
    points = np.stack([xs[at_edge], ys[at_edge]], axis=1) / scale
    page_x, page_y = (points @ to_page[:, :2].T + to_page[:, 2]).T
    page_width, page_height = page_size(paper)
    to_edges = np.stack([page_y, page_width - page_x, page_height - page_y, page_x])
    nearest = np.argmin(to_edges, axis=0)
    px_per_mm = _image_px_per_mm_affine(to_image) * scale
    sides = [ys[at_edge] == 0, xs[at_edge] == width - 1, ys[at_edge] == height - 1,
             xs[at_edge] == 0]
    if all(side.sum() >= PAPER_CUT_MM * px_per_mm for side in sides):
        # Paper all round the photo: a scan, or a page filling the photo. The photo's edge
        # cuts the page only where it runs well inside the page's own edges.
        within = to_edges.min(axis=0) >= PAPER_INSIDE_MM
    else:  # the table shows beside the page, and its paper runs on out of the photo
        within = np.ones(len(nearest), bool)
    slots = {sorted(boxes).index(i) for i in missing}
    return [edge for n, edge in enumerate(EDGES)
            if {n, (n + 1) % 4} & slots
            and ((nearest == n) & within).sum() >= PAPER_CUT_MM * px_per_mm]


def _image_px_per_mm_affine(to_image: np.ndarray) -> float:
    return float(np.sqrt(abs(np.linalg.det(to_image[:, :2]))))


ToImage = Callable[[np.ndarray], np.ndarray]  # page mm -> photo px, points as rows


def _affine(to_image: np.ndarray) -> ToImage:
    return lambda points: points @ to_image[:, :2].T + to_image[:, 2]


def _homography(to_mm: np.ndarray) -> ToImage:
    to_image = np.linalg.inv(to_mm)
    return lambda points: cv2.perspectiveTransform(
        np.asarray(points, np.float64).reshape(1, -1, 2), to_image)[0]


def _grown(box: Box, mm: float) -> np.ndarray:
    """The box's corners, grown by `mm` on every side."""
    return marker_corner_points(Box(box.x - mm, box.y - mm, box.w + 2 * mm, box.h + 2 * mm))


def _inside(points_mm: np.ndarray, to_image: ToImage, width: int, height: int) -> bool:
    points = to_image(points_mm)
    return bool((points >= 1).all() and (points[:, 0] < width - 1).all()
                and (points[:, 1] < height - 1).all())


def _edges_out(paper: str, to_image: ToImage, width: int, height: int,
               inset_mm: float = 0.0) -> list[str]:
    """The edges of the page (drawn `inset_mm` inside it) that run out of the photo."""
    page_width, page_height = page_size(paper)
    near_x, near_y = inset_mm, inset_mm
    far_x, far_y = page_width - inset_mm, page_height - inset_mm
    corners = np.array([(near_x, near_y), (far_x, near_y), (far_x, far_y), (near_x, far_y)])
    along = np.linspace(0.0, 1.0, 21)[:, None]
    return [edge for n, edge in enumerate(EDGES)
            if not _inside(corners[n] + along * (corners[(n + 1) % 4] - corners[n]), to_image,
                           width, height)]


def _edges_of_markers(paper: str, missing: list[int]) -> list[str]:
    """The page's edges beside missing corner markers: both of an edge's corners, or else the
    first edge beside one."""
    slots = [sorted(marker_boxes(paper)).index(i) for i in missing]
    return [edge for n, edge in enumerate(EDGES) if {n, (n + 1) % 4} <= set(slots)] or [
        edge for n, edge in enumerate(EDGES) if {n, (n + 1) % 4} & set(slots)][:1]


def out_of_frame_reason(edges: list[str]) -> str:
    """What to do about a page whose `edges` run out of the photo."""
    named = (f"{edges[0]} edge" if len(edges) == 1
             else f"{', '.join(edges[:-1])} and {edges[-1]} edges")
    return (f"part of the page is out of the photo (its {named}); take "
            "the photo again with the whole page, and its four black corner squares, in view.")


QR_QUIET_MM = 3.0  # the white border a QR code's reader needs around it


def _qr_out_of_frame(gray: np.ndarray, to_mm: np.ndarray, paper: str) -> OutOfFrameError | None:
    """The QR code could not be read, and it (with its white border) is cut by the edge of the
    photo: the page is out of frame, not some other page."""
    height, width = gray.shape[:2]
    to_image = _homography(to_mm)
    if _inside(_grown(qr_box(paper), QR_QUIET_MM), to_image, width, height):
        return None
    return _page_out_of_frame(paper, to_image, width, height)


def _rows_out_of_frame(gray: np.ndarray, to_mm: np.ndarray, spec: FormSpec
                       ) -> OutOfFrameError | None:
    """Some bubbles lie outside the photo: they cannot be read (straightening would fill them
    with the photo's edge), so the page is refused as out of frame rather than guessed at."""
    height, width = gray.shape[:2]
    to_image = _homography(to_mm)
    radius = spec.bubble_mm / 2 + 1.0
    centres = np.array([(c.x, c.y) for row in spec.rows for c in row.choices], np.float64)
    if not len(centres):
        return None
    reach = np.array([(-radius, -radius), (radius, -radius), (radius, radius), (-radius, radius)])
    if _inside((centres[:, None, :] + reach[None]).reshape(-1, 2), to_image, width, height):
        return None
    return _page_out_of_frame(spec.paper, to_image, width, height)


def _page_out_of_frame(paper: str, to_image: ToImage, width: int, height: int
                       ) -> OutOfFrameError:
    """The page is cut: name the edges whose corner markers' outer sides leave the photo, or
    else those whose paper does."""
    edges = (_edges_out(paper, to_image, width, height, MARKER_MARGIN_MM)
             or _edges_out(paper, to_image, width, height) or ["top"])
    return OutOfFrameError(out_of_frame_reason(edges))


BLURRED_EDGE = 25.0  # the strongest edges of a readable photo of print are well above this


def _too_blurred(gray: np.ndarray) -> bool:
    """Sharp print has strong edges; a moved or unfocused photo has none."""
    scale = min(1.0, 1000 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    if float(small.std()) < 20:  # nothing photographed at all, not a blurred page
        return False
    edges = np.abs(cv2.Laplacian(small, cv2.CV_32F))
    return float(np.percentile(edges, 99.5)) < BLURRED_EDGE


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
    raise UnreadableQrError(
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
    ink = cv2.subtract(paper_light, page)
    paper_light = cv2.max(paper_light, 1)
    darkness = cv2.divide(ink, paper_light, scale=1.0 / _printed_black(ink, paper_light, paper),
                          dtype=cv2.CV_32F)  # one pass over the page: it holds millions of px
    return cv2.min(darkness, 1.0, dst=darkness)


def _printed_black(ink: np.ndarray, paper_light: np.ndarray, paper: str) -> float:
    """How dark the printed black came out, from the markers' black cells (`ink` is how much
    darker than the paper each pixel is, `paper_light` the paper's brightness there)."""
    levels = []
    for box in marker_boxes(paper).values():
        x, y, w, h = box.to_px()
        cell = (slice(y, y + h), slice(x, x + w))
        levels.append(np.percentile(cv2.divide(ink[cell], paper_light[cell],
                                               dtype=cv2.CV_32F), 85))
    return float(np.clip(np.median(levels), 0.4, 1.0))


@dataclass(frozen=True)
class Ink:
    """The straightened page as darkness (0 paper .. 1 printed black): `darkness` as it is,
    `hand` with long straight lines (fold creases, slips of the pen) taken out, `solid` where
    ink is still there after eroding SOLID_MM (filled areas, not pen lines), `printed`
    where the blank form itself has ink, at the form's own coordinates; `folds` are the lines
    taken out of `hand` that fade and come back, as creases do (px, start and end of each),
    and `line_ends` where the others really end."""

    darkness: np.ndarray
    hand: np.ndarray
    solid: np.ndarray
    printed: np.ndarray
    folds: np.ndarray = field(default_factory=lambda: np.zeros((0, 2, 2)))
    line_ends: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))


LINE_MM = 16.0  # a straight stroke this long is no mark in a bubble: a crease, a stray line
LINE_GAP_MM = 7.0  # ... even where it crosses the printed circles, which are masked out (a
# line along a row, tangent to its circles, shows only between them)
LINE_COVER = 0.6  # ... and is ink along this much of its length clear of the print; a line
STEEP_LINE_COVER = 0.9  # across the rows, more than LINE_ROW_DEGREES from them, along nearly
LINE_ROW_DEGREES = 25.0  # all of it (ticks in rows one under another line up across them)
LINE_BAND_MM = 1.2  # how wide a band along such a line is taken out
LINE_RUNS_ON_MM = 7.0  # ... and, while its ink goes on, up to a bubble beyond where it was seen
LINE_BESIDE_PX = 7  # where a line's side is looked at, beyond its own width


def find_ink(darkness: np.ndarray, spec: FormSpec) -> Ink:
    size = round(SOLID_MM * PX_PER_MM) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))  # fast, and as good
    inked = np.greater(darkness, INK).view(np.uint8)
    solid = cv2.erode(inked, kernel).view(bool)
    blank = blank_ink(spec, darkness.shape)
    hand, folds, line_ends = _without_lines(darkness, solid, blank.line_zone)
    return Ink(darkness, hand, solid, blank.printed, folds, line_ends)


@dataclass(frozen=True)
class BlankInk:
    """What the blank form puts on the page: `printed` where it has ink (slightly widened), and
    `line_zone`, around its rows of bubbles but clear of its print, where lines are sought."""

    printed: np.ndarray
    line_zone: np.ndarray  # 255 there, 0 elsewhere


@lru_cache(maxsize=16)
def _blank_ink(spec: FormSpec, shape: tuple[int, int]) -> BlankInk:
    blank = blank_page(spec, PX_PER_MM)
    page = np.full(shape, 255, np.uint8)
    height, width = min(shape[0], blank.shape[0]), min(shape[1], blank.shape[1])
    page[:height, :width] = blank[:height, :width]
    spread = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))  # 0.4 mm either side
    print_mask = (page < 200).astype(np.uint8)
    printed = cv2.dilate(print_mask, spread).astype(bool)
    zone = np.zeros(shape, np.uint8)
    for row in spec.rows:
        xs, y = [c.x for c in row.choices], row.choices[0].y
        top_left = (round((min(xs) - LINE_MM) * PX_PER_MM), round((y - 7) * PX_PER_MM))
        bottom_right = (round((max(xs) + LINE_MM) * PX_PER_MM), round((y + 7) * PX_PER_MM))
        cv2.rectangle(zone, top_left, bottom_right, 1, -1)
    zone[cv2.dilate(print_mask, np.ones((9, 9), np.uint8)) > 0] = 0  # the photo may sit off
    zone *= 255
    for mask in (printed, zone):
        mask.flags.writeable = False
    return BlankInk(printed, zone)


def blank_ink(spec: FormSpec, shape: tuple[int, ...]) -> BlankInk:
    """The blank form's own ink on a straightened page of `shape`, drawn by the printer's code."""
    return _blank_ink(spec, (int(shape[0]), int(shape[1])))


def _without_lines(darkness: np.ndarray, solid: np.ndarray, zone: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The darkness with long straight thin strokes taken out, the folds among them, and where
    the others really end: no hand fills or ticks a bubble with a line LINE_MM long, but a
    fold crease or a slip of the pen crosses a whole row. Lines are sought around the rows,
    clear of the form's print; solid ink (a filled bubble the line crosses) stays."""
    no_lines, no_ends = np.zeros((0, 2, 2)), np.zeros((0, 2))
    strokes = cv2.compare(darkness, LIGHT_INK + 0.07, cv2.CMP_GT)
    strokes = cv2.bitwise_and(strokes, zone, dst=strokes)
    # Sought at half resolution: four times fewer pixels, and lines are long.
    half = cv2.threshold(cv2.resize(strokes, None, fx=0.5, fy=0.5,
                                    interpolation=cv2.INTER_AREA),
                         63, 1, cv2.THRESH_BINARY)[1]  # a thin line keeps every other pixel
    half_px = PX_PER_MM / 2
    found = cv2.HoughLinesP(half, 1, np.pi / 180, round(0.6 * LINE_MM * half_px),
                            minLineLength=LINE_MM * half_px, maxLineGap=LINE_GAP_MM * half_px)
    if found is None:
        return darkness, no_lines, no_ends
    lines = []
    for x1, y1, x2, y2 in found.reshape(-1, 4) * 2:
        start, end = np.array([x1, y1], float), np.array([x2, y2], float)
        if _thin_line(darkness, zone, start, end):
            # The line was sought clear of the print, so it may run on across the bubbles at
            # its ends, unseen: take out as far as its ink goes on, up to a bubble beyond.
            along = (end - start) / max(float(np.linalg.norm(end - start)), 1.0)
            lines.append(np.rint([start - along * _runs_on(darkness, start, -along),
                                  end + along * _runs_on(darkness, end, along)]).astype(int))
    if not lines:
        return darkness, no_lines, no_ends
    ends = np.concatenate(lines)
    width = round(LINE_BAND_MM * PX_PER_MM)
    (left, top), (right, bottom) = ends.min(axis=0) - width, ends.max(axis=0) + width + 1
    left, top = max(int(left), 0), max(int(top), 0)
    right, bottom = min(int(right), darkness.shape[1]), min(int(bottom), darkness.shape[0])
    band = np.zeros((bottom - top, right - left), np.uint8)
    for start, end in lines:
        cv2.line(band, tuple(start - (left, top)), tuple(end - (left, top)), 1, width)
    hand = darkness.copy()
    region = hand[top:bottom, left:right]
    region[(band > 0) & ~solid[top:bottom, left:right]] = 0.0
    ends, folds = _line_ends(lines, darkness, zone)
    return hand, folds, ends


FOLD_MM = 80.0  # a line this long (its pieces together) is a fold, not a slip of the pen
LINE_GOES_ON_MM = 16.0  # another piece of a line this far on continues it (a crease fades and
LINE_SIDE_MM = 1.5  # comes back along its length), if it lies this close to the line's axis


FADE_FROM_MM, FADE_TO_MM = 1.0, 12.0  # where, past its end, a line that only faded still shows
FADE_INK = 0.03  # ... this much darker (median) than the paper beside it
FADE_SIDE_MM = 2.0  # ... which is this far to either side of its axis


def _fades_on(darkness: np.ndarray, zone: np.ndarray, point: np.ndarray,
              outward: np.ndarray) -> bool:
    """Whether a line goes on past `point` fainter than it was sought (a crease's darkness
    comes and goes), rather than stopping there as a pen stroke does: along its axis beyond,
    clear of the print, the paper is darker than beside it."""
    steps = np.arange(FADE_FROM_MM * PX_PER_MM, FADE_TO_MM * PX_PER_MM)
    across = np.array([-outward[1], outward[0]]) * FADE_SIDE_MM * PX_PER_MM
    height, width = darkness.shape

    def along(offset: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        points = np.rint(point + np.outer(steps, outward) + offset).astype(int)
        xs, ys = np.clip(points[:, 0], 0, width - 1), np.clip(points[:, 1], 0, height - 1)
        return darkness[ys, xs], zone[ys, xs] > 0

    on, clear = along(np.zeros(2))
    if clear.sum() < len(steps) // 3:
        return False
    beside = np.concatenate([along(across)[0][clear], along(-across)[0][clear]])
    return float(np.median(on[clear]) - np.median(beside)) >= FADE_INK


def _line_ends(lines: list[np.ndarray], darkness: np.ndarray, zone: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """Where the lines really stop (px, one row per end): not where one goes on as another
    piece of the same line, nor where it only fades, as a fold does (its crease comes and goes
    along its length, faintly on past where it was found, and it spans the page; a pen stroke
    stops). Also the folds (px, start and end of each), run on across the gaps between their
    pieces and as far past their ends as they were seen to go on faintly."""
    same = list(range(len(lines)))  # pieces of one line share a label

    def label(n: int) -> int:
        while same[n] != n:
            n = same[n]
        return n

    found = []  # per piece, per end: the end, outwards, and whether it goes on or fades
    for n, (start, end) in enumerate(lines):
        for point, outward in ((start, start - end), (end, end - start)):
            outward = outward / max(float(np.linalg.norm(outward)), 1.0)
            across = np.array([-outward[1], outward[0]])
            goes_on = False
            for m, piece in enumerate(lines):
                if m == n:
                    continue
                ahead, aside = (piece - point) @ outward, np.abs((piece - point) @ across)
                if (aside.max() <= LINE_SIDE_MM * PX_PER_MM and ahead.max() > 0
                        and ahead.min() <= LINE_GOES_ON_MM * PX_PER_MM):
                    goes_on = True
                    same[label(m)] = label(n)
                    break
            fades = not goes_on and _fades_on(darkness, zone, point, outward)
            found.append((n, point, outward, goes_on, fades))
    spans: dict[int, list[np.ndarray]] = {}
    for n, piece in enumerate(lines):
        spans.setdefault(label(n), []).extend(piece)
    long = {line for line, points in spans.items()
            if float(np.ptp(np.array(points), axis=0).max()) >= FOLD_MM * PX_PER_MM}
    fading = long | {label(n) for n, _point, _outward, _goes_on, fades in found if fades}
    ends = [point for n, point, _outward, goes_on, _fades in found
            if not goes_on and label(n) not in fading]
    folds = []
    for line in fading:  # a fold runs on across the gaps between its pieces
        points = np.array([point + outward * FADE_TO_MM * PX_PER_MM * (not goes_on)
                           for n, point, outward, goes_on, _fades in found if label(n) == line])
        along = points[np.argmax(points[:, 0])] - points[np.argmin(points[:, 0])]
        if abs(along[1]) > abs(along[0]):
            along = points[np.argmax(points[:, 1])] - points[np.argmin(points[:, 1])]
        at = points @ along
        folds.append([points[np.argmin(at)], points[np.argmax(at)]])
    return np.array(ends, float).reshape(-1, 2), np.array(folds, float).reshape(-1, 2, 2)


RUN_GAP_PX = 4  # a line's ink, grainy or washed out, may skip this many pixels


def _runs_on(darkness: np.ndarray, point: np.ndarray, along: np.ndarray) -> float:
    """How far (px) ink goes on straight from the end of a line, up to LINE_RUNS_ON_MM: across
    a printed circle and the disc it crosses, but not past where the pen lifted, into the
    stroke of a tick or a ring the line only touches."""
    steps = np.arange(1.0, LINE_RUNS_ON_MM * PX_PER_MM + 1.0)
    normal = np.array([-along[1], along[0]])
    height, width = darkness.shape
    offsets = np.array([-1.0, 0.0, 1.0])  # the line's direction is known to a degree or so
    points = np.rint(point + np.outer(steps, along)[None] + offsets[:, None, None] * normal)
    xs = np.clip(points[..., 0].astype(int), 0, width - 1)
    ys = np.clip(points[..., 1].astype(int), 0, height - 1)
    hits = np.concatenate([[0.0], steps[(darkness[ys, xs] >= LIGHT_INK).any(axis=0)]])
    gaps = np.flatnonzero(np.diff(hits) > RUN_GAP_PX + 1)  # the pen lifted before the next
    return float(hits[gaps[0]] if len(gaps) else hits[-1])


def _thin_line(darkness: np.ndarray, zone: np.ndarray, start: np.ndarray,
               end: np.ndarray) -> bool:
    """Whether a straight run of ink is a line alone (a crease, a stray stroke) rather than a
    row of fills or a scribble that happen to line up: beside a line there is paper; and along
    it, wherever the print does not hide it, ink (strokes in bubbles a row apart, ticks say,
    line up across the paper between them)."""
    length = float(np.linalg.norm(end - start))
    along = (end - start) / max(length, 1.0)
    normal = np.array([-along[1], along[0]])
    steps = start + np.outer(np.arange(0, length, 2.0), along)
    height, width = darkness.shape
    # Along the line (it was found at half size, so a pixel or two either side of where it
    # was found) and beside it, each as one row of points.
    offsets = np.array([-1.5, 0.0, 1.5, -LINE_BESIDE_PX, LINE_BESIDE_PX])
    points = np.rint(steps[None] + offsets[:, None, None] * normal).astype(int)
    xs, ys = np.clip(points[..., 0], 0, width - 1), np.clip(points[..., 1], 0, height - 1)
    clear = zone[ys, xs] > 0  # the form's print is no evidence either way
    inked = (darkness[ys, xs] >= LIGHT_INK) & clear
    shares = inked.mean(axis=1)
    on, beside = float(shares[:3].max()), float(shares[3:].max())
    covered = float((inked.sum(axis=1) / np.maximum(clear.sum(axis=1), 1))[:3].max())
    along_row = abs(along[1]) <= np.sin(np.radians(LINE_ROW_DEGREES))
    return covered >= (LINE_COVER if along_row else STEEP_LINE_COVER) and (
        beside <= 0.4 * max(on, 1e-6))


def read_fields(spec: FormSpec, ink: Ink) -> list[FieldReading]:
    rows = spec.rows
    measured = dict(zip((row.id for row in rows), measure_rows(ink, rows, spec.bubble_mm),
                        strict=True))
    bubble_rows = [f for f in spec.fields if isinstance(f, BubbleRow)]
    decided = dict(zip((f.id for f in bubble_rows), classify_page(
        [(measured[f.id], f.required) for f in bubble_rows]), strict=True))
    readings = []
    for field_spec in spec.fields:
        box = field_spec.box.to_px()
        if not isinstance(field_spec, BubbleRow):
            readings.append(FieldReading(field_spec.id, field_spec.kind, field_spec.label, None,
                                         NOT_READ, 1.0, False, "", box))
            continue
        measures = measured[field_spec.id]
        row = decided[field_spec.id]
        readings.append(FieldReading(field_spec.id, field_spec.kind, field_spec.label, row.value,
                                     row.status, row.confidence, row.flagged, row.reason, box,
                                     row.candidate, tuple(measures)))
    return readings


SECTORS = 24  # directions around a bubble in which ink outside it is looked for


def measure_rows(ink: Ink, rows: Sequence[BubbleRow], bubble_mm: float
                 ) -> list[list[BubbleMeasure]]:
    """Each bubble of the rows, each row first nudged onto its printed circles: its inner disc
    (how much ink, how solid, how dark, how evenly spread) and the band just outside its
    printed circle (in which directions there is ink, near and far, and how many thin strokes
    leave it). The form's own print is left out of the band. All the page's bubbles are
    measured together, as arrays: a page holds hundreds."""
    if not rows:
        return []
    ideal = [np.array([(c.x, c.y) for c in row.choices]) * PX_PER_MM for row in rows]
    printed_at = np.rint(np.concatenate(ideal)).astype(int)
    centres = np.rint(np.concatenate([
        points + align_row(ink.darkness, points, bubble_mm) for points in ideal])).astype(int)
    disc, quarters = _disc_offsets(bubble_mm)
    samples = _sample(ink.hand, centres, disc)
    count = samples.shape[1]
    ranked = np.partition(samples, [count - count // 4, count - count // 12], axis=1)
    strength = ranked[:, count - count // 4:].mean(axis=1)
    peak = ranked[:, count - count // 12:].mean(axis=1)
    tone = samples.mean(axis=1)
    thirds = samples @ _disc_bands(bubble_mm)
    banded = thirds.max(axis=1) - thirds.min(axis=1)
    inked = samples >= INK
    cover = inked.mean(axis=1)
    lit = samples >= LIGHT_INK
    light = lit.mean(axis=1)
    solid = _sample(ink.solid, centres, disc).mean(axis=1)
    lined = ((_sample(ink.darkness, centres, disc) >= INK) & (samples < LIGHT_INK)).mean(axis=1)
    crossed = _evenness(inked, quarters)
    tall, slant, elongation = _spread(lit.astype(np.float32), disc.astype(np.float32))
    band, key = _band_offsets(bubble_mm)
    visible = ~_sample(ink.printed, printed_at, band)
    around_samples = _sample(ink.hand, centres, band)
    outside = (around_samples >= BAND_INK) & visible
    seen = _per_direction(visible, key) >= 0.35 * np.bincount(key, minlength=3 * SECTORS)
    around_ink = (_per_direction(outside, key) >= 2) & seen
    maybe_ring = (cover < MAYBE_RING_COVER) & (around_ink.mean(axis=1) > 0.1)
    starts = np.cumsum([0] + [len(points) for points in ideal])
    for first, last in itertools.pairwise(starts):
        row = slice(first, last)
        if maybe_ring[row].any() and ((light[row] >= 0.05) & ~maybe_ring[row]).any():
            # Strokes reaching over from a marked neighbour are that neighbour's, not a ring.
            outside[row] &= ~_neighbours_strokes(ink, centres[row],
                                                 centres[first] - printed_at[first], band, disc)
            around_ink[row] = (_per_direction(outside[row], key) >= 2) & seen[row]
    inked_dirs, seen = around_ink.reshape(-1, 3, SECTORS), seen.reshape(-1, 3, SECTORS)
    around, anywhere, far = inked_dirs.any(axis=1), seen.any(axis=1), inked_dirs[:, 2]
    ring = around.sum(axis=1) / np.maximum(anywhere.sum(axis=1), 1)
    far_share = far.sum(axis=1) / np.maximum(seen[:, 2].sum(axis=1), 1)
    sides = (around @ SIDES_OF_DIRECTIONS > 0).sum(axis=1)
    light_ring = _light_ring(around_samples, visible, key, seen, anywhere)
    values = [choice.value for row in rows for choice in row.choices]
    line_end = _line_ends_at(ink.line_ends, centres, bubble_mm)
    fold = _lines_across(ink.folds, centres, bubble_mm)
    arms, x_arms, sideways = _arms(ink, centres, printed_at, bubble_mm, cover >= FILLED_COVER)
    measures = [BubbleMeasure(
        value, float(cover[n]), float(strength[n]), float(solid[n]), light=float(light[n]),
        peak=float(peak[n]), ring=float(ring[n]), far=float(far_share[n]), sides=int(sides[n]),
        arms=int(arms[n]), x_arms=int(x_arms[n]), sideways=bool(sideways[n]),
        light_ring=float(light_ring[n]), lined=float(lined[n]), crossed=float(crossed[n]),
        tall=float(tall[n]), tone=float(tone[n]), band=float(banded[n]), line_end=str(line_end[n]),
        fold=bool(fold[n]), slant=float(slant[n]), elongation=float(elongation[n]))
        for n, value in enumerate(values)]
    return [measures[first:last] for first, last in itertools.pairwise(starts)]


LIGHT_RING_INK = 0.14  # half BAND_INK: a ring in light pencil, or washed out by a yellowed or
# shadowed photo, still shows from this darkness all round the circle


def _light_ring(around: np.ndarray, visible: np.ndarray, key: np.ndarray, seen: np.ndarray,
                anywhere: np.ndarray) -> np.ndarray:
    """Per bubble, the share of directions with at least light ink just outside its circle,
    where that ink lies on three or four of its sides (else 0): a faint ring."""
    hits = (_per_direction((around >= LIGHT_RING_INK) & visible, key) >= 2) & seen.reshape(
        len(around), -1)
    inked = hits.reshape(-1, 3, SECTORS).any(axis=1)
    share = inked.sum(axis=1) / np.maximum(anywhere.sum(axis=1), 1)
    return np.where((inked @ SIDES_OF_DIRECTIONS > 0).sum(axis=1) >= 3, share, 0.0)


LINE_END_MM = 1.25  # a line taken out that ends this close outside a bubble's circle ran into it


def _line_ends_at(ends: np.ndarray, centres: np.ndarray, bubble_mm: float) -> np.ndarray:
    """Per bubble, whether a line taken out of the page ends inside its disc ("in") or just
    outside its circle ("beside"), or neither (""): the stroke it ran into there (a tick's
    foot, a ring's side) went out with it."""
    if not len(ends):
        return np.full(len(centres), "")
    distance = np.linalg.norm(centres[:, None, :] - ends[None, :, :], axis=2).min(axis=1)
    return np.where(distance <= _disc_radius(bubble_mm), "in", np.where(
        distance <= (bubble_mm / 2 + LINE_END_MM) * PX_PER_MM, "beside", ""))


def _lines_across(lines: np.ndarray, centres: np.ndarray, bubble_mm: float) -> np.ndarray:
    """Per bubble, whether one of the lines crosses its inner disc."""
    if not len(lines):
        return np.zeros(len(centres), bool)
    start, end = lines[:, 0][None], lines[:, 1][None]  # 1 x lines x 2
    along = end - start
    length = np.maximum((along ** 2).sum(axis=2), 1.0)
    at = np.clip(((centres[:, None] - start) * along).sum(axis=2) / length, 0, 1)
    distance = np.linalg.norm(centres[:, None] - (start + at[..., None] * along), axis=2)
    return (distance <= _disc_radius(bubble_mm)).any(axis=1)


BAND_INK = 0.28  # thin strokes outside a bubble, softened by blur, count from this darkness
MAYBE_RING_COVER = 0.35  # a bubble this empty with ink around it may have a ring drawn round


def _sample(image: np.ndarray, centres: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    ys = centres[:, 1, None] + offsets[:, 1]
    xs = centres[:, 0, None] + offsets[:, 0]
    reach = int(np.abs(offsets).max())
    if (centres.min() < reach or centres[:, 1].max() + reach >= image.shape[0]
            or centres[:, 0].max() + reach >= image.shape[1]):
        ys, xs = np.clip(ys, 0, image.shape[0] - 1), np.clip(xs, 0, image.shape[1] - 1)
    return image[ys, xs]


def _per_direction(hits: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Per bubble, how many of its band's samples are `hits` in each zone and direction
    (`key` = zone * SECTORS + direction of each sample)."""
    rows, columns = np.nonzero(hits)
    counts = np.bincount(rows * 3 * SECTORS + key[columns], minlength=len(hits) * 3 * SECTORS)
    return counts.reshape(len(hits), 3 * SECTORS)


# Which of a bubble's four sides (right, below, left, above) each direction looks to: a ring
# drawn around it has ink on three or four, a stroke that only passes by on one or two.
SIDES_OF_DIRECTIONS = np.eye(4, dtype=int)[
    ((np.arange(SECTORS) + SECTORS // 8) // (SECTORS // 4)) % 4]


def _neighbours_strokes(ink: Ink, centres: np.ndarray, shift: np.ndarray, band: np.ndarray,
                        disc: np.ndarray) -> np.ndarray:
    """Per bubble, which samples of its band belong to strokes that start in another bubble of
    the row and not in this one: the arms of an X, a scribble or a ring next door reach over,
    and are that bubble's mark, not a ring around this one."""
    none = np.zeros((len(centres), len(band)), bool)
    if len(centres) < 2:
        return none
    reach = int(np.abs(band).max()) + 2
    (x0, y0), (x1, y1) = centres.min(axis=0) - reach, centres.max(axis=0) + reach + 1
    sx, sy = int(shift[0]), int(shift[1])
    height, width = ink.hand.shape
    if min(x0, y0, x0 - sx, y0 - sy) < 0 or max(x1, x1 - sx) > width or max(
            y1, y1 - sy) > height:
        return none
    strokes = (ink.hand[y0:y1, x0:x1] >= BAND_INK) & ~ink.printed[y0 - sy:y1 - sy,
                                                                  x0 - sx:x1 - sx]
    # Strokes are cut where they cross printed circles (left out above): close those gaps.
    joined = cv2.morphologyEx(strokes.astype(np.uint8), cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7)))
    _count, labels = cv2.connectedComponents(joined, connectivity=8)
    local = centres - (x0, y0)
    in_disc, in_band = _sample(labels, local, disc), _sample(labels, local, band)
    owned = []
    for row in in_disc:
        found, counts = np.unique(row[row > 0], return_counts=True)
        owned.append(set(found[counts >= 3].tolist()))
    foreign = none.copy()
    for n in range(len(centres)):
        others = set().union(*(owned[m] for m in range(len(centres)) if m != n)) - owned[n]
        if others:
            foreign[n] = np.isin(in_band[n], list(others))
    return foreign


ARM_RAYS = 96  # rays around a filled bubble along which strokes leaving it are followed
ARM_FROM_MM, ARM_TO_MM = 0.6, 3.2  # from just past the printed circle to well outside it
ARM_SPIKE_MM = 0.5  # a stroke reaches this much further out than the ink on either side of it
ARM_MIN_MM = 0.5  # ... and at least this far past the circle
ARM_INK = 0.2  # a stroke's ends fade as the pen lifts: followed down to this darkness
ARM_WIDTH = 5  # of ARM_RAYS / 2 directions: wider is a spill of the fill, not a pen stroke


def _arms(ink: Ink, centres: np.ndarray, printed_at: np.ndarray, bubble_mm: float,
          filled: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per filled bubble, the thin strokes that leave it (reaching well past the ink beside
    them, as a fill's spill does not), how many of them lie as an X's arms do (two across
    the bubble from each other and one at right angles to both), and whether one leaves it
    along the row, towards the bubbles beside it. Ink is followed outwards from
    just past the printed circle along each ray while it lasts."""
    arms, x_arms = np.zeros(len(centres), int), np.zeros(len(centres), int)
    sideways = np.zeros(len(centres), bool)
    chosen = np.flatnonzero(filled)
    if not len(chosen):
        return arms, x_arms, sideways
    offsets, inner = _ray_offsets(bubble_mm)
    rays, steps = ARM_RAYS, len(offsets) // ARM_RAYS
    # The printed circle hides what crosses it: a stroke is followed through it.
    inked = _sample(ink.hand, centres[chosen], offsets) >= ARM_INK
    inked |= _sample(ink.printed, printed_at[chosen], offsets)
    reach = np.cumprod(inked.reshape(len(chosen), rays, steps), axis=2).sum(axis=2) - inner
    reach = np.maximum(reach, 0).reshape(len(chosen), rays // 2, 2).max(axis=2) / PX_PER_MM
    directions = reach.shape[1]
    around = np.stack([np.roll(reach, shift, axis=1) for shift in range(-4, 5) if shift],
                      axis=2)
    beside = np.median(around, axis=2)
    spikes = (reach - beside >= ARM_SPIKE_MM) & (reach >= ARM_MIN_MM)
    longest = (steps - inner) / PX_PER_MM - 0.2
    for n, bubble in enumerate(chosen):
        middles = _thin_runs(spikes[n], ARM_WIDTH)
        arms[bubble] = len(middles)
        runs_on = {m for m in middles if reach[n, round(m) % directions] >= longest}
        x_arms[bubble] = _x_arms(middles, [float(reach[n, round(m) % directions]) for m in middles],
                                 runs_on, directions)
        along = np.abs((np.array(middles) + directions / 4) % (directions / 2) - directions / 4)
        sideways[bubble] = bool((along <= directions / 6).any())  # within 60° of the row
    return arms, x_arms, sideways


@cache
def _ray_offsets(bubble_mm: float) -> tuple[np.ndarray, int]:
    """Pixel offsets along ARM_RAYS rays from a bubble's centre, ray by ray, a pixel apart,
    outwards from inside the printed circle (where a fill is) to ARM_TO_MM past it; and how
    many of each ray's steps lie short of ARM_FROM_MM past it."""
    radii = np.arange((bubble_mm / 2 - 0.4) * PX_PER_MM, (bubble_mm / 2 + ARM_TO_MM) * PX_PER_MM)
    angles = np.arange(ARM_RAYS) * 2 * np.pi / ARM_RAYS
    dx = np.rint(np.cos(angles)[:, None] * radii[None, :]).astype(int)
    dy = np.rint(np.sin(angles)[:, None] * radii[None, :]).astype(int)
    inner = int((radii < (bubble_mm / 2 + ARM_FROM_MM) * PX_PER_MM).sum())
    return np.stack([dx.ravel(), dy.ravel()], axis=1), inner


def _thin_runs(directions: np.ndarray, widest: int) -> list[float]:
    """The middles of the runs of neighbouring directions, at most `widest` wide."""
    if directions.all() or not directions.any():
        return []
    start = int(np.argmin(directions))  # a direction without a hit, so runs do not wrap
    turned = np.roll(directions, -start)
    edges = np.diff(np.concatenate([[0], turned.astype(int), [0]]))
    begins, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    thin = ends - begins <= widest
    return [float(m) for m in ((begins[thin] + ends[thin] - 1) / 2 + start) % len(directions)]


X_ANGLE_SLACK = 1 / 9  # of a turn: how far a hand's X strays from square
X_PAIR_SLACK = 1 / 15  # ... and two strokes alone at right angles (an X with two arms hidden)
X_PAIR_MM = 0.8  # ... each reaching at least this far past the circle
ROW_ANGLE = 1 / 18  # of a turn: strokes this close to the row's direction run along it


def _x_arms(middles: list[float], reach: list[float], runs_on: set[float],
            directions: int) -> int:
    """How many of the strokes, at these directions, make an X: a pair across the bubble and
    another at right angles to them (3), and the fourth across from that one (4); or, short
    of that, two strokes at right angles, both slanting across the row and reaching well out
    (2: an X whose other arms stay inside the fill); else 0. A pair across the bubble both of
    whose strokes run along the row and `run on` past where they were followed is a line
    passing through it (a slip of the pen, a crease), not an X; an X's long arms slant."""
    slack = X_ANGLE_SLACK * directions

    def apart(a: float, b: float) -> float:
        gap = abs(a - b) % directions
        return min(gap, directions - gap)

    def along_row(a: float) -> bool:
        return min(a % (directions / 2), directions / 2 - a % (directions / 2)) <= (
            ROW_ANGLE * directions)

    best = 0
    for a, b in itertools.combinations(middles, 2):
        if apart(a, b) < directions / 2 - slack or (
                {a, b} <= runs_on and along_row(a) and along_row(b)):
            continue
        square = [c for c in middles if c not in (a, b)
                  and abs(apart(c, a) - directions / 4) <= slack
                  and abs(apart(c, b) - directions / 4) <= slack]
        if square:
            best = max(best, 3 + any(apart(c, d) >= directions / 2 - slack
                                     for c, d in itertools.combinations(square, 2)))
    if best:
        return best
    far = [m for m, out in zip(middles, reach, strict=True)
           if out >= X_PAIR_MM and not along_row(m)]
    if any(abs(apart(a, b) - directions / 4) <= X_PAIR_SLACK * directions
           for a, b in itertools.combinations(far, 2)):
        return 2
    return 0


def _spread(inked: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                              np.ndarray]:
    """How each bubble's ink spreads over its disc: up and down the page (mm, its standard
    deviation: a crease or a stray line along the row is flat, a pencil tick or fill is not);
    the angle (degrees, 0 to 90) between the row and the ink's long axis; and how much longer
    that axis is than the other (a line passing through lies along the row, long and thin;
    a tick's strokes slant, a fill is round)."""
    count = np.maximum(inked.sum(axis=1), 1.0)
    dx, dy = offsets[:, 0], offsets[:, 1]
    mx, my = inked @ dx / count, inked @ dy / count
    sxx = np.maximum(inked @ (dx * dx) / count - mx * mx, 0)
    syy = np.maximum(inked @ (dy * dy) / count - my * my, 0)
    sxy = inked @ (dx * dy) / count - mx * my
    half_gap = np.sqrt(((sxx - syy) / 2) ** 2 + sxy ** 2)
    major, minor = (sxx + syy) / 2 + half_gap, np.maximum((sxx + syy) / 2 - half_gap, 0)
    slant = np.abs(np.degrees(0.5 * np.arctan2(2 * sxy, sxx - syy)))
    elongation = np.sqrt(major / np.maximum(minor, 0.25))  # a pixel's own spread, at least
    return np.sqrt(syy) / PX_PER_MM, slant, elongation


def _evenness(inked: np.ndarray, quarters: np.ndarray) -> np.ndarray:
    """How evenly each bubble's ink spreads over the disc's four quarters, split diagonally
    and straight (a cross either way up): the emptiest quarter's ink over the fullest's."""
    counts = (inked.astype(np.float32) @ quarters).reshape(-1, 2, 4)
    return (counts.min(axis=2) / np.maximum(counts.max(axis=2), 1)).max(axis=1)


OUTLINE_CLEAR_MM = 0.8  # a bubble's disc: inside its printed circle, this far clear of it


def _disc_radius(bubble_mm: float) -> float:
    """The radius (px) of a bubble's disc, where its ink is read."""
    return (bubble_mm / 2 - OUTLINE_CLEAR_MM) * PX_PER_MM


@cache
def _disc_offsets(bubble_mm: float) -> tuple[np.ndarray, np.ndarray]:
    """Pixel offsets inside a bubble's disc (OUTLINE_CLEAR_MM clear of its printed outline);
    and which quarter of the disc, split straight then diagonally, each offset lies in: one
    column per split and quarter, 1 where it does (the centre, where every stroke passes, is
    left out)."""
    radius = _disc_radius(bubble_mm)
    span = np.arange(-int(radius), int(radius) + 1)
    dx, dy = np.meshgrid(span, span)
    inside = dx ** 2 + dy ** 2 <= radius ** 2
    dx, dy = dx[inside], dy[inside]
    angle = np.arctan2(dy, dx)
    away = np.hypot(dx, dy) >= 0.35 * radius
    straight = np.where(away, ((angle + np.pi / 4) // (np.pi / 2)).astype(int) % 4, -1)
    diagonal = np.where(away, (angle // (np.pi / 2)).astype(int) % 4, -1)
    quarters = np.concatenate([split[:, None] == np.arange(4)[None, :]
                               for split in (straight, diagonal)], axis=1)
    return np.stack([dx, dy], axis=1), quarters.astype(np.float32)


@cache
def _disc_bands(bubble_mm: float) -> np.ndarray:
    """Per offset of `_disc_offsets`, one column per horizontal third of the disc (top, middle,
    bottom), each holding 1 / its pixel count where the offset lies in it: samples times this
    are each third's mean darkness."""
    offsets, _quarters = _disc_offsets(bubble_mm)
    radius = _disc_radius(bubble_mm)
    third = np.digitize(offsets[:, 1], [-radius / 3, radius / 3])
    bands = (third[:, None] == np.arange(3)[None, :]).astype(np.float32)
    return bands / bands.sum(axis=0)


# The band around a bubble's printed circle, in mm from it: over the circle itself (its print
# left out), just outside, and well outside, where only rings and scribbles reach.
BAND_MM = (-0.75, 0.45, 1.25, 2.7)


@cache
def _band_offsets(bubble_mm: float) -> tuple[np.ndarray, np.ndarray]:
    """Pixel offsets in the band around a bubble's printed circle, and each offset's zone (0
    over the circle, 1 just outside, 2 well outside) and direction (0..SECTORS-1), as
    zone * SECTORS + direction."""
    limits = [(bubble_mm / 2 + mm) * PX_PER_MM for mm in BAND_MM]
    span = np.arange(-int(limits[-1]), int(limits[-1]) + 1)
    dx, dy = np.meshgrid(span, span)
    distance = np.hypot(dx, dy)
    inside = (distance >= limits[0]) & (distance <= limits[-1]) & (dx % 2 == 0) & (dy % 2 == 0)
    dx, dy, distance = dx[inside], dy[inside], distance[inside]  # a pixel in four: enough
    sectors = ((np.arctan2(dy, dx) + np.pi) / (2 * np.pi) * SECTORS).astype(int) % SECTORS
    zone = (distance >= limits[1]).astype(int) + (distance >= limits[2])
    return np.stack([dx, dy], axis=1), zone * SECTORS + sectors


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
    """Every sheet of the files (a photo may show several), read or with the reason it could
    not be; the same printed page twice in one batch is an error on its second appearance."""
    seen: dict[FormIdentity, str] = {}
    for source, image in load_pages(paths):
        if isinstance(image, OmrError):
            yield image
            continue
        results = read_photo(image, known_specs, expected)
        for number, result in enumerate(results, start=1):
            name = sheet_source(source, number, len(results))
            if isinstance(result, PageReading) and result.identity in seen:
                result = DuplicatePageError(
                    f"this is the {result.identity.describe()}, already read from "
                    f"{seen[result.identity]}; the same sheet was scanned twice.")
            if isinstance(result, OmrError):
                result.source = name
                yield result
                continue
            result.source = seen[result.identity] = name
            yield result


def sheet_source(source: str, number: int, count: int) -> str:
    """`photo.jpg`, or `photo.jpg (2/3)` for the second of three sheets in one photo."""
    return source if count == 1 else f"{source} ({number}/{count})"


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
