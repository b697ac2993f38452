"""Everything a plan is written as: plan.json, workplan.xlsx, .ics calendars, chart, PDF.

The writers are imported when they write, so reading plan.json never loads matplotlib or
WeasyPrint (a web request reads plans; the files are written in a child process).
"""

from __future__ import annotations

from pathlib import Path

from acompana.domain.scheduler.outputs.plan_json import (
    PlanFileError,
    plan_from_json,
    plan_to_json,
    read_plan_json,
    write_plan_json,
)
from acompana.domain.scheduler.plan import Plan
from acompana.domain.scheduler.problem import PlanningProblem

__all__ = ["PlanFileError", "plan_from_json", "plan_to_json", "read_plan_json",
           "write_outputs", "write_plan_json"]


def write_outputs(problem: PlanningProblem, plan: Plan, folder: Path,
                  language: str = "es") -> list[Path]:
    """Write every output into `folder` (created if needed); return the files written."""
    from acompana.domain.scheduler.outputs.calendars import write_calendars
    from acompana.domain.scheduler.outputs.chart import write_chart
    from acompana.domain.scheduler.outputs.document import write_document
    from acompana.domain.scheduler.outputs.workbook import write_workbook

    folder.mkdir(parents=True, exist_ok=True)
    written = [write_plan_json(plan, folder / "plan.json"),
               write_workbook(problem, plan, folder / "workplan.xlsx", language)]
    written += write_calendars(problem, plan, folder / "ics", language)
    chart = write_chart(problem, plan, folder, "workplan", language)
    written += chart
    written.append(write_document(problem, plan, folder / "workplan.pdf", chart[0], language))
    return written
