"""Writes to the work plan: store a computed plan, mark what happened, re-plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from acompana import policy
from acompana.audit.bulk import insert_audited
from acompana.audit.recording import of_program, record_bulk_updated
from acompana.planning.models import PlanChange, PlannedSession, Status
from acompana.programs.models import Community, Group, Person, Program, Role
from acompana.reports.services import refresh_program_days


class PlanError(Exception):
    """A plan that cannot be stored; `problems` names each session and field."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


# What a calendar event shows: a change to any raises the event's SEQUENCE.
EVENT_FIELDS = frozenset({"date", "start", "end", "community", "status", "group", "session_code",
                          "dropped"})


@dataclass
class StoreReport:
    created: int = 0
    moved: list[tuple[str, str | None, str]] = field(default_factory=list)
    unchanged: int = 0


def do_store_plan(*, program: Program, plan: dict, reason: str = "",
                  by: policy.Actor | Person | None) -> StoreReport:
    """Store a plan in plan.json shape, whole or not at all, recording every date it moves."""
    by = policy.authorize(by, "planning.do_store_plan", program).person
    people = {p.code: p for p in Person.objects.filter(program=program)}
    groups = {g.code: g for g in Group.objects.filter(program=program)}
    communities = {c.code: c for c in Community.objects.filter(program=program)}
    existing = {s.key: s for s in PlannedSession.objects.filter(program=program)}
    rows, problems = [], []
    for index, entry in enumerate(plan.get("sessions", [])):
        where = f"sessions[{index}] ({entry.get('id')})"
        try:
            rows.append(_session_values(entry, people, groups, communities))
        except KeyError as error:
            problems.append(f"{where}: field {error} is missing")
        except ValueError as error:
            problems.append(f"{where}: {error}")
    if problems:
        raise PlanError(problems)

    report = StoreReport()
    touched: set[dt.date] = set()  # the days whose figures change
    with transaction.atomic():
        for values in rows:
            session = existing.get(values["key"])
            if session is None:
                PlannedSession.objects.create(program=program, **values)
                report.created += 1
                touched.add(values["date"])
                continue
            changed = [name for name, value in values.items() if getattr(session, name) != value]
            if not changed:
                report.unchanged += 1
                continue
            old_date, old_status = session.date, session.status
            touched |= {old_date, values["date"]}
            for name in changed:
                setattr(session, name, values[name])
            if EVENT_FIELDS.intersection(changed):  # calendar apps must replace the event
                session.sequence += 1
                changed.append("sequence")
            session.save(update_fields=changed)
            if old_date != session.date or old_status != session.status:
                PlanChange.objects.create(session=session, old_date=old_date,
                                          new_date=session.date, old_status=old_status,
                                          new_status=session.status, reason=reason, made_by=by)
                report.moved.append((session.key, old_date.isoformat(),
                                     session.date.isoformat()))
        refresh_program_days(program.pk, touched)
        if report.unchanged < len(rows):
            queue_plan_files(program)
    return report


def queue_plan_files(program: Program) -> None:
    """After the coordination changed the plan (a re-plan, a stored plan, a session marked),
    the worker builds the files of the new version once it is committed, so the next download
    is served from storage at once."""
    from django.conf import settings

    from acompana.planning.tasks import build_whole_plan_files

    transaction.on_commit(lambda: build_whole_plan_files.enqueue(
        program.pk, settings.LANGUAGE_CODE), robust=True)


# Sheets are typed in runs during office hours, each marking a session held: the plan's files
# are built once the run has settled, not once per sheet.
SHEETS_SETTLE = dt.timedelta(minutes=10)


def queue_plan_files_soon(program_id: int) -> None:
    """After sessions were marked (sheets typed, an import), build the new version's files
    SHEETS_SETTLE later, unless a build of this program is already waiting: the first download
    after a morning of typing is then served from storage too."""
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    from acompana.planning.tasks import build_whole_plan_files

    def enqueue() -> None:
        now = timezone.now()  # a build waiting for its time (one to run at once has none)
        waiting = DBTaskResult.objects.filter(
            task_path=build_whole_plan_files.module_path, status="READY",
            run_after__gt=now, run_after__lte=now + SHEETS_SETTLE).values_list(
            "args_kwargs", flat=True)
        if any(list(task["args"][:1]) == [program_id] for task in waiting):
            return
        build_whole_plan_files.using(run_after=timezone.now() + SHEETS_SETTLE).enqueue(
            program_id, settings.LANGUAGE_CODE)

    transaction.on_commit(enqueue, robust=True)


def _session_values(entry: dict, people, groups, communities) -> dict:
    def lookup(table: dict, field_name: str, kind: str):
        code = entry.get(field_name)
        if code not in table:
            raise ValueError(f"field '{field_name}': unknown {kind} {code!r}")
        return table[code]

    status = entry.get("status", Status.PLANNED)
    if status not in Status.values:
        raise ValueError(f"field 'status': {status!r} is not one of {', '.join(Status.values)}")
    try:
        date = dt.date.fromisoformat(entry["date"])
        start = dt.time.fromisoformat(entry["start"])
        end = dt.time.fromisoformat(entry["end"])
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"date/start/end: expected YYYY-MM-DD and HH:MM ({error})") from error
    return {
        "key": entry["id"],
        "track": entry["track"],
        "session_code": entry["session"],
        "group": lookup(groups, "group", "group") if entry.get("group") else None,
        "supervisor": lookup(people, "supervisor", "person"),
        "facilitator": lookup(people, "facilitator", "person"),
        "community": lookup(communities, "community", "community"),
        "date": date,
        "start": start,
        "end": end,
        "status": status,
        "status_reason": str(entry.get("reason") or "") if status == Status.MISSED else "",
        "cohort": entry.get("cohort") or "",
        "dropped": bool(entry.get("dropped")),
    }


