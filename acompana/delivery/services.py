"""Writes of delivery records: one function per action, each in one transaction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from acompana.curriculum.selectors import curriculum_session_ids
from acompana.delivery.models import (
    Attendance,
    FeedbackCount,
    FidelityItem,
    ImportMapping,
    SessionLog,
    SheetEntry,
    SheetResolution,
    Suggestion,
    SuggestionChange,
)
from acompana.domain.attendance_import import parse_attendance, read_table
from acompana.domain.double_entry import (
    disagreements,
    resolve,
    score_entry,
    sheet_fields,
    sheet_from_fields,
)
from acompana.domain.messages import Message
from acompana.domain.session_sheet import SessionSheet, SheetRules, validate_sheet
from acompana.planning.models import PlannedSession, Status
from acompana.planning.services import do_mark_session
from acompana.programs.models import Group, Membership, Person, Program, Supervision


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
                        expected_version: int | None,
                        keep_as_first_entry: bool = False) -> SessionLog:
    """Validate and save a session's sheet; holding or cancelling updates the work plan.

    `expected_version` is the version the form was opened at (None for a new log): a save from
    an older version is refused with StaleEdit, never a silent lost update. The entry page's
    saves pass `keep_as_first_entry`: the first of them is kept, as typed, as the sheet's first
    entry for double entry.
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
        if keep_as_first_entry and not log.entries.filter(round=SheetEntry.Round.FIRST).exists():
            SheetEntry.objects.create(log=log, round=SheetEntry.Round.FIRST,
                                      entered_by=entered_by, values=sheet_fields(sheet, rules))
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


class EntryRefused(Exception):
    """A second entry or a settlement that cannot be made, with the reason in a sentence."""


def do_record_second_entry(*, log: SessionLog, sheet: SessionSheet, rules: SheetRules,
                           entered_by: Person) -> SheetEntry:
    """Keep a second person's blind typing of a sheet, held to the same validation as the first.

    The saved log is not touched unless the two entries agree in every box: then the sheet is
    settled at once, as if each box had been chosen.
    """
    errors = validate_sheet(sheet, rules)
    if errors:
        raise SheetRejected(errors)
    with transaction.atomic():
        entries = {entry.round: entry for entry in SheetEntry.objects.select_for_update()
                   .filter(log=log).select_related("entered_by")}
        first = entries.get(SheetEntry.Round.FIRST)
        if first is None:
            raise EntryRefused(_("This sheet has not been typed in a first time yet."))
        if first.entered_by_id == entered_by.pk:
            raise EntryRefused(_("The second entry must be typed by someone other than "
                                 "%(name)s, who typed the first.") % {"name": entered_by.name})
        if SheetEntry.Round.SECOND in entries:
            raise EntryRefused(_("This sheet was already typed a second time, by %(name)s.")
                               % {"name": entries[SheetEntry.Round.SECOND].entered_by.name})
        second = SheetEntry.objects.create(log=log, round=SheetEntry.Round.SECOND,
                                           entered_by=entered_by,
                                           values=sheet_fields(sheet, rules))
        if not disagreements(first.values, second.values):
            do_settle_sheet(log=log, choices={}, rules=rules, by=entered_by,
                            expected_version=log.version)
    return second


def do_settle_sheet(*, log: SessionLog, choices: dict[str, str], rules: SheetRules,
                    by: Person, expected_version: int) -> SheetResolution:
    """Settle a sheet's two entries box by box and save the log from the settled values.

    `choices` names, for each box the entries disagree on, the entry ("1" or "2") whose value
    is on the paper. The log is saved through `do_save_session_log`, with its validation and its
    refusal of a save from an older version; each entry is scored against the settled sheet.
    """
    with transaction.atomic():
        entries = {entry.round: entry for entry in SheetEntry.objects.select_for_update()
                   .filter(log=log)}
        if len(entries) < 2:
            raise EntryRefused(_("This sheet has not been typed in twice yet."))
        if SheetResolution.objects.filter(log=log).exists():
            raise EntryRefused(_("This sheet's two entries were already settled."))
        first, second = entries[SheetEntry.Round.FIRST], entries[SheetEntry.Round.SECOND]
        settled, unchosen = resolve(first.values, second.values, choices)
        if unchosen:
            raise SheetRejected(unchosen)
        do_save_session_log(group=log.group, session_code=log.session_code,
                            sheet=sheet_from_fields(settled), rules=rules, entered_by=by,
                            planned=log.planned, expected_version=expected_version)
        for entry in (first, second):
            score = score_entry(entry.values, settled)
            entry.fields, entry.errors = score.fields, score.errors
            entry.save(update_fields=["fields", "errors"])
        kept = {d.field: choices[d.field] for d in disagreements(first.values, second.values)}
        return SheetResolution.objects.create(log=log, values=settled, choices=kept,
                                              resolved_by=by)


@dataclass(frozen=True)
class ImportReport:
    rows: int
    added: int
    changed: int
    unchanged: int


