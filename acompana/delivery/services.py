"""Writes of delivery records: one function per action, each in one transaction."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from acompana import policy
from acompana.audit.bulk import insert_audited, temporary_table
from acompana.audit.recording import (
    CREATE,
    UPDATE,
    audited_fields,
    created_fields_json,
    field_values,
    of_program,
    record_log_with_rows,
    record_rows,
    rows_entries_sql,
    write_rows,
)
from acompana.curriculum.selectors import current_curriculum
from acompana.delivery.models import (
    LOG_FIGURES,
    Attendance,
    FeedbackCount,
    FidelityItem,
    ImportMapping,
    SessionLog,
    SessionLogSource,
    SheetEntry,
    SheetResolution,
    Suggestion,
    SuggestionChange,
)
from acompana.domain.attendance_import import (
    COLUMN_NAMES,
    CheckedRows,
    Directory,
    Member,
    check_attendance,
    read_tables,
)
from acompana.domain.double_entry import (
    disagreements,
    resolve,
    score_entry,
    sheet_fields,
    sheet_from_fields,
)
from acompana.domain.export_shapes import recognise
from acompana.domain.messages import Message
from acompana.domain.session_sheet import SessionSheet, SheetRules, validate_sheet
from acompana.domain.tabular import MAX_PROBLEMS, counted
from acompana.i18n import records_summary
from acompana.planning.models import PlannedSession, Status
from acompana.planning.services import (
    do_mark_session,
    queue_plan_files_soon,
    write_plan_changes,
)
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
    policy.authorize(entered_by, "delivery.do_save_session_log", group)
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
            # Created without signals: its one audit entry, with its rows, is written below.
            log = SessionLog.objects.bulk_create([SessionLog(
                group=group, session_code=session_code, planned=planned, **values)])[0]
            before = None
        else:
            if expected_version != log.version:
                raise StaleEdit(log)
            before = field_values(log)
            for name, value in values.items():
                setattr(log, name, value)
            log.version += 1
            log.updated_at = timezone.now()
            changed = [name for name, value in field_values(log).items()
                       if before[name] != value]
            SessionLog.objects.filter(pk=log.pk).update(
                **{name: getattr(log, name) for name in changed})
        rows = _update_details(log, sheet, rules, people)
        record_log_with_rows(log, before, rows)
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


def _update_details(log: SessionLog, sheet: SessionSheet, rules: SheetRules,
                    people: dict[str, Person]) -> dict[str, dict]:
    """Write only the detail rows that differ from the stored ones (a cancelled session keeps
    none); return each kind's changed rows as {row: [before, after]} for the log's entry."""
    held = sheet.outcome == "held"
    attendance = _apply_difference(
        Attendance, {code: (pk, {"status": status}) for pk, code, status in
                     log.attendance.values_list("pk", "person__code", "status")},
        {code: {"status": status} for code, status in sheet.attendance.items()} if held else {},
        lambda code, values: Attendance(log=log, person=people[code], **values))
    fidelity = _apply_difference(
        FidelityItem, {position: (pk, {"activity": activity, "status": status})
                       for pk, position, activity, status in
                       log.fidelity.values_list("pk", "position", "activity", "status")},
        {position: {"activity": rules.activities[position - 1],
                    "status": sheet.fidelity[position]}
         for position in range(1, len(rules.activities) + 1)} if held else {},
        lambda position, values: FidelityItem(log=log, position=position, **values))
    feedback = _apply_difference(
        FeedbackCount, {(question, face): (pk, {"count": count}) for pk, question, face, count
                        in log.feedback.values_list("pk", "question", "face", "count")},
        {key: {"count": count} for key, count in sheet.feedback.items() if count} if held
        else {},
        lambda key, values: FeedbackCount(log=log, question=key[0], face=key[1], **values))
    return {kind: changes for kind, changes in (
        ("attendance", attendance), ("fidelity", fidelity), ("feedback", feedback)) if changes}


def _apply_difference(model, stored: dict, wanted: dict, make) -> dict[str, list]:
    """Delete, update and create rows of `model` so that `stored` ({key: (pk, values)}) becomes
    `wanted` ({key: values}), without signals (the log's one entry tells it); returns
    {key: [before, after]}, a value being the field's alone when there is one field."""
    gone = [pk for key, (pk, _values) in stored.items() if key not in wanted]
    changed = [model(pk=stored[key][0], **values) for key, values in wanted.items()
               if key in stored and stored[key][1] != values]
    added = [make(key, values) for key, values in wanted.items() if key not in stored]
    if gone:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)} "
                           f"WHERE id IN ({', '.join(['%s'] * len(gone))})", gone)
    if changed:
        model.objects.bulk_update(changed, list(next(iter(wanted.values()))))
    if added:
        model.objects.bulk_create(added)

    def shown(values: dict | None):
        return values if values is None or len(values) > 1 else next(iter(values.values()))

    return {_row_name(key): [shown(stored[key][1] if key in stored else None),
                             shown(wanted.get(key))]
            for key in sorted({*stored, *wanted}, key=str)
            if key not in stored or key not in wanted or stored[key][1] != wanted[key]}


