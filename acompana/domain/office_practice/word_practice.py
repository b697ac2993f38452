"""practica-word-informe: a supervisor's monthly report for July 2023, as a draft and solved.

The report is written once as a list of blocks; the draft renders every block as plain Normal
paragraphs (lists as bare lines, figures as tab-separated lines ready for "Convert Text to
Table"), the solved version with real Word styles, a table and a formal letter on its own page.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Mm

from acompana.domain.office_language import tag_docx
from acompana.domain.office_practice.program_data import (
    JULY_MEETINGS,
    SUPERVISOR,
    Program,
    long_date,
    percent,
)
from acompana.domain.reproducible import FIXED_DATETIME, normalise_zip

PAPER_SIZES = {"letter": (Inches(8.5), Inches(11)), "a4": (Mm(210), Mm(297))}
MONTH = 7  # the report's month: the program's first, the one session supervisores-06 uses
TABLE_STYLE = "Light List Accent 1"

# Block kinds, each with its look in the solved report.
TITLE, SUBTITLE, HEADING_1, HEADING_2, PARAGRAPH = "Title", "Subtitle", "Heading 1", "Heading 2", ""
BULLETS, FIGURES = "bullets", "figures"
LETTER_DATE, LETTER_SUBJECT, LETTER_BODY, LETTER_LINE = "date", "subject", "body", "line"
LETTER_SIGNER = "signer"

TEXTS = {
    "es": {
        "title": "Informe mensual de supervisión: julio 2023",
        "subtitle": "Programa de Acompañantes, Compañeros En Salud · Supervisora: {supervisor} · "
                    "Entregado el 4 de agosto de 2023",
        "summary_heading": "Resumen",
        "summary": "En julio los tres grupos tuvieron su reunión mensual y comenzaron el taller de "
                   "bienestar con la sesión 1: bienvenida, acuerdos de grupo y chequeo de "
                   "bienestar inicial. Asistieron {present} de {members} Acompañantes ({rate}). "
                   "Las Acompañantes hicieron {visits} visitas domiciliarias en {communities} "
                   "comunidades.",
        "attendance_heading": "Asistencia",
        "attendance": "Cada grupo se reunió una vez en el mes, de 10:00 a 13:00 horas.",
        "meeting": "La reunión fue el {day} en {place}. Asistieron {present} de {members} "
                   "Acompañantes ({rate}).",
        "all_came": "Vinieron todas.",
        "one_absent": "Una compañera avisó que no podía venir; la visitaremos en agosto.",
        "some_absent": "{absent} compañeras no pudieron venir; las visitaremos en agosto.",
        "places": {"Grupo Reforma": "la casa ejidal de Reforma",
                   "Grupo Monterrey": "la cancha techada de Monterrey",
                   "Grupo Salvador Urbina": "la escuela primaria de Salvador Urbina"},
        "visits_heading": "Visitas domiciliarias",
        "visits": "En julio se hicieron {visits} visitas domiciliarias. Por comunidad: "
                  "{by_community}.",
        "figures_heading": "Cifras del mes",
        "figures": "Por grupo: Acompañantes, cuántas asistieron a la reunión, porcentaje de "
                   "asistencia y visitas domiciliarias de julio.",
        "figures_columns": ("Grupo", "Acompañantes", "Asistieron", "Asistencia",
                            "Visitas domiciliarias"),
        "total": "Total",
        "caption_label": "Tabla",
        "caption": "Cifras del mes por grupo",
        "activities_heading": "Actividades del mes",
        "activities": (
            "Reunión mensual de cada grupo con la sesión 1 del taller de bienestar.",
            "Presentación del chequeo de bienestar inicial: voluntario y confidencial; solo lo "
            "ven la Acompañante y la clínica de salud mental del programa.",
            "Acompañamiento a visitas domiciliarias en Letrero y en Honduras (supervisión de "
            "apoyo).",
            "Entrega de hojas de registro de visitas para agosto.",
            "Reunión de supervisoras en la oficina de Jaltenango de la Paz.",
        ),
        "achievements_heading": "Logros",
        "achievements": (
            "Los tres grupos escribieron sus acuerdos de grupo y los pegaron en su salón.",
            "{present} de {members} Acompañantes asistieron a la primera sesión de bienestar.",
            "Las {communities} comunidades recibieron visitas domiciliarias.",
        ),
        "difficulties_heading": "Dificultades",
        "difficulties": (
            "Las lluvias cortaron dos días el camino a Matasano; dos visitas se pasaron a la "
            "semana siguiente.",
            "En Monterrey la cancha techada es ruidosa y no tiene sillas; para agosto pediremos "
            "por carta el salón comunitario de Laguna del Cofre.",
        ),
        "next_heading": "Pendientes para agosto",
        "next": (
            "Pedir por carta el salón comunitario de Laguna del Cofre para la reunión de agosto.",
            "Visitar a las compañeras que no pudieron venir a la reunión de julio.",
            "Sesión 2 del taller de bienestar: respirar y estar presentes.",
            "Entregar el informe de agosto a más tardar el 5 de septiembre.",
        ),
        "letter": (
            (LETTER_DATE, "Jaltenango de la Paz, Chiapas, a 7 de agosto de 2023."),
            (LETTER_LINE, "C. Bernardino Pérez Ochoa"),
            (LETTER_LINE, "Agente municipal de Laguna del Cofre"),
            (LETTER_LINE, "Presente"),
            (LETTER_SUBJECT, "Asunto: Solicitud del salón comunitario"),
            (LETTER_LINE, "Estimado señor agente:"),
            (LETTER_BODY, "Por medio de la presente le solicito, de la manera más atenta, el "
                          "préstamo del salón comunitario el martes 15 de agosto de 2023, de 10:00 "
                          "a 13:00 horas, para la reunión mensual del Grupo Monterrey de "
                          "Acompañantes de Compañeros En Salud. Asistirán diez Acompañantes y su "
                          "supervisora; dejaremos el salón limpio y ordenado."),
            (LETTER_BODY, "Agradezco de antemano su apoyo."),
            (LETTER_LINE, "Atentamente,"),
            (LETTER_SIGNER, "{supervisor}"),
            (LETTER_LINE, "Supervisora, Programa de Acompañantes, Compañeros En Salud"),
        ),
        "practice_heading": "PRÁCTICA: qué hacer con este borrador (borra esta parte al terminar)",
        "practice": (
            "Aplica el estilo Título a la primera línea y el estilo Subtítulo a la segunda.",
            "Aplica Título 1 a cada nombre de sección (Resumen, Asistencia, Visitas "
            "domiciliarias, Cifras del mes, Actividades del mes, Logros, Dificultades, "
            "Pendientes para agosto) y Título 2 al nombre de cada grupo dentro de Asistencia. "
            "Revisa en Vista > Panel de navegación.",
            "Convierte en lista con viñetas las actividades, los logros y los pendientes: "
            "Inicio > Párrafo > Viñetas.",
            "Los renglones de cifras están separados por tabulaciones: selecciónalos y usa "
            "Insertar > Tabla > Convertir texto en tabla. Dale un estilo de tabla, agrega una "
            "fila de Total y el título \"Cifras del mes por grupo\" (Referencias > Insertar "
            "título).",
            "Agrega números de página: Insertar > Número de página > Final de página.",
            "Pasa la carta a una hoja nueva (Insertar > Salto de página) y dale formato de carta "
            "formal: fecha a la derecha, asunto en negritas, cuerpo justificado, espacio para la "
            "firma.",
            "Guarda y compara tu informe con practica-word-informe-resuelto.docx.",
        ),
        "signature": "_______________________________",
    },
    "en": {
        "title": "Monthly supervision report: July 2023",
        "subtitle": "Acompañantes Program, Compañeros En Salud · Supervisor: {supervisor} · "
                    "Submitted on 4 August 2023",
        "summary_heading": "Summary",
        "summary": "In July the three groups held their monthly meeting and began the wellbeing "
                   "workshop with session 1: welcome, group agreements and the initial wellbeing "
                   "check. {present} of {members} Acompañantes attended ({rate}). The "
                   "Acompañantes made {visits} home visits in {communities} communities.",
        "attendance_heading": "Attendance",
        "attendance": "Each group met once in the month, from 10:00 to 13:00.",
        "meeting": "The meeting was on {day} at {place}. {present} of {members} Acompañantes "
                   "attended ({rate}).",
        "all_came": "Everyone came.",
        "one_absent": "One colleague let us know she could not come; we will visit her in "
                      "August.",
        "some_absent": "{absent} colleagues could not come; we will visit them in August.",
        "places": {"Grupo Reforma": "the ejido hall in Reforma",
                   "Grupo Monterrey": "the covered court in Monterrey",
                   "Grupo Salvador Urbina": "the primary school in Salvador Urbina"},
        "visits_heading": "Home visits",
        "visits": "In July the Acompañantes made {visits} home visits. By community: "
                  "{by_community}.",
        "figures_heading": "The month in figures",
        "figures": "By group: Acompañantes, how many came to the meeting, attendance rate and "
                   "home visits in July.",
        "figures_columns": ("Group", "Acompañantes", "Present", "Attendance", "Home visits"),
        "total": "Total",
        "caption_label": "Table",
        "caption": "The month's figures by group",
        "activities_heading": "Activities this month",
        "activities": (
            "Each group's monthly meeting, with session 1 of the wellbeing workshop.",
            "Introduction of the initial wellbeing check: voluntary and confidential; only the "
            "Acompañante and the program's mental-health clinic see it.",
            "Joining home visits in Letrero and Honduras (supportive supervision).",
            "Handing out the visit record sheets for August.",
            "Supervisors' meeting at the office in Jaltenango de la Paz.",
        ),
        "achievements_heading": "Achievements",
        "achievements": (
            "The three groups wrote their group agreements and put them up in their meeting "
            "place.",
            "{present} of {members} Acompañantes attended the first wellbeing session.",
            "All {communities} communities received home visits.",
        ),
        "difficulties_heading": "Difficulties",
        "difficulties": (
            "The rains cut the road to Matasano for two days; two visits moved to the following "
            "week.",
            "In Monterrey the covered court is noisy and has no chairs; for August we will ask "
            "in writing for the community hall in Laguna del Cofre.",
        ),
        "next_heading": "To do in August",
        "next": (
            "Ask in writing for the community hall in Laguna del Cofre for the August meeting.",
            "Visit the colleagues who could not come to the July meeting.",
            "Session 2 of the wellbeing workshop: breathing and being present.",
            "Submit the August report by 5 September at the latest.",
        ),
        "letter": (
            (LETTER_DATE, "Jaltenango de la Paz, Chiapas, 7 August 2023"),
            (LETTER_LINE, "Mr Bernardino Pérez Ochoa"),
            (LETTER_LINE, "Municipal agent of Laguna del Cofre"),
            (LETTER_SUBJECT, "Subject: Request to use the community hall"),
            (LETTER_LINE, "Dear Mr Pérez Ochoa,"),
            (LETTER_BODY, "I am writing to respectfully request the use of the community hall on "
                          "Tuesday 15 August 2023, from 10:00 to 13:00, for the monthly meeting "
                          "of the Grupo Monterrey of Acompañantes of Compañeros En Salud. Ten "
                          "Acompañantes and their supervisor will attend; we will leave the hall "
                          "clean and tidy."),
            (LETTER_BODY, "Thank you in advance for your support."),
            (LETTER_LINE, "Yours sincerely,"),
            (LETTER_SIGNER, "{supervisor}"),
            (LETTER_LINE, "Supervisor, Acompañantes Program, Compañeros En Salud"),
        ),
        "practice_heading": "PRACTICE: what to do with this draft (delete this part when you "
                            "finish)",
        "practice": (
            "Apply the Title style to the first line and the Subtitle style to the second.",
            "Apply Heading 1 to each section name (Summary, Attendance, Home visits, The month "
            "in figures, Activities this month, Achievements, Difficulties, To do in August) "
            "and Heading 2 to each group's name under Attendance. Check in View > Navigation "
            "Pane.",
            "Turn the activities, achievements and to-do lines into bulleted lists: Home > "
            "Paragraph > Bullets.",
            "The lines of figures are separated by tabs: select them and use Insert > Table > "
            "Convert Text to Table. Give it a table style, add a Total row and the caption "
            "\"The month's figures by group\" (References > Insert Caption).",
            "Add page numbers: Insert > Page Number > Bottom of Page.",
            "Move the letter to a new page (Insert > Page Break) and format it as a formal "
            "letter: date on the right, subject in bold, justified body, room for the "
            "signature.",
            "Save and compare your report with practica-word-informe-resuelto.docx.",
        ),
        "signature": "_______________________________",
    },
}


@dataclass(frozen=True)
class Block:
    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def report_docx(program: Program, lang: str, *, solved: bool, paper: str = "letter") -> bytes:
    """The draft to format (solved=False) or the formatted report with its letter, on `paper`
    ('letter' or 'a4')."""
    t = TEXTS[lang]
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAPER_SIZES[paper]
    properties = document.core_properties
    properties.title = t["title"]
    properties.author = properties.last_modified_by = SUPERVISOR
    properties.created = properties.modified = FIXED_DATETIME
    properties.revision = 1
    render = _formatted if solved else _plain
    for block in report_blocks(program, lang):
        render(document, block, t)
    if solved:
        _add_page_numbers(document)
    else:
        _practice_instructions(document, t)
    buffer = BytesIO()
    tag_docx(document, lang)
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def report_blocks(program: Program, lang: str) -> list[Block]:
    """The report's content in reading order, the same in the draft and the solved file."""
    t = TEXTS[lang]
    present = sum(program.present(group, MONTH) for group in program.groups)
    members = len(program.acompanantes)
    visits = sum(program.visits_in(community, MONTH) for community in program.communities)
    figures = {"present": present, "members": members, "rate": percent(present / members),
               "visits": visits, "communities": len(program.communities),
               "supervisor": SUPERVISOR}
    blocks = [
        Block(TITLE, t["title"]),
        Block(SUBTITLE, t["subtitle"].format(**figures)),
        Block(HEADING_1, t["summary_heading"]),
        Block(PARAGRAPH, t["summary"].format(**figures)),
        Block(HEADING_1, t["attendance_heading"]),
        Block(PARAGRAPH, t["attendance"]),
    ]
    for group in program.groups:
        blocks += [Block(HEADING_2, group), Block(PARAGRAPH, _meeting(program, group, t, lang))]
    by_community = ", ".join(f"{community} {program.visits_in(community, MONTH)}"
                             for community in program.communities)
    blocks += [
        Block(HEADING_1, t["visits_heading"]),
        Block(PARAGRAPH, t["visits"].format(visits=visits, by_community=by_community)),
        Block(HEADING_1, t["figures_heading"]),
        Block(PARAGRAPH, t["figures"]),
        Block(FIGURES, rows=(t["figures_columns"], *_group_figures(program))),
        Block(HEADING_1, t["activities_heading"]),
        Block(BULLETS, items=t["activities"]),
        Block(HEADING_1, t["achievements_heading"]),
        Block(BULLETS, items=tuple(item.format(**figures) for item in t["achievements"])),
        Block(HEADING_1, t["difficulties_heading"]),
        *(Block(PARAGRAPH, text) for text in t["difficulties"]),
        Block(HEADING_1, t["next_heading"]),
        Block(BULLETS, items=t["next"]),
        *(Block(kind, text.format(**figures)) for kind, text in t["letter"]),
    ]
    return blocks


