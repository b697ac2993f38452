"""Writing to the audit trail."""

from __future__ import annotations

from acompana.audit.models import AuditEntry


def do_record_access(*, actor, action: str, subject: str = "", target: str = "",
                     allowed: bool) -> AuditEntry:
    """Record one view, export or refused attempt on a record. Never pass answers or scores."""
    person = getattr(actor, "person", None)
    return AuditEntry.objects.create(
        user_id=getattr(actor, "user_id", None),
        actor=f"{person.code} ({person.role})" if person else "",
        program_id=person.program_id if person else None,
        action=action, subject=subject, target=target,
        outcome=AuditEntry.Outcome.ALLOWED if allowed else AuditEntry.Outcome.REFUSED)
