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
        from acompana.delivery.selectors import acompanante_year

        pages.append(reverse("wellbeing:answer"))
        pages += [reverse("delivery:handout", kwargs={"key": s.planned.key})
                  for s in acompanante_year(actor=actor, lang="es").past[:5]]
    if actor.role in (Role.FACILITATOR, Role.SUPERVISOR):
        from acompana.delivery.selectors import kit_sessions

        pages += [reverse("delivery:kit", kwargs={"key": session.key})
                  for session in kit_sessions(actor=actor)]
    return pages


def conflicting_sheet(*, person: Person, submission_id: str, key: str) -> dict | None:
    """The sheet this person's phone sent for session `key` that met a newer save, as typed."""
    from acompana.offline.models import Submission

    try:
        wanted = uuid.UUID(submission_id)
    except ValueError:
        return None
    submission = Submission.objects.filter(submission_id=wanted, person=person,
                                           status=Submission.Status.CONFLICT).first()
    if submission is None or submission.outcome.get("key") != key:
        return None
    return dict(submission.outcome.get("fields", {}))
