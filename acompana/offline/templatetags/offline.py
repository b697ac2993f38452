"""The installable app's settings for the page's scripts, as JSON (no inline script)."""

from django import template
from django.urls import reverse
from django.utils.html import json_script

from acompana.offline.selectors import pages_to_keep

register = template.Library()


@register.simple_tag(takes_context=True)
def offline_config(context) -> str:
    request = context.get("request")
    actor = getattr(request, "actor", None) if request else None
    logged_in = bool(actor and actor.person)
    return json_script({
        "worker": reverse("offline:service_worker"), "key": reverse("offline:key"),
        "send": reverse("offline:send"), "logged_in": logged_in,
        "keep": pages_to_keep(actor) if logged_in else []}, "offline-config")
