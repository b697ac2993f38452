"""Reads of the installable app."""

from __future__ import annotations

import uuid

from acompana.offline.models import DeviceKey
from acompana.programs.models import Person


def own_keys(person: Person, key_ids: list[str]) -> dict[str, bytes]:
    """The keys among `key_ids` that were given to this person; another person's stay unknown."""
    wanted = []
    for key_id in key_ids[:50]:
        try:
            wanted.append(uuid.UUID(key_id))
        except ValueError:
            continue
    return {str(key.key_id): bytes(key.secret)
            for key in DeviceKey.objects.filter(person=person, key_id__in=wanted)}


def pages_to_keep(actor) -> list[str]:
    """The pages the service worker keeps on this person's phone, to open with no signal."""
    from django.urls import reverse

    from acompana.programs.models import Role

    pages = [reverse("home")]
    if actor.role == Role.ACOMPANANTE:
        pages.append(reverse("wellbeing:answer"))
    return pages