def _row_name(key) -> str:
    """A detail row's name in the audit entry: the person's code, the activity's position, or
    question-face for a feedback count."""
    return "-".join(map(str, key)) if isinstance(key, tuple) else str(key)


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
    policy.authorize(entered_by, "delivery.do_record_second_entry", log)
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
            # Two entries that agree settle themselves: no one chooses, so no one is asked.
            _settle_sheet(log=log, choices={}, rules=rules, by=entered_by,
                          expected_version=log.version)
    return second


def do_settle_sheet(*, log: SessionLog, choices: dict[str, str], rules: SheetRules,
                    by: Person, expected_version: int) -> SheetResolution:
    """Settle a sheet's two entries box by box and save the log from the settled values.

    `choices` names, for each box the entries disagree on, the entry ("1" or "2") whose value
    is on the paper. The log is saved through `do_save_session_log`, with its validation and its
    refusal of a save from an older version; each entry is scored against the settled sheet.
    """
    policy.authorize(by, "delivery.do_settle_sheet", log)
    return _settle_sheet(log=log, choices=choices, rules=rules, by=by,
                         expected_version=expected_version)


def _settle_sheet(*, log: SessionLog, choices: dict[str, str], rules: SheetRules,
                  by: Person, expected_version: int) -> SheetResolution:
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
    tool: str = ""  # the tool whose export was recognised (commcare, kobo, odk, spreadsheet)
    mapping: dict[str, str] = field(default_factory=dict)  # Acompaña's column -> the file's
    new_records: int = 0  # records of the source (forms, submissions) imported now
    known_records: int = 0  # and those imported before, counted, not read again

    def summary(self) -> str:
        """'N nuevas, M ya estaban' (records of the source) when the file has source ids."""
        return records_summary(self.new_records, self.known_records)


def do_import_attendance(*, program: Program, data: bytes, file_name: str, entered_by: Person,
                         source: str = "", mapping: dict[str, str] | None = None,
                         progress: Callable[[int], object] | None = None) -> ImportReport:
    """Import an attendance file whole or not at all; importing it again adds nothing.

    The file's shape is recognised and its columns found by name; the mapping given (or, when
    none is, the one saved for `source`) says where names differ. The mapping used is saved for
    `source` with the rows (a rejected file saves nothing, its mapping neither).
    A file may touch only the groups the importer may open (a supervisor's own groups);
    `progress` is told how many rows were read, as they are. Files of a million rows are
    expected (a national program's export): each row goes to a temporary table as it is
    checked (COPY on PostgreSQL), and everything else (a person twice for a session, the
    sessions' logs, what is stored already) is found there by SQL, so the import holds no more
    for a big file than for a small one.
    """
    actor = policy.authorize(entered_by, "delivery.do_import_attendance", program)
    saved = {}
    if source and not mapping:
        found = ImportMapping.objects.filter(program=program, source=source).first()
        saved = found.columns if found else {}
    groups = dict(policy.visible_groups(actor).filter(program=program).values_list("code", "pk"))
    tables = read_tables(data, file_name, max_bytes=settings.MAX_UPLOAD_BYTES)
    export = recognise(tables, wanted=COLUMN_NAMES, file_name=file_name)
    from_source = source or export.tool
    known = set(SessionLogSource.objects.filter(
        source=from_source, log__group__program=program).values_list("source_id", flat=True))
    table = counted(export.table, progress) if progress else export.table
    checked = check_attendance(table, mapping=mapping or {}, saved=saved,
                               directory=attendance_directory(program, groups),
                               zone=ZoneInfo(program.time_zone), known_sources=known,
                               file_name=file_name)
    people = dict(Person.objects.filter(program=program).values_list("code", "pk"))
    with (transaction.atomic(), connection.cursor() as cursor,  # a rejected file: rolled back
          of_program(program.pk)):
        if connection.vendor == "postgresql":  # the logs' rows grouped in memory, not on disk
            cursor.execute("SET LOCAL work_mem = '128MB'")
        _load_rows(cursor, checked, groups, people)
        _group_sessions(cursor)
        checked.reject(_duplicates(cursor))
        if source:
            ImportMapping.objects.update_or_create(program=program, source=source,
                                                   defaults={"columns": checked.columns})
        _sessions_of_rows(cursor, program, entered_by)
        added, changed = _store_attendance(cursor, program)
        new_records = _remember_sources(cursor, from_source)
        cursor.execute("DROP VIEW import_attendance")
        for name in ("import_rows", "import_sessions", "import_new_logs", "import_colliding"):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        if added:  # new logs mark their planned sessions held: a new version of the plan
            queue_plan_files_soon(program.pk)
    return ImportReport(rows=checked.count, added=added, changed=changed,
                        unchanged=checked.count - added - changed, tool=export.tool,
                        mapping=checked.columns, new_records=new_records,
                        known_records=checked.known)


