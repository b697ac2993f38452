"""workplan.pdf: the work plan as a short document (WeasyPrint): the chart, the supervisors'
track, and one table per group with its assessment waves. One font family, little styling."""

from __future__ import annotations

from collections import defaultdict
from html import escape
from pathlib import Path

from weasyprint import HTML

from acompana.domain.scheduler.calendar import long_date
from acompana.domain.scheduler.outputs.text import (
    LABELS,
    community_name,
    session_title,
    wave_of,
)
from acompana.domain.scheduler.plan import Plan, PlannedSession
from acompana.domain.scheduler.problem import SUPERVISORS, PlanningProblem

CSS = """
@page { size: A4 landscape; margin: 14mm; @bottom-right { content: counter(page); } }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 9pt; }
h1 { font-size: 16pt; margin: 0 0 4pt; } h2 { font-size: 12pt; margin: 12pt 0 4pt; }
table { border-collapse: collapse; width: 100%; margin-bottom: 6pt; }
th, td { border-bottom: 0.5pt solid #999; padding: 2pt 4pt; text-align: left; }
th { background: #DDE7F0; } section { break-inside: avoid; }
img { width: 100%; }
"""


def write_document(problem: PlanningProblem, plan: Plan, path: Path, chart: Path,
                   language: str = "es") -> Path:
    HTML(string=_html(problem, plan, chart.name, language), base_url=str(chart.parent)
         ).write_pdf(path)
    return path


def _html(problem: PlanningProblem, plan: Plan, chart: str, language: str) -> str:
    words = LABELS[language]
    by_group: dict[str, list[PlannedSession]] = defaultdict(list)
    cohort_meetings: dict[tuple, list[PlannedSession]] = defaultdict(list)
    for row in plan.sessions:
        if row.track == SUPERVISORS:
            cohort_meetings[(row.date, row.start, row.session, row.cohort)].append(row)
        else:
            by_group[row.group].append(row)
    parts = [f"<h1>{words['work_plan']}: {escape(problem.program_name)}</h1>",
             f"<p>{words['period']}: {long_date(plan.period_start, language)} – "
             f"{long_date(plan.period_end, language)}. "
             f"{sum(len(rows) for rows in by_group.values())} {words['wellbeing_sessions']}, "
             f"{len(cohort_meetings)} {words['supervisors_sessions']}."
             + (f" {words['solver']}: {plan.solver.status}." if plan.solver else "") + "</p>",
             f'<img src="{escape(chart)}">',
             f"<p><b>{words['closures']}:</b> " + "; ".join(
                 f"{escape(c.name)} ({c.start:%d/%m/%Y} – {c.end:%d/%m/%Y})"
                 for c in problem.closures) + "</p>",
             f"<p><b>{words['holidays']}:</b> " + "; ".join(
                 f"{h.date:%d/%m/%Y} {escape(h.name_es if language == 'es' else h.name_en)}"
                 for h in problem.holidays) + "</p>"]
    if problem.unstaffed:
        parts.append(f"<p><b>{words['unstaffed']}:</b> " + "; ".join(
            escape(group.describe(language)) for group in problem.unstaffed) + "</p>")
    parts.append(f"<section><h2>{words['supervisors_track']}</h2>" + _table(
        [words["date"], words["start"], words["session"], words["title"], words["cohort"],
         words["leads"], words["supervisor"]],
        [[long_date(day, language), f"{start:%H:%M}", rows[0].session,
          session_title(problem, rows[0]), cohort or "", problem.name_of(rows[0].facilitator),
          ", ".join(problem.name_of(r.supervisor) for r in rows)]
         for (day, start, _, cohort), rows in sorted(cohort_meetings.items(),
                                                     key=lambda item: item[0][:3])]) + "</section>")
    for group in problem.groups:
        rows = sorted(by_group.get(group.id, []), key=lambda r: r.date)
        parts.append(f"<section><h2>{escape(group.id)} · {escape(group.name)} "
                     f"({escape(community_name(problem, group.community))})</h2>" + _table(
            [words["date"], words["start"], words["session"], words["title"],
             words["supervisor"], words["facilitator"], words["status"], words["wave"]],
            [[long_date(r.date, language), f"{r.start:%H:%M}–{r.end:%H:%M}", r.session,
              session_title(problem, r), problem.name_of(r.supervisor),
              problem.name_of(r.facilitator), words[r.status], wave_of(problem, r)]
             for r in rows]) + "</section>")
    return (f'<html lang="{language}"><head><meta charset="utf-8"><style>{CSS}</style></head>'
            f"<body>{''.join(parts)}</body></html>")


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
