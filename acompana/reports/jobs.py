"""The reports' slow work, run by the background worker (see acompana.jobs)."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _

from acompana.policy import as_actor
from acompana.reports import monthly, selectors


def monthly_report(*, job, progress) -> tuple[str, bytes]:
    """The monthly report of the owner's scope (what she may see, read as her), PDF or XLSX."""
    month, fmt = dt.date.fromisoformat(job.params["month"]), job.params["fmt"]
    with translation.override(job.params.get("lang", "es")):
        progress(10, _("Counting the month's sessions"))
        report = selectors.monthly_report(actor=as_actor(job.owner), month=month)
        progress(60, _("Drawing the report"))
        body = monthly.monthly_pdf(report) if fmt == "pdf" else monthly.monthly_xlsx(report)
    return monthly.file_name(report, fmt), body
