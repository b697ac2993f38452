"""The practice files open in the real libraries and hold what the Office sessions refer to."""

import io
import itertools
import zipfile
from collections import Counter
from pathlib import Path

import docx
import openpyxl
import pptx
import pytest

from acompana.domain.office_practice import (
    excel_practice,
    powerpoint_practice,
    practice_files,
    word_practice,
    write_practice_files,
)
from acompana.domain.office_practice.program_data import MONTH_NAMES
from acompana.domain.reproducible import FIXED_DATE

LANGS = ("es", "en")
NAMES = [
    "practica-word-informe.docx", "practica-word-informe-resuelto.docx",
    "practica-excel-asistencia.xlsx", "practica-excel-asistencia-resuelto.xlsx",
    "practica-powerpoint-resultados.pptx", "practica-powerpoint-resultados-resuelto.pptx",
]
COMMUNITIES = {"Reforma", "Letrero", "Monterrey", "Laguna del Cofre", "Salvador Urbina",
               "Honduras", "Capitán Luis Ángel Vidal", "Matasano"}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Each language's files, written once for the whole module."""
    root = tmp_path_factory.mktemp("practice")
    return {lang: {path.name: path for path in write_practice_files(root / lang, lang)}
            for lang in LANGS}


def _workbook(written, lang: str, name: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(written[lang][name])


def _rows(sheet) -> list[tuple]:
    """The data under the header (the solved Visitas has totals beside it, after a gap)."""
    header = [cell.value for cell in sheet[1]]
    width = header.index(None) if None in header else len(header)
    return list(sheet.iter_rows(min_row=2, max_col=width, values_only=True))


@pytest.mark.parametrize("lang", LANGS)
def test_six_files_with_the_same_names_in_every_language(written, lang):
    assert list(written[lang]) == NAMES
    assert all(path.stat().st_size > 0 for path in written[lang].values())


@pytest.mark.parametrize("lang", LANGS)
def test_the_register_holds_3_groups_x_10_acompanantes_x_6_months(written, lang):
    workbook = _workbook(written, lang, "practica-excel-asistencia.xlsx")
    assert workbook.sheetnames == ["Instrucciones", "Asistencia", "Visitas"]
    attendance = workbook["Asistencia"]
    assert [cell.value for cell in attendance[1]] == ["Grupo", "Acompañante", "Mes",
                                                      "Asistió (1/0)"]
    rows = _rows(attendance)
    assert len(rows) == 180
    assert len({(group, name, month) for group, name, month, _ in rows}) == 180
    assert Counter(group for group, *_ in rows) == {
        "Grupo Reforma": 60, "Grupo Monterrey": 60, "Grupo Salvador Urbina": 60}
    assert len({name for _, name, _, _ in rows}) == 30
    assert {month for _, _, month, _ in rows} == set(MONTH_NAMES[lang].values())
    assert {attended for *_, attended in rows} == {0, 1}


@pytest.mark.parametrize("lang", LANGS)
def test_visits_by_community_for_6_months(written, lang):
    visits = _workbook(written, lang, "practica-excel-asistencia.xlsx")["Visitas"]
    assert [cell.value for cell in visits[1]] == ["Comunidad", "Mes", "Visitas"]
    rows = _rows(visits)
    assert len(rows) == 8 * 6
    assert Counter(community for community, _, _ in rows) == dict.fromkeys(COMMUNITIES, 6)
    assert {month for _, month, _ in rows} == set(MONTH_NAMES[lang].values())
    assert all(isinstance(count, int) and count > 0 for *_, count in rows)


@pytest.mark.parametrize("lang", LANGS)
def test_the_solved_workbook_has_formulas_filters_summary_and_chart(written, lang):
    workbook = _workbook(written, lang, "practica-excel-asistencia-resuelto.xlsx")
    assert workbook.sheetnames == ["Instrucciones", "Asistencia", "Visitas", "Tasas", "Resumen"]
    assert workbook["Asistencia"].auto_filter.ref == "A1:D181"
    assert workbook["Visitas"].auto_filter.ref == "A1:C49"
    assert workbook["Visitas"]["E2"].value == "=SUM(C2:C49)"
    assert workbook["Visitas"]["F2"].value == "=AVERAGE(C2:C49)"
    rates = workbook["Tasas"]
    assert rates["C2"].value.startswith("=COUNTIFS(Asistencia!")
    assert rates["D2"].value.startswith("=COUNTIFS(Asistencia!")
    assert rates["D2"].value.endswith(",Asistencia!$D:$D,1)")  # the guide's formula
    assert rates["E2"].value == "=D2/C2"
    assert rates["N2"].value == "=AVERAGE(H2:M2)"
    (chart,) = workbook["Resumen"]._charts
    assert chart.tagname == "barChart" and len(chart.series) == 6


@pytest.mark.parametrize("lang", LANGS)
def test_the_solved_summary_is_a_real_pivot_table_of_the_visits(written, lang):
    """Comunidad in rows, Mes in columns, Sum of Visitas: its cache holds the Visitas rows and
    the cells show what the pivot table adds up, grand totals included."""
    path = written[lang]["practica-excel-asistencia-resuelto.xlsx"]
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        workbook_xml = archive.read("xl/workbook.xml").decode()
        types = archive.read("[Content_Types].xml").decode()
    assert {"xl/pivotTables/pivotTable1.xml", "xl/pivotCache/pivotCacheDefinition1.xml",
            "xl/pivotCache/pivotCacheRecords1.xml"} <= names
    assert 'cacheId="1"' in workbook_xml.split("<pivotCaches>")[1]
    assert "pivotTable+xml" in types and "pivotCacheDefinition+xml" in types
    workbook = _workbook(written, lang, "practica-excel-asistencia-resuelto.xlsx")
    visits = _rows(workbook["Visitas"])
    summary = workbook["Resumen"]
    (pivot,) = summary._pivots
    source = pivot.cache.cacheSource.worksheetSource
    assert (source.sheet, source.ref) == ("Visitas", "A1:C49")
    assert [f.x for f in pivot.rowFields] == [0] and [f.x for f in pivot.colFields] == [1]
    assert [(f.fld, f.subtotal) for f in pivot.dataFields] == [(2, "sum")]
    assert pivot.location.ref == "A3:H13"
    fields = pivot.cache.cacheFields
    assert [field.name for field in fields] == ["Comunidad", "Mes", "Visitas"]
    shared = [[item.v for item in field.sharedItems._fields] for field in fields[:2]]
    assert len(pivot.cache.records.r) == pivot.cache.recordCount == len(visits)
    cached = [(shared[0][r._fields[0].v], shared[1][r._fields[1].v], int(r._fields[2].v))
              for r in pivot.cache.records.r]
    assert cached == visits
    months = [cell.value for cell in summary["B4:G4"][0]]
    assert set(months) == set(MONTH_NAMES[lang].values())
    for (community, *counts, total) in summary.iter_rows(min_row=5, max_row=12,
                                                          values_only=True):
        assert counts == [sum(n for c, m, n in visits if (c, m) == (community, month))
                          for month in months]
        assert total == sum(counts)
    assert summary["H13"].value == sum(n for *_, n in visits)


@pytest.mark.parametrize("lang", LANGS)
def test_the_formulas_criteria_are_values_found_in_the_data(written, lang):
    """A month or name spelled differently would make every SUMIFS quietly return 0."""
    workbook = _workbook(written, lang, "practica-excel-asistencia-resuelto.xlsx")
    attendance, visits = _rows(workbook["Asistencia"]), _rows(workbook["Visitas"])
    rates, summary = workbook["Tasas"], workbook["Resumen"]
    assert {(row[0], row[1]) for row in rates.iter_rows(min_row=2, max_col=2, values_only=True)
            } == {(group, name) for group, name, *_ in attendance}
    assert {cell.value for cell in rates["H1:M1"][0]} == {month for *_, month, _ in attendance}
    assert {row[0].value for row in rates["G2:G4"]} == {group for group, *_ in attendance}
    assert {cell.value for cell in summary["B4:G4"][0]} == {month for _, month, _ in visits}
    assert {row[0].value for row in summary["A5:A12"]} == COMMUNITIES


@pytest.mark.parametrize("lang", LANGS)
def test_the_instructions_use_the_guides_countifs_and_number_nine_tasks(written, lang):
    """The guide (supervisores-07) counts attendances with COUNTIFS and Asistió = 1."""
    workbook = _workbook(written, lang, "practica-excel-asistencia-resuelto.xlsx")
    notes = " ".join(str(cell.value) for row in workbook["Instrucciones"] for cell in row)
    assert "SUMIFS" not in notes and "SUMAR.SI" not in notes
    assert "Asistencia!$D:$D,1)" in notes
    exercise = _workbook(written, lang, "practica-excel-asistencia.xlsx")["Instrucciones"]
    tasks = [row for row in exercise.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert [number for number, _ in tasks] == list(range(1, 10))


@pytest.mark.parametrize("lang", LANGS)
def test_the_word_draft_is_plain_and_the_solved_report_uses_styles_and_a_table(written, lang):
    draft = docx.Document(written[lang]["practica-word-informe.docx"])
    assert {paragraph.style.name for paragraph in draft.paragraphs} == {"Normal"}
    assert not draft.tables
    assert sum("\t" in paragraph.text for paragraph in draft.paragraphs) == 4  # header + 3
    solved = docx.Document(written[lang]["practica-word-informe-resuelto.docx"])
    styles = Counter(paragraph.style.name for paragraph in solved.paragraphs)
    assert styles["Title"] == 1 and styles["Heading 2"] == 3
    assert styles["Heading 1"] == 8 and styles["List Bullet"] == 12
    (table,) = solved.tables
    assert [cell.text for cell in table.columns[0].cells] == [
        table.cell(0, 0).text, "Grupo Reforma", "Grupo Monterrey", "Grupo Salvador Urbina",
        "Total"]
    assert draft.paragraphs[0].text == solved.paragraphs[0].text  # the report's name


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_and_the_deck_show_the_workbook_figures(written, lang):
    visits = _rows(_workbook(written, lang, "practica-excel-asistencia.xlsx")["Visitas"])
    july, december = MONTH_NAMES[lang][7], MONTH_NAMES[lang][12]
    report = docx.Document(written[lang]["practica-word-informe-resuelto.docx"])
    total_row = report.tables[0].rows[-1].cells
    assert int(total_row[-1].text) == sum(count for _, month, count in visits if month == july)
    deck = pptx.Presentation(written[lang]["practica-powerpoint-resultados-resuelto.pptx"])
    (chart,) = [shape.chart for slide in deck.slides for shape in slide.shapes
                if shape.has_chart]
    plotted = dict(zip(chart.plots[0].categories, chart.series[0].values, strict=True))
    assert plotted == {community: count for community, month, count in visits
                       if month == december}


@pytest.mark.parametrize("lang", LANGS)
def test_the_outline_is_one_slide_and_the_solved_deck_five(written, lang):
    outline = pptx.Presentation(written[lang]["practica-powerpoint-resultados.pptx"])
    (slide,) = outline.slides
    assert slide.has_notes_slide and "F5" in slide.notes_slide.notes_text_frame.text
    assert slide.placeholders[1].width > 0  # the enlarged body kept its left and width
    body = slide.placeholders[1].text_frame.text
    solved = pptx.Presentation(written[lang]["practica-powerpoint-resultados-resuelto.pptx"])
    assert len(solved.slides) == 5
    titles = [slide.shapes.title.text for slide in solved.slides]
    assert all(title in body for title in titles)
    assert [any(shape.has_chart for shape in slide.shapes) for slide in solved.slides] == [
        False, False, True, False, False]


def test_sheet_and_column_names_stay_while_the_instructions_are_translated(written):
    es, en = (_workbook(written, lang, "practica-excel-asistencia-resuelto.xlsx")
              for lang in LANGS)
    assert es.sheetnames == en.sheetnames
    for name in es.sheetnames[1:]:
        assert [c.value for c in es[name][1] if c.value not in MONTH_NAMES["es"].values()] == [
            c.value for c in en[name][1] if c.value not in MONTH_NAMES["en"].values()]
    assert es["Instrucciones"]["A1"].value != en["Instrucciones"]["A1"].value


@pytest.mark.parametrize("module", [word_practice, excel_practice, powerpoint_practice])
def test_every_text_exists_in_both_languages(module):
    assert module.TEXTS["es"].keys() == module.TEXTS["en"].keys()


def test_two_builds_give_the_same_bytes_with_fixed_dates(written):
    again = practice_files("es")
    for name, path in written["es"].items():
        assert again[name] == path.read_bytes(), name
        with zipfile.ZipFile(path) as archive:
            assert {info.date_time for info in archive.infolist()} == {(2023, 7, 1, 0, 0, 0)}
            core = archive.read("docProps/core.xml").decode()
            assert core.count(FIXED_DATE) == 2, name
            for embedded in (n for n in archive.namelist() if n.endswith(".xlsx")):
                inner = zipfile.ZipFile(io.BytesIO(archive.read(embedded)))
                assert inner.read("docProps/core.xml").decode().count(FIXED_DATE) == 2


def test_an_unknown_language_is_refused_with_a_sentence(tmp_path):
    with pytest.raises(ValueError, match="language 'fr' is not available; expected one of: "
                                         "es, en"):
        write_practice_files(tmp_path, "fr")
    assert not list(tmp_path.iterdir())


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _page_breaks_with_nothing_after(body) -> list[str]:
    """Where a page would come out blank: a page break with no text after it before the next
    break (another break, a paragraph that breaks before itself, or the end of the document).
    Each body element, in order, is read as: breaks before its text, its text, breaks after."""
    events = []  # ("break" | "text"), in reading order
    for element in body:
        if element.tag == f"{W}p" and element.find(f"{W}pPr/{W}pageBreakBefore") is not None:
            events.append("break")
        for node in element.iter():
            if node.tag == f"{W}br" and node.get(f"{W}type") == "page":
                events.append("break")
            elif node.tag == f"{W}t" and (node.text or "").strip():
                events.append("text")
            elif node.tag == f"{W}sectPr" and node.find(f"{W}type") is None:
                events.append("break")  # a section break starts a new page by default
    events.append("end")
    return [f"break {index}: followed by {after}"
            for index, (event, after) in enumerate(itertools.pairwise(events))
            if event == "break" and after != "text"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_solved_report_has_no_blank_page(written, lang):
    """The letter starts on a page of its own, with no page break left with nothing after it
    (a paragraph holding only a break printed a blank page when the report filled its page)."""
    solved = docx.Document(written[lang]["practica-word-informe-resuelto.docx"])
    body = solved.element.body
    # the body ends with its last section's properties, which start no new page
    assert body[-1].tag == f"{W}sectPr"
    assert _page_breaks_with_nothing_after(list(body)[:-1]) == []
    # nor a paragraph holding only a page break: at the top of a page it breaks again
    assert [paragraph for paragraph in solved.paragraphs if not paragraph.text.strip()
            and paragraph._p.findall(f".//{W}br[@{W}type='page']")] == []
    letter = [paragraph for paragraph in solved.paragraphs
              if paragraph.paragraph_format.page_break_before]
    assert [paragraph.text for paragraph in letter] == [word_practice.TEXTS[lang]["letter"][0][1]]


def test_the_blank_page_check_finds_a_break_with_nothing_after_it():
    document = docx.Document()
    document.add_paragraph("Informe")
    document.add_paragraph().add_run().add_break(docx.enum.text.WD_BREAK.PAGE)
    document.add_paragraph().paragraph_format.page_break_before = True
    document.add_paragraph("Carta")
    document.add_paragraph().add_run().add_break(docx.enum.text.WD_BREAK.PAGE)
    assert _page_breaks_with_nothing_after(list(document.element.body)[:-1]) == [
        "break 1: followed by break", "break 4: followed by end"]


def _wrapped_cells(sheet):
    return [cell for row in sheet.iter_rows() for cell in row
            if isinstance(cell.value, str) and cell.alignment.wrap_text]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["practica-excel-asistencia.xlsx",
                                  "practica-excel-asistencia-resuelto.xlsx"])
def test_wrapped_cells_show_all_their_lines_and_sheets_print_one_page_wide(written, lang, name):
    """Every row with a long wrapped instruction is tall enough for its lines (about as many
    characters per line as the column is wide, 15 points a line), and every sheet prints on
    letter paper (the program is in Mexico), one page wide, landscape when it is wide."""
    workbook = _workbook(written, lang, name)
    wrapped = 0
    for sheet in workbook.worksheets:
        for cell in _wrapped_cells(sheet):
            width = sheet.column_dimensions[cell.column_letter].width
            lines = sum(-(-len(line) // int(width * 1.15)) or 1
                        for line in str(cell.value).split("\n"))
            if lines > 1:
                wrapped += 1
                height = sheet.row_dimensions[cell.row].height
                assert height is not None and height >= 15 * lines, (sheet.title, cell.coordinate)
        setup = sheet.page_setup
        assert (setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (1, 1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        wide = sum(dimension.width for dimension in sheet.column_dimensions.values()) > 92
        assert (setup.orientation == "landscape") == wide, sheet.title
    assert wrapped >= 9  # the nine tasks at least


def test_a4_programs_get_a4_workbooks_and_reports(tmp_path):
    files = practice_files("es", paper="a4")
    workbook = openpyxl.load_workbook(io.BytesIO(files["practica-excel-asistencia.xlsx"]))
    assert {sheet.page_setup.paperSize for sheet in workbook.worksheets} == {9}
    report = docx.Document(io.BytesIO(files["practica-word-informe-resuelto.docx"]))
    assert round(report.sections[0].page_width.mm) == 210
