"""Days: usual meeting dates, which days the program works, and how to say dates in es/en."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt

from acompana.domain.scheduler.problem import MeetingRule, PlanningProblem

MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
WEEKDAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def usual_date(rule: MeetingRule, year: int, month: int) -> dt.date:
    """The date a meeting rule gives in a month, e.g. the 2nd Tuesday or the last Friday."""
    if rule.week_of_month == -1:
        last = month_end(year, month)
        return last - dt.timedelta(days=(last.weekday() - rule.weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(rule.weekday - first.weekday()) % 7
                                + 7 * (rule.week_of_month - 1))


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, stdlib_calendar.monthrange(year, month)[1])


def minutes(time: dt.time) -> int:
    return time.hour * 60 + time.minute


def clock(total_minutes: int) -> dt.time:
    return dt.time(total_minutes // 60, total_minutes % 60)


class WorkCalendar:
    """Why the program does not work on a given day (weekend, holiday, closure), if it doesn't."""

    def __init__(self, problem: PlanningProblem):
        self.problem = problem
        self.holidays = {h.date: h for h in problem.holidays}
        self.away: dict[str, list] = {}
        for window in problem.unavailability:
            self.away.setdefault(window.person, []).append(window)

    def closed_reason(self, day: dt.date) -> tuple[str, str] | None:
        """(es, en) reason the whole program is off on `day`, or None on a working day."""
        if not self.problem.period_start <= day <= self.problem.period_end:
            return ("fuera del periodo", "outside the period")
        if day.weekday() >= 5:
            return ("fin de semana", "weekend")
        holiday = self.holidays.get(day)
        if holiday:
            return (f"día festivo: {holiday.name_es}", f"public holiday: {holiday.name_en}")
        for closure in self.problem.closures:
            if closure.start <= day <= closure.end:
                return (closure.name, closure.name)
        return None

    def is_working_day(self, day: dt.date) -> bool:
        return self.closed_reason(day) is None

    def unavailable(self, person: str, day: dt.date) -> str | None:
        """The reason `person` is away on `day` ('' when none was given), or None."""
        for window in self.away.get(person, ()):
            if window.start <= day <= window.end:
                return window.reason
        return None


def month_name(year: int, month: int, language: str) -> str:
    names = MONTHS_ES if language == "es" else MONTHS_EN
    return f"{names[month - 1]} de {year}" if language == "es" else f"{names[month - 1]} {year}"


def long_date(day: dt.date, language: str) -> str:
    """'martes 12 de diciembre de 2023' / 'Tuesday 12 December 2023'."""
    if language == "es":
        return (f"{WEEKDAYS_ES[day.weekday()]} {day.day} de {MONTHS_ES[day.month - 1]} "
                f"de {day.year}")
    return f"{WEEKDAYS_EN[day.weekday()]} {day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def short_date(day: dt.date, language: str) -> str:
    """'12 dic' / '12 Dec': for grids and charts."""
    names = MONTHS_ES if language == "es" else MONTHS_EN
    return f"{day.day} {names[day.month - 1][:3]}"
