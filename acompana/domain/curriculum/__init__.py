"""The curriculum: loaded and checked from its source folder, built into printable materials.

Pure domain code (no Django). The source format is described in curriculum/FORMAT.md.
The build lives in `acompana.domain.curriculum.build` and is not imported here: it loads
WeasyPrint, python-docx and python-pptx, which take about a second to import.
"""

from acompana.domain.curriculum.html_render import render_session_html, render_track_html
from acompana.domain.curriculum.loading import check_curriculum, load_curriculum
from acompana.domain.curriculum.model import (
    Activity,
    Curriculum,
    Material,
    Overview,
    OverviewSection,
    Session,
    Slide,
    Text,
    Track,
)
from acompana.domain.curriculum.problems import CurriculumError, Problem

__all__ = [
    "Activity",
    "Curriculum",
    "CurriculumError",
    "Material",
    "Overview",
    "OverviewSection",
    "Problem",
    "Session",
    "Slide",
    "Text",
    "Track",
    "check_curriculum",
    "load_curriculum",
    "render_session_html",
    "render_track_html",
]
