"""Office-hours entry of a session's paper sheet, laid out like the sheet itself."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from acompana.delivery import selectors, services
from acompana.delivery.models import Suggestion
from acompana.domain.attendance_import import CANONICAL_COLUMNS, ImportRejected
from acompana.domain.session_sheet import SessionSheet
from acompana.i18n import say
from acompana.policy import (
    may_decide_suggestion,
    visible_groups,
    visible_people,
    visible_suggestions,
)


def sheet_from_post(post) -> tuple[SessionSheet, dict]:
    """The sheet as typed, and the raw values to show again if it is refused."""
    def number(name: str) -> int | None:
        try:
            return int(post.get(name, ""))
        except ValueError:
            return None

    try:
        date = dt.date.fromisoformat(post.get("date", ""))
    except ValueError:
        date = None
    attendance = {name.removeprefix("attendance-"): value for name, value in post.items()
                  if name.startswith("attendance-")}
    fidelity = {int(name.removeprefix("fidelity-")): value for name, value in post.items()
                if name.startswith("fidelity-") and name.removeprefix("fidelity-").isdigit()}
    feedback = {}
    for name in post:
        parts = name.split("-")
        if parts[0] == "feedback" and len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            feedback[(int(parts[1]), int(parts[2]))] = number(name) or 0
    sheet = SessionSheet(outcome=post.get("outcome", ""), date=date,
                         facilitator=post.get("facilitator", ""),
                         duration_minutes=number("duration_minutes"),
                         cancel_reason=post.get("cancel_reason", ""), attendance=attendance,
                         fidelity=fidelity, feedback=feedback, notes=post.get("notes", ""))
    return sheet, dict(post.items())


def typed_from_log(page) -> dict:
    """The saved log as form values, for editing it again."""
    log = page.log
    if log is None:
        return {"date": page.planned.date.isoformat(), "outcome": "held",
                "facilitator": page.planned.facilitator.code}
    typed = {"date": log.date.isoformat(), "outcome": log.outcome,
             "facilitator": log.facilitator.code, "cancel_reason": log.cancel_reason,
             "duration_minutes": str(log.duration_minutes or ""), "notes": log.notes}
    typed |= {f"attendance-{a.person.code}": a.status for a in log.attendance.all()}
    typed |= {f"fidelity-{f.position}": f.status for f in log.fidelity.all()}
    typed |= {f"feedback-{f.question}-{f.face}": str(f.count) for f in log.feedback.all()}
    return typed


def entry_view(request, key: str):
    page = selectors.sheet_page(actor=request.actor, key=key)
    typed, errors, conflict = typed_from_log(page), {}, None
    version = page.log.version if page.log else ""
    if request.method == "POST":
        sheet, typed = sheet_from_post(request.POST)
        expected = request.POST.get("version", "")
        try:
            services.do_save_session_log(
                group=page.planned.group, session_code=page.planned.session_code, sheet=sheet,
                rules=page.rules, entered_by=request.actor.person, planned=page.planned,
                expected_version=int(expected) if expected.isdigit() else None)
            return redirect("delivery:saved", key=key)
        except services.SheetRejected as rejected:
            errors = {name: say(message) for name, message in rejected.errors.items()}
        except services.StaleEdit as stale:
            conflict = stale.current
            page = selectors.sheet_page(actor=request.actor, key=key)
            version = expected
    return render(request, "delivery/entry.html", {
        "page": page, "typed": typed, "errors": errors, "conflict": conflict,
        "saved_values": typed_from_log(page) if conflict else None, "version": version,
        "faces": ("1", "2", "3")}, status=400 if errors or conflict else 200)


def saved_view(request, key: str):
    page = selectors.sheet_page(actor=request.actor, key=key)
    return render(request, "delivery/saved.html", {"page": page})


def import_view(request):
    """Upload an attendance file (e.g. a CommCare export); all of it is stored, or nothing."""
    typed = {"source": request.POST.get("source", ""),
             "mapping": request.POST.get("mapping", "")}
    report, problems = None, []
    if request.method == "POST":
        upload = request.FILES.get("file")
        mapping = dict(line.split("=", 1) for line in typed["mapping"].splitlines()
                       if "=" in line)
        mapping = {key.strip(): value.strip() for key, value in mapping.items()}
        if upload is None:
            problems = [_("Choose a CSV or XLSX file to import.")]
        else:
            try:
                report = services.do_import_attendance(
                    program=request.actor.person.program, data=upload.read(),
                    file_name=upload.name, entered_by=request.actor.person,
                    source=typed["source"], mapping=mapping or None,
                    groups=visible_groups(request.actor))
            except ImportRejected as rejected:
                problems = [_format_problem(problem) for problem in rejected.problems]
    return render(request, "delivery/import.html", {
        "typed": typed, "report": report, "problems": problems,
        "columns": CANONICAL_COLUMNS}, status=400 if problems else 200)


def _format_problem(problem) -> str:
    where = []
    if problem.line:
        where.append(_("row %(n)s") % {"n": problem.line})
    if problem.column:
        where.append(_("column '%(name)s'") % {"name": problem.column})
    return f"{', '.join(where)}: {say(problem.message)}" if where else say(problem.message)


def suggestions_view(request):
    status = request.GET.get("status", "")
    suggestions = visible_suggestions(request.actor)
    if status:
        suggestions = suggestions.filter(status=status)
    return render(request, "delivery/suggestions.html", {
        "suggestions": suggestions, "status": status, "statuses": Suggestion.Status.choices})


def suggestion_new_view(request):
    groups = visible_groups(request.actor)
    people = visible_people(request.actor).filter(role="acompanante")
    typed, error = dict(request.POST.items()), ""
    if request.method == "POST":
        try:
            received = dt.date.fromisoformat(typed.get("received_on", ""))
        except ValueError:
            received = None
        try:
            if received is None:
                raise services.SuggestionError(_("Write the date it was received."))
            suggestion = services.do_receive_suggestion(
                program=request.actor.person.program, text=typed.get("text", ""),
                received_on=received, by=request.actor.person,
                person=people.filter(code=typed.get("person")).first(),
                group=groups.filter(code=typed.get("group")).first())
            return redirect("delivery:suggestion", pk=suggestion.pk)
        except services.SuggestionError as problem:
            error = str(problem)
    return render(request, "delivery/suggestion_new.html", {
        "groups": groups, "people": people, "typed": typed, "error": error},
        status=400 if error else 200)


def suggestion_view(request, pk: int):
    suggestion = get_object_or_404(visible_suggestions(request.actor), pk=pk)
    may_decide = may_decide_suggestion(request.actor)
    typed, error = dict(request.POST.items()), ""
    if request.method == "POST" and may_decide:
        try:
            services.do_change_suggestion_status(
                suggestion=suggestion, status=typed.get("status", ""),
                reason=typed.get("reason", ""), by=request.actor.person)
            return redirect("delivery:suggestion", pk=pk)
        except services.SuggestionError as problem:
            error = str(problem)
    return render(request, "delivery/suggestion.html", {
        "suggestion": suggestion, "may_decide": may_decide, "typed": typed, "error": error,
        "statuses": Suggestion.Status.choices}, status=400 if error else 200)
