"""practica-excel-asistencia: the attendance register and home visits of July-December 2023.

Sheet and column names are Spanish in both languages (the curriculum names them); month names
and every instruction follow the language. The solved workbook holds the formulas the tasks ask
for, filters, a real pivot table of visits (its parts built here: openpyxl writes but cannot
author pivot tables) and a real column chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.pivot.cache import (
    CacheDefinition,
    CacheField,
    CacheSource,
    SharedItems,
    WorksheetSource,
)
from openpyxl.pivot.fields import Index, Number, Text
from openpyxl.pivot.record import Record, RecordList
from openpyxl.pivot.table import (
    DataField,
    FieldItem,
    Location,
    PivotField,
    PivotTableStyle,
    RowColField,
    RowColItem,
    TableDefinition,
)
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from acompana.domain.office_practice.program_data import (
    MONTHS,
    SUPERVISOR,
    Program,
    join_names,
    leaders,
    month_name,
    percent,
)
from acompana.domain.printed_sheet import fit_for_print
from acompana.domain.reproducible import FIXED_DATETIME, normalise_zip

INSTRUCTIONS, ATTENDANCE, VISITS, RATES, SUMMARY = (
    "Instrucciones", "Asistencia", "Visitas", "Tasas", "Resumen")
ATTENDANCE_COLUMNS = ("Grupo", "Acompañante", "Mes", "Asistió (1/0)")
VISITS_COLUMNS = ("Comunidad", "Mes", "Visitas")
PERSON_RATE_COLUMNS = ("Grupo", "Acompañante", "Reuniones", "Asistencias", "Tasa")
TOTAL, AVERAGE, GRAND_TOTAL = "Total", "Promedio", "Total general"
FILTER_GROUP, FILTER_MONTH = "Grupo Monterrey", 10  # the filter of task 2

PIVOT_TOP, PIVOT_CACHE_ID = 3, 1  # the pivot table's first row on Resumen; its cache's id

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F6F78")
PERCENT = "0%"

TEXTS = {
    "es": {
        "title": "Práctica de Excel: registro de asistencia y visitas domiciliarias, julio a "
                 "diciembre de 2023",
        "about": "Datos ficticios del Programa de Acompañantes (supervisora {supervisor}). "
                 "Hojas: Asistencia ({attendance_rows} renglones) y Visitas ({visits_rows} "
                 "renglones).",
        "tasks_heading": "Tareas",
        "tasks": (
            "Conoce los datos. La hoja Asistencia tiene {attendance_rows} renglones: 3 grupos × "
            "10 Acompañantes × 6 meses (julio a diciembre de 2023). En la columna Asistió (1/0), "
            "1 quiere decir que la Acompañante asistió a la reunión del mes y 0 que no. La hoja "
            "Visitas tiene las visitas domiciliarias de cada comunidad por mes: 8 comunidades × "
            "6 meses = {visits_rows} renglones.",
            "Inmoviliza y filtra. En Asistencia: Vista > Inmovilizar > Inmovilizar fila "
            "superior. Luego Datos > Filtro. Con las flechitas de los encabezados, muestra solo "
            "Grupo Monterrey en la columna Grupo y octubre en la columna Mes: ¿quién no asistió? "
            "Al terminar, Datos > Borrar para ver todo otra vez. Haz lo mismo en Visitas.",
            "Total y promedio de visitas. En Visitas, escribe Total en E1 y en E2 la fórmula "
            "=SUMA(C2:C49). Escribe Promedio en F1 y en F2 =PROMEDIO(C2:C49). (Van en las "
            "columnas E y F, separadas de los datos, para que el filtro y la tabla dinámica no "
            "las tomen como datos.)",
            "Tasa de asistencia por persona. Crea una hoja nueva (botón + de abajo) y ponle de "
            "nombre Tasas (doble clic en el nombre). En A1:E1 escribe Grupo, Acompañante, "
            "Reuniones, Asistencias, Tasa. Copia A2:B31 de Asistencia (los 30 renglones de "
            "julio: cada Acompañante una vez) y pégalos en A2 de Tasas. En C2: "
            "=CONTAR.SI.CONJUNTO(Asistencia!$A:$A,$A2,Asistencia!$B:$B,$B2). En D2: "
            "=CONTAR.SI.CONJUNTO(Asistencia!$A:$A,$A2,Asistencia!$B:$B,$B2,Asistencia!$D:$D,1). "
            "En "
            "E2: =D2/C2 con formato de porcentaje (Inicio > %). Selecciona C2:E2 y arrastra el "
            "cuadrito de la esquina hasta el renglón 31.",
            "Tasa por grupo y mes. En Tasas, escribe Grupo en G1, los tres grupos en G2:G4, los "
            "meses en H1:M1 (julio a diciembre, escritos igual que en Asistencia) y Promedio en "
            "N1. En H2: =CONTAR.SI.CONJUNTO(Asistencia!$A:$A,$G2,Asistencia!$C:$C,H$1,"
            "Asistencia!$D:$D,1)/CONTAR.SI.CONJUNTO(Asistencia!$A:$A,$G2,Asistencia!$C:$C,"
            "H$1) y arrástrala hasta M4. En N2: =PROMEDIO(H2:M2). El signo $ deja fija la "
            "columna o el renglón cuando arrastras.",
            "Tabla dinámica de visitas. Da clic en una celda de los datos de Visitas > Insertar "
            "> Tabla dinámica > Nueva hoja de cálculo > Aceptar. Ponle de nombre Resumen a la "
            "hoja nueva. En la lista de campos, arrastra Comunidad a Filas, Mes a Columnas y "
            "Visitas a Valores (debe decir Suma de Visitas).",
            "Gráfica. Da clic dentro de la tabla dinámica > Analizar tabla dinámica > Gráfico "
            "dinámico > Columna agrupada > Aceptar. Ponle de título: {chart_title}.",
            "Responde: ¿qué comunidad tuvo más visitas en el semestre? ¿Qué grupo tuvo la "
            "asistencia más baja en diciembre? ¿Cuántas Acompañantes asistieron a las 6 "
            "reuniones?",
            "Guarda y compara tu archivo con practica-excel-asistencia-resuelto.xlsx.",
        ),
        "functions": "Nombres de las funciones: Excel en español usa SUMA, PROMEDIO y "
                     "CONTAR.SI.CONJUNTO; Excel en inglés, SUM, AVERAGE y COUNTIFS. Si tu "
                     "Excel separa con punto y coma (;), úsalo en lugar "
                     "de la coma.",
        "notes_heading": "Notas de la versión resuelta",
        "notes": (
            "Las fórmulas están en Visitas (E2 y F2), en Tasas y en Resumen. Da clic en una "
            "celda y mira la barra de fórmulas; Excel en español las muestra con sus nombres en "
            "español.",
            "Asistencia y Visitas tienen el filtro activado y la primera fila inmovilizada.",
            "Resumen tiene la tabla dinámica de la tarea 6: Comunidad en Filas, Mes en "
            "Columnas y Suma de Visitas en Valores. Da clic dentro de ella para ver la lista de "
            "campos; si cambias los datos de Visitas, Analizar tabla dinámica > Actualizar.",
            "La gráfica de Resumen es una gráfica de columnas hecha con esa tabla; el gráfico "
            "dinámico de la tarea 7 se ve igual.",
        ),
        "answers_heading": "Respuestas",
        "absent_answer": "Tarea 2: en {month} faltaron del {group}: {names}.",
        "top_community_answer": "El mayor número de visitas en el semestre, {visits}, fue en "
                                "{communities}.",
        "lowest_group_answer": "Asistencia más baja en diciembre: {groups} ({rate}).",
        "all_meetings_answer": "Asistieron a las 6 reuniones: {count} de {members} "
                               "Acompañantes.",
        "chart_title": "Visitas domiciliarias por comunidad, julio a diciembre 2023",
        "summary_note": "Tabla dinámica de la tarea 6: Comunidad en Filas, Mes en Columnas, "
                        "Suma de Visitas en Valores.",
        "pivot_data_caption": "Suma de Visitas",
        "pivot_values": "Valores",
        "pivot_row_labels": "Etiquetas de fila",
        "pivot_column_labels": "Etiquetas de columna",
    },
    "en": {
        "title": "Excel practice: attendance register and home visits, July to December 2023",
        "about": "Fictional data of the Acompañantes Program (supervisor {supervisor}). Sheets: "
                 "Asistencia (attendance, {attendance_rows} rows) and Visitas (visits, "
                 "{visits_rows} rows). Sheet and column names stay in Spanish, as in the "
                 "program's own files.",
        "tasks_heading": "Tasks",
        "tasks": (
            "Get to know the data. The Asistencia sheet has {attendance_rows} rows: 3 groups × "
            "10 Acompañantes × 6 months (July to December 2023). In the column Asistió (1/0) "
            "(attended), 1 means the Acompañante came to that month's meeting and 0 that she "
            "did not. The Visitas sheet holds each community's home visits per month (Comunidad, "
            "Mes, Visitas: community, month, visits): 8 communities × 6 months = {visits_rows} "
            "rows.",
            "Freeze and filter. In Asistencia: View > Freeze Panes > Freeze Top Row. Then Data > "
            "Filter. With the small arrows in the headings, show only Grupo Monterrey in the "
            "Grupo column and October in the Mes column: who did not attend? When you finish, "
            "Data > Clear to see everything again. Do the same in Visitas.",
            "Total and average visits. In Visitas, type Total in E1 and the formula "
            "=SUM(C2:C49) in E2. Type Promedio (average) in F1 and =AVERAGE(C2:C49) in F2. "
            "(They go in columns E and F, apart from the data, so that the filter and the "
            "PivotTable do not take them as data.)",
            "Attendance rate per person. Create a new sheet (the + button at the bottom) and "
            "name it Tasas (rates; double-click the name). In A1:E1 type Grupo, Acompañante, "
            "Reuniones (meetings), Asistencias (attendances), Tasa (rate). Copy A2:B31 from "
            "Asistencia (the 30 rows of July: each Acompañante once) and paste them in A2 of "
            "Tasas. In C2: =COUNTIFS(Asistencia!$A:$A,$A2,Asistencia!$B:$B,$B2). In D2: "
            "=COUNTIFS(Asistencia!$A:$A,$A2,Asistencia!$B:$B,$B2,Asistencia!$D:$D,1). In E2: "
            "=D2/C2 "
            "formatted as a percentage (Home > %). Select C2:E2 and drag the small square at its "
            "corner down to row 31.",
            "Rate per group and month. In Tasas, type Grupo in G1, the three groups in G2:G4, "
            "the months in H1:M1 (July to December, spelled as in Asistencia) and Promedio in "
            "N1. In H2: =COUNTIFS(Asistencia!$A:$A,$G2,Asistencia!$C:$C,H$1,Asistencia!$D:$D,1)/"
            "COUNTIFS(Asistencia!$A:$A,$G2,Asistencia!$C:$C,H$1) and drag it to M4. In N2: "
            "=AVERAGE(H2:M2). The $ sign keeps the column or the row fixed when you drag.",
            "PivotTable of visits. Click a cell of the data in Visitas > Insert > PivotTable > "
            "New Worksheet > OK. Name the new sheet Resumen (summary). In the field list, drag "
            "Comunidad to Rows, Mes to Columns and Visitas to Values (it should say Sum of "
            "Visitas).",
            "Chart. Click inside the PivotTable > PivotTable Analyze > PivotChart > Clustered "
            "Column > OK. Give it the title: {chart_title}.",
            "Answer: which community had the most visits in the semester? Which group had the "
            "lowest attendance in December? How many Acompañantes came to all 6 meetings?",
            "Save and compare your file with practica-excel-asistencia-resuelto.xlsx.",
        ),
        "functions": "Function names: Excel in English uses SUM, AVERAGE and COUNTIFS; "
                     "Excel in Spanish, SUMA, PROMEDIO and CONTAR.SI.CONJUNTO. If your Excel "
                     "separates arguments with semicolons (;), "
                     "use them instead of commas.",
        "notes_heading": "Notes on the solved version",
        "notes": (
            "The formulas are in Visitas (E2 and F2), in Tasas and in Resumen. Click a cell and "
            "look at the formula bar; Excel in Spanish shows them with their Spanish names.",
            "Asistencia and Visitas have the filter on and the first row frozen.",
            "Resumen holds the PivotTable of task 6: Comunidad in Rows, Mes in Columns and Sum "
            "of Visitas in Values. Click inside it to see the field list; if you change the data "
            "in Visitas, PivotTable Analyze > Refresh.",
            "The chart in Resumen is a column chart made from that table; the PivotChart of task "
            "7 looks the same.",
        ),
        "answers_heading": "Answers",
        "absent_answer": "Task 2: absent from {group} in {month}: {names}.",
        "top_community_answer": "The most visits in the semester, {visits}, were in "
                                "{communities}.",
        "lowest_group_answer": "Lowest attendance in December: {groups} ({rate}).",
        "all_meetings_answer": "Came to all 6 meetings: {count} of {members} Acompañantes.",
        "chart_title": "Home visits by community, July to December 2023",
        "summary_note": "The PivotTable of task 6: Comunidad in Rows, Mes in Columns, Sum of "
                        "Visitas in Values.",
        "pivot_data_caption": "Sum of Visitas",
        "pivot_values": "Values",
        "pivot_row_labels": "Row Labels",
        "pivot_column_labels": "Column Labels",
    },
}


def attendance_xlsx(program: Program, lang: str, *, solved: bool, paper: str = "letter") -> bytes:
    """The register to work on (solved=False) or the same with every task done; every sheet
    shows its wrapped lines and prints one page wide on `paper` ('letter' or 'a4')."""
    t = TEXTS[lang]
    workbook = Workbook()
    properties = workbook.properties
    properties.title = t["title"]
    properties.creator = properties.lastModifiedBy = SUPERVISOR
    properties.created = properties.modified = FIXED_DATETIME.replace(tzinfo=None)
    _instructions(workbook.active, program, t, lang, solved)
    attendance = _attendance_sheet(workbook.create_sheet(ATTENDANCE), program, lang)
    visits = _visits_sheet(workbook.create_sheet(VISITS), program, lang)
    if solved:
        for sheet in (attendance, visits):
            sheet.auto_filter.ref = sheet.dimensions  # the data only: totals come after
            sheet.freeze_panes = "A2"
        _visit_totals(visits, len(program.visits))
        _rates_sheet(workbook.create_sheet(RATES), program, lang)
        _summary_sheet(workbook.create_sheet(SUMMARY), program, t, lang)
        workbook.calculation.fullCalcOnLoad = True  # no cached results: Excel computes on open
    for sheet in workbook.worksheets:
        fit_for_print(sheet, paper)
    buffer = BytesIO()
    workbook.save(buffer)
    return normalise_zip(buffer.getvalue())


def _instructions(sheet: Worksheet, program: Program, t: dict, lang: str, solved: bool) -> None:
    """Numbered tasks and how function names read; in the solved file, notes and answers."""
    sheet.title = INSTRUCTIONS
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 110
    counts = {"attendance_rows": len(program.attendance), "visits_rows": len(program.visits),
              "supervisor": SUPERVISOR, "chart_title": t["chart_title"]}
    sheet["A1"] = t["title"]
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = t["about"].format(**counts)
    tasks = [task.format(**counts) for task in t["tasks"]]
    row = _section(sheet, 4, t["tasks_heading"], tasks, numbered=True)
    sheet.cell(row - 1, 2, t["functions"]).font = Font(italic=True)
    sheet.cell(row - 1, 2).alignment = Alignment(wrap_text=True, vertical="top")
    if solved:
        row = _section(sheet, row + 1, t["notes_heading"], t["notes"], numbered=False)
        _section(sheet, row, t["answers_heading"], _answers(program, t, lang), numbered=False)


def _section(sheet: Worksheet, row: int, heading: str, lines: Sequence[str], *,
             numbered: bool) -> int:
    """A bold heading and one wrapped line per row; returns the row after a blank one."""
    sheet.cell(row, 1, heading).font = Font(bold=True, size=12)
    for number, line in enumerate(lines, 1):
        row += 1
        if numbered:
            sheet.cell(row, 1, number).alignment = Alignment(vertical="top")
        sheet.cell(row, 2, line).alignment = Alignment(wrap_text=True, vertical="top")
    return row + 2


def _answers(program: Program, t: dict, lang: str) -> list[str]:
    """The answers to tasks 2 and 8, computed from the same data the sheets hold."""
    absent = [row.acompanante for row in program.attendance
              if row.group == FILTER_GROUP and row.month == FILTER_MONTH and not row.attended]
    semester = {community: program.semester_visits(community)
                for community in program.communities}
    december = {group: program.present(group, 12) for group in program.groups}  # 10 in each
    lowest = leaders(december, min)
    came = {person.name: 0 for person in program.acompanantes}
    for row in program.attendance:
        came[row.acompanante] += row.attended
    return [
        t["absent_answer"].format(month=month_name(FILTER_MONTH, lang), group=FILTER_GROUP,
                                  names=join_names(absent, lang)),
        t["top_community_answer"].format(visits=max(semester.values()),
                                         communities=join_names(leaders(semester), lang)),
        t["lowest_group_answer"].format(
            groups=join_names(lowest, lang),
            rate=percent(december[lowest[0]] / program.members(lowest[0]))),
        t["all_meetings_answer"].format(count=sum(n == len(MONTHS) for n in came.values()),
                                        members=len(came)),
    ]


def _header(sheet: Worksheet, columns: Sequence[str], widths: Sequence[int],
            first_column: int = 1) -> None:
    for offset, (name, width) in enumerate(zip(columns, widths, strict=True)):
        cell = sheet.cell(1, first_column + offset, name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        sheet.column_dimensions[get_column_letter(first_column + offset)].width = width


def _attendance_sheet(sheet: Worksheet, program: Program, lang: str) -> Worksheet:
    _header(sheet, ATTENDANCE_COLUMNS, (24, 32, 12, 14))
    for row in program.attendance:
        sheet.append([row.group, row.acompanante, month_name(row.month, lang),
                      int(row.attended)])
    return sheet


def _visits_sheet(sheet: Worksheet, program: Program, lang: str) -> Worksheet:
    _header(sheet, VISITS_COLUMNS, (26, 12, 10))
    for row in program.visits:
        sheet.append([row.community, month_name(row.month, lang), row.visits])
    return sheet


def _visit_totals(sheet: Worksheet, rows: int) -> None:
    """Task 3: total and average beside the data, apart from the filter's range."""
    _header(sheet, (TOTAL, AVERAGE), (10, 10), first_column=5)
    sheet["E2"] = f"=SUM(C2:C{rows + 1})"
    sheet["F2"] = f"=AVERAGE(C2:C{rows + 1})"
    sheet["F2"].number_format = "0.0"


