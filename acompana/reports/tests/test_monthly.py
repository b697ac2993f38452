"""The monthly report, read back from its PDF and XLSX, against the hand-computed fixture."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from acompana import policy
from acompana.delivery.services import do_change_suggestion_status, do_receive_suggestion
from acompana.planning.models import PlannedSession
from acompana.planning.services import do_mark_session, do_store_plan
from acompana.programs.models import Group, Person
from tests.support import run_worker


@pytest.fixture
def july(delivered, ces):
    """The fixture of conftest.py, plus: sup-01's own training session held in July; two
    suggestions received in July (one still open, one adopted) and one open from August."""
    do_store_plan(by=policy.OPERATOR, program=ces, plan={"sessions": [{
        "id": "sup-01:supervisores-01", "track": "supervisors", "session": "supervisores-01",
        "supervisor": "sup-01", "facilitator": "coord-01", "community": "reforma",
        "date": "2023-07-20", "start": "10:00", "end": "13:00", "status": "planned"}]})
    coordinator = Person.objects.get(code="coord-01")
    do_mark_session(session=PlannedSession.objects.get(key="sup-01:supervisores-01"),
                    status="held", reason="", by=coordinator)
    g01 = Group.objects.get(code="g01")
    for text, received in (("Sesiones con más dinámicas", dt.date(2023, 7, 14)),
                           ("Traer agua", dt.date(2023, 7, 15)),
                           ("Cambiar el horario", dt.date(2023, 8, 9))):
        do_receive_suggestion(program=ces, text=text, received_on=received, by=coordinator,
                              group=g01)
    do_change_suggestion_status(suggestion=g01.suggestions.get(text="Traer agua"),
                                status="adopted", reason="", by=coordinator)
    return delivered


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _sheets(data: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def test_command_writes_a_pdf_and_an_xlsx_with_the_months_figures(july, tmp_path, capsys):
    call_command("report", "monthly", "--month", "2023-07", "--out", str(tmp_path / "out"))
    written = capsys.readouterr().out.split()
    assert [path.rsplit("/", 1)[1] for path in written] == ["informe-mensual-2023-07.pdf",
                                                           "informe-mensual-2023-07.xlsx"]
    pdf = PdfReader(tmp_path / "out" / "informe-mensual-2023-07.pdf")
    lines = "\n".join(page.extract_text() for page in pdf.pages).splitlines()
    assert lines[0] == "Informe mensual · Julio 2023"
    # The hand-computed figures: 2 group sessions in July, g01's held (3 of 4 present;
    # 2 activities of 3 done as written; faces 3, 3 and 1) and g02's cancelled.
    for line in ("Sesiones de grupo planeadas 2", "Sesiones de grupo realizadas 1",
                 "Sesiones de grupo no realizadas 1", "Marcas de asistencia 4",
                 "Marcadas presentes 3", "Asistencia (%) 75,0",
                 "Actividades hechas como están escritas (%) 66,7", "Actividades adaptadas 1",
                 "Opinión (1 a 3) 2,33", "Sesiones de supervisoras planeadas 1",
                 "Sesiones de supervisoras realizadas 1", "Sugerencias abiertas 1",
                 "Grupo Reforma 1 1 0 75,0 66,7 2,33", "Grupo Letrero 1 0 1 — — —",
                 "Total 2 1 1 75,0 66,7 2,33"):
        assert line in lines, line
    assert any("Sesiones con más dinámicas" in line for line in lines)
    assert not any("Traer agua" in line or "Cambiar el horario" in line for line in lines)
    charts = [page for page in pdf.pages if "/XObject" in page["/Resources"]]
    assert charts, "the trend charts are drawn"

    sheets = _sheets((tmp_path / "out" / "informe-mensual-2023-07.xlsx").read_bytes())
    assert list(sheets) == ["Resumen", "Grupos", "Meses", "Sugerencias abiertas"]
    summary = dict(sheets["Resumen"][1:])
    assert (summary["Sesiones de grupo planeadas"], summary["Asistencia (%)"],
            summary["Opinión (1 a 3)"], summary["Sesiones de supervisoras realizadas"]) == (
        2, 75.0, 2.33, 1)
    groups = {row[0]: row[1:] for row in sheets["Grupos"][1:]}
    assert groups["Grupo Reforma"] == (1, 1, 0, 75.0, 66.7, 2.33)
    assert groups["Grupo Letrero"] == (1, 0, 1, None, None, None)
    assert groups["Total"] == (2, 1, 1, 75.0, 66.7, 2.33)
    # July is the only month with sessions among the twelve: the three of July, two held.
    assert sheets["Meses"][1:] == [(dt.datetime(2023, 7, 1), 3, 2, 1, 75.0)]
    assert [row[2] for row in sheets["Sugerencias abiertas"][1:]] == [
        "Sesiones con más dinámicas"]


def test_command_in_english(july, tmp_path):
    call_command("report", "monthly", "--month", "2023-07", "--out", str(tmp_path),
                 "--lang", "en")
    text = PdfReader(tmp_path / "monthly-report-2023-07.pdf").pages[0].extract_text()
    assert "Monthly report · July 2023" in text and "Group sessions held 1" in text


def test_command_refuses_a_malformed_month(july):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="expected a month as YYYY-MM"):
        call_command("report", "monthly", "--month", "julio")


def _built_by_the_worker(client, url, query, on_commit) -> tuple[str, bytes]:
    """Ask for the report, let the background worker build it, download it from its page."""
    with on_commit(execute=True):
        job_page = client.get(url, query).url
    run_worker()
    download = client.get(job_page + "archivo/")
    return download["Content-Disposition"], b"".join(download.streaming_content)


def test_dashboard_downloads_the_report_of_the_supervisors_own_groups(
        transactional_db, july, login_as, client, django_capture_on_commit_callbacks, settings,
        tmp_path):
    settings.JOBS_DIR = tmp_path
    supervisor = login_as("sup-01")
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    assert reverse("reports:monthly", args=["pdf"]) in dashboard
    assert reverse("reports:monthly", args=["xlsx"]) in dashboard
    disposition, body = _built_by_the_worker(client, reverse("reports:monthly", args=["pdf"]),
                                             {"month": "2023-07"},
                                             django_capture_on_commit_callbacks)
    assert 'filename="informe-mensual-2023-07.pdf"' in disposition
    text = PdfReader(io.BytesIO(body)).pages[0].extract_text()
    assert f"grupos que supervisa {supervisor.name}" in text
    assert "Grupo Monterrey" in text and "Grupo Matasano" not in text  # g03 hers, g04 not
    login_as("sup-02")
    _disposition, body = _built_by_the_worker(client, reverse("reports:monthly", args=["xlsx"]),
                                              {"month": "2023-07"},
                                              django_capture_on_commit_callbacks)
    groups = [row[0] for row in _sheets(body)["Grupos"][1:]]
    assert "Grupo Reforma" not in groups and groups[-1] == "Total"


def test_monthly_report_is_for_coordinators_and_supervisors_only(july, login_as, client):
    login_as("coord-01")
    assert client.get(reverse("reports:monthly", args=["pdf"]),
                      {"month": "2023-7x"}).status_code == 400
    for role in ("fac-01", "ac-g01-02"):
        login_as(role)
        assert client.get(reverse("reports:monthly", args=["xlsx"]),
                          {"month": "2023-07"}).status_code == 403


def test_the_pdf_of_many_groups_lists_those_with_the_lowest_attendance(july, monkeypatch):
    """Past PDF_GROUPS, the PDF keeps the groups that most need a look; the XLSX keeps all."""
    from acompana.reports import monthly
    from acompana.reports.selectors import monthly_report

    monkeypatch.setattr(monthly, "PDF_GROUPS", 1)
    report = monthly_report(actor=july, month=dt.date(2023, 7, 1))
    (_header, rows), left = monthly.pdf_groups(report)
    assert [row[0] for row in rows] == ["Grupo Letrero", "Total"] and left == 2
    text = _pdf_text(monthly.monthly_pdf(report))
    assert "Los 1 grupos con la asistencia más baja de 3" in text.replace("\n", " ")
    assert "Grupo Reforma 1 1 0" not in text
    assert len(_sheets(monthly.monthly_xlsx(report))["Grupos"]) == 1 + 3 + 1
