"""Writes of delivery records: one function per action, each in one transaction."""

from __future__ import annotations

from django.db import transaction

from acompana.delivery.models import Attendance, FeedbackCount, FidelityItem, SessionLog
from acompana.domain.messages import Message
from acompana.domain.session_sheet import SessionSheet, SheetRules, validate_sheet
from acompana.planning.models import PlannedSession, Status
from acompana.planning.services import do_mark_session
from acompana.programs.models import Group, Person


class SheetRejected(Exception):
    """A sheet that cannot be saved; `errors` maps each form field to its problem."""

    def __init__(self, errors: dict[str, Message]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


class StaleEdit(Exception):
    """Someone saved this log after it was opened: saving now would overwrite their work."""

    def __init__(self, current: SessionLog):
        self.current = current
        super().__init__(f"session log {current.pk} is at version {current.version}")


def do_save_session_log(*, group: Group, session_code: str, sheet: SessionSheet,
                        rules: SheetRules, entered_by: Person, planned: PlannedSession | None,
                        expected_version: int | None) -> SessionLog:
    """Validate and save a session's sheet; holding or cancelling updates the work plan.

    `expected_version` is the version the form was opened at (None for a new log): a save from
    an older version is refused with StaleEdit, never a silent lost update.
    """
    errors = validate_sheet(sheet, rules)
    if errors:
        raise SheetRejected(errors)
    people = {p.code: p for p in Person.objects.filter(program=group.program_id,
                                                        code__in=[*sheet.attendance,
                                                                  sheet.facilitator])}
    values = {"date": sheet.date, "outcome": sheet.outcome, "cancel_reason": sheet.cancel_reason,
              "facilitator": people[sheet.facilitator], "notes": sheet.notes,
              "duration_minutes": sheet.duration_minutes, "entered_by": entered_by}
    with transaction.atomic():
        log = _locked_log(group=group, session_code=session_code, planned=planned)
        if log is None:
            log = SessionLog.objects.create(group=group, session_code=session_code,
                                            planned=planned, **values)
        else:
            if expected_version != log.version:
                raise StaleEdit(log)
            for name, value in values.items():
                setattr(log, name, value)
            log.version += 1
            log.save()
        _replace_details(log, sheet, rules, people)
        if planned is not None:
            status = Status.HELD if sheet.outcome == "held" else Status.MISSED
            if planned.status != status or planned.status_reason != sheet.cancel_reason:
                do_mark_session(session=planned, status=status, reason=sheet.cancel_reason,
                                by=entered_by)
    return log


def _locked_log(*, group, session_code, planned) -> SessionLog | None:
    logs = SessionLog.objects.select_for_update()
    if planned is not None:
        return logs.filter(planned=planned).first()
    return logs.filter(group=group, session_code=session_code).first()


def _replace_details(log: SessionLog, sheet: SessionSheet, rules: SheetRules,
                     people: dict[str, Person]) -> None:
    log.attendance.all().delete()
    log.fidelity.all().delete()
    log.feedback.all().delete()
    if sheet.outcome != "held":
        return
    Attendance.objects.bulk_create(
        Attendance(log=log, person=people[code], status=status)
        for code, status in sheet.attendance.items())
    FidelityItem.objects.bulk_create(
        FidelityItem(log=log, position=position, activity=rules.activities[position - 1],
                     status=sheet.fidelity[position])
        for position in range(1, len(rules.activities) + 1))
    FeedbackCount.objects.bulk_create(
        FeedbackCount(log=log, question=question, face=face, count=count)
        for (question, face), count in sorted(sheet.feedback.items()) if count)
