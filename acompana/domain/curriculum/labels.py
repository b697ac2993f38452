"""The fixed words of the printed materials, in each language of the curriculum."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "es": {
        "program": "Acompaña",
        "facilitator_guide": "Guía de facilitación",
        "participant_handout": "Hoja para participantes",
        "attendance_sheet": "Asistencia y evaluación",
        "slides": "Diapositivas",
        "overview": "Presentación del programa",
        "contents": "Contenido",
        "session": "Sesión",
        "sessions": "sesiones",
        "duration": "Duración",
        "minutes": "min",
        "minutes_long": "minutos",
        "prerequisites": "Antes de esta sesión",
        "objectives": "Objetivos",
        "materials": "Materiales",
        "without_power": "Sin electricidad",
        "timings": "Tiempos",
        "start": "Inicio",
        "activity": "Actividad",
        "kind": "Tipo",
        "total": "Total",
        "facilitator_notes": "Nota para quien facilita",
        "low_literacy": "Si algunas personas leen poco",
        "take_home": "Para practicar en casa",
        "references": "Referencias",
        "audience": "Para",
        "audience_acompanantes": "Acompañantes",
        "audience_supervisors": "Supervisoras",
        "how_to_use": "Cada capítulo es una sesión: primero sus objetivos, materiales y tiempos; "
                      "después cada actividad con sus pasos numerados, notas para quien facilita "
                      "y adaptaciones para quienes leen poco.",
        "my_notes": "Mis notas y dibujos",
        "help_ask_facilitator": "Pide a tu facilitadora el teléfono de la clínica y de las "
                                "líneas de ayuda.",
        "group": "Grupo",
        "community": "Comunidad",
        "date": "Fecha",
        "facilitator": "Facilita",
        "facilitators_one": "Facilitadora",
        "facilitators_many": "Facilitadoras",
        "meeting_place": "Lugar",
        "usual_meeting": "Se reúne",
        "meeting_groups": "Grupos: quién facilita, dónde y cuándo",
        "number_sign": "Núm.",
        "name": "Nombre",
        "signature": "Firma o huella",
        "held": "¿Se realizó la sesión?",
        "yes": "Sí",
        "no_because": "No; motivo:",
        "duration_done": "Duración",
        "present": "Presente",
        "absent": "Ausente",
        "excused": "Justificada",
        "fidelity": "¿Cómo se hicieron las actividades?",
        "done": "Como dice la guía",
        "adapted": "Adaptada",
        "skipped": "No se hizo",
        "notes": "Notas",
        "evaluation_questions": "Boleta de opinión (privada)",
        "evaluation_how": "Boleta privada: en un rincón o detrás de una tela, la co-facilitadora "
                          "pone, para cada pregunta, tres botes tapados con su carita (no, más o "
                          "menos, sí). Cada participante pasa sola y echa un "
                          "grano en el bote de su respuesta, o marca la carita en un papelito que "
                          "dobla y mete en una bolsa. Nadie ve qué puso nadie. Al final la "
                          "co-facilitadora cuenta los granos o papelitos y anota el número bajo "
                          "cada carita.",
        "teach_back": "Enseñar de vuelta",
        "teach_back_how": "Antes de la boleta, en parejas, cada una le enseña a su compañera la "
                          "habilidad de hoy, con sus palabras y haciéndola. La co-facilitadora "
                          "pasa por las parejas, escucha y cuenta cuántas la muestran completa. No "
                          "se califica a nadie: si a alguien le falta un paso, se repasa juntas.",
        "teach_back_count": "Enseñar de vuelta: la mostraron completa",
        "of": "de",
        "participants": "participantes",
        "safety_counts": "Cuidado durante la sesión (solo números, nunca nombres)",
        "distress_moments": "Momentos de angustia (alguien lloró mucho, se desbordó o tuvo que "
                            "salir)",
        "referrals_offered": "Canalizaciones ofrecidas (a la clínica o a una línea de ayuda)",
        "face_sad": "No",
        "face_neutral": "Más o menos",
        "face_happy": "Sí",
        "materials_index": "Materiales del programa",
        "flipchart": "Rotafolio",
        "where_to_get_help": "Dónde pedir ayuda",
        "flipchart_letter": "Rotafolio en hojas tamaño carta",
        "flip_group_sees": "El grupo ve ahora",
        "cards": "Tarjetas",
        "worksheets": "Hojas de trabajo",
        "picture_credits": "Créditos de las imágenes",
        "picture_credits_intro": "Las imágenes de estos materiales tienen licencias abiertas. "
                                 "Aquí está de dónde viene cada una y bajo qué licencia se usa.",
        "picture": "Imagen",
        "picture_description": "Qué muestra",
        "picture_origin": "Autoría y origen",
        "picture_licence": "Licencia",
        "picture_drawn": "dibujo hecho para este currículo",
        "language_name": "Español",
        "docx": "Word",
        "pdf": "PDF",
        "pptx": "PowerPoint",
        "practice_files": "Archivos de práctica",
        "kind_opening": "Apertura",
        "kind_dinamica": "Dinámica",
        "kind_reflection": "Reflexión",
        "kind_practice": "Práctica",
        "kind_input": "Exposición",
        "kind_break": "Pausa",
        "kind_closing": "Cierre",
    },
    "en": {
        "program": "Acompaña",
        "facilitator_guide": "Facilitator guide",
        "participant_handout": "Participant handout",
        "attendance_sheet": "Attendance and evaluation",
        "slides": "Slides",
        "overview": "Program overview",
        "contents": "Contents",
        "session": "Session",
        "sessions": "sessions",
        "duration": "Duration",
        "minutes": "min",
        "minutes_long": "minutes",
        "prerequisites": "Before this session",
        "objectives": "Objectives",
        "materials": "Materials",
        "without_power": "Without electricity",
        "timings": "Timings",
        "start": "Start",
        "activity": "Activity",
        "kind": "Kind",
        "total": "Total",
        "facilitator_notes": "Facilitator note",
        "low_literacy": "If some people read little",
        "take_home": "To practise at home",
        "references": "References",
        "audience": "For",
        "audience_acompanantes": "Acompañantes",
        "audience_supervisors": "Supervisors",
        "how_to_use": "Each chapter is one session: first its objectives, materials and timings; "
                      "then each activity with numbered steps, facilitator notes and adaptations "
                      "for those who read little.",
        "my_notes": "My notes and drawings",
        "help_ask_facilitator": "Ask your facilitator for the phone numbers of the clinic and "
                                "the help lines.",
        "group": "Group",
        "community": "Community",
        "date": "Date",
        "facilitator": "Facilitator",
        "facilitators_one": "Facilitator",
        "facilitators_many": "Facilitators",
        "meeting_place": "Place",
        "usual_meeting": "Meets",
        "meeting_groups": "Groups: who facilitates, where and when",
        "number_sign": "No.",
        "name": "Name",
        "signature": "Signature or thumbprint",
        "held": "Was the session held?",
        "yes": "Yes",
        "no_because": "No; reason:",
        "duration_done": "Duration",
        "present": "Present",
        "absent": "Absent",
        "excused": "Excused",
        "fidelity": "How were the activities done?",
        "done": "As in the guide",
        "adapted": "Adapted",
        "skipped": "Not done",
        "notes": "Notes",
        "evaluation_questions": "Opinion ballot (private)",
        "evaluation_how": "Private ballot: in a corner or behind a cloth, the co-facilitator sets "
                          "out, for each question, three covered pots with their face (no, "
                          "somewhat, yes). Each participant goes alone and drops a "
                          "grain into the pot of her answer, or marks the face on a slip of paper "
                          "that she folds and puts in a bag. Nobody sees what anyone chose. At "
                          "the end the co-facilitator counts the grains or slips and writes the "
                          "number under each face.",
        "teach_back": "Teach-back",
        "teach_back_how": "Before the ballot, in pairs, each one teaches her partner today's "
                          "skill, in her own words and doing it. The co-facilitator goes round "
                          "the pairs, listens and counts how many show it completely. Nobody is "
                          "graded: if someone misses a step, it is gone over together.",
        "teach_back_count": "Teach-back: showed it completely",
        "of": "of",
        "participants": "participants",
        "safety_counts": "Care during the session (numbers only, never names)",
        "distress_moments": "Moments of distress (someone cried hard, was overwhelmed or had to "
                            "step out)",
        "referrals_offered": "Referrals offered (to the clinician or a help line)",
        "face_sad": "No",
        "face_neutral": "Somewhat",
        "face_happy": "Yes",
        "materials_index": "Program materials",
        "flipchart": "Flip chart",
        "where_to_get_help": "Where to get help",
        "flipchart_letter": "Flip chart on letter pages",
        "flip_group_sees": "The group now sees",
        "cards": "Cards",
        "worksheets": "Worksheets",
        "picture_credits": "Picture credits",
        "picture_credits_intro": "The pictures in these materials are openly licensed. Here is "
                                 "where each one comes from and the licence it is used under.",
        "picture": "Picture",
        "picture_description": "What it shows",
        "picture_origin": "Author and origin",
        "picture_licence": "Licence",
        "picture_drawn": "drawn for this curriculum",
        "language_name": "English",
        "docx": "Word",
        "pdf": "PDF",
        "pptx": "PowerPoint",
        "practice_files": "Practice files",
        "kind_opening": "Opening",
        "kind_dinamica": "Energiser",
        "kind_reflection": "Reflection",
        "kind_practice": "Practice",
        "kind_input": "Input",
        "kind_break": "Break",
        "kind_closing": "Closing",
    },
}


WEEKDAY_NAMES = {
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
# The n-th weekday of the month (-1: the last), as a meeting rule says it.
ORDINALS = {
    "es": {1: "primer", 2: "segundo", 3: "tercer", 4: "cuarto", -1: "último"},
    "en": {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"},
}


def labels(lang: str) -> dict[str, str]:
    return LABELS[lang]


def meeting_when(weekday: int | None, week_of_month: int | None, start: str, lang: str) -> str:
    """'segundo martes de cada mes, 10:00'; what is unknown is left out."""
    day = ""
    if weekday is not None:
        day = WEEKDAY_NAMES[lang][weekday]
        if lang == "en" and week_of_month in ORDINALS[lang]:
            day = f"{ORDINALS[lang][week_of_month]} {day} of each month"
        elif week_of_month in ORDINALS[lang]:
            day = f"{ORDINALS[lang][week_of_month]} {day} de cada mes"
    return ", ".join(part for part in (day, start) if part)


def join_names(names: tuple[str, ...] | list[str], lang: str) -> str:
    """'Ana, Bety y Carmen'; Spanish says 'e' before an i sound ('Ana e Isabel')."""
    if len(names) < 2:
        return "".join(names)
    last = names[-1]
    i_sound = last.lower().startswith(("i", "hi", "í", "hí")) and not last.lower().startswith(
        "hie")
    conjunction = "and" if lang == "en" else "e" if i_sound else "y"
    return f"{', '.join(names[:-1])} {conjunction} {last}"
