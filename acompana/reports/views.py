"""The program dashboard, its drill-downs and the exports of every delivery table."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from acompana.domain.charts import bar_chart_svg, line_chart_svg
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
    months = board.sessions_by_month
    charts = {}
    if months:
        labels = [month.strftime("%m/%y") for month in months]
        charts["sessions"] = bar_chart_svg(labels, {
            _("Planned"): [sum(counts.values()) for counts in months.values()],
            _("Held"): [counts.get("held", 0) for counts in months.values()]},
            title=_("Sessions per month"))
    if board.monthly_attendance:
        charts["attendance"] = line_chart_svg(
            [month.strftime("%m/%y") for month, _rate in board.monthly_attendance],
            # Whole percents, as the chart shows them: a save that moves a rate by less draws
            # nothing new (charts of the same figures are drawn once).
            [round(rate, 2) for _month, rate in board.monthly_attendance],
            title=_("Attendance rate per month"), percent=True)
    last_month = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/dashboard.html", {
        "board": board, "group": group, "query": query.urlencode(), "exports": exports.TABLES,
        "last_month": last_month,
        "charts": {name: mark_safe(svg) for name, svg in charts.items()}})  # noqa: S308


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
