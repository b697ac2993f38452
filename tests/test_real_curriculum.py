"""The program's own curriculum: complete, valid in strict mode, and covering what CES asked."""

from pathlib import Path

import pptx
import pymupdf
import pytest
from pptx.enum.shapes import MSO_SHAPE_TYPE

from acompana.domain.curriculum import check_curriculum, load_curriculum
from acompana.domain.curriculum.build import build

CURRICULUM = Path(__file__).resolve().parents[1] / "curriculum"

# Topics the program asked for, as tags the session files carry.
WELLBEING_TOPICS = {
    "apertura", "acuerdos", "linea-base", "mindfulness", "respiracion", "relajacion",
    "relajacion-muscular", "recorrido-corporal", "emociones", "duelo", "fatiga-por-compasion",
    "gratitud", "proposito", "creatividad", "autocuidado", "limites", "equipo", "apoyo-mutuo",
    "comunicacion", "escucha-activa", "asertividad", "conflictos", "pedir-ayuda",
    "ruta-salud-mental", "cierre", "celebracion", "linea-final",
}
SUPERVISOR_TOPICS = {
    "otros-programas", "brasil", "etiopia", "liberia", "nepal", "india", "ruanda", "promotoras",
    "comparacion", "educacion-popular", "freire", "ver-juzgar-actuar", "diseno-de-sesion",
    "office", "word", "excel", "powerpoint", "liderazgo", "construccion-de-equipo",
    "dinamicas-de-grupo", "asertividad", "retroalimentacion", "juego-de-roles",
    "supervision-de-apoyo", "observacion", "reuniones", "facilitacion-bienestar", "autocuidado",
    "evaluacion",
}


@pytest.fixture(scope="module")
def curriculum():
    return load_curriculum(CURRICULUM, strict=True)


def test_the_curriculum_passes_the_strict_check():
    assert [str(problem) for problem in check_curriculum(CURRICULUM, strict=True)] == []


def test_both_tracks_have_twelve_sessions_of_the_asked_length(curriculum):
    wellbeing = curriculum.sessions_of("bienestar")
    supervisors = curriculum.sessions_of("supervisores")
    assert len(wellbeing) == len(supervisors) == 12
    assert all(110 <= s.duration_minutes <= 130 for s in wellbeing)
    assert all(165 <= s.duration_minutes <= 195 for s in supervisors)


@pytest.mark.parametrize("track, topics", [("bienestar", WELLBEING_TOPICS),
                                           ("supervisores", SUPERVISOR_TOPICS)])
def test_every_asked_topic_is_taught(curriculum, track, topics):
    tags = {tag for session in curriculum.sessions_of(track) for tag in session.tags}
    assert topics - tags == set()


def test_every_wellbeing_session_has_the_required_shape(curriculum):
    """A welcome dinámica, short input, practice, reflection, closing; 3 questions; take-home."""
    for session in curriculum.sessions_of("bienestar"):
        kinds = [activity.kind for activity in session.activities]
        assert {"dinamica", "input", "practice", "reflection", "closing"} <= set(kinds), session.id
        assert len(session.evaluation_questions) == 3, session.id
        assert session.take_home.es and session.take_home.en, session.id
        assert session.references, session.id


def test_each_wellbeing_session_is_prepared_by_a_supervisors_session(curriculum):
    """Train-the-trainer: the prerequisites say which supervisors' session prepares it."""
    for session in curriculum.sessions_of("bienestar"):
        preparing = [p for p in session.prerequisites if p.startswith("supervisores-")]
        assert preparing, session.id
        for prerequisite in preparing:
            assert "facilitacion-bienestar" in curriculum.sessions[prerequisite].tags


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_whole_curriculum_builds(lang, tmp_path):
    report = build(CURRICULUM, tmp_path / "out", langs=[lang])
    kinds = {entry.kind for entry in report.files}
    assert {"facilitator-guide", "participant-handout", "slides", "attendance-sheet",
            "overview", "practice"} <= kinds
    assert sum(entry.kind == "participant-handout" for entry in report.files) == 24
    # Every handout and slide deck of both tracks carries pictures (counted as a reader would).
    for entry in report.files:
        path = tmp_path / "out" / entry.path
        if entry.kind == "participant-handout":
            with pymupdf.open(path) as document:
                assert sum(len(page.get_images()) for page in document) >= 1, entry.path
        elif entry.kind == "slides":
            deck = pptx.Presentation(path)
            assert all(any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in slide.shapes)
                       for slide in deck.slides), entry.path
