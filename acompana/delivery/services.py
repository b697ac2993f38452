"""Writes of delivery records: one function per action, each in one transaction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from acompana.audit.bulk import insert_audited, record_changes, temporary_table
from acompana.audit.recording import record_bulk_created
from acompana.curriculum.selectors import curriculum_session_ids
from acompana.delivery.models import (
    LOG_FIGURES,
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
from acompana.domain.attendance_import import SessionKey, parse_attendance, read_table
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
from acompana.planning.services import do_mark_session, do_mark_sessions
from acompana.programs.models import Group, Membership, Person, Program, Supervision
from acompana.reports.services import refresh_program_days


class SheetRejected(Exception):
    """A sheet that cannot be saved; `errors` maps each form field to its problem."""

    def __init__(self, errors: dict[str, Message]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


class DateDiffers(Exception):
    """The sheet's date is not the plan's: saved only once the person confirms it (a slip of
    the pen would otherwise move the session in the plan and the reports without a word)."""

    def __init__(self, *, planned: dt.date, typed: dt.date):
        self.planned, self.typed = planned, typed
        super().__init__(f"the sheet says {typed}, the plan {planned}")

    @property
    def days(self) -> int:
        """Days the sheet's date is after the plan's (negative: before)."""
        return (self.typed - self.planned).days


class StaleEdit(Exception):
    """Someone saved this log after it was opened: saving now would overwrite their work."""

    def __init__(self, current: SessionLog):
        self.current = current
        super().__init__(f"session log {current.pk} is at version {current.version}")


def do_save_session_log(*, group: Group, session_code: str, sheet: SessionSheet,
                        rules: SheetRules, entered_by: Person, planned: PlannedSession | None,
                        expected_version: int | None,
                        keep_as_first_entry: bool = False,
                        date_confirmed: bool = True) -> SessionLog:
    """Validate and save a session's sheet; holding or cancelling updates the work plan.

    `expected_version` is the version the form was opened at (None for a new log): a save from
    an older version is refused with StaleEdit, never a silent lost update. The entry page's
    saves pass `keep_as_first_entry`: the first of them is kept, as typed, as the sheet's first
    entry for double entry. The entry page passes `date_confirmed=False` until the person has
    confirmed a date that differs from the plan's (DateDiffers says by how much).
    """
    errors = validate_sheet(sheet, rules)
    if errors:
        raise SheetRejected(errors)
    if (not date_confirmed and planned is not None and sheet.date is not None
            and sheet.date != planned.date):
        raise DateDiffers(planned=planned.date, typed=sheet.date)
    people = {p.code: p for p in Person.objects.filter(program=group.program_id,
                                                        code__in=[*sheet.attendance,
                                                                  sheet.facilitator])}
    values = {"date": sheet.date, "outcome": sheet.outcome, "cancel_reason": sheet.cancel_reason,
              "facilitator": people[sheet.facilitator], "notes": sheet.notes,
              "duration_minutes": sheet.duration_minutes, "entered_by": entered_by}
    with transaction.atomic():
        log = _locked_log(group=group, session_code=session_code, planned=planned)
        days = {sheet.date} if log is None else {sheet.date, log.date}
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
        refresh_figures(SessionLog.objects.filter(pk=log.pk))
        refresh_program_days(group.program_id, days)
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
    record_bulk_created(Attendance.objects.bulk_create(
        Attendance(log=log, person=people[code], status=status)
        for code, status in sheet.attendance.items()))
    record_bulk_created(FidelityItem.objects.bulk_create(
        FidelityItem(log=log, position=position, activity=rules.activities[position - 1],
                     status=sheet.fidelity[position])
        for position in range(1, len(rules.activities) + 1)))
    record_bulk_created(FeedbackCount.objects.bulk_create(
        FeedbackCount(log=log, question=question, face=face, count=count)
        for (question, face), count in sorted(sheet.feedback.items()) if count))


def refresh_figures(logs: QuerySet[SessionLog], *, attendance_only: bool = False) -> None:
    """Count the logs' figures again from their details, in one UPDATE.

    The figures are derived data kept for the dashboard, so this writes no audit entry: the
    details it counts have theirs.
    """
    figures = counted_figures()
    if attendance_only:
        figures = {name: figures[name] for name in ("attendance_present", "attendance_marked")}
    logs.update(**figures)


def counted_figures() -> dict[str, Coalesce]:
    """Each of a log's figures (LOG_FIGURES) as a count of its details, for an UPDATE or an
    annotation of session logs."""
    return {"attendance_present": _total(Attendance, Count("pk"), status="present"),
            "attendance_marked": _total(Attendance, Count("pk")),
            "fidelity_done": _total(FidelityItem, Count("pk"), status="done"),
            "fidelity_adapted": _total(FidelityItem, Count("pk"), status="adapted"),
            "fidelity_skipped": _total(FidelityItem, Count("pk"), status="skipped"),
            "feedback_weighted": _total(FeedbackCount, Sum(F("face") * F("count"))),
            "feedback_answers": _total(FeedbackCount, Sum("count"))}


def _total(model, aggregate, **filters) -> Coalesce:
    rows = (model.objects.filter(log=OuterRef("pk"), **filters).order_by().values("log")
            .annotate(n=aggregate).values("n"))
    return Coalesce(Subquery(rows), Value(0))


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

    The column mapping given is saved for `source` with the rows (a rejected file saves
    nothing, its mapping neither), and a saved one is used when none is given.
    `groups` limits the groups a file may touch (a supervisor imports for her own groups).
    Files of a million rows are expected (a national program's export): the rows go to the
    database in bulk and are compared with what is stored there, by SQL.
    """
    if source and not mapping:
        saved = ImportMapping.objects.filter(program=program, source=source).first()
        mapping = saved.columns if saved else {}
    allowed = groups if groups is not None else Group.objects.all()
    groups = dict(allowed.filter(program=program).values_list("code", "pk"))
    members: dict[str, set[str]] = defaultdict(set)
    for group_code, person_code in Membership.objects.filter(group__program=program).values_list(
            "group__code", "person__code"):
        members[group_code].add(person_code)
    table = read_table(data, file_name, max_bytes=settings.MAX_UPLOAD_BYTES)
    checked = parse_attendance(table, mapping=mapping or {}, groups=set(groups),
                               sessions=curriculum_session_ids(), members=members)
    del members
    people = dict(Person.objects.filter(program=program).values_list("code", "pk"))
    with transaction.atomic():
        if source and mapping:
            ImportMapping.objects.update_or_create(program=program, source=source,
                                                   defaults={"columns": mapping})
        logs, new_logs = _logs_for(program, checked.sessions, groups, entered_by)
        added, changed = _store_attendance(program, (
            (logs[key], people[person], status, key not in new_logs)
            for key, statuses in checked.sessions.items()
            for person, status in statuses.items()))
    return ImportReport(rows=checked.rows, added=added, changed=changed,
                        unchanged=checked.rows - added - changed)