# The file's good rows, as check_attendance gives them (with ids for group and person).
_IMPORT_ROWS = ("line integer NOT NULL, group_id bigint NOT NULL, session_code varchar(60) NOT "
                "NULL, date date NOT NULL, person_id bigint NOT NULL, person_code text NOT "
                "NULL, status varchar(10) NOT NULL, source_id varchar(200) NOT NULL")
_SAME_SESSION = ("{a}.group_id = {b}.group_id AND {a}.session_code = {b}.session_code "
                 "AND {a}.date = {b}.date")


def _load_rows(cursor, checked: CheckedRows, groups: dict[str, int],
               people: dict[str, int]) -> None:
    """import_rows: the file's good rows as they are checked, with ids for group and person
    (and the person's code, which the logs' audit entries name her by).

    On PostgreSQL as COPY's own text, a thousand lines a write: psycopg's write_row, value by
    value, costs more than the checking itself. Each place (group, curriculum session and day)
    is written out once for its rows (its note), and each person."""
    if connection.vendor != "postgresql":
        temporary_table(cursor, "import_rows", _IMPORT_ROWS, (
            (line, groups[group], session, date, people[person], person, status, source_id)
            for line, group, session, date, person, status, source_id in checked))
        return
    cursor.execute("DROP TABLE IF EXISTS import_rows")
    cursor.execute(f"CREATE TEMPORARY TABLE import_rows ({_IMPORT_ROWS})")
    person_texts: dict[str, str] = {}  # a person's id and code as COPY reads them
    lines: list[str] = []
    columns = "line, group_id, session_code, date, status, person_id, person_code, source_id"
    with cursor.cursor.copy(f"COPY import_rows ({columns}) FROM STDIN") as copy:
        for line, place, person, status, source_id in checked.by_place():
            if place.note is None:  # the place's columns, written once for its rows
                place.note = (f"{groups[place.group]}\t{_copy_text(place.session)}\t"
                              f"{place.date.isoformat()}")
            who = person_texts.get(person)
            if who is None:
                who = person_texts[person] = f"{people[person]}\t{_copy_text(person)}"
            lines.append(f"{line}\t{place.note}\t{status}\t{who}\t"
                         f"{_copy_text(source_id) if source_id else ''}\n")
            if len(lines) == 1000:
                copy.write("".join(lines))
                lines.clear()
        copy.write("".join(lines))
    cursor.execute("ANALYZE import_rows (group_id, session_code, date, source_id)")


def _copy_text(text: str) -> str:
    """A value as COPY's text format reads it."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r"))
    return text


def _group_sessions(cursor) -> None:
    """import_sessions: each (group, session, date) of import_rows, with the id of its log
    when there is one (known), its rows (marked, present) and the people they name; on
    PostgreSQL also its rows as a new log's audit entry holds them, {person: [null, status]},
    gathered in the same pass over the file's rows (_record_logs_with_rows)."""
    log_table = connection.ops.quote_name(SessionLog._meta.db_table)
    postgres = connection.vendor == "postgresql"
    cursor.execute("DROP TABLE IF EXISTS import_sessions")
    cursor.execute("CREATE TEMPORARY TABLE import_sessions (group_id bigint, session_code "
                   "varchar(60), date date, log_id bigint, known boolean, present integer, "
                   f"marked integer, people integer, log_rows {'json' if postgres else 'text'})")
    log_rows = ("json_object_agg(person_code, json_build_array(NULL, status))" if postgres
                else "NULL")
    cursor.execute(  # the rows grouped first: a log is looked for once per session
        "INSERT INTO import_sessions SELECT r.group_id, r.session_code, r.date, l.id, l.id IS "
        "NOT NULL, r.present, r.marked, r.people, r.log_rows FROM (SELECT group_id, "
        "session_code, date, SUM(CASE WHEN status = 'present' THEN 1 ELSE 0 END) AS present, "
        f"COUNT(*) AS marked, COUNT(DISTINCT person_id) AS people, {log_rows} AS log_rows "
        "FROM import_rows GROUP BY group_id, session_code, date) r LEFT JOIN "
        f"{log_table} l ON {_SAME_SESSION.format(a='l', b='r')}")
    if postgres:
        cursor.execute("ANALYZE import_sessions")


