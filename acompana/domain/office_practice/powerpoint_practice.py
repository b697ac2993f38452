"""practica-powerpoint-resultados: December 2023's results as an outline and as a 5-slide deck.

The five slides are written once; the exercise shows them as one slide of notes (the tasks in
the speaker notes), the solved deck as five slides with a native column chart of the visits.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.presentation import Presentation as Deck
from pptx.util import Inches, Pt

from acompana.domain.office_language import tag_pptx
from acompana.domain.office_practice.program_data import (
    SUPERVISOR,
    Program,
    join_names,
    leaders,
    percent,
)
from acompana.domain.reproducible import FIXED_DATETIME, normalise_zip

MONTH = 12  # the results of the last month of the register
TITLE_LAYOUT, TITLE_AND_CONTENT_LAYOUT, TITLE_ONLY_LAYOUT = 0, 1, 5
# About 25 lines must fit one slide without relying on autofit, which PowerPoint applies
# only once the text is edited.
OUTLINE_SIZES = (Pt(12), Pt(11))  # slide headings, their lines

TEXTS = {
    "es": {
        "title": "Resultados de diciembre 2023",
        "cover": "Programa de Acompañantes · {groups} · Supervisora: {supervisor}",
        "attendance_title": "Asistencia a la reunión de diciembre",
        "group_line": "{group}: {present} de {members} ({rate})",
        "total_line": "Total: {present} de {members} ({rate}); promedio de julio a diciembre: "
                      "{semester_rate}",
        "visits_title": "Visitas domiciliarias en diciembre",
        "visits_total": "Total: {visits} visitas en {communities} comunidades",
        "series": "Visitas",
        "achievements_title": "Logros del mes",
        "achievements": (
            "Los tres grupos tuvieron la sesión 6 del taller de bienestar: propósito y sentido.",
            "Presentamos el chequeo de bienestar de mitad de año: voluntario y confidencial.",
            "Las {communities} comunidades recibieron visitas; el mayor número, {top_visits}, "
            "fue en {top_communities}.",
        ),
        "next_title": "Próximos pasos",
        "next": (
            "Enero: sesión 7 del taller de bienestar, creatividad. Pedir el salón por carta.",
            "Visitar a las {absent} Acompañantes que faltaron a la reunión de diciembre.",
            "Acompañar visitas donde hubo menos en diciembre: {lowest_communities}.",
            "Entregar el informe de diciembre a más tardar el 5 de enero.",
        ),
        "outline_title": "Esquema: los resultados de diciembre 2023 en 5 diapositivas",
        "slide_label": "Diapositiva {number}: {title}",
        "chart_hint": "Gráfica de columnas con estos datos: {data}",
        "see_notes": "Instrucciones: en las notas de esta diapositiva (Vista > Notas).",
        "tasks": (
            "Guarda una copia: Archivo > Guardar como.",
            "Diapositiva 1: Inicio > Nueva diapositiva > Diapositiva de título. Copia el título "
            "y el subtítulo del esquema.",
            "Diapositivas 2, 4 y 5: Inicio > Nueva diapositiva > Título y objetos. Copia el "
            "título y las viñetas.",
            "Diapositiva 3: Inicio > Nueva diapositiva > Solo el título. Luego Insertar > "
            "Gráfico > Columna > Columna agrupada > Aceptar. En la hoja de Excel que se abre, "
            "escribe las comunidades en la columna A y las visitas en la columna B, borra las "
            "columnas que sobran y cierra la hoja.",
            "Diseño: elige un tema sencillo, con letra grande y buen contraste.",
            "Borra esta diapositiva de esquema: clic derecho en su miniatura > Eliminar "
            "diapositiva. Quedan 5 diapositivas.",
            "Presenta con F5 (Esc para salir) y compara con "
            "practica-powerpoint-resultados-resuelto.pptx.",
        ),
    },
    "en": {
        "title": "December 2023 results",
        "cover": "Acompañantes Program · {groups} · Supervisor: {supervisor}",
        "attendance_title": "Attendance at the December meeting",
        "group_line": "{group}: {present} of {members} ({rate})",
        "total_line": "Total: {present} of {members} ({rate}); July to December average: "
                      "{semester_rate}",
        "visits_title": "Home visits in December",
        "visits_total": "Total: {visits} visits in {communities} communities",
        "series": "Visits",
        "achievements_title": "This month's achievements",
        "achievements": (
            "The three groups held session 6 of the wellbeing workshop: purpose and meaning.",
            "We introduced the mid-year wellbeing check: voluntary and confidential.",
            "All {communities} communities received visits; the highest number, {top_visits}, "
            "was in {top_communities}.",
        ),
        "next_title": "Next steps",
        "next": (
            "January: session 7 of the wellbeing workshop, creativity. Ask for the hall in "
            "writing.",
            "Visit the {absent} Acompañantes who missed the December meeting.",
            "Join visits where there were fewest in December: {lowest_communities}.",
            "Submit the December report by 5 January at the latest.",
        ),
        "outline_title": "Outline: December 2023 results in 5 slides",
        "slide_label": "Slide {number}: {title}",
        "chart_hint": "Column chart with these figures: {data}",
        "see_notes": "Instructions: in this slide's notes (View > Notes).",
        "tasks": (
            "Save a copy: File > Save As.",
            "Slide 1: Home > New Slide > Title Slide. Copy the title and subtitle from the "
            "outline.",
            "Slides 2, 4 and 5: Home > New Slide > Title and Content. Copy the title and the "
            "bullets.",
            "Slide 3: Home > New Slide > Title Only. Then Insert > Chart > Column > Clustered "
            "Column > OK. In the Excel sheet that opens, type the communities in column A and "
            "the visits in column B, delete the columns you do not need and close the sheet.",
            "Design: choose a simple theme, with large letters and good contrast.",
            "Delete this outline slide: right-click its thumbnail > Delete Slide. Five slides "
            "remain.",
            "Present with F5 (Esc to leave) and compare with "
            "practica-powerpoint-resultados-resuelto.pptx.",
        ),
    },
}


@dataclass(frozen=True)
class SlideOutline:
    title: str
    bullets: tuple[str, ...] = ()
    chart: tuple[tuple[str, int], ...] = ()  # (category, value) pairs for a column chart


def results_pptx(program: Program, lang: str, *, solved: bool) -> bytes:
    """The one-slide outline to build from (solved=False) or the finished 5-slide deck."""
    t = TEXTS[lang]
    deck = Presentation()
    properties = deck.core_properties
    properties.title = t["title"]
    properties.author = properties.last_modified_by = SUPERVISOR
    properties.created = properties.modified = FIXED_DATETIME
    properties.revision = 1
    outline = results_outline(program, lang)
    if solved:
        _slides(deck, outline, t)
    else:
        _outline_slide(deck, outline, t)
    buffer = BytesIO()
    tag_pptx(deck, lang)
    deck.save(buffer)
    return normalise_zip(buffer.getvalue())


def results_outline(program: Program, lang: str) -> list[SlideOutline]:
    """Cover, attendance, home visits (with its chart's data), achievements, next steps."""
    t = TEXTS[lang]
    groups = program.groups
    present = sum(program.present(group, MONTH) for group in groups)
    members = len(program.acompanantes)
    visits = {community: program.visits_in(community, MONTH)
              for community in program.communities}
    facts = {"communities": len(visits), "top_visits": max(visits.values()),
             "top_communities": join_names(leaders(visits), lang),
             "lowest_communities": join_names(leaders(visits, min), lang),
             "absent": members - present}
    cover = t["cover"].format(groups=join_names(groups, lang), supervisor=SUPERVISOR)
    attendance = [t["group_line"].format(
        group=group, present=program.present(group, MONTH), members=program.members(group),
        rate=percent(program.present(group, MONTH) / program.members(group)))
        for group in groups]
    attendance.append(t["total_line"].format(
        present=present, members=members, rate=percent(present / members),
        semester_rate=percent(program.attendance_rate())))
    return [
        SlideOutline(t["title"], (cover,)),
        SlideOutline(t["attendance_title"], tuple(attendance)),
        SlideOutline(t["visits_title"], (t["visits_total"].format(
            visits=sum(visits.values()), communities=len(visits)),),
            tuple(visits.items())),
        SlideOutline(t["achievements_title"],
                     tuple(item.format(**facts) for item in t["achievements"])),
        SlideOutline(t["next_title"], tuple(item.format(**facts) for item in t["next"])),
    ]


def _outline_slide(deck: Deck, outline: list[SlideOutline], t: dict) -> None:
    """One slide holding the whole outline as text; the tasks go in its notes."""
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_AND_CONTENT_LAYOUT])
    slide.shapes.title.text = t["outline_title"]
    lines: list[tuple[int, str]] = []
    for number, planned in enumerate(outline, 1):
        lines.append((0, t["slide_label"].format(number=number, title=planned.title)))
        lines += [(1, bullet) for bullet in planned.bullets]
        if planned.chart:
            data = " · ".join(f"{category} {value}" for category, value in planned.chart)
            lines.append((1, t["chart_hint"].format(data=data)))
    lines.append((0, t["see_notes"]))
    body = slide.placeholders[1]
    # All four at once: a placeholder given only some of them gets 0 for the others.
    body.left, body.top, body.width, body.height = body.left, Inches(1.4), body.width, Inches(5.9)
    frame = body.text_frame
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for index, (level, text) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.level = level
        run = paragraph.add_run()
        run.text = text
        run.font.size = OUTLINE_SIZES[level]
        run.font.bold = level == 0
    slide.notes_slide.notes_text_frame.text = "\n".join(
        f"{number}. {task}" for number, task in enumerate(t["tasks"], 1))