def _rates_sheet(sheet: Worksheet, program: Program, lang: str) -> None:
    """Tasks 4 and 5: each person's attendance rate, and each group's per month."""
    _header(sheet, PERSON_RATE_COLUMNS, (24, 32, 11, 12, 8))
    for row, person in enumerate(program.acompanantes, 2):
        key = f"Asistencia!$A:$A,$A{row},Asistencia!$B:$B,$B{row}"
        sheet.append([person.group, person.name, f"=COUNTIFS({key})",
                      f"=COUNTIFS({key},Asistencia!$D:$D,1)", f"=D{row}/C{row}"])
        sheet.cell(row, 5).number_format = PERCENT
    months = [month_name(month, lang) for month in MONTHS]
    _header(sheet, ("Grupo", *months, AVERAGE), (24, *[11] * len(months), 10), first_column=7)
    last_month = get_column_letter(7 + len(months))
    for row, group in enumerate(program.groups, 2):
        sheet.cell(row, 7, group)
        for offset in range(len(months)):
            column = get_column_letter(8 + offset)
            key = f"Asistencia!$A:$A,$G{row},Asistencia!$C:$C,{column}$1"
            sheet.cell(row, 8 + offset, f"=COUNTIFS({key},Asistencia!$D:$D,1)/COUNTIFS({key})")
        sheet.cell(row, 8 + len(months), f"=AVERAGE(H{row}:{last_month}{row})")
        for column in range(8, 9 + len(months)):
            sheet.cell(row, column).number_format = PERCENT


