"""The three Acompaña paper forms, laid out page by page from plain data.

Attendance and feedback sheet: one line per participant with her attendance (P/A/J) and, for
each evaluation question, a three-face scale she marks herself on her own line. Every mark on
the sheet is then the same thing the reader is best at, one filled bubble out of a few in a
known place; nobody counts hands or writes a number, an empty face scale simply means no answer
(or absent), and a face marked on an absent person's line can be checked against attendance.
Tally bubbles 0-15 per face would need 48 bubbles per question, a count that is easy to get
wrong, and a cap on the group size.
"""

from __future__ import annotations

from acompana.domain.omr.errors import UnknownFormVersionError
from acompana.domain.omr.layout import GROUP_GAP_MM, NUMBER_MM, Column, PageFlow, Row, table
from acompana.domain.omr.spec import FORM_VERSIONS, FormIdentity, FormSpec

ATTENDANCE = (("present", "Presente"), ("absent", "Ausente"), ("excused", "Justificada"))
FIDELITY = (("done", "Hecha"), ("adapted", "Adaptada"), ("skipped", "No se hizo"))
THREE_FACES = (("1", "Mal"), ("2", "Regular"), ("3", "Bien"))
FIVE_FACES = (("1", "Muy mal"), ("2", "Mal"), ("3", "Regular"), ("4", "Bien"), ("5", "Muy bien"))
TOPICS = (("sessions", "Las sesiones"), ("schedule", "El horario"), ("place", "El lugar"),
          ("facilitation", "La facilitación"), ("other", "Otra cosa"))
NAME_MIN_MM = 48.0
WAVE_WORDS = {"baseline": "inicial", "midline": "intermedia", "endline": "final"}


def attendance_form(program: str, group: str, session_id: str, session_title: str,
                    roster: list[tuple[str, str]], activities: list[str], questions: list[str],
                    paper: str = "a4", *, group_name: str = "",
                    program_name: str = "") -> list[FormSpec]:
    """The attendance-and-feedback sheet of one group's session; pages as many as needed. The
    ids go in the QR code; the names (when given) are what the page says."""
    identity = FormIdentity("attendance", _version("attendance"), program, group, session_id,
                            paper=paper)
    flow = PageFlow(identity, "Asistencia y evaluación de la sesión", [
        f"Sesión: {session_title}",
        f"Grupo: {group_name or group}   Programa: {program_name or program}",
        "Fecha: ______________   Facilitadora: ______________________"])
    _roster_tables(flow, roster, questions)
    if activities:
        flow.paragraph("Actividades de la sesión: ¿cómo se hizo cada una?", 12, bold=True)
        table(flow, "Actividad", [Column("activity", "", FIDELITY, tuple(label for _, label
                                                                       in FIDELITY),
                                         required=True, pitch=17.0)],
              [Row(str(n), f"{n}.", text, f"Actividad {n}")
               for n, text in enumerate(activities, start=1)])
    flow.text_box("notes", "Observaciones de la facilitadora", 35.0)
    return flow.specs()


