"""Hostile text typed into the program is shown as text everywhere: pages, exports, materials;
hostile uploads are refused before any parser opens them, with nothing stored."""

import csv
import io
import zipfile

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from acompana import policy
from acompana.delivery.models import SessionLog, Suggestion
from acompana.delivery.services import do_import_attendance
from acompana.domain.curriculum.html_render import handout_document, render_session_html
from acompana.domain.curriculum.loading import load_curriculum
from acompana.domain.curriculum.pdf import html_to_pdf
from acompana.domain.curriculum.slides import session_pptx
from acompana.domain.curriculum.tests.tiny_curriculum import write_curriculum
from acompana.domain.curriculum.word import guide_docx
from acompana.domain.tabular import FORMULA_STARTS
from acompana.planning.services import do_store_plan
from acompana.programs.models import Group, Person

SCRIPT = '<script>alert("xss")</script>'
FORMULA = "=cmd|' /C calc'!A0"
PAYLOAD = f"{SCRIPT} {FORMULA}"
KEY = "g01:bienestar-01"


@pytest.fixture
def planted(ces, settings, tmp_path, login_as, client):
    """The payload in names, notes, suggestions and a failed login's user name."""
    settings.CURRICULUM_DIR = write_curriculum(tmp_path / "curriculum")
    coordinator = login_as("coord-01")
    do_store_plan(by=policy.OPERATOR, program=ces, plan={"sessions": [{
        "id": KEY, "track": "wellbeing", "session": "bienestar-01", "group": "g01",
        "supervisor": "sup-01", "facilitator": "fac-01", "community": "reforma",
        "date": "2023-07-11", "start": "10:00", "end": "12:00"}]})
    do_import_attendance(program=ces, entered_by=coordinator, file_name="a.csv",
                         data=b"date,group,session,person,status\n"
                              b"2023-07-11,g01,bienestar-01,ac-g01-02,presente\n")
    SessionLog.objects.update(notes=FORMULA + "\n" + SCRIPT, cancel_reason=FORMULA)
    Person.objects.filter(code="ac-g01-02").update(name=FORMULA + SCRIPT)
    Group.objects.filter(code="g01").update(name=SCRIPT + FORMULA)
    Suggestion.objects.create(program=ces, group=Group.objects.get(code="g01"), text=PAYLOAD,
                              reason=FORMULA, received_on="2023-08-08")
    client.logout()
    client.post(reverse("accounts:login"), {"username": PAYLOAD, "password": "x"})
    login_as("coord-01")
    return ces


PERIOD = {"start": "2023-07-01", "end": "2024-06-30"}


def _pages():
    suggestion = Suggestion.objects.get()
    return {
        "home": (reverse("home"), {}),
        "groups": (reverse("programs:group_list"), {}),
        "group": (reverse("programs:group_detail", args=["g01"]), {}),
        "person": (reverse("programs:person_detail", args=["ac-g01-02"]), {}),
        "calendar": (reverse("planning:calendar"), {"month": "2023-07"}),
        "grid": (reverse("planning:grid"), {}),
        "planned session": (reverse("planning:session", args=[KEY]), {}),
        "sheet": (reverse("delivery:entry", args=[KEY]), {}),
        "suggestions": (reverse("delivery:suggestions"), {}),
        "suggestion": (reverse("delivery:suggestion", args=[suggestion.pk]), {}),
        "dashboard": (reverse("reports:dashboard"), PERIOD),
        "group report": (reverse("reports:group", args=["g01"]), PERIOD),
        "audit trail": (reverse("audit:trail"), {}),
        "admin people": (reverse("admin:programs_person_changelist"), {}),
    }


def test_pages_show_hostile_text_escaped(planted, client):
    shown = set()
    for name, (url, query) in _pages().items():
        response = client.get(url, query)
        body = response.content.decode()
        assert response.status_code == 200, name
        assert SCRIPT not in body, f"{name} lets a <script> through"
        if "&lt;script&gt;alert(" in body:
            shown.add(name)
    # The payload is on these pages, escaped (so the check above was not vacuous).
    assert {"group", "person", "sheet", "suggestions", "suggestion", "group report",
            "audit trail", "admin people"} <= shown


def _cells_of_exports(client):
    urls = [reverse("reports:export", args=[table, fmt]) for table in
            ("sesiones", "asistencia", "sugerencias", "plan") for fmt in ("csv", "xlsx")]
    urls += [reverse("audit:export", args=[fmt]) for fmt in ("csv", "xlsx")]
    for url in urls:
        response = client.get(url, PERIOD)
        assert response.status_code == 200, url
        if url.endswith("csv"):
            text = response.content.decode("utf-8-sig")
            yield from ((url, cell, None) for row in csv.reader(io.StringIO(text))
                        for cell in row)
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            yield from ((url, cell.value, cell.data_type) for row in sheet.iter_rows()
                        for cell in row)


