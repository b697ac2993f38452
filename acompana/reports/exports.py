"""The tables a program can take away, each as a header and rows, within the actor's scope."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from acompana.delivery.models import Attendance, SessionLog
from acompana.policy import Actor, visible_groups, visible_sessions, visible_suggestions

TABLES = {
    "sesiones": _("Session logs"),
    "asistencia": _("Attendance"),
    "sugerencias": _("Suggestions"),
    "plan": _("Work plan"),
}


def table(name: str, *, actor: Actor, period) -> tuple[list[str], Iterator[list]]:
    groups = visible_groups(actor)
    dates = (period.start, period.end)
    if name == "sesiones":
        logs = (SessionLog.objects.filter(group__in=groups, date__range=dates)
                .select_related("group", "facilitator")
                .annotate(present=Count("attendance", filter=Q(attendance__status="present")))
                .order_by("date", "group__code"))
        return (["date", "group", "session", "outcome", "cancel_reason", "facilitator",
                 "duration_minutes", "present", "notes"],
                ([log.date, log.group.code, log.session_code, log.outcome, log.cancel_reason,
                  log.facilitator.code, log.duration_minutes, log.present, log.notes]
                 for log in logs.iterator()))
    if name == "asistencia":
        rows = (Attendance.objects.filter(log__group__in=groups, log__date__range=dates)
                .values_list("log__date", "log__group__code", "log__session_code",
                             "person__code", "person__name", "status")
                .order_by("log__date", "log__group__code", "person__code"))
        return (["date", "group", "session", "person", "name", "status"],
                (list(row) for row in rows.iterator()))
    if name == "sugerencias":
        suggestions = visible_suggestions(actor).filter(received_on__range=dates)
        return (["received_on", "group", "person", "text", "status", "reason"],
                ([s.received_on, s.group.code if s.group else "",
                  s.person.code if s.person else "", s.text, s.status, s.reason]
                 for s in suggestions))
    sessions = visible_sessions(actor).filter(date__range=dates).order_by("date", "key")
    return (["id", "track", "session", "group", "supervisor", "facilitator", "community",
             "date", "start", "end", "status"],
            ([s.key, s.track, s.session_code, s.group.code if s.group else "",
              s.supervisor.code, s.facilitator.code, s.community.code, s.date,
              s.start.strftime("%H:%M"), s.end.strftime("%H:%M"), s.status]
             for s in sessions))