def _roster_tables(flow: PageFlow, roster: list[tuple[str, str]], questions: list[str]) -> None:
    """Attendance beside as many questions as fit; further questions get the roster again."""
    attendance = Column("attendance", "Asistencia", ATTENDANCE, ("P", "A", "J"), required=True)
    faces = [Column(f"q{n}", f"Pregunta {n}", THREE_FACES, faces=True)
             for n in range(1, len(questions) + 1)]
    rows = [Row(person_id, f"{n}.", name, name)
            for n, (person_id, name) in enumerate(roster, start=1)]
    pending, first = list(zip(faces, questions, strict=True)), True
    while first or pending:
        fixed = [attendance] if first else []
        room = flow.area.w - NUMBER_MM - NAME_MIN_MM - sum(c.width + GROUP_GAP_MM for c in fixed)
        count = max(0, int((room + GROUP_GAP_MM) // (faces[0].width + GROUP_GAP_MM))) if faces \
            else 0
        chunk, pending = pending[:count], pending[count:]
        _roster_legend(flow, first, chunk)
        table(flow, "Nombre", fixed + [column for column, _ in chunk], rows, one_line=True)
        first = False


def _roster_legend(flow: PageFlow, with_attendance: bool,
                   chunk: list[tuple[Column, str]]) -> None:
    if with_attendance:
        flow.paragraph("Asistencia: P = presente, A = ausente, J = ausencia justificada.", 11)
    if chunk:
        flow.paragraph("Evaluación: cada participante marca en su renglón la carita de su "
                       "respuesta.", 11)
        for column, question in chunk:
            flow.paragraph(f"{column.heading}: {question}", 11, indent=4.0, gap=0.2)
        flow.y += 1.5


def questionnaire_form(program: str, instrument_id: str, title: str,
                       items: list[tuple[int | str, str]], options: list[tuple[str, str]],
                       wave: str, paper: str = "a4",
                       sections: list[tuple[list[tuple[str, str]],
                                            list[tuple[int | str, str]]]] | None = None,
                       *, program_name: str = "") -> list[FormSpec]:
    """A wellbeing questionnaire: one row per item, one bubble per answer option. `sections`
    (answer options, items) replaces `options` and `items` for instruments whose items are
    answered on more than one scale; each section gets its own heads."""
    identity = FormIdentity("questionnaire", _version("questionnaire"), program, occasion=wave,
                            instrument=instrument_id, paper=paper)
    flow = PageFlow(identity, title, [f"Programa: {program_name or program}   "
                                      f"Ronda: {WAVE_WORDS.get(wave, wave)}",
                                      "Marca una respuesta en cada renglón."])
    flow.text_box("respondent", "Nombre o código", 12.0)
    for section_options, section_items in sections or [(options, items)]:
        pitch = min(20.0, max(12.0, flow.area.w * 0.5 / len(section_options)))
        answers = Column("item", "", tuple(section_options),
                         tuple(label for _, label in section_options), pitch=pitch)
        table(flow, "Pregunta", [answers],
              [Row(str(number), f"{number}.", text, f"Pregunta {number}")
               for number, text in section_items])
    return flow.specs()


def suggestion_slip(program: str, group: str, paper: str = "a4", *, group_name: str = "",
                    program_name: str = "") -> list[FormSpec]:
    """An anonymous suggestion: how she feels in the group, what it is about, and her words."""
    identity = FormIdentity("suggestion", _version("suggestion"), program, group, paper=paper)
    flow = PageFlow(identity, "Buzón de sugerencias", [
        f"Grupo: {group_name or group}   Programa: {program_name or program}",
        "No hace falta escribir tu nombre."])
    flow.paragraph("¿Cómo te sientes en el grupo?", 13, bold=True)
    table(flow, "", [Column("feeling", "", FIVE_FACES, tuple(label for _, label in FIVE_FACES),
                            faces=True, pitch=18.0)], [Row("group", "", "", "Sentir")],
          centred=True)
    flow.paragraph("¿De qué trata tu sugerencia?", 13, bold=True)
    table(flow, "", [Column("topic", "", TOPICS, tuple(label for _, label in TOPICS),
                            pitch=flow.area.w / len(TOPICS) - 1.0)], [Row("main", "", "", "Tema")],
          centred=True)
    flow.text_box("suggestion", "Escribe o dibuja tu sugerencia", flow.bottom - flow.y - 4.0)
    return flow.specs()


def rebuild_spec(identity: FormIdentity) -> FormSpec | None:
    """The layout of forms that need nothing but their QR identity (suggestion slips)."""
    if identity.form_type != "suggestion" or identity.form_version not in FORM_VERSIONS[
            "suggestion"]:
        return None
    specs = suggestion_slip(identity.program, identity.group, identity.paper)
    return specs[identity.page - 1] if identity.page <= len(specs) else None


def _version(form_type: str) -> int:
    """The newest layout version, the one printed now."""
    versions = FORM_VERSIONS.get(form_type)
    if not versions:
        raise UnknownFormVersionError(f"there is no form type {form_type!r}.")
    return max(versions)
