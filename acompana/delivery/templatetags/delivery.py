"""Small helpers for the sheet-shaped entry page."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html

register = template.Library()


@register.filter
def get(mapping: dict, key: str):
    return mapping.get(key, "") if mapping else ""


@register.filter
def split(text: str) -> list[str]:
    return text.split()


@register.filter
def differences(saved: dict, typed: dict) -> list[tuple[str, str, str]]:
    """Fields where the saved sheet and the typed one differ."""
    names = sorted((set(saved or {}) | set(typed or {})) - {"csrfmiddlewaretoken", "version"})
    return [(name, saved.get(name, ""), typed.get(name, "")) for name in names
            if str(saved.get(name, "")) != str(typed.get(name, ""))]


@register.simple_tag
def field_error(errors: dict, name: str):
    message = errors.get(name) if errors else None
    return format_html('<span class="field-error" id="{}-error" role="alert">{}</span>', name,
                       message) if message else ""


@register.filter
def percent(share: float | None) -> str:
    """A share as a percentage with one decimal: error rates are small."""
    return "—" if share is None else f"{floatformat(share * 100, 1)} %"


@register.filter
def box_label(name: str, page) -> str:
    """'Asistencia: Elena Villatoro' for 'attendance-ac-g01-01': the paper's words."""
    from acompana.delivery.selectors import box_label as label

    return label(name, page)


@register.simple_tag
def fidelity_choices() -> list[tuple[str, str]]:
    """(value, words) of each fidelity mark: radios labelled in words, not codes."""
    from acompana.delivery.models import FidelityItem

    return FidelityItem.Status.choices
