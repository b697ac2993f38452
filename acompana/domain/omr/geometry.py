"""Where things sit on every printed page, in millimetres from the page's top-left corner.

The printer and the reader share these numbers: the four ArUco corner markers, the QR code and
the content area are in the same place on every Acompaña form of a paper size, so a photo can be
straightened and its QR code read before the reader knows which form it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

PAPER_SIZES_MM: dict[str, tuple[float, float]] = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}

# ArUco 4x4 markers: the smallest dictionary has the fewest look-alikes in handwriting.
ARUCO_DICTIONARY = cv2.aruco.DICT_4X4_50
MARKER_MM = 12.0
MARKER_MARGIN_MM = 8.0  # outside most printers' unprintable border
# Marker ids per paper, clockwise from top-left: the ids alone tell paper size and which way is up.
MARKER_IDS: dict[str, tuple[int, int, int, int]] = {"a4": (0, 1, 2, 3), "letter": (4, 5, 6, 7)}

QR_MM = 30.0
CONTENT_TOP_MM = 44.0
CONTENT_SIDE_MM = 12.0
CONTENT_BOTTOM_GAP_MM = 24.0  # keeps rows clear of the bottom markers and the footer

BUBBLE_MM = 6.0  # diameter; at 150 dpi a bubble is 35 pixels across
PX_PER_MM = 6.0  # resolution of the straightened page the reader measures on

MM_PER_PT = 25.4 / 72.0


@dataclass(frozen=True)
class Box:
    """A rectangle in millimetres: left, top, width, height."""

    x: float
    y: float
    w: float
    h: float

    def to_px(self, scale: float = PX_PER_MM) -> tuple[int, int, int, int]:
        return (round(self.x * scale), round(self.y * scale),
                round(self.w * scale), round(self.h * scale))


def page_size(paper: str) -> tuple[float, float]:
    if paper not in PAPER_SIZES_MM:
        raise ValueError(f"Paper must be one of {', '.join(PAPER_SIZES_MM)}, not {paper!r}.")
    return PAPER_SIZES_MM[paper]


def marker_boxes(paper: str) -> dict[int, Box]:
    """Each corner marker's id and square, clockwise from the top-left corner."""
    width, height = page_size(paper)
    near, far_x, far_y = MARKER_MARGIN_MM, width - MARKER_MARGIN_MM - MARKER_MM, (
        height - MARKER_MARGIN_MM - MARKER_MM)
    corners = [(near, near), (far_x, near), (far_x, far_y), (near, far_y)]
    return {marker_id: Box(x, y, MARKER_MM, MARKER_MM)
            for marker_id, (x, y) in zip(MARKER_IDS[paper], corners, strict=True)}


def marker_corner_points(box: Box) -> np.ndarray:
    """A marker's corners in ArUco's order (clockwise from its own top-left), in mm."""
    return np.array([(box.x, box.y), (box.x + box.w, box.y), (box.x + box.w, box.y + box.h),
                     (box.x, box.y + box.h)], dtype=np.float32)


def paper_of_marker(marker_id: int) -> str | None:
    return next((paper for paper, ids in MARKER_IDS.items() if marker_id in ids), None)


def qr_box(paper: str) -> Box:
    """The QR code sits at the top right, left of the top-right marker."""
    width, _ = page_size(paper)
    right = width - MARKER_MARGIN_MM - MARKER_MM - 4.0
    return Box(right - QR_MM, MARKER_MARGIN_MM, QR_MM, QR_MM)


def content_box(paper: str) -> Box:
    width, height = page_size(paper)
    return Box(CONTENT_SIDE_MM, CONTENT_TOP_MM, width - 2 * CONTENT_SIDE_MM,
               height - CONTENT_TOP_MM - CONTENT_BOTTOM_GAP_MM)


def aruco_dictionary():
    return cv2.aruco.getPredefinedDictionary(ARUCO_DICTIONARY)


def marker_bits(marker_id: int) -> np.ndarray:
    """The marker's 6x6 cells (border included), True where printed black."""
    image = cv2.aruco.generateImageMarker(aruco_dictionary(), marker_id, 6)
    return image < 128