def _duplicates(cursor) -> list[tuple[int, int]]:
    """(line, earlier line) of each row naming a person already named for its session."""
    cursor.execute("SELECT 1 FROM import_sessions WHERE people < marked LIMIT 1")
    if cursor.fetchone() is None:  # the usual file: none
        return []
    cursor.execute(
        "SELECT r.line, d.first FROM import_rows r JOIN (SELECT group_id, session_code, date, "
        "person_id, MIN(line) AS first FROM import_rows GROUP BY group_id, session_code, date, "
        f"person_id HAVING COUNT(*) > 1) d ON {_SAME_SESSION.format(a='r', b='d')} AND "
        f"r.person_id = d.person_id WHERE r.line > d.first ORDER BY r.line LIMIT {MAX_PROBLEMS}")
    return cursor.fetchall()


def attendance_directory(program: Program, groups: dict[str, int]) -> Directory:
    """The groups (of `groups`), curriculum sessions and members a file's rows are matched
    against, with the names and numbers people write on paper."""
    curriculum = current_curriculum()
    numbered = {session.number: session.id for track in curriculum.tracks
                if track.audience == "acompanantes"
                for session in curriculum.sessions_of(track.id)}
    members: dict[str, list[Member]] = defaultdict(list)
    for group_code, code, name, joined, left in Membership.objects.filter(
            group__program=program, group__code__in=groups).values_list(
            "group__code", "person__code", "person__name", "joined", "left"):
        members[group_code].append(Member(code, name, joined, left))
    return Directory(
        groups=dict(Group.objects.filter(pk__in=groups.values()).values_list("code", "name")),
        sessions={code: (session.title.es, session.title.en)
                  for code, session in curriculum.sessions.items()},
        members=members, session_numbers=numbered)


def _remember_sources(cursor, source: str) -> int:
    """Keep each new record's source id with the log it went to; returns how many."""
    added, _rows = insert_audited(
        cursor, SessionLogSource, ["log_id", "source", "source_id", "imported_at"], (
            "SELECT log_id, CAST(%s AS varchar(40)), source_id, %s FROM (SELECT DISTINCT "
            "s.log_id, r.source_id FROM import_rows r JOIN import_sessions s ON "
            f"{_SAME_SESSION.format(a='s', b='r')} WHERE r.source_id <> '') AS new_records "
            "ORDER BY log_id, source_id"),
        [source, connection.ops.adapt_datetimefield_value(timezone.now())])
    return added


