"""The work plan in the browser: the year as a calendar and a grid, one session, downloads."""

from __future__ import annotations

import datetime as dt
import json

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from acompana import policy
from acompana.jobs.views import start_and_show
from acompana.planning import files, selectors, services

# What the plan downloads as, in this order (the names in the reader's language: files).
DOWNLOAD_KINDS = ("json", "xlsx", "pdf", "svg", "png", "ics")


def _downloads() -> list[tuple[str, str]]:
    """(kind in the URL, file name shown) of each download."""
    return [(kind, files.download_name(kind, _lang())) for kind in DOWNLOAD_KINDS]


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
        "filters": filters, "downloads": _downloads(),
        **selectors.filter_choices(actor=request.actor)})


def grid_view(request):
    filters = _filters(request)
    sessions = selectors.filtered_sessions(actor=request.actor, **filters)
    return render(request, "planning/grid.html", {
        "grid": selectors.year_grid(actor=request.actor, sessions=sessions),
        "filters": filters, "downloads": _downloads(),
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
    """The plan (as this actor may see it) as a file: from storage at once when its version is
    built, else built by the worker while a page shows the progress."""
    filters = _filters(request)
    if kind == "json":
        sessions = selectors.filtered_sessions(actor=request.actor, **filters)
        document = selectors.plan_document(program=request.actor.person.program,
                                           sessions=sessions)
        body = json.dumps(document, ensure_ascii=False, indent=2)
        return _attachment(body.encode(), "application/json", "plan.json")
    if kind not in files.FILE_TYPES:
        raise Http404(_("Unknown download."))
    stored = files.stored_file(files.version_seen_by(actor=request.actor, lang=_lang(),
                                                     **filters), kind)
    if stored is not None:
        path, content_type, name = stored
        return FileResponse(path.open("rb"), as_attachment=True, filename=name,
                            content_type=content_type)
    name = files.download_name(kind, _lang())
    return start_and_show(request, kind="planning.plan_file",
                          params={"kind": kind, "lang": _lang(), **filters},
                          title=_("Work plan: %(file)s") % {"file": name})


def replan_view(request):
    """Re-plan the year from today's stored plan: the worker runs the solver while a page shows
    the progress, then what moved."""
    if request.method != "POST":
        return redirect("planning:calendar")
    return start_and_show(request, kind="planning.replan", params={"lang": _lang()},
                          title=_("Re-plan of the year"))


def _lang() -> str:
    return "en" if (get_language() or "es").startswith("en") else "es"


def _attachment(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