def _meeting(program: Program, group: str, t: dict, lang: str) -> str:
    present, members = program.present(group, MONTH), program.members(group)
    absent = members - present
    sentence = t["meeting"].format(day=long_date(JULY_MEETINGS[group], lang),
                                   place=t["places"][group], present=present, members=members,
                                   rate=percent(present / members))
    follow_up = (t["all_came"] if absent == 0 else t["one_absent"] if absent == 1
                 else t["some_absent"].format(absent=absent))
    return f"{sentence} {follow_up}"


def _group_figures(program: Program) -> list[tuple[str, ...]]:
    return [(group, str(program.members(group)), str(program.present(group, MONTH)),
             percent(program.present(group, MONTH) / program.members(group)),
             str(program.group_visits(group, MONTH)))
            for group in program.groups]


def _plain(document: WordDocument, block: Block, t: dict) -> None:
    """The draft: everything Normal, lists as bare lines, figures as tab-separated lines."""
    if block.kind == BULLETS:
        for item in block.items:
            document.add_paragraph(item)
    elif block.kind == FIGURES:
        for row in block.rows:
            document.add_paragraph("\t".join(row))
    else:
        document.add_paragraph(block.text)


def _formatted(document: WordDocument, block: Block, t: dict) -> None:
    """The solved report: styles for structure, a table for figures, a letter on its own page."""
    if block.kind in (TITLE, SUBTITLE, HEADING_1, HEADING_2):
        document.add_paragraph(block.text, block.kind)
    elif block.kind == BULLETS:
        for item in block.items:
            document.add_paragraph(item, "List Bullet")
    elif block.kind == FIGURES:
        _figures_table(document, block.rows, t)
    elif block.kind == LETTER_DATE:  # the letter starts a page: the date breaks before itself
        # (a paragraph holding only a page break printed a blank page when the report filled
        # its last page: the break then stood at the top of a page of its own)
        paragraph = document.add_paragraph(block.text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.page_break_before = True
    elif block.kind == LETTER_SUBJECT:
        label, _, subject = block.text.partition(":")
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}:").bold = True
        paragraph.add_run(subject)
    elif block.kind == LETTER_BODY:
        paragraph = document.add_paragraph(block.text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.line_spacing = 1.15
    elif block.kind == LETTER_SIGNER:  # the name goes under a line to sign on
        document.add_paragraph()
        document.add_paragraph(t["signature"])
        document.add_paragraph(block.text)
    else:
        document.add_paragraph(block.text)


def _figures_table(document: WordDocument, rows: tuple[tuple[str, ...], ...], t: dict) -> None:
    """The figures with a Total row, numbers right-aligned, and a numbered caption below."""
    header, *body = rows
    members = sum(int(row[1]) for row in body)
    present = sum(int(row[2]) for row in body)
    total = (t["total"], str(members), str(present), percent(present / members),
             str(sum(int(row[4]) for row in body)))
    table = document.add_table(rows=0, cols=len(header))
    table.style = document.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for values in (header, *body, total):
        cells = table.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.text = value
            if column > 0:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for cell in table.rows[-1].cells:  # the Total row stands out like Word's "Total Row"
        cell.paragraphs[0].runs[0].bold = True
    caption = document.add_paragraph(style="Caption")
    caption.add_run(f"{t['caption_label']} ")
    _add_field(caption, f"SEQ {t['caption_label']} \\* ARABIC", "1")  # Insert Caption's number
    caption.add_run(f". {t['caption']}")


def _add_field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (Word recomputes it), showing `shown` until it does."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _add_page_numbers(document: WordDocument) -> None:
    """A centred PAGE field in the footer, as Insert > Page Number makes."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_field(paragraph, "PAGE", "1")


def _practice_instructions(document: WordDocument, t: dict) -> None:
    """The exercise's tasks after the draft, numbered by hand so they need no list style."""
    document.add_paragraph("—" * 20)
    document.add_paragraph(t["practice_heading"])
    for number, task in enumerate(t["practice"], 1):
        document.add_paragraph(f"{number}. {task}")