def _sessions_of_rows(cursor, program: Program, entered_by: Person) -> None:
    """The logs missing from import_sessions created (and their ids filled in), held,
    facilitated as planned (or by the group's supervisor), and their planned session marked
    held. import_attendance (a view): each row with its log's id."""
    log_table = connection.ops.quote_name(SessionLog._meta.db_table)
    temporary_table(cursor, "import_new_logs", "group_id bigint, session_code varchar(60), "
                    "date date, planned_id bigint, facilitator_id bigint, mark boolean, "
                    "present integer, marked integer, planned_status varchar(10), "
                    "planned_reason varchar(300)", ())
    postgres = connection.vendor == "postgresql"
    if postgres:  # by SQL, but for days whose nearest plans collide (_colliding_plans)
        _nearest_plans(cursor, entered_by)
    if not postgres or _colliding_plans(cursor):
        new_logs = _new_logs(program, entered_by, only_colliding=postgres)
        while batch := list(itertools.islice(new_logs, 1000)):  # between the reading's fetches
            write_rows(cursor, "import_new_logs", batch)
    if postgres:
        cursor.execute("ANALYZE import_new_logs")
    values = {"planned_id": "planned_id", "group_id": "group_id",
              "session_code": "session_code", "date": "date",
              "outcome": f"'{SessionLog.Outcome.HELD.value}'", "cancel_reason": "''",
              "facilitator_id": "facilitator_id", "duration_minutes": "NULL", "notes": "''",
              "version": "1", "entered_by_id": "%s", "updated_at": "%s"}
    values |= {figure: "0" for figure in LOG_FIGURES}
    values |= {"attendance_present": "present", "attendance_marked": "marked"}
    # Each new log's one entry holds its rows: on SQLite written by _store_attendance.
    names = ", ".join(connection.ops.quote_name(name) for name in values)
    insert = (f"INSERT INTO {log_table} ({names}) SELECT {', '.join(values.values())} "
              "FROM import_new_logs ORDER BY group_id, session_code, date")
    params = [entered_by.pk, connection.ops.adapt_datetimefield_value(timezone.now())]
    if postgres:  # the new ids as INSERT gives them, and each new log's entry made from
        entries, entry_params = rows_entries_sql(  # what it returns, with its rows
            SessionLog, CREATE,
            created_fields_json(SessionLog, {"attendance": "log_rows"}, more="planned"),
            f"(SELECT a.*, r.log_rows, {_planned_text()} AS planned FROM added a JOIN "
            f"import_sessions r ON {_SAME_SESSION.format(a='a', b='r')} LEFT JOIN "
            "import_new_logs m ON m.mark AND m.planned_id = a.planned_id) AS s")
        cursor.execute(
            f"WITH added AS ({insert} RETURNING *), entries AS ({entries}) UPDATE "
            "import_sessions SET log_id = added.id FROM added WHERE "
            f"{_SAME_SESSION.format(a='added', b='import_sessions')}", params + entry_params)
        cursor.execute("ANALYZE import_sessions")  # analysed when no log was known
    else:
        cursor.execute(insert, params)
        cursor.execute(f"UPDATE import_sessions SET log_id = l.id FROM {log_table} l WHERE "
                       f"{_SAME_SESSION.format(a='l', b='import_sessions')} AND "
                       "import_sessions.log_id IS NULL")
    _mark_held(cursor, entered_by)
    cursor.execute("DROP VIEW IF EXISTS import_attendance")
    cursor.execute(  # a view: a million rows are not written out again
        "CREATE TEMPORARY VIEW import_attendance AS SELECT s.log_id, r.person_id, "
        "r.person_code, r.status, s.known FROM import_rows r JOIN import_sessions s ON "
        f"{_SAME_SESSION.format(a='s', b='r')}")


def _colliding_plans(cursor) -> bool:
    """import_colliding: the (group, curriculum session) pairs of import_new_logs where two
    days took the same planned session as their nearest, taken out of import_new_logs for
    _new_logs to match day by day; whether there is any.

    When every day of a pair has a nearest plan of its own, matching the days one by one
    in date order (each taking the nearest plan still free) gives each its nearest: no
    earlier day took it. A group's curriculum session held twice a year apart, each
    near its own plan, is such a pair."""
    cursor.execute("DROP TABLE IF EXISTS import_colliding")
    cursor.execute(
        "CREATE TEMPORARY TABLE import_colliding AS SELECT DISTINCT group_id, session_code "
        "FROM import_new_logs WHERE planned_id IS NOT NULL GROUP BY group_id, session_code, "
        "planned_id HAVING COUNT(*) > 1")
    cursor.execute(
        "DELETE FROM import_new_logs n USING import_colliding x WHERE x.group_id = "
        "n.group_id AND x.session_code = n.session_code")
    return cursor.rowcount > 0


def _free_plans_join() -> str:
    """import_sessions `s` joined with its group's plans `p` of its curriculum session that
    have no log yet."""
    quote = connection.ops.quote_name
    planned, logs = (quote(model._meta.db_table) for model in (PlannedSession, SessionLog))
    return (f"LEFT JOIN {planned} p ON p.group_id = s.group_id AND p.session_code = "
            f"s.session_code AND NOT EXISTS (SELECT 1 FROM {logs} l WHERE l.planned_id = p.id)")


def _nearest_plans(cursor, entered_by: Person) -> None:
    """import_new_logs, by SQL: each unknown session takes its group's planned session of its
    curriculum session without a log nearest its date (the first planned, of two as near), or
    none and the group's supervisor as facilitator, as _new_logs does."""
    quote = connection.ops.quote_name
    cursor.execute(
        "INSERT INTO import_new_logs SELECT DISTINCT ON (s.group_id, s.session_code, s.date) "
        "s.group_id, s.session_code, s.date, p.id, CASE WHEN p.id IS NULL THEN "
        "coalesce(v.supervisor_id, %s) ELSE p.facilitator_id END, coalesce(p.status <> %s, "
        "false), s.present, s.marked, p.status, p.status_reason FROM import_sessions s "
        f"{_free_plans_join()} LEFT JOIN (SELECT DISTINCT ON (group_id) group_id, supervisor_id "
        f"FROM {quote(Supervision._meta.db_table)} WHERE {quote('end')} IS NULL ORDER BY "
        "group_id, id DESC) v ON v.group_id = s.group_id WHERE s.log_id IS NULL "
        "ORDER BY s.group_id, s.session_code, s.date, abs(p.date - s.date), p.id",
        [entered_by.pk, Status.HELD.value])


