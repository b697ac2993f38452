"""The evaluation report the program can share: aggregates only, small cells suppressed."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from weasyprint import HTML

from acompana.domain.charts import svgs_in_child
from acompana.policy import Actor
from acompana.wellbeing.selectors import aggregate_results, time_to_first_contact


def evaluation_report_pdf(*, actor: Actor, lang: str) -> bytes:
    """A PDF of every instrument's results by group and wave, with the change over the year."""
    with translation.override(lang):
        tables = aggregate_results(actor=actor, lang=lang)
        wanted = {}
        for table in tables:
            shown = {w: d for w, d in table.distributions.items() if d.median is not None}
            if shown:
                wanted[table.instrument] = ("bar", {
                    "labels": [translation.gettext(w.capitalize()) for w in shown],
                    "series": {translation.gettext("Median"): [d.median
                                                                for d in shown.values()]},
                    "title": table.name})
        charts = {instrument: mark_safe(svg)  # noqa: S308 our own SVG
                  for instrument, svg in zip(wanted, svgs_in_child(list(wanted.values())),
                                             strict=True)}
        html = render_to_string("wellbeing/evaluation_report.html", {
            "program": actor.person.program, "tables": tables, "charts": charts,
            "contact_times": time_to_first_contact(program=actor.person.program),
            "generated": timezone.localdate(), "lang": lang})
    return HTML(string=html).write_pdf()
