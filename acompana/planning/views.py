"""The work plan in the browser: the year as a calendar and a grid, one session, downloads."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from acompana import policy
from acompana.planning import selectors, services

# What the plan downloads as: (kind in the URL, file name shown).
DOWNLOADS = [("json", "plan.json"), ("xlsx", "workplan.xlsx"), ("pdf", "workplan.pdf"),
             ("svg", "workplan.svg"), ("png", "workplan.png"), ("ics", "calendarios.zip")]


def _filters(request) -> dict:
    return {"group": request.GET.get("group", ""), "person": request.GET.get("person", "")}


def calendar_view(request):
    filters = _filters(request)
    try:
        month = dt.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        first = selectors.filtered_sessions(actor=request.actor, **filters).order_by("date").first()
        month = first.date if first else timezone.localdate()
    sessions = selectors.filtered_sessions(actor=request.actor, **filters)
    return render(request, "planning/calendar.html", {
        "cal": selectors.month_calendar(sessions=sessions, month=month),
        "filters": filters, "downloads": DOWNLOADS,
        **selectors.filter_choices(actor=request.actor)})


def grid_view(request):
    filters = _filters(request)
    sessions = selectors.filtered_sessions(actor=request.actor, **filters)
    return render(request, "planning/grid.html", {
        "grid": selectors.year_grid(actor=request.actor, sessions=sessions),
        "filters": filters, "downloads": DOWNLOADS,
        **selectors.filter_choices(actor=request.actor)})


def session_view(request, key: str):
    session = selectors.session_page(actor=request.actor, key=key)
    return render(request, "planning/session.html", {
        "session": session,
        "may_mark": policy.may_take(request.actor, "planning.do_mark_session", session)})


def mark_view(request, key: str):
    session = selectors.session_page(actor=request.actor, key=key)
    if request.method != "POST":
        return redirect("planning:session", key=key)
    status, reason = request.POST.get("status", ""), request.POST.get("reason", "")
    try:
        services.do_mark_session(session=session, status=status, reason=reason,
                                 by=request.actor.person)
    except services.PlanError as error:
        return render(request, "planning/session.html", {
            "session": session, "may_mark": True, "errors": error.problems,
            "typed": {"status": status, "reason": reason}}, status=400)
    return redirect("planning:session", key=key)


def download_view(request, kind: str):
    """The plan (as this actor may see it) as a file."""
    program = request.actor.person.program
    filters = _filters(request)
    sessions = selectors.filtered_sessions(actor=request.actor, **filters)
    document = selectors.plan_document(program=program, sessions=sessions)
    if kind == "json":
        body = json.dumps(document, ensure_ascii=False, indent=2)
        return _attachment(body.encode(), "application/json", "plan.json")
    if kind not in dict(DOWNLOADS):
        raise Http404(_("Unknown download."))
    return _attachment(*selectors.plan_file(program=program, document=document, kind=kind,
                                            lang=_lang()))


def replan_view(request):
    """Re-plan the year from today's stored plan; what moved is listed for the coordinator."""
    if request.method != "POST":
        return redirect("planning:calendar")
    result = services.do_plan_program(program=request.actor.person.program,
                                      by=request.actor.person, lang=_lang())
    for incident in result.incidents:  # the solver's process died and was retried
        messages.warning(request, incident)
    if result.stored is None:
        messages.error(request, result.explanation)
    elif not result.stored.moved:
        messages.success(request, _("The plan was checked again; nothing had to move."))
    else:
        moved = "; ".join(selectors.moved_in_words(program=request.actor.person.program,
                                                   moved=result.stored.moved))
        messages.success(request, _("Re-planned. What moved: %(moved)s") % {"moved": moved})
    return redirect("planning:calendar")


def _lang() -> str:
    return "en" if (get_language() or "es").startswith("en") else "es"


def _attachment(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