def _new_logs(program: Program, entered_by: Person, *, only_colliding: bool = False
              ) -> Iterator[tuple]:
    """The logs to create, from import_sessions' unknown sessions (`only_colliding`: those of
    import_colliding): (group, session, date, planned session, facilitator, whether to mark it
    held, present, marked, and the planned session's status and its reason before).

    A group may have the same curriculum session planned more than once (a second year): each
    log takes the planned session without a log nearest its date, in date order. Read a
    group's curriculum session at a time (a server-side cursor on PostgreSQL)."""
    supervisors = dict(Supervision.objects.filter(group__program=program, end__isnull=True)
                       .order_by("id").values_list("group_id", "supervisor_id"))
    colliding = (" AND EXISTS (SELECT 1 FROM import_colliding x WHERE x.group_id = s.group_id "
                 "AND x.session_code = s.session_code)") if only_colliding else ""
    with connection.chunked_cursor() as reading:
        reading.execute(
            "SELECT s.group_id, s.session_code, s.date, s.present, s.marked, p.id, p.date, "
            "p.facilitator_id, p.status, p.status_reason FROM import_sessions s "
            f"{_free_plans_join()} WHERE s.log_id IS NULL{colliding} ORDER BY s.group_id, "
            "s.session_code, s.date, p.id")
        rows = itertools.chain.from_iterable(iter(lambda: reading.fetchmany(2000), []))
        for (group, code), pair in itertools.groupby(rows, key=lambda row: row[:2]):
            sessions, plans = {}, {}
            for _g, _c, date, present, marked, plan, plan_date, facilitator, *status in pair:
                sessions[_day(date)] = (present, marked)
                if plan is not None:
                    plans[plan] = (_day(plan_date), facilitator, *status)
            for date, (present, marked) in sessions.items():
                plan = min(plans, key=lambda pk: abs((plans[pk][0] - date).days), default=None)
                if plan is None:
                    yield (group, code, date, None, supervisors.get(group, entered_by.pk),
                           False, present, marked, None, None)
                    continue
                _plan_date, facilitator, status, reason = plans.pop(plan)
                yield (group, code, date, plan, facilitator, status != Status.HELD, present,
                       marked, status, reason)


def _day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _mark_held(cursor, entered_by: Person) -> None:
    """Mark held the planned sessions of import_new_logs marked so, with the plan's history
    as do_mark_sessions writes it. Each one's change is told by the audit entry of the log
    that marked it (_record_logs_with_rows), not by an entry of its own: the import writes one
    entry per log. The import's own authorisation covers them: they are sessions of the groups
    the importer may open."""
    planned = connection.ops.quote_name(PlannedSession._meta.db_table)
    marked = "SELECT planned_id FROM import_new_logs WHERE mark"
    write_plan_changes(cursor, where=f"id IN ({marked})", params=[], status=Status.HELD.value,
                       reason="", by=entered_by)
    cursor.execute(f"UPDATE {planned} SET status = %s, status_reason = '', "
                   f"sequence = sequence + 1 WHERE id IN ({marked})", [Status.HELD.value])


# What a new log's entry tells of the planned session it marked held (besides its own fields).
PLANNED_STATUS, PLANNED_REASON = "planned_session_status", "planned_session_status_reason"


def _planned_changes(status: str | None, reason: str | None) -> dict:
    """{planned_session_status: [before, held]} (and its reason, emptied, if it had one)."""
    if status is None:
        return {}
    return {PLANNED_STATUS: [status, Status.HELD.value]} | (
        {PLANNED_REASON: [reason, ""]} if reason else {})