def _slides(deck: Deck, outline: list[SlideOutline], t: dict) -> None:
    """A title slide, then a slide per entry: bullets, or a column chart with its total."""
    cover, *rest = outline
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    slide.shapes.title.text = cover.title
    slide.placeholders[1].text = cover.bullets[0]
    for planned in rest:
        if planned.chart:
            _chart_slide(deck, planned, t)
            continue
        slide = deck.slides.add_slide(deck.slide_layouts[TITLE_AND_CONTENT_LAYOUT])
        slide.shapes.title.text = planned.title
        frame = slide.placeholders[1].text_frame
        frame.text = planned.bullets[0]
        for bullet in planned.bullets[1:]:
            frame.add_paragraph().text = bullet


def _chart_slide(deck: Deck, planned: SlideOutline, t: dict) -> None:
    """Title, a native column chart (its data editable in PowerPoint) and the total below."""
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    slide.shapes.title.text = planned.title
    data = CategoryChartData()
    data.categories = [category for category, _ in planned.chart]
    data.add_series(t["series"], [value for _, value in planned.chart])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(0.5), Inches(1.5),
                                   Inches(9), Inches(4.8), data).chart
    chart.has_legend = False
    plot = chart.plots[0]
    plot.has_data_labels = True  # the numbers read without a scale
    plot.data_labels.font.size = Pt(14)
    chart.category_axis.tick_labels.font.size = Pt(11)
    total = slide.shapes.add_textbox(Inches(0.5), Inches(6.4), Inches(9), Inches(0.6))
    total.text_frame.text = planned.bullets[0]
    total.text_frame.paragraphs[0].runs[0].font.size = Pt(20)