def test_exports_never_start_a_cell_with_a_formula(planted, client):
    neutralised = 0
    for url, value, data_type in _cells_of_exports(client):
        assert data_type != "f", f"{url}: a formula cell"
        if isinstance(value, str):
            assert not value.startswith(FORMULA_STARTS), f"{url}: {value!r}"
            neutralised += value.startswith("'=cmd")
    assert neutralised >= 8  # notes, reasons, names and the failed user name, in both formats


def test_materials_show_hostile_text_as_text(tmp_path):
    root = write_curriculum(tmp_path / "curriculum")
    source = root / "bienestar" / "bienestar-01.yaml"
    session = yaml.safe_load(source.read_text())
    session["title"]["es"] = PAYLOAD
    session["activities"][0]["name"]["es"] = PAYLOAD
    session["slides"][0]["bullets"][0]["es"] = PAYLOAD
    source.write_text(yaml.safe_dump(session, allow_unicode=True), encoding="utf-8")
    curriculum = load_curriculum(root)
    hostile, track = curriculum.sessions["bienestar-01"], curriculum.track("bienestar")

    html = render_session_html(hostile, "es")
    assert SCRIPT not in html and "&lt;script&gt;alert(" in html

    pdf = html_to_pdf(handout_document(hostile, track, "es")).data
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "<script>alert" in text.replace("\n", "")  # printed as the characters typed

    docx = guide_docx(track, curriculum.sessions_of("bienestar"), "es")
    paragraphs = [p.text for p in Document(io.BytesIO(docx)).paragraphs]
    assert any(SCRIPT in p for p in paragraphs)
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        assert "&lt;script&gt;" in package.read("word/document.xml").decode()

    pptx = Presentation(io.BytesIO(session_pptx(hostile, track, "es")))
    texts = [shape.text_frame.text for slide in pptx.slides for shape in slide.shapes
             if shape.has_text_frame]
    assert any(SCRIPT in text for text in texts)


# --- Uploads -------------------------------------------------------------------------------

def _upload(client, name: str, data: bytes):
    return client.post(reverse("delivery:import"), {
        "file": SimpleUploadedFile(name, data), "source": "", "mapping": ""})


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("asistencia.csv", b"date,group\n" * 200, "se aceptan archivos de hasta"),
    ("asistencia.xlsx", b"\x00\x01binario" * 10, "contiene datos binarios"),
    ("asistencia.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "Excel antiguo (.xls)"),
])
def test_import_page_refuses_hostile_uploads_in_a_sentence(planted, client, settings, name,
                                                          data, expected):
    settings.MAX_UPLOAD_BYTES = 1024
    before = SessionLog.objects.count(), Suggestion.objects.count()
    response = _upload(client, name, data)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert (SessionLog.objects.count(), Suggestion.objects.count()) == before


def test_import_page_refuses_a_zip_bomb(planted, client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("[Content_Types].xml", "application/vnd.openxmlformats-officedocument."
                                             "spreadsheetml.sheet.main+xml")
        bomb.writestr("xl/worksheets/sheet1.xml", b"\x00" * (8 * 1024 * 1024))
    response = _upload(client, "asistencia.xlsx", buffer.getvalue())
    assert response.status_code == 400
    assert "se rechaza por inseguro" in response.content.decode()


def test_work_plan_workbook_never_starts_a_cell_with_a_formula(tmp_path):
    """Names in the work plan's workbook are neutralised as in the other exports (issue 15)."""
    from dataclasses import replace

    from acompana.domain.scheduler.outputs.workbook import write_workbook
    from acompana.domain.scheduler.solve import plan_program
    from acompana.domain.scheduler.tests.programs import ces_program, curriculum_sessions

    outcome = plan_program(ces_program(), curriculum_sessions(), time_limit=30)
    problem = replace(
        outcome.problem,
        people=tuple(replace(p, name=FORMULA) for p in outcome.problem.people),
        groups=tuple(replace(g, name="+" + FORMULA) for g in outcome.problem.groups),
        communities=tuple(replace(c, name="@" + FORMULA) for c in outcome.problem.communities))
    book = load_workbook(write_workbook(problem, outcome.plan, tmp_path / "workplan.xlsx"))
    cells = [(sheet.title, cell) for sheet in book.worksheets for row in sheet.iter_rows()
             for cell in row]
    assert not [title for title, cell in cells if cell.data_type == "f"]
    assert not [(title, cell.value) for title, cell in cells
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)]
    assert sum(str(cell.value).startswith("'") for _title, cell in cells) >= 100
