"""Words the outputs share, in the program's language (Spanish first, English second)."""

from __future__ import annotations

from acompana.domain.scheduler.plan import PlannedSession
from acompana.domain.scheduler.problem import PlanningProblem

LABELS = {
    "es": {"overview": "Resumen", "group": "Grupo", "name": "Nombre", "supervisor": "Supervisora",
           "facilitator": "Cofacilitadora", "session": "Sesión", "title": "Título",
           "date": "Fecha", "day": "Día", "start": "Inicio", "end": "Fin",
           "community": "Comunidad", "status": "Estado", "wave": "Evaluación",
           "cohort": "Cohorte", "supervisors_track": "Formación de supervisoras",
           "planned": "planeada", "held": "realizada", "missed": "no realizada",
           "work_plan": "Plan de trabajo", "period": "Periodo", "closures": "Cierres",
           "holidays": "Días festivos", "more_groups": "grupos más",
           "waves": "Evaluaciones", "solver": "Calidad del plan", "leads": "Facilita",
           "wellbeing_sessions": "sesiones de bienestar",
           "supervisors_sessions": "sesiones de formación de supervisoras",
           "unstaffed": "Grupos sin planear todavía"},
    "en": {"overview": "Overview", "group": "Group", "name": "Name", "supervisor": "Supervisor",
           "facilitator": "Co-facilitator", "session": "Session", "title": "Title",
           "date": "Date", "day": "Day", "start": "Start", "end": "End",
           "community": "Community", "status": "Status", "wave": "Assessment",
           "cohort": "Cohort", "supervisors_track": "Supervisors' training",
           "planned": "planned", "held": "held", "missed": "missed",
           "work_plan": "Work plan", "period": "Period", "closures": "Closures",
           "holidays": "Public holidays", "more_groups": "more groups",
           "waves": "Assessments", "solver": "Plan quality", "leads": "Led by",
           "wellbeing_sessions": "wellbeing sessions",
           "supervisors_sessions": "supervisors' training sessions",
           "unstaffed": "Groups not planned yet"},
}


def session_title(problem: PlanningProblem, row: PlannedSession) -> str:
    """The session's title from the curriculum ('' until the curriculum gives one)."""
    spec = problem.session_by_id.get(row.session)
    return spec.title if spec else ""


def session_number(problem: PlanningProblem, row: PlannedSession) -> int:
    spec = problem.session_by_id.get(row.session)
    return spec.number if spec else 0


def wave_of(problem: PlanningProblem, row: PlannedSession) -> str:
    """The assessment wave held at this wellbeing session, if any ('baseline')."""
    if row.track != "wellbeing":
        return ""
    number = session_number(problem, row)
    return ", ".join(wave for wave, n in problem.assessment_waves if n == number)


def community_name(problem: PlanningProblem, community: str) -> str:
    found = problem.community_by_id.get(community)
    return found.name if found else community


def group_name(problem: PlanningProblem, group: str | None) -> str:
    found = problem.group_by_id.get(group or "")
    return found.name if found else (group or "")