def _summary_sheet(sheet: Worksheet, program: Program, t: dict, lang: str) -> None:
    """Tasks 6 and 7: the pivot table of visits by community and month, and its chart.

    The cells hold what Excel shows for the pivot table, so the chart and any reader that does
    not refresh pivot tables see the figures; Excel rebuilds the table from its cache on open.
    """
    months = [month_name(month, lang) for month in MONTHS]
    communities = list(program.communities)
    totals = {(row.community, month_name(row.month, lang)): row.visits for row in program.visits}
    top = PIVOT_TOP
    sheet.cell(top, 1, t["pivot_data_caption"]).font = Font(bold=True)
    sheet.cell(top, 2, t["pivot_column_labels"]).font = Font(bold=True)
    header = top + 1
    sheet.cell(header, 1, t["pivot_row_labels"]).font = Font(bold=True)
    for offset, name in enumerate([*months, GRAND_TOTAL]):
        sheet.cell(header, 2 + offset, name).font = Font(bold=True)
    for row, community in enumerate(communities, header + 1):
        sheet.cell(row, 1, community)
        values = [totals.get((community, month), 0) for month in months]
        for offset, value in enumerate([*values, sum(values)]):
            sheet.cell(row, 2 + offset, value)
    total_row = header + 1 + len(communities)
    sheet.cell(total_row, 1, GRAND_TOTAL).font = Font(bold=True)
    for offset, month in enumerate(months):
        sheet.cell(total_row, 2 + offset,
                   sum(totals.get((c, month), 0) for c in communities)).font = Font(bold=True)
    sheet.cell(total_row, 2 + len(months), sum(totals.values())).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 26
    for column in range(2, 3 + len(months)):
        sheet.column_dimensions[get_column_letter(column)].width = 13
    sheet.cell(total_row + 2, 1, t["summary_note"]).font = Font(italic=True)
    ref = f"A{top}:{get_column_letter(2 + len(months))}{total_row}"
    sheet._pivots.append(visits_pivot(program, lang, t, ref))
    chart = BarChart()
    chart.type, chart.grouping = "col", "clustered"
    chart.title = t["chart_title"]
    chart.y_axis.title, chart.x_axis.title = VISITS_COLUMNS[2], VISITS_COLUMNS[0]
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides axes otherwise
    chart.add_data(Reference(sheet, min_col=2, max_col=1 + len(months), min_row=header,
                             max_row=total_row - 1), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=header + 1, max_row=total_row - 1))
    chart.width, chart.height = 26, 12
    sheet.add_chart(chart, f"A{total_row + 4}")


