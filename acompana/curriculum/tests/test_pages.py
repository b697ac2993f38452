"""The curriculum in the web app: browsing, printable session pages, and downloads."""

import io
import zipfile

import pytest
from django.urls import resolve, reverse
from docx import Document
from pptx import Presentation

from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
from tests.support import ROLE_PEOPLE, run_worker


@pytest.fixture
def tiny(settings, tmp_path):
    settings.CURRICULUM_DIR = write_curriculum(tmp_path / "curriculum")
    settings.MATERIALS_DIR = tmp_path / "materials"
    return settings.CURRICULUM_DIR


@pytest.fixture
def coordinator(login_as):
    return login_as(ROLE_PEOPLE["coordinator"])


def test_index_lists_tracks_and_sessions_in_spanish(tiny, coordinator, client):
    page = client.get(reverse("curriculum:index")).content.decode()
    assert "Sesión 1 de bienestar: ¿cómo respiramos?" in page
    assert reverse("curriculum:session", args=["bienestar-01"]) in page


def test_session_page_shows_the_session_in_english_when_chosen(tiny, coordinator, client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("curriculum:session", args=["bienestar-02"])).content.decode()
    assert "Session 2 of bienestar: how do we breathe?" in page
    assert "Objective one of bienestar-02" in page


@pytest.mark.parametrize("kind, check", [
    ("handout", lambda data: data.startswith(b"%PDF")),
    ("attendance", lambda data: data.startswith(b"%PDF")),
    ("slides", lambda data: len(Presentation(io.BytesIO(data)).slides) >= 2),
    ("guide-docx", lambda data: any(p.style.name == "Heading 1"
                                    for p in Document(io.BytesIO(data)).paragraphs)),
])
def test_each_material_downloads(kind, check, tiny, coordinator, client):
    response = client.get(reverse("curriculum:download", args=["bienestar-01", kind]))
    assert response.status_code == 200
    assert check(b"".join(response.streaming_content))


def test_the_pdf_guide_not_built_yet_is_rendered_by_the_worker_then_served_at_once(
        transactional_db, tiny, coordinator, client, django_capture_on_commit_callbacks,
        settings, tmp_path):
    """A track's PDF guide takes seconds to render: asked for before it is built, the page
    shows the worker's progress and then offers it; once built, it downloads at once."""
    settings.JOBS_DIR = tmp_path / "jobs"
    url = reverse("curriculum:download", args=["bienestar-01", "guide-pdf"])
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get(url)
    assert started.status_code == 302 and resolve(started.url).view_name == "jobs:job"
    assert not list(settings.MATERIALS_DIR.rglob("*.pdf"))  # nothing rendered in the request
    assert ("Guía de facilitación del módulo (PDF): Bienestar de las Acompañantes"
            in client.get(started.url).content.decode())  # the track's title, not its id
    run_worker()
    assert client.get(started.url + "?format=json").json()["status"] == "done"
    job = started.url.rstrip("/").split("/")[-1]
    response = client.get(reverse("jobs:download", args=[job]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    again = client.get(url)
    assert again.status_code == 200
    assert b"".join(again.streaming_content).startswith(b"%PDF")


def test_a_download_renders_its_own_file_not_the_whole_track(tiny, coordinator, client,
                                                              settings):
    """A handout asked for on a fresh install waits for the handout alone (a fraction of a
    second), not for the track's every guide, slide and sheet (half a minute with CES)."""
    response = client.get(reverse("curriculum:download", args=["bienestar-02", "handout"]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    built = {path.name for path in settings.MATERIALS_DIR.rglob("*.*")
             if path.suffix in {".pdf", ".pptx", ".docx"}}
    assert built == {"bienestar-02-hoja-participantes.pdf"}
    again = client.get(reverse("curriculum:download", args=["bienestar-02", "handout"]))
    assert b"".join(again.streaming_content).startswith(b"%PDF")  # now from the folder


def test_track_zip_holds_the_guide_and_each_sessions_files(
        transactional_db, tiny, coordinator, client, django_capture_on_commit_callbacks,
        settings, tmp_path):
    """The zip is built by the worker while the page shows its progress, then downloaded."""
    settings.JOBS_DIR = tmp_path / "jobs"
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get(reverse("curriculum:track_zip", args=["supervisores"]))
    job_page = started.url
    waiting = client.get(job_page)
    assert "Materiales del módulo (zip): Formación de supervisoras" in waiting.content.decode()
    assert b'http-equiv="refresh"' in waiting.content  # the page polls until it is done
    run_worker()
    done = client.get(job_page)
    assert b'http-equiv="refresh"' not in done.content
    assert client.get(job_page + "?format=json").json()["status"] == "done"
    response = client.get(reverse("jobs:download", args=[started.url.split("/")[-2]]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert "es/supervisores/supervisores-guia-facilitacion.pdf" in names
    assert "es/supervisores/supervisores-guia-facilitacion.docx" in names
    assert sorted(n for n in names if "/supervisores-01/" in n) == [
        "es/supervisores/supervisores-01/supervisores-01-asistencia-evaluacion.pdf",
        "es/supervisores/supervisores-01/supervisores-01-diapositivas.pptx",
        "es/supervisores/supervisores-01/supervisores-01-hoja-participantes.pdf",
        "es/supervisores/supervisores-01/supervisores-01-rotafolio-tamano-carta.pdf",
        "es/supervisores/supervisores-01/supervisores-01-rotafolio.pdf",
        "es/supervisores/supervisores-01/supervisores-01-tarjetas.pdf",
    ]


def test_unknown_session_or_material_is_404(tiny, coordinator, client):
    assert client.get(reverse("curriculum:session", args=["nada-99"])).status_code == 404
    assert client.get(reverse("curriculum:download",
                              args=["bienestar-01", "poster"])).status_code == 404


def test_acompanante_cannot_browse_the_facilitator_materials(tiny, login_as, client):
    login_as(ROLE_PEOPLE["acompanante"])
    assert client.get(reverse("curriculum:index")).status_code == 403