def do_import_attendance(*, program: Program, data: bytes, file_name: str, entered_by: Person,
                         source: str = "", mapping: dict[str, str] | None = None,
                         groups: QuerySet[Group] | None = None) -> ImportReport:
    """Import an attendance file whole or not at all; importing it again adds nothing.

    The column mapping given is saved for `source`, and a saved one is used when none is given.
    `groups` limits the groups a file may touch (a supervisor imports for her own groups).
    """
    if source and mapping:
        ImportMapping.objects.update_or_create(program=program, source=source,
                                               defaults={"columns": mapping})
    elif source:
        saved = ImportMapping.objects.filter(program=program, source=source).first()
        mapping = saved.columns if saved else {}
    allowed = groups if groups is not None else Group.objects.all()
    groups = {g.code: g for g in allowed.filter(program=program)}
    members: dict[str, set[str]] = defaultdict(set)
    for group_code, person_code in Membership.objects.filter(group__program=program).values_list(
            "group__code", "person__code"):
        members[group_code].add(person_code)
    rows = parse_attendance(read_table(data, file_name), mapping=mapping or {},
                            groups=set(groups), sessions=curriculum_session_ids(),
                            members=members)
    people = dict(Person.objects.filter(program=program).values_list("code", "pk"))
    with transaction.atomic():
        logs = _logs_for(rows, groups, entered_by)
        existing = {(a.log_id, a.person_id): a for a in Attendance.objects.filter(
            log__in=logs.values())}
        new, changed, unchanged = [], [], 0
        for row in rows:
            log = logs[(row.group, row.session, row.date)]
            current = existing.get((log.pk, people[row.person]))
            if current is None:
                new.append(Attendance(log=log, person_id=people[row.person], status=row.status))
            elif current.status != row.status:
                current.status = row.status
                changed.append(current)
            else:
                unchanged += 1
        Attendance.objects.bulk_create(new, batch_size=5000)
        Attendance.objects.bulk_update(changed, ["status"], batch_size=5000)
    return ImportReport(rows=len(rows), added=len(new), changed=len(changed),
                        unchanged=unchanged)


def _logs_for(rows, groups: dict[str, Group], entered_by: Person
              ) -> dict[tuple, SessionLog]:
    """The session log of every (group, session, date) in the file, created when missing."""
    wanted = {(row.group, row.session, row.date) for row in rows}
    logs = {(log.group.code, log.session_code, log.date): log for log in SessionLog.objects
            .filter(group__in=[groups[g] for g, _s, _d in wanted]).select_related("group")}
    planned = {(p.group.code, p.session_code): p for p in PlannedSession.objects.filter(
        group__in=[groups[g] for g, _s, _d in wanted], log__isnull=True).select_related("group")}
    supervisors = {s.group_id: s.supervisor for s in Supervision.objects.filter(
        group__in=[groups[g] for g, _s, _d in wanted], end__isnull=True).select_related(
        "supervisor")}
    for key in sorted(wanted - set(logs)):
        group_code, session_code, date = key
        group = groups[group_code]
        plan = planned.pop((group_code, session_code), None)
        facilitator = plan.facilitator if plan else supervisors.get(group.pk, entered_by)
        logs[key] = SessionLog.objects.create(
            group=group, session_code=session_code, date=date, planned=plan,
            outcome=SessionLog.Outcome.HELD, facilitator=facilitator, entered_by=entered_by)
        if plan is not None and plan.status != Status.HELD:
            do_mark_session(session=plan, status=Status.HELD, reason="", by=entered_by)
    return logs


class SuggestionError(Exception):
    """A suggestion that cannot be saved, with the reason in a sentence."""


def do_receive_suggestion(*, program: Program, text: str, received_on, by: Person,
                          person: Person | None = None, group: Group | None = None
                          ) -> Suggestion:
    """Record a proposal from an Acompañante or a group; it starts as received."""
    if not text.strip():
        raise SuggestionError(_("Write the suggestion."))
    if person is None and group is None:
        raise SuggestionError(_("Say who made the suggestion: a person or a group."))
    with transaction.atomic():
        suggestion = Suggestion.objects.create(program=program, text=text.strip(),
                                               received_on=received_on, person=person,
                                               group=group)
        SuggestionChange.objects.create(suggestion=suggestion, new_status=suggestion.status,
                                        by=by)
    return suggestion


def do_change_suggestion_status(*, suggestion: Suggestion, status: str, reason: str,
                                by: Person) -> Suggestion:
    """Move a suggestion along; not adopting one needs the reason, which is kept."""
    if status not in Suggestion.Status.values:
        raise SuggestionError(_("Unknown status."))
    if status == Suggestion.Status.NOT_ADOPTED and not reason.strip():
        raise SuggestionError(_("Say why the suggestion was not adopted."))
    with transaction.atomic():
        SuggestionChange.objects.create(suggestion=suggestion, old_status=suggestion.status,
                                        new_status=status, reason=reason.strip(), by=by)
        suggestion.status, suggestion.reason = status, reason.strip()
        suggestion.save(update_fields=["status", "reason"])
    return suggestion
