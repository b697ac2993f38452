"""Template access to the policy: `{% if actor|may:"programs:group_list" %}`."""

from django import template

from acompana import policy

register = template.Library()


@register.filter
def may(actor: policy.Actor | None, view_name: str) -> bool:
    return actor is not None and policy.may_open(actor, view_name)
