"""normalise_zip: an Office file's bytes no longer depend on when it was written."""

import io
import zipfile

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches

from acompana.domain.reproducible import FIXED_DATE, normalise_zip


def _deck_with_chart() -> bytes:
    """A real deck whose chart workbook XlsxWriter stamps with the current time."""
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    data = CategoryChartData()
    data.categories = ["Reforma", "Letrero"]
    data.add_series("Visitas", (27, 15))
    slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(1), Inches(6),
                           Inches(4), data)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _assert_fixed(data: bytes) -> int:
    """Every entry dated FIXED_DATE, down into embedded files; returns how many were nested."""
    nested = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            assert info.date_time == (2023, 7, 1, 0, 0, 0), info.filename
            if info.filename == "docProps/core.xml":
                core = archive.read(info).decode()
                assert f">{FIXED_DATE}</dcterms:created>" in core
                assert f">{FIXED_DATE}</dcterms:modified>" in core
            elif info.filename.endswith(".xlsx"):
                nested += 1 + _assert_fixed(archive.read(info))
    return nested


def test_dates_are_fixed_in_the_file_and_in_its_embedded_workbook():
    assert _assert_fixed(normalise_zip(_deck_with_chart())) == 1


def test_normalising_twice_changes_nothing():
    once = normalise_zip(_deck_with_chart())
    assert normalise_zip(once) == once