def do_mark_session(*, session: PlannedSession, status: str, reason: str,
                    by: policy.Actor | Person | None) -> PlannedSession:
    """Record that a session was held or missed (with the reason), keeping the history. When
    the coordination marks it, the plan's files are built anew in the background at once (a
    sheet a supervisor types marks one too: those are built once a run of sheets has settled,
    queue_plan_files_soon, rather than once per sheet all office hours)."""
    actor = policy.authorize(by, "planning.do_mark_session", session)
    if status not in Status.values:
        raise PlanError([_("'%(status)s' is not a session status.") % {"status": status}])
    if status == Status.MISSED and not reason.strip():
        raise PlanError([_("Say why the session was missed (for example: road closed).")])
    do_mark_sessions(sessions=[session], status=status, reason=reason, by=by)
    if actor.operator or actor.role == Role.COORDINATOR:
        queue_plan_files(session.program)
    return session


def do_mark_sessions(*, sessions: list[PlannedSession], status: str, reason: str,
                     by: policy.Actor | Person | None) -> None:
    """do_mark_session for many sessions at once (an import holds thousands): the same history
    and audit entries, written in bulk."""
    by = policy.authorize(by, "planning.do_mark_sessions", sessions).person
    reason = reason.strip()
    before = {session.pk: {"status": session.status, "status_reason": session.status_reason}
              for session in sessions}
    ids = list(before)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            chunk = ids[start:start + 5000]
            write_plan_changes(cursor, where=f"id IN ({', '.join(['%s'] * len(chunk))})",
                               params=chunk, status=status, reason=reason, by=by)
            PlannedSession.objects.filter(pk__in=chunk).update(
                status=status, status_reason=reason, sequence=F("sequence") + 1)
        for session in sessions:
            session.status, session.status_reason = status, reason
            session.sequence += 1
        for program_id in {session.program_id for session in sessions}:
            its_own = [session for session in sessions if session.program_id == program_id]
            with of_program(program_id):  # a command's or the worker's: the sessions' program
                record_bulk_updated(its_own, before)
            refresh_program_days(program_id, {session.date for session in its_own})
            queue_plan_files_soon(program_id)


def write_plan_changes(cursor, *, where: str, params: list, status: str, reason: str,
                       by: Person | None) -> None:
    """The plan's history of the planned sessions `where` selects, as they change to `status`,
    written by SQL before they change: do_mark_sessions' and the attendance import's, which
    selects its sessions from a temporary table. The history rows get no audit entries of
    their own (PlanChange.AUDIT_CREATION): the sessions' change is entered, by the caller."""
    planned = connection.ops.quote_name(PlannedSession._meta.db_table)
    insert_audited(cursor, PlanChange, [
        "session_id", "old_date", "new_date", "old_status", "new_status", "reason",
        "made_by_id", "made_at"], (
        f"SELECT id, date, date, status, %s, %s, CAST(%s AS bigint), %s FROM {planned} "
        f"WHERE {where} ORDER BY id"),
        [status, reason, by and by.pk, connection.ops.adapt_datetimefield_value(timezone.now()),
         *params])


@dataclass(frozen=True)
class PlanningResult:
    """What planning did: the solver's status and summary, and what moved in the stored plan."""

    status: str
    summary: list[str]
    stored: StoreReport | None
    explanation: str = ""
    incidents: list[str] = field(default_factory=list)  # solver processes that died, retries


def do_plan_program(*, program: Program, by: policy.Actor | Person | None,
                    time_limit: float = 30.0, lang: str = "es") -> PlanningResult:
    """Plan the program's year, or re-plan it from the stored plan keeping what was held.

    Reads the program as stored (so changes made in the admin count) and the curriculum files;
    an impossible plan stores nothing and says which requirements conflict.
    """
    from acompana.curriculum.selectors import current_curriculum
    from acompana.domain.scheduler import plan_program
    from acompana.domain.scheduler.outputs import plan_from_json, plan_to_json
    from acompana.domain.scheduler.sessions import session_specs
    from acompana.domain.scheduler.solve import summary
    from acompana.planning.selectors import plan_document
    from acompana.programs.selectors import program_as_file

    by = policy.authorize(by, "planning.do_plan_program", program)
    previous = None
    if PlannedSession.objects.filter(program=program).exists():
        previous = plan_from_json(plan_document(program=program), source="plan")
    outcome = plan_program(program_as_file(program), session_specs(current_curriculum()),
                           previous=previous, time_limit=time_limit,
                           source=f"{program.code} (program)")
    incidents = [i.en if lang == "en" else i.es for i in outcome.incidents]
    if outcome.plan is None:
        explanation = outcome.explanation.en if lang == "en" else outcome.explanation.es
        return PlanningResult(status=outcome.status, summary=[], stored=None,
                              explanation=explanation, incidents=incidents)
    reason = "re-plan" if previous else "plan"
    stored = do_store_plan(program=program, plan=plan_to_json(outcome.plan), reason=reason,
                           by=by)
    return PlanningResult(status=outcome.status, summary=summary(outcome), stored=stored,
                          incidents=incidents)
