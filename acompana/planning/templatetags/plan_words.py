"""Sessions named as people name them on pages: 'Sesión 2: Respirar…', never 'bienestar-02'."""

from django import template

from acompana.planning.selectors import session_name as name_of_session

register = template.Library()


@register.filter
def session_name(session_code: str) -> str:
    """'Sesión 2: Respirar y estar presentes'."""
    return name_of_session(session_code)


@register.filter
def session_number(session_code: str) -> str:
    """'Sesión 2' (where the title does not fit, as in a calendar's day)."""
    return name_of_session(session_code, title=False)


@register.filter
def status_word(status: str) -> str:
    """'planned' -> 'Planeada': a session's status in words (the history keeps the codes)."""
    from acompana.planning.models import Status

    return str(dict(Status.choices).get(status, status))


@register.filter
def wave_name(wave: str) -> str:
    """'baseline' -> 'Línea de base': a questionnaire wave in words."""
    from acompana.wellbeing.models import Wave

    return str(dict(Wave.choices).get(wave, wave))
