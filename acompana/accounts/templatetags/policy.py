"""Template access to the policy: `{% if actor|may:"programs:group_list" %}`."""

from django import template

from acompana import policy

register = template.Library()


@register.filter
def may(actor: policy.Actor | None, view_name: str) -> bool:
    return actor is not None and policy.may_open(actor, view_name)


@register.simple_tag
def main_menu(actor: policy.Actor | None) -> list:
    """The menu's sections for the actor (see acompana.menu)."""
    from acompana.menu import menu_for

    return menu_for(actor) if actor is not None else []
