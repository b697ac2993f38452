"""A tiny PDF declaring huge pages, many of them, costs bounded memory and says what is wrong.

Issue 15: a 1 KB PDF of 5000 x 5000 pt pages was drawn at 200 dpi (193 million pixels a page),
every page at once. The reader is run in a child process whose address space is capped at what
it had after importing plus 300 MB, so the old behaviour fails there instead of on the machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pymupdf

CHILD = r"""
import json, resource, sys
import cv2, numpy, pymupdf
from acompana.domain.omr import read

def vm_bytes():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024

limit = vm_bytes() + 300 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
outcome = []
for source, page in read.load_pages([sys.argv[1]]):
    outcome.append([source, getattr(page, "reason", None), getattr(page, "shape", None)])
rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"pages": outcome, "rss_growth_kb": rss_after - rss_before}))
"""


def _hostile_pdf(path: Path, pages: int, side_pt: float) -> None:
    document = pymupdf.open()
    for _ in range(pages):
        page = document.new_page(width=side_pt, height=side_pt)
        page.draw_rect(pymupdf.Rect(10, 10, side_pt - 10, side_pt - 10), color=(0, 0, 0),
                       fill=(0.5, 0.5, 0.5))
    document.save(path, garbage=4, deflate=True)


def _read_in_capped_child(pdf: Path) -> dict:
    root = Path(__file__).resolve().parents[3]
    finished = subprocess.run([sys.executable, "-c", CHILD, str(pdf)], capture_output=True,
                              text=True, timeout=300, cwd=root,
                              env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin",
                                   "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"})
    assert finished.returncode == 0, finished.stderr[-2000:]
    return json.loads(finished.stdout)


def test_tiny_pdf_of_huge_pages_is_refused_page_by_page_within_300_mb(tmp_path):
    pdf = tmp_path / "hostile.pdf"
    _hostile_pdf(pdf, pages=40, side_pt=5000)
    assert pdf.stat().st_size < 20_000
    result = _read_in_capped_child(pdf)
    assert len(result["pages"]) == 40
    for _source, reason, shape in result["pages"]:
        assert shape is None
        assert "176 × 176 cm" in reason and "A4 or Letter" in reason, reason
    assert result["rss_growth_kb"] < 300 * 1024


def test_photo_saved_as_pdf_with_large_pages_is_drawn_at_a_lower_resolution(tmp_path):
    """A phone photo saved as PDF often has a page the photo's pixel size in points."""
    pdf = tmp_path / "photo.pdf"
    _hostile_pdf(pdf, pages=3, side_pt=3024)
    result = _read_in_capped_child(pdf)
    for _source, reason, shape in result["pages"]:
        assert reason is None
        assert shape[0] * shape[1] <= 25_000_000
    assert result["rss_growth_kb"] < 300 * 1024
