"""Every output reads back: plan.json, the workbook's sheets and grid, the calendars, the chart
and the PDF."""

import json

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from pypdf import PdfReader

from acompana.domain.scheduler.outputs import (
    PlanFileError,
    plan_from_json,
    plan_to_json,
    write_outputs,
)
from acompana.domain.scheduler.outputs.chart import write_chart

SESSION_KEYS = {"id", "track", "session", "group", "supervisor", "facilitator", "community",
                "date", "start", "end", "status", "cohort"}


@pytest.fixture(scope="module")
def written(ces, tmp_path_factory):
    folder = tmp_path_factory.mktemp("plan")
    return folder, write_outputs(ces.problem, ces.plan, folder)


def test_plan_json_has_the_agreed_shape_and_reads_back(ces, written):
    folder, _ = written
    document = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    assert document["program"] == "ces"
    assert document["period"] == {"start": "2023-07-01", "end": "2024-06-30"}
    assert len(document["sessions"]) == 9 * 12 + 3 * 12
    assert all(set(s) == SESSION_KEYS for s in document["sessions"])
    first = document["sessions"][0]
    assert first == {"id": "sup-01:supervisores-01", "track": "supervisors",
                     "session": "supervisores-01", "group": None, "supervisor": "sup-01",
                     "facilitator": "coord-01", "community": "jaltenango", "date": "2023-07-03",
                     "start": "09:00", "end": "12:00", "status": "planned", "cohort": "c01"}
    assert document["waves"]["g01"] == {"baseline": "2023-07-11", "midline": "2023-12-12",
                                        "endline": "2024-06-11"}
    assert document["solver"]["status"] == "OPTIMAL"
    back = plan_from_json(document)
    assert back.sessions == ces.plan.sessions and back.waves == ces.plan.waves
    assert plan_to_json(back) == document


def test_a_plan_exported_by_the_web_app_reads_back(ces):
    document = plan_to_json(ces.plan)
    for entry in document["sessions"]:
        del entry["cohort"]
    for key in ("waves", "as_of", "moves", "solver"):
        del document[key]
    assert len(plan_from_json(document).sessions) == len(ces.plan.sessions)


def test_plan_json_errors_name_the_session_and_field(ces):
    document = plan_to_json(ces.plan)
    document["sessions"][3]["date"] = "2023-13-01"
    document["sessions"][5]["status"] = "done"
    del document["sessions"][7]["facilitator"]
    with pytest.raises(PlanFileError) as error:
        plan_from_json(document)
    assert error.value.problems == [
        "plan.json, sessions[3] (g01:bienestar-01), field 'date': expected a date YYYY-MM-DD, "
        "got '2023-13-01'.",
        "plan.json, sessions[5] (g02:bienestar-01), field 'status': expected one of planned, "
        "held, missed, got 'done'.",
        "plan.json, sessions[7] (g03:bienestar-01): missing field(s) facilitator."]


def test_workbook_has_an_overview_grid_and_a_sheet_per_group_and_supervisor(written):
    folder, _ = written
    book = load_workbook(folder / "workplan.xlsx")
    assert book.sheetnames == ["Resumen", *(f"g{n:02d}" for n in range(1, 10)),
                               "sup-01", "sup-02", "sup-03"]
    overview = book["Resumen"]
    assert [c.value for c in overview[1]][:5] == ["Grupo", "Nombre", "Supervisora",
                                                  "jul 2023", "ago 2023"]
    assert [c.value for c in overview[2]][:4] == ["g01", "Grupo Reforma",
                                                  "Angélica Cruz Villatoro", "01 · 11"]
    assert overview.cell(11, 1).value == "c01"  # the supervisors' cohort after the groups
    assert overview.freeze_panes == "D2"
    group = book["g01"]
    assert group.max_row == 13 and group.print_title_rows == "$1:$1"
    assert group.page_setup.orientation == "landscape" and group.page_setup.fitToWidth == 1
    assert book["sup-01"].max_row == 1 + 12 + 3 * 12  # her cohort sessions and her 3 groups'


def test_every_sheet_prints_on_letter_one_page_wide_with_rows_tall_enough(ces, written):
    """CES is in Mexico, which prints on letter; a session title or a month with two sessions
    wraps to more lines, and its row is as tall as they are."""
    from acompana.domain.printed_sheet import wrapped_lines

    folder, _ = written
    assert ces.problem.paper == "letter"
    book = load_workbook(folder / "workplan.xlsx")
    tall = 0
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (1, 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        for row in sheet.iter_rows(min_row=2):
            lines = max(wrapped_lines(str(cell.value),
                                      sheet.column_dimensions[cell.column_letter].width)
                        for cell in row if isinstance(cell.value, str))
            if lines > 1:
                tall += 1
                assert sheet.row_dimensions[row[0].row].height >= 15 * lines
    assert tall > 0


def test_calendars_hold_each_persons_events_in_mexico_city_time(written):
    folder, files = written
    names = sorted(p.name for p in files if p.suffix == ".ics")
    assert "grupo-reforma.ics" in names and "facilitator-fac-01.ics" not in names  # names
    assert len(names) == 4 + 9 + 3

    def events(name):
        calendar = Calendar.from_ical((folder / "ics" / name).read_bytes())
        assert "g01" not in str(calendar["X-WR-CALNAME"])
        return calendar.walk("VEVENT")

    assert len(events("grupo-reforma.ics")) == 12
    assert len(events("supervisora-angelica-cruz-villatoro.ics")) == 12 + 36
    assert len(events("cofacilitadora-dolores-zunun-aguilar.ics")) == 12  # one per cohort
    first = events("grupo-reforma.ics")[0]
    assert first["DTSTART"].params["TZID"] == "America/Mexico_City"
    assert str(first["UID"]) == "g01:bienestar-01@ces.acompana"


def test_chart_is_the_same_file_every_time(ces, written, tmp_path):
    folder, _ = written
    again = write_chart(ces.problem, ces.plan, tmp_path)
    for path in again:
        assert path.read_bytes() == (folder / path.name).read_bytes()


def test_pdf_holds_the_chart_and_every_group(written):
    folder, _ = written
    text = "\n".join(page.extract_text() for page in PdfReader(folder / "workplan.pdf").pages)
    assert "Plan de trabajo: Compañeros En Salud" in text
    assert "g09 · Grupo Plan Alta" in text and "Formación de supervisoras" in text
