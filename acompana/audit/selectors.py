"""Reading the audit trail: filtered within what the actor may see, and as a table."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from acompana.audit import recording
from acompana.policy import Actor, visible_audit_entries

# What the trail can be narrowed to: kind in the URL -> actions.
KINDS = {
    "records": (recording.CREATE, recording.UPDATE, recording.DELETE),
    "logins": (recording.LOGIN, recording.LOGOUT, recording.LOGIN_FAILED, recording.LOCKED_OUT),
    "refused": None,  # by outcome: every refusal, whatever the action
}
EXPORT_HEADER = ["at", "actor", "user_id", "address", "action", "subject", "target", "outcome",
                 "changes"]


@dataclass(frozen=True)
class TrailFilter:
    kind: str = ""
    who: str = ""
    record: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def from_query(cls, query) -> TrailFilter:
        def date(name: str) -> dt.date | None:
            try:
                return dt.date.fromisoformat(query.get(name, ""))
            except ValueError:
                return None

        kind = query.get("kind", "")
        return cls(kind=kind if kind in KINDS else "", who=query.get("who", "").strip(),
                   record=query.get("record", "").strip(), start=date("start"),
                   end=date("end"))


def trail(*, actor: Actor, filters: TrailFilter) -> QuerySet:
    entries = visible_audit_entries(actor)
    if filters.kind == "refused":
        entries = entries.filter(outcome="refused")
    elif filters.kind:
        entries = entries.filter(action__in=KINDS[filters.kind])
    if filters.who:
        entries = entries.filter(actor__icontains=filters.who)
    if filters.record:
        entries = entries.filter(Q(target__icontains=filters.record)
                                 | Q(subject__icontains=filters.record))
    if filters.start:
        entries = entries.filter(at__date__gte=filters.start)
    if filters.end:
        entries = entries.filter(at__date__lte=filters.end)
    return entries


def export_rows(entries: QuerySet) -> Iterator[list]:
    for entry in entries.iterator():
        yield [timezone.localtime(entry.at).isoformat(timespec="seconds"), entry.actor,
               entry.user_id, entry.address, entry.action, entry.subject, entry.target,
               entry.outcome,
               json.dumps(entry.changes, ensure_ascii=False) if entry.changes else ""]