def visits_pivot(program: Program, lang: str, t: dict, ref: str) -> TableDefinition:
    """A real pivot table over the Visitas sheet: Comunidad in rows, Mes in columns, Sum of Visitas.

    openpyxl has no API to author pivot tables, but writes the pivot parts it holds (the table
    definition, its cache definition and the cache records), so they are built here as Excel
    itself writes them for this layout.
    """
    months = [month_name(month, lang) for month in MONTHS]
    communities = list(program.communities)
    visits = [row.visits for row in program.visits]
    records = RecordList(r=[
        Record(_fields=[Index(v=communities.index(row.community)),
                        Index(v=MONTHS.index(row.month)),
                        Number(v=row.visits)])
        for row in program.visits])
    cache = CacheDefinition(
        refreshOnLoad=True, recordCount=len(visits), createdVersion=6, refreshedVersion=6,
        minRefreshableVersion=3, refreshedBy=SUPERVISOR,
        cacheSource=CacheSource(type="worksheet", worksheetSource=WorksheetSource(
            ref=f"A1:C{len(visits) + 1}", sheet=VISITS)),
        cacheFields=[
            CacheField(name=VISITS_COLUMNS[0], numFmtId=0,
                       sharedItems=SharedItems(_fields=[Text(v=name) for name in communities])),
            CacheField(name=VISITS_COLUMNS[1], numFmtId=0,
                       sharedItems=SharedItems(_fields=[Text(v=name) for name in months])),
            CacheField(name=VISITS_COLUMNS[2], numFmtId=0, sharedItems=SharedItems(
                containsSemiMixedTypes=False, containsString=False, containsNumber=True,
                containsInteger=True, minValue=min(visits), maxValue=max(visits))),
        ])
    cache.records = records

    def axis_field(axis: str, count: int) -> PivotField:
        items = [FieldItem(x=index) for index in range(count)] + [FieldItem(t="default")]
        return PivotField(axis=axis, showAll=False, items=items)

    def axis_items(count: int) -> list[RowColItem]:
        return ([RowColItem(x=[Index(v=index)]) for index in range(count)]
                + [RowColItem(t="grand", x=[Index(v=0)])])

    table = TableDefinition(
        name="TablaDinamicaVisitas", cacheId=PIVOT_CACHE_ID, dataCaption=t["pivot_values"],
        applyNumberFormats=False, applyBorderFormats=False, applyFontFormats=False,
        applyPatternFormats=False, applyAlignmentFormats=False, applyWidthHeightFormats=True,
        updatedVersion=6, minRefreshableVersion=3, createdVersion=6, useAutoFormatting=True,
        itemPrintTitles=True, indent=0, outline=True, outlineData=True,
        multipleFieldFilters=False, grandTotalCaption=GRAND_TOTAL,
        rowHeaderCaption=t["pivot_row_labels"], colHeaderCaption=t["pivot_column_labels"],
        location=Location(ref=ref, firstHeaderRow=1, firstDataRow=2, firstDataCol=1),
        pivotFields=[axis_field("axisRow", len(communities)),
                     axis_field("axisCol", len(months)),
                     PivotField(dataField=True, showAll=False)],
        rowFields=[RowColField(x=0)], rowItems=axis_items(len(communities)),
        colFields=[RowColField(x=1)], colItems=axis_items(len(months)),
        dataFields=[DataField(name=t["pivot_data_caption"], fld=2, baseField=0, baseItem=0)],
        pivotTableStyleInfo=PivotTableStyle(name="PivotStyleLight16", showRowHeaders=True,
                                            showColHeaders=True, showRowStripes=False,
                                            showColStripes=False, showLastColumn=True),
    )
    table.cache = cache
    return table