def _logs_for(program: Program, sessions: Iterable[SessionKey], groups: dict[str, int],
              entered_by: Person) -> tuple[dict[SessionKey, int], set[SessionKey]]:
    """The session log id of every (group, session, date) in the file, and the keys of the logs
    created now: held, facilitated as planned (or by the group's supervisor), and their planned
    session marked held."""
    wanted = set(sessions)
    logs = {}
    for pk, group, code, date in SessionLog.objects.filter(
            group__program=program, date__in={date for _g, _s, date in wanted}).values_list(
            "pk", "group__code", "session_code", "date"):
        if (group, code, date) in wanted:
            logs[(group, code, date)] = pk
    missing = sorted(wanted - set(logs))
    if not missing:
        return logs, set()
    # A group may have the same curriculum session planned more than once (a second year):
    # each log takes the planned one nearest its date.
    planned: dict[tuple[str, str], list[PlannedSession]] = defaultdict(list)
    for session in PlannedSession.objects.filter(
            group__program=program, session_code__in={code for _g, code, _d in missing},
            log__isnull=True).select_related("group"):
        planned[(session.group.code, session.session_code)].append(session)
    supervisors = dict(Supervision.objects.filter(group__program=program, end__isnull=True)
                       .values_list("group_id", "supervisor_id"))
    created, held = [], []
    for n, (group_code, session_code, date) in enumerate(missing):
        group = groups[group_code]
        plan = _nearest(planned.get((group_code, session_code)), date)
        facilitator = plan.facilitator_id if plan else supervisors.get(group, entered_by.pk)
        created.append((n, group, session_code, date.isoformat(), plan and plan.pk, facilitator))
        if plan is not None and plan.status != Status.HELD:
            held.append(plan)
    with connection.cursor() as cursor:
        temporary_table(cursor, "import_logs", "n integer, group_id bigint, session_code "
                         "varchar(60), date date, planned_id bigint, facilitator_id bigint",
                         created)
        values = {"planned_id": "planned_id", "group_id": "group_id",
                  "session_code": "session_code", "date": "date",
                  "outcome": f"'{SessionLog.Outcome.HELD.value}'", "cancel_reason": "''",
                  "facilitator_id": "facilitator_id", "duration_minutes": "NULL", "notes": "''",
                  "version": "1", "entered_by_id": "%s", "updated_at": "%s"}
        values |= {figure: "0" for figure in LOG_FIGURES}
        _, ids = insert_audited(
            cursor, SessionLog, list(values),
            f"SELECT {', '.join(values.values())} FROM import_logs ORDER BY n",
            [entered_by.pk, connection.ops.adapt_datetimefield_value(timezone.now())],
            returning="id, group_id, session_code, date")
        cursor.execute("DROP TABLE import_logs")
    do_mark_sessions(sessions=held, status=Status.HELD, reason="", by=entered_by)
    codes = {pk: code for code, pk in groups.items()}
    logs |= {(codes[group], code, dt.date.fromisoformat(str(date))): pk
             for pk, group, code, date in ids}
    return logs, set(missing)