def _store_attendance(cursor, program: Program) -> tuple[int, int]:
    """Add the rows of import_attendance not stored yet and change the statuses that differ,
    with one audit entry per session log touched holding its rows' before and after; count the
    figures of the logs that were there and the program's days again.

    Compared with the stored rows by SQL: a million rows would take minutes as objects.
    Returns how many rows were added and changed.
    """
    attendance = connection.ops.quote_name(Attendance._meta.db_table)
    # Rows of logs that existed may be stored already: those whose status differs change,
    # those missing are added (both usually few: they are kept aside for the entries). The
    # file's rows of such logs are written out first, and analysed, for the joins with the
    # stored rows; a file of new sessions only has none, and is not read for them.
    cursor.execute("SELECT 1 FROM import_sessions WHERE known LIMIT 1")
    known = "known" if cursor.fetchone() else "false"
    cursor.execute("DROP TABLE IF EXISTS import_known")
    cursor.execute("CREATE TEMPORARY TABLE import_known AS SELECT log_id, person_id, status "
                   f"FROM import_attendance WHERE {known}")
    if connection.vendor == "postgresql" and known != "false":
        cursor.execute("ANALYZE import_known")
    cursor.execute("DROP TABLE IF EXISTS import_changes")
    cursor.execute(
        "CREATE TEMPORARY TABLE import_changes AS SELECT a.id, a.log_id, a.person_id, "
        "a.status AS status_before, t.status AS status_after FROM import_known t JOIN "
        f"{attendance} a ON a.log_id = t.log_id AND a.person_id = t.person_id "
        "WHERE a.status <> t.status")
    cursor.execute("CREATE UNIQUE INDEX import_changes_id ON import_changes (id)")
    cursor.execute("DROP TABLE IF EXISTS import_known_added")
    cursor.execute(
        "CREATE TEMPORARY TABLE import_known_added AS SELECT t.log_id, t.person_id, "
        f"t.status FROM import_known t WHERE NOT EXISTS (SELECT 1 FROM {attendance} a "
        "WHERE a.log_id = t.log_id AND a.person_id = t.person_id)")
    cursor.execute("SELECT COUNT(*) FROM import_changes")
    changed = cursor.fetchone()[0]
    if changed:
        cursor.execute(
            f"UPDATE {attendance} SET status = (SELECT c.status_after FROM import_changes c "
            f"WHERE c.id = {attendance}.id) WHERE id IN (SELECT id FROM import_changes)")
    insert = f"INSERT INTO {attendance} (log_id, person_id, status) "
    cursor.execute(insert + "SELECT log_id, person_id, status FROM import_attendance "
                   "WHERE NOT known")
    added = cursor.rowcount
    cursor.execute(insert + "SELECT log_id, person_id, status FROM import_known_added")
    added_to_known = cursor.rowcount
    _record_logs_with_rows(cursor)
    # New logs were created with their figures; those that were there count theirs again.
    touched_known = ("SELECT log_id FROM import_changes UNION "
                     "SELECT log_id FROM import_known_added")
    if changed or added_to_known:
        refresh_figures(SessionLog.objects.filter(pk__in=RawSQL(touched_known, [])),
                        attendance_only=True)
    planned = connection.ops.quote_name(PlannedSession._meta.db_table)
    with connection.chunked_cursor() as days:  # a file of years: its days read 500 at a time
        days.execute(f"SELECT date FROM import_sessions WHERE NOT known OR log_id IN "
                     f"({touched_known}) UNION SELECT date FROM {planned} WHERE id IN "
                     "(SELECT planned_id FROM import_new_logs WHERE mark) ORDER BY 1")
        while batch := days.fetchmany(500):
            refresh_program_days(program.pk, [_day(date) for date, in batch])
    for table in ("import_known", "import_changes", "import_known_added"):
        cursor.execute(f"DROP TABLE {table}")
    return added + added_to_known, changed


# The rows an import wrote, by log: (log id, person code, status before, status after); on
# PostgreSQL a new log's rows are gathered with its session instead (_group_sessions).
_NEW_LOG_ROWS = ("SELECT t.log_id, t.person_code AS code, NULL AS status_before, t.status AS "
                 "status_after FROM import_attendance t WHERE NOT t.known")
_KNOWN_LOG_ROWS = ("SELECT c.log_id, p.code, c.status_before, c.status_after "
                   "FROM import_changes c JOIN {person} p ON p.id = c.person_id UNION ALL "
                   "SELECT k.log_id, p.code, NULL, k.status FROM import_known_added k "
                   "JOIN {person} p ON p.id = k.person_id")


def _planned_text() -> str:
    """', "planned_session_status": [before, "held"]' (and its reason's) of the planned
    session a new log `a` marked held (import_new_logs `m`), as JSON text; '' for none."""
    return (f"CASE WHEN m.planned_id IS NULL THEN '' ELSE ', \"{PLANNED_STATUS}\": ' || "
            f"json_build_array(m.planned_status, '{Status.HELD.value}')::text || CASE WHEN "
            f"m.planned_reason <> '' THEN ', \"{PLANNED_REASON}\": ' || json_build_array("
            "m.planned_reason, '')::text ELSE '' END END")


