"""The audit trail in the browser: read and export, never edit."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from acompana.audit import selectors, words
from acompana.domain.tabular import csv_bytes, xlsx_bytes

PAGE_SIZE = 100


def trail_view(request):
    filters = selectors.TrailFilter.from_query(request.GET)
    entries = selectors.trail(actor=request.actor, filters=filters)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/trail.html", {
        "page": page, "rows": words.rows(page), "filters": filters, "query": query.urlencode(),
        "kinds": [("records", _("Changes to records")), ("logins", _("Logins")),
                  ("refused", _("Refused"))]})


def export_view(request, fmt: str):
    """The filtered trail as CSV or XLSX; free text in it cannot run as a formula."""
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Unknown export."))
    filters = selectors.TrailFilter.from_query(request.GET)
    rows = selectors.export_rows(selectors.trail(actor=request.actor, filters=filters))
    if fmt == "csv":
        body, kind = csv_bytes(selectors.EXPORT_HEADER, rows), "text/csv; charset=utf-8"
    else:
        body = xlsx_bytes([(_("Audit trail"), selectors.EXPORT_HEADER, rows)])
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="audit-trail.{fmt}"'
    return response