def _nearest(sessions: list[PlannedSession] | None, date: dt.date) -> PlannedSession | None:
    """The planned session nearest `date`, taken out of `sessions` (no log takes it twice)."""
    if not sessions:
        return None
    nearest = min(sessions, key=lambda session: abs((session.date - date).days))
    sessions.remove(nearest)
    return nearest


def _store_attendance(program: Program, rows: Iterable[tuple[int, int, str, bool]]
                      ) -> tuple[int, int]:
    """Add the rows not stored yet and change the statuses that differ, with their audit entries.

    `rows` are (log id, person id, status, whether the log existed before). They are loaded into
    a temporary table (COPY on PostgreSQL) and compared with the stored ones by SQL: a million
    rows would take minutes as objects. Returns how many rows were added and changed.
    """
    attendance = connection.ops.quote_name(Attendance._meta.db_table)
    with connection.cursor() as cursor:
        temporary_table(cursor, "import_rows", "log_id bigint NOT NULL, person_id bigint NOT "
                         "NULL, status varchar(10) NOT NULL, known boolean NOT NULL", rows)
        # Rows of logs that existed may be stored already: those whose status differs change.
        cursor.execute("DROP TABLE IF EXISTS import_changes")
        cursor.execute(
            "CREATE TEMPORARY TABLE import_changes AS SELECT a.id, a.status AS status_before, "
            f"t.status AS status_after FROM import_rows t JOIN {attendance} a ON "
            "a.log_id = t.log_id AND a.person_id = t.person_id "
            "WHERE t.known AND a.status <> t.status")
        cursor.execute("CREATE UNIQUE INDEX import_changes_id ON import_changes (id)")
        changed = record_changes(cursor, Attendance, "import_changes", ["status"])
        if changed:
            cursor.execute(
                f"UPDATE {attendance} SET status = (SELECT c.status_after FROM import_changes c "
                f"WHERE c.id = {attendance}.id) WHERE id IN (SELECT id FROM import_changes)")
        columns = ["log_id", "person_id", "status"]
        added, _ = insert_audited(cursor, Attendance, columns, (
            "SELECT log_id, person_id, status FROM import_rows WHERE NOT known"), [])
        added_to_known, _ = insert_audited(cursor, Attendance, columns, (
            "SELECT t.log_id, t.person_id, t.status FROM import_rows t WHERE t.known AND NOT "
            f"EXISTS (SELECT 1 FROM {attendance} a WHERE a.log_id = t.log_id AND "
            "a.person_id = t.person_id)"), [])
        touched = ("SELECT DISTINCT log_id FROM import_rows" if changed or added_to_known else
                   "SELECT DISTINCT log_id FROM import_rows WHERE NOT known")
        touched_logs = SessionLog.objects.filter(pk__in=RawSQL(touched, []))
        refresh_figures(touched_logs, attendance_only=True)
        refresh_program_days(program.pk, touched_logs.values_list("date", flat=True)
                             .distinct().order_by())
        cursor.execute("DROP TABLE import_rows")
        cursor.execute("DROP TABLE import_changes")
    return added + added_to_known, changed


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