def _record_logs_with_rows(cursor) -> None:
    """One audit entry per session log the import touched: a new log's fields, its rows and
    the status of the planned session it marked held, or an existing log's rows that changed,
    each {person: [before, after]} (not one per row). On PostgreSQL a new log's entry was
    written with the log (_sessions_of_rows)."""
    quote = connection.ops.quote_name
    known_rows = _KNOWN_LOG_ROWS.format(person=quote(Person._meta.db_table))
    if connection.vendor == "postgresql":
        rows = "json_object_agg(code, json_build_array(status_before, status_after))"
        cursor.execute(*rows_entries_sql(
            SessionLog, UPDATE, "CAST(json_build_object('attendance', log_rows) AS jsonb)",
            f"(SELECT log_id AS id, {rows} AS log_rows FROM ({known_rows}) k GROUP BY log_id) "
            "AS s"))
        return
    record_rows(SessionLog, CREATE, _with_fields(_rows_by_log(cursor, _NEW_LOG_ROWS)))
    record_rows(SessionLog, UPDATE, _rows_by_log(cursor, known_rows))


def _rows_by_log(cursor, select: str, batch: int = 5000):
    """(log id, {"attendance": {person: [before, after]}}) per log, streamed in log order."""
    with connection.cursor() as reading:
        reading.execute(f"SELECT log_id, code, status_before, status_after FROM ({select}) r "
                        "ORDER BY log_id, code")
        rows = itertools.chain.from_iterable(iter(lambda: reading.fetchmany(batch), []))
        for log_id, group in itertools.groupby(rows, key=lambda row: row[0]):
            yield log_id, {"attendance": {code: [before, after]
                                          for _log, code, before, after in group}}


def _with_fields(logs, batch: int = 500):
    """Each new log's fields as [None, value] added to its rows' changes, and the status of the
    planned session it marked held (batches of logs)."""
    names = [field.attname for field in audited_fields(SessionLog)]
    for chunk in iter(lambda: list(itertools.islice(logs, batch)), []):
        fields = {pk: values for pk, *values in SessionLog.objects.filter(
            pk__in=[pk for pk, _rows in chunk]).values_list("pk", *names)}
        plans = [values[names.index("planned_id")] for values in fields.values()]
        with connection.cursor() as reading:
            reading.execute(
                "SELECT planned_id, planned_status, planned_reason FROM import_new_logs WHERE "
                f"mark AND planned_id IN ({', '.join(['%s'] * len(plans)) or 'NULL'})", plans)
            marked = {plan: _planned_changes(status, reason)
                      for plan, status, reason in reading.fetchall()}
        for pk, rows in chunk:
            changes = dict(zip(names, fields[pk], strict=True))
            yield pk, ({name: [None, value] for name, value in changes.items()} | rows
                       | marked.get(changes["planned_id"], {}))


class SuggestionError(Exception):
    """A suggestion that cannot be saved, with the reason in a sentence."""


def do_receive_suggestion(*, program: Program, text: str, received_on, by: Person,
                          person: Person | None = None, group: Group | None = None
                          ) -> Suggestion:
    """Record a proposal from an Acompañante or a group; it starts as received."""
    policy.authorize(by, "delivery.do_receive_suggestion",
                     policy.SuggestionSource(program=program, group=group, person=person))
    return _receive_suggestion(program=program, text=text, received_on=received_on, by=by,
                               person=person, group=group)


def _receive_suggestion(*, program: Program, text: str, received_on, by: Person,
                        person: Person | None, group: Group | None) -> Suggestion:
    """The suggestion stored, once the caller's service has asked the policy."""
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
    policy.authorize(by, "delivery.do_change_suggestion_status", suggestion)
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


def do_send_own_suggestion(*, by: Person, text: str, anonymous: bool) -> Suggestion:
    """An Acompañante's own proposal to the program, from her phone, for her group.

    Anonymous: nothing links it to her, not the suggestion, not its history, not the audit
    trail (recorded as an anonymous suggestion of her group), so not even the coordination
    can tell who sent it.
    """
    from acompana import policy
    from acompana.audit.recording import unattributed

    policy.authorize(by, "delivery.do_send_own_suggestion")
    if not text.strip():
        raise SuggestionError(_("Write the suggestion."))
    membership = by.memberships.filter(left__isnull=True).select_related("group").first()
    group = membership.group if membership else None
    if anonymous:
        with unattributed("sugerencia anónima"), transaction.atomic():
            return Suggestion.objects.create(program_id=by.program_id, text=text.strip(),
                                             received_on=timezone.localdate(), group=group)
    return _receive_suggestion(program=by.program, text=text, received_on=timezone.localdate(),
                               by=by, person=by, group=group)
