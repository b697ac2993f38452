"""The program dashboard, its drill-downs and the exports of every delivery table."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from acompana.domain.tabular import csv_bytes, xlsx_bytes
from acompana.jobs.views import start_and_show
from acompana.reports import exports, selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request) -> selectors.Period:
    period = selectors.default_period(request.actor)
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = period.start
    try:
        end = dt.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = period.end
    return selectors.Period(start=start, end=end)


def dashboard_view(request):
    period, group = _period(request), request.GET.get("group", "")
    board = selectors.dashboard(actor=request.actor, period=period, group=group,
                                page=request.GET.get("page", 1))
    last_month = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/dashboard.html", {
        "board": board, "group": group, "query": query.urlencode(), "exports": exports.TABLES,
        "last_month": last_month, "charts": _chart_data(board)})


def _chart_data(board: selectors.Dashboard) -> list[dict]:
    """The dashboard's charts as data: the browser draws them (static/acompana/charts.js)."""
    charts = []
    months = board.sessions_by_month
    if months:
        charts.append({"id": "sessions", "kind": "bar", "title": _("Sessions per month"),
                       "labels": [month.strftime("%m/%y") for month in months],
                       "series": [{"name": _("Planned"),
                                   "values": [sum(c.values()) for c in months.values()]},
                                  {"name": _("Held"),
                                   "values": [c.get("held", 0) for c in months.values()]}]})
    if board.monthly_attendance:
        charts.append({"id": "attendance", "kind": "line", "percent": True,
                       "title": _("Attendance rate per month"),
                       "labels": [month.strftime("%m/%y") for month, _r in
                                  board.monthly_attendance],
                       "series": [{"name": _("Attendance"), "values": [
                           round(rate, 3) for _m, rate in board.monthly_attendance]}]})
    return charts


def group_view(request, code: str):
    period = _period(request)
    board = selectors.dashboard(actor=request.actor, period=period, group=code)
    if not board.groups:
        raise Http404(_("No such group."))
    return render(request, "reports/group.html", {
        "board": board, "figures": board.groups[0],
        "people": selectors.group_people(actor=request.actor, group=code, period=period)})


def export_view(request, table: str, fmt: str):
    """Any delivery table, as CSV or XLSX, holding only what the actor may see."""
    if table not in exports.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404(_("Unknown export."))
    header, rows = exports.table(table, actor=request.actor, period=_period(request))
    if fmt == "csv":
        body, kind = csv_bytes(header, rows), "text/csv; charset=utf-8"
    else:
        body, kind = xlsx_bytes([(str(exports.TABLES[table]), header, rows)]), XLSX
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{table}.{fmt}"'
    return response


def monthly_view(request, fmt: str):
    """The monthly report of the actor's scope, as PDF or XLSX."""
    if fmt not in ("pdf", "xlsx"):
        raise Http404(_("Unknown export."))
    try:
        month = dt.date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        return HttpResponseBadRequest(_("Choose a month, for example 2024-03."))
    return start_and_show(request, kind="reports.monthly",
                          params={"month": month.isoformat(), "fmt": fmt,
                                  "lang": get_language() or "es"},
                          title=_("Monthly report %(month)s (%(fmt)s)")
                          % {"month": month.strftime("%Y-%m"), "fmt": fmt.upper()})
