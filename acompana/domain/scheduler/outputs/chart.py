"""A Gantt-style chart of the year: one row per cohort and group, one mark per session,
closures shaded. SVG and PNG, byte-for-byte the same for the same plan."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import matplotlib.dates as mdates
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

# The house settings of every chart (fixed SVG ids, DejaVu Sans), set once for the process:
# this chart is drawn in server threads beside the dashboard's, so it changes no global setting.
from acompana.domain.charts import configured_matplotlib
from acompana.domain.scheduler.calendar import MONTHS_EN, MONTHS_ES
from acompana.domain.scheduler.outputs.text import LABELS, session_number
from acompana.domain.scheduler.plan import HELD, MISSED, Plan, PlannedSession
from acompana.domain.scheduler.problem import PlanningProblem

MAX_ROWS = 60  # beyond this the chart shows the first groups and says how many more there are
COLORS = {"wellbeing": "#4C78A8", "supervisors": "#F58518"}
FONT_SIZE = 8


def write_chart(problem: PlanningProblem, plan: Plan, folder: Path, stem: str = "workplan",
                language: str = "es") -> list[Path]:
    """`stem`.svg and `stem`.png in `folder`."""
    configured_matplotlib()  # the fonts and fixed SVG ids every chart of ours uses
    words = LABELS[language]
    rows: dict[str, list[PlannedSession]] = defaultdict(list)
    for row in plan.sessions:
        rows[row.group or f"{words['cohort']} {row.cohort or ''}".strip()].append(row)
    cohorts = sorted(key for key in rows if key not in problem.group_by_id)
    groups = [g.id for g in problem.groups if g.id in rows]
    hidden = max(0, len(cohorts) + len(groups) - MAX_ROWS)
    labels = (cohorts + groups)[:MAX_ROWS]
    figure = Figure(figsize=(11.0, 1.2 + 0.28 * len(labels)))
    axes = figure.subplots()
    _draw(axes, problem, plan, labels, rows, language)
    if hidden:
        axes.set_xlabel(f"+ {hidden} {words['more_groups']}", fontsize=FONT_SIZE)
    figure.tight_layout()
    svg, png = folder / f"{stem}.svg", folder / f"{stem}.png"
    figure.savefig(svg, format="svg", metadata={"Date": None})
    figure.savefig(png, format="png", dpi=150, metadata={"Software": None})
    return [svg, png]


def _draw(axes, problem: PlanningProblem, plan: Plan, labels: list[str],
          rows: dict[str, list[PlannedSession]], language: str) -> None:
    for closure in problem.closures:
        axes.axvspan(closure.start, closure.end + dt.timedelta(days=1), color="#DDDDDD", lw=0)
    for holiday in problem.holidays:
        axes.axvline(holiday.date, color="#BBBBBB", lw=0.6, ls=":")
    for position, label in enumerate(labels):
        seen: set[tuple] = set()
        for row in rows[label]:
            if (row.session, row.date) in seen:
                continue  # a cohort's meeting once, not once per supervisor
            seen.add((row.session, row.date))
            face = "white" if row.status == MISSED else COLORS[row.track]
            axes.barh(position, 2.5, left=row.date, height=0.6, color=face,
                      edgecolor=COLORS[row.track], hatch="//" if row.status == HELD else None)
            axes.text(row.date + dt.timedelta(days=1.25), position,
                      f"{session_number(problem, row):02d}", ha="center", va="center",
                      fontsize=5.5, color="black" if row.status == MISSED else "white")
    # Rows are keyed by group id; people read the group's name.
    names = [problem.group_by_id[label].name if label in problem.group_by_id else label
             for label in labels]
    axes.set_yticks(range(len(labels)), names)
    axes.set_ylim(len(labels) - 0.5, -0.5)
    axes.set_xlim(problem.period_start, problem.period_end + dt.timedelta(days=1))
    names = MONTHS_ES if language == "es" else MONTHS_EN
    axes.xaxis.set_major_locator(mdates.MonthLocator())
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _: _month_label(value, names)))
    axes.tick_params(labelsize=FONT_SIZE)
    axes.grid(axis="x", color="#EEEEEE")
    axes.set_axisbelow(True)
    axes.set_title(f"{LABELS[language]['work_plan']}: {problem.program_name}",
                   fontsize=FONT_SIZE * 1.2)


def _month_label(value: float, names: tuple[str, ...]) -> str:
    day = mdates.num2date(value)
    return f"{names[day.month - 1][:3]}\n{day.year}" if day.month in (1, 7) else names[
        day.month - 1][:3]
