"""workplan.xlsx: an overview grid (groups down, months across) and one sheet per group and
per supervisor, each ready to print (on the program's paper, one page wide, rows as tall as
their wrapped text, header repeated, panes frozen)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from acompana.domain.printed_sheet import fit_for_print
from acompana.domain.scheduler.calendar import MONTHS_EN, MONTHS_ES, WEEKDAYS_EN, WEEKDAYS_ES
from acompana.domain.scheduler.outputs.text import (
    LABELS,
    community_name,
    group_name,
    session_number,
    session_title,
    wave_of,
)
from acompana.domain.scheduler.plan import Plan, PlannedSession
from acompana.domain.scheduler.problem import PlanningProblem
from acompana.domain.tabular import neutralise

HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
WRAP = Alignment(wrap_text=True, vertical="top")


def write_workbook(problem: PlanningProblem, plan: Plan, path: Path, language: str = "es") -> Path:
    words = LABELS[language]
    book = Workbook()
    overview = book.active
    overview.title = words["overview"]
    _overview(overview, problem, plan, language)
    rows_by_group: dict[str, list[PlannedSession]] = defaultdict(list)
    rows_by_supervisor: dict[str, list[PlannedSession]] = defaultdict(list)
    for row in plan.sessions:
        if row.group:
            rows_by_group[row.group].append(row)
        rows_by_supervisor[row.supervisor].append(row)
    for group in problem.groups:
        _session_sheet(book.create_sheet(group.id), problem, rows_by_group[group.id], language,
                       with_group=False)
    for supervisor in sorted(rows_by_supervisor):
        _session_sheet(book.create_sheet(supervisor), problem, rows_by_supervisor[supervisor],
                       language, with_group=True)
    # Fixed document times, so the same plan always writes the same file.
    stamp = dt.datetime.combine(plan.period_start, dt.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.title = f"{words['work_plan']} {problem.program_name}"
    book.save(path)
    return path


def _overview(sheet: Worksheet, problem: PlanningProblem, plan: Plan, language: str) -> None:
    """Groups (then the supervisors' cohorts) down, months across: "03 · 12" is session 3 on
    the 12th."""
    words = LABELS[language]
    months = list(problem.months)
    names = MONTHS_ES if language == "es" else MONTHS_EN
    _append(sheet, [words["group"], words["name"], words["supervisor"],
                    *(f"{names[m - 1][:3]} {y}" for y, m in months)])
    grid: dict[str, list[list[str]]] = {}
    supervisors: dict[str, dict[str, None]] = defaultdict(dict)
    for row in plan.sessions:
        month = (row.date.year, row.date.month)
        if month not in months:
            continue
        key = row.group or row.cohort or words["cohort"]
        text = f"{session_number(problem, row):02d} · {row.date.day}"
        if row.status != "planned":
            text += f" ({words[row.status]})"
        column = grid.setdefault(key, [[] for _ in months])[months.index(month)]
        if text not in column:
            column.append(text)
        supervisors[key][problem.name_of(row.supervisor)] = None
    keys = [g.id for g in problem.groups if g.id in grid]
    keys += sorted(key for key in grid if key not in problem.group_by_id)
    for key in keys:
        name = group_name(problem, key) if key in problem.group_by_id else words[
            "supervisors_track"]
        _append(sheet, [key, name, ", ".join(supervisors[key]),
                        *("\n".join(cell) for cell in grid[key])])
    _finish(sheet, widths=[10, 30, 26] + [12] * len(months), freeze="D2", paper=problem.paper)


def _session_sheet(sheet: Worksheet, problem: PlanningProblem, rows: list[PlannedSession],
                   language: str, *, with_group: bool) -> None:
    words = LABELS[language]
    weekdays = WEEKDAYS_ES if language == "es" else WEEKDAYS_EN
    headers = [words["date"], words["day"], words["start"], words["end"], words["session"],
               words["title"]]
    headers += [words["group"]] if with_group else []
    headers += [words["community"], words["supervisor"], words["facilitator"], words["status"],
                words["wave"]]
    _append(sheet, headers)
    for row in sorted(rows, key=lambda r: (r.date, r.start, r.id)):
        values = [row.date, weekdays[row.date.weekday()], row.start.strftime("%H:%M"),
                  row.end.strftime("%H:%M"), row.session, session_title(problem, row)]
        values += [group_name(problem, row.group) or words["supervisors_track"]] if (
            with_group) else []
        values += [community_name(problem, row.community), problem.name_of(row.supervisor),
                   problem.name_of(row.facilitator), words[row.status], wave_of(problem, row)]
        _append(sheet, values)
        sheet.cell(sheet.max_row, 1).number_format = "DD/MM/YYYY"
    widths = [12, 11, 7, 7, 16, 40] + ([26] if with_group else []) + [22, 26, 26, 12, 12]
    _finish(sheet, widths=widths, freeze="B2", paper=problem.paper)


def _append(sheet: Worksheet, values: list) -> None:
    """A row whose names and titles can never be read as a formula (as in every export)."""
    sheet.append([neutralise(value) for value in values])


def _finish(sheet: Worksheet, *, widths: list[int], freeze: str, paper: str) -> None:
    """Header style, column widths and print setup shared by every sheet."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = freeze
    sheet.print_title_rows = "1:1"
    fit_for_print(sheet, paper)
