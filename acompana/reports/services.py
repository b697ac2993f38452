"""Keeping the dashboard's day rows (ProgramDay) equal to the sessions and logs they sum.

Every service that writes planned sessions or session logs calls `refresh_program_days` for the
days it touched, the day a record left as well as the one it came to, inside its own
transaction. The test suite recounts every program's days after each test (conftest.py), so a
write path that forgets to call it fails there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from acompana.delivery.models import LOG_FIGURES, SessionLog
from acompana.planning.models import PlannedSession, Status
from acompana.reports.models import ProgramDay

# ProgramDay's session columns: (group session?, status) -> column.
SESSION_COLUMNS = {(True, Status.PLANNED): "planned", (True, Status.HELD): "held",
                   (True, Status.MISSED): "missed", (False, Status.PLANNED): "track_planned",
                   (False, Status.HELD): "track_held", (False, Status.MISSED): "track_missed"}
DAY_COLUMNS = (*SESSION_COLUMNS.values(), *LOG_FIGURES)
CHUNK = 500  # days recounted per query


def refresh_program_days(program_id: int, dates: Iterable[dt.date] | None = None) -> None:
    """Recount a program's days (all of them when `dates` is None) from its sessions and logs.

    The day rows are locked before they are recounted: two saves of the same day one after
    the other each count the other's committed rows, and neither overwrites the other's.
    """
    if dates is None:
        days = set(PlannedSession.objects.filter(program_id=program_id)
                   .values_list("date", flat=True).distinct())
        days |= set(SessionLog.objects.filter(group__program_id=program_id)
                    .values_list("date", flat=True).distinct())
        days |= set(ProgramDay.objects.filter(program_id=program_id)
                    .values_list("date", flat=True))
    else:
        days = set(dates)
    ordered = sorted(days)
    with transaction.atomic():
        for start in range(0, len(ordered), CHUNK):
            _refresh(program_id, ordered[start:start + CHUNK])


def _refresh(program_id: int, dates: list[dt.date]) -> None:
    ProgramDay.objects.bulk_create([ProgramDay(program_id=program_id, date=date)
                                    for date in dates], ignore_conflicts=True)
    rows = dict(ProgramDay.objects.select_for_update().filter(
        program_id=program_id, date__in=dates).order_by("date").values_list("date", "pk"))
    counted = count_days(program_id, dates)
    nothing = dict.fromkeys(DAY_COLUMNS, 0)
    # One UPDATE run for many days (executemany): bulk_update's CASE per column and row, and
    # an ORM update per day, cost seconds for the year of days an import touches.
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in DAY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(ProgramDay._meta.db_table)} SET {assignments} WHERE id = %s",
            [[*(counted.get(date, nothing)[column] for column in DAY_COLUMNS), pk]
             for date, pk in rows.items()])


def count_days(program_id: int, dates: list[dt.date] | None = None
               ) -> dict[dt.date, dict[str, int]]:
    """Each day's sums counted from the sessions and logs themselves (days with none left out)."""
    sessions = PlannedSession.objects.filter(program_id=program_id)
    logs = SessionLog.objects.filter(group__program_id=program_id)
    if dates is not None:
        sessions, logs = sessions.filter(date__in=dates), logs.filter(date__in=dates)
    days: dict[dt.date, dict[str, int]] = {}

    def day(date: dt.date) -> dict[str, int]:
        return days.setdefault(date, dict.fromkeys(DAY_COLUMNS, 0))

    for row in (sessions.values("date", "status").annotate(
            of_groups=Count("id", filter=Q(group__isnull=False)),
            of_track=Count("id", filter=Q(group__isnull=True))).order_by()):
        counts = day(row["date"])
        counts[SESSION_COLUMNS[True, row["status"]]] += row["of_groups"]
        counts[SESSION_COLUMNS[False, row["status"]]] += row["of_track"]
    for row in logs.values("date").annotate(**{name: Sum(name) for name in LOG_FIGURES}
                                            ).order_by():
        day(row["date"]).update({name: row[name] for name in LOG_FIGURES})
    return {date: counts for date, counts in days.items() if any(counts.values())}


def stored_days(program_id: int) -> dict[dt.date, dict[str, int]]:
    """The day rows as stored, leaving out days that sum to nothing (as count_days does)."""
    return {row.pop("date"): row for row in ProgramDay.objects.filter(program_id=program_id)
            .values("date", *DAY_COLUMNS) if any(row[column] for column in DAY_COLUMNS)}
