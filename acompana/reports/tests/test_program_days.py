"""The dashboard's day rows stay equal to the records they sum, also when two saves of the same
day overlap."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection, transaction

from acompana.delivery.models import Attendance, SessionLog
from acompana.delivery.services import refresh_figures
from acompana.programs.models import Group, Person
from acompana.reports import services
from acompana.reports.models import ProgramDay

DAY = dt.date(2023, 9, 5)
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.mark.skipif(not ON_POSTGRES, reason="the test database of the SQLite run is in memory, "
                    "where writers cannot overlap (tests/test_faults.py saves at once on a file)")
def test_two_saves_of_the_same_day_at_once_each_count_the_other(ces, transactional_db,
                                                                monkeypatch):
    """Each save writes its log and recounts the day. Were both to count before either wrote
    its count, the later write would erase the other's log from the day: the day row is
    locked before counting, so the second counts after the first has committed."""
    supervisor = Person.objects.get(code="sup-01")
    with transaction.atomic():
        services.refresh_program_days(ces.pk, [DAY])
    counted = {"g01": threading.Event(), "g02": threading.Event()}
    saving = threading.local()  # which group's save this thread makes
    real_count = services.count_days

    def count_then_wait_for_the_other(program_id, dates=None):
        days = real_count(program_id, dates)
        counted[saving.group].set()
        other = "g02" if saving.group == "g01" else "g01"
        counted[other].wait(1)  # with the lock, the other counts only after this commits
        return days

    failures: list[BaseException] = []

    def save(code: str, present: int) -> None:
        saving.group = code
        try:
            with transaction.atomic():
                group = Group.objects.get(code=code)
                log = SessionLog.objects.create(
                    group=group, session_code="bienestar-09", date=DAY, outcome="held",
                    facilitator=supervisor, entered_by=supervisor)
                members = Person.objects.filter(memberships__group=group).order_by("code")
                Attendance.objects.bulk_create(Attendance(log=log, person=person,
                                                          status="present")
                                               for person in members[:present])
                refresh_figures(SessionLog.objects.filter(pk=log.pk))
                services.refresh_program_days(ces.pk, [DAY])
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=("g01", 3)),
               threading.Thread(target=save, args=("g02", 2))]
    with monkeypatch.context() as patch:
        patch.setattr(services, "count_days", count_then_wait_for_the_other)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert not failures
    day = ProgramDay.objects.get(program=ces, date=DAY)
    assert (day.attendance_present, day.attendance_marked) == (5, 5)
