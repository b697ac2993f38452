"""The monthly report for the program's leadership: a PDF to read and an XLSX to reuse.

Both hold the same tables, built once here from `selectors.monthly_report`, so the figures a
director reads on paper are the ones she can recompute in a spreadsheet.
"""

from __future__ import annotations

import base64
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from acompana.domain.charts import svgs_in_child
from acompana.domain.tabular import xlsx_bytes
from acompana.reports.selectors import MonthlyReport

# The fonts bundled with the package, so the PDF looks the same on any server.
FONTS = Path(__file__).resolve().parents[1] / "domain" / "curriculum" / "fonts"
PDF_SUGGESTIONS = 30  # the PDF lists the oldest open suggestions; the XLSX lists them all
PDF_GROUPS = 60  # beyond this, the PDF lists the groups that most need a look; the XLSX all

Table = tuple[list[str], list[list]]


def file_name(report: MonthlyReport, extension: str) -> str:
    name = _("monthly-report")
    return f"{name}-{report.month:%Y-%m}.{extension}"


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _mean(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def groups_table(report: MonthlyReport) -> Table:
    """Each group's month, and the total."""
    header = [_("Group"), _("Planned"), _("Held"), _("Missed"), _("Attendance (%)"),
              _("Activities done as written (%)"), _("Feedback (1 to 3)")]
    rows = [[figures.name, figures.planned, figures.held, figures.missed,
             _percent(figures.attendance_rate), _percent(figures.fidelity_done),
             _mean(figures.feedback_mean)]
            for figures in [*report.board.groups, report.board.totals]]
    rows[-1][0] = _("Total")
    return header, rows


def summary_table(report: MonthlyReport) -> Table:
    """The month in a few figures."""
    total, track = report.board.totals, report.board.supervisors_track
    rows = [
        [_("Group sessions planned"), total.planned],
        [_("Group sessions held"), total.held],
        [_("Group sessions missed"), total.missed],
        [_("Attendance marks"), total.marked],
        [_("Marked present"), total.present],
        [_("Attendance (%)"), _percent(total.attendance_rate)],
        [_("Activities done as written (%)"), _percent(total.fidelity_done)],
        [_("Activities adapted"), total.fidelity.get("adapted", 0)],
        [_("Activities skipped"), total.fidelity.get("skipped", 0)],
        [_("Feedback (1 to 3)"), _mean(total.feedback_mean)],
        [_("Supervisors' sessions planned"), sum(track.values())],
        [_("Supervisors' sessions held"), track.get("held", 0)],
        [_("Supervisors' sessions missed"), track.get("missed", 0)],
        [_("Open suggestions"), len(report.open_suggestions)],
    ]
    return [_("Figure"), _("Value")], rows


def months_table(report: MonthlyReport) -> Table:
    """The twelve months up to the report's: sessions and attendance."""
    attendance = dict(report.attendance_by_month)
    header = [_("Month"), _("Planned"), _("Held"), _("Missed"), _("Attendance (%)")]
    rows = [[month, sum(counts.values()), counts.get("held", 0), counts.get("missed", 0),
             _percent(attendance.get(month))]
            for month, counts in report.sessions_by_month.items()]
    return header, rows


def suggestions_table(report: MonthlyReport) -> Table:
    header = [_("Received on"), _("From"), _("Suggestion"), _("Status")]
    rows = [[s.received_on, s.person.name if s.person else s.group.name if s.group else "",
             s.text, str(s.get_status_display())] for s in report.open_suggestions]
    return header, rows


def monthly_xlsx(report: MonthlyReport) -> bytes:
    return xlsx_bytes([(_("Summary"), *summary_table(report)),
                       (_("Groups"), *groups_table(report)),
                       (_("Months"), *months_table(report)),
                       (_("Open suggestions"), *suggestions_table(report))])


def pdf_groups(report: MonthlyReport) -> tuple[Table, int]:
    """The groups table for the PDF, and how many groups it leaves to the spreadsheet.

    A national program's thousands of groups would be a hundred pages: past PDF_GROUPS the PDF
    keeps those with the lowest attendance (none recorded first), then the total."""
    header, rows = groups_table(report)
    groups, total = rows[:-1], rows[-1]
    if len(groups) <= PDF_GROUPS:
        return (header, rows), 0
    attendance = header.index(_("Attendance (%)"))
    lowest = sorted(groups, key=lambda row: (row[attendance] is not None,
                                             row[attendance] or 0))[:PDF_GROUPS]
    return (header, [*lowest, total]), len(groups) - PDF_GROUPS


def monthly_pdf(report: MonthlyReport) -> bytes:
    suggestions_header, suggestions = suggestions_table(report)
    groups, more_groups = pdf_groups(report)
    html = render_to_string("reports/monthly_pdf.html", {
        "report": report, "month": date_format(report.month, "F Y").capitalize(),
        "fonts": FONTS.as_uri(), "summary": summary_table(report)[1],
        "groups": groups, "more_groups": more_groups, "shown_groups": PDF_GROUPS,
        "charts": _charts(report),
        "suggestions": (suggestions_header, suggestions[:PDF_SUGGESTIONS]),
        "more_suggestions": max(len(suggestions) - PDF_SUGGESTIONS, 0)})
    return HTML(string=html).write_pdf(font_config=FontConfiguration())


def _charts(report: MonthlyReport) -> list[str]:
    """The trend charts as data URIs, ready for an <img>."""
    charts = []
    if report.sessions_by_month:
        months = report.sessions_by_month
        charts.append(("bar", {"labels": [f"{month:%m/%y}" for month in months], "series": {
            _("Planned"): [sum(counts.values()) for counts in months.values()],
            _("Held"): [counts.get("held", 0) for counts in months.values()]},
            "title": _("Sessions per month")}))
    if report.attendance_by_month:
        charts.append(("line", {
            "labels": [f"{month:%m/%y}" for month, _r in report.attendance_by_month],
            "values": [rate for _m, rate in report.attendance_by_month],
            "title": _("Attendance rate per month"), "percent": True}))
    return ["data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
            for svg in svgs_in_child(charts)]
