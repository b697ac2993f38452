"""The process tests/test_faults.py kills: it runs one service against the database named by
DATABASE_URL and, when asked, stops inside the service's transaction so it can be killed there.

    python tests/fault_child.py prepare
    python tests/fault_child.py import FILE [--pause-after TABLE]
    python tests/fault_child.py save GROUP SESSION STATUS [--version N] [--pause-after TABLE]
    python tests/fault_child.py snapshot | pragmas | threads N SAVES
    python tests/fault_child.py serve [--pause-after TABLE]

`serve` is the app's own server process: the Django WSGI application on 127.0.0.1 (a free
port, printed as `listening <port>`), with coord-01 able to sign in (password COORDINATOR).

`--pause-after TABLE` lets the service run until its first INSERT into TABLE has executed, then
prints `paused <rows of TABLE seen inside the transaction>` and sleeps until killed. Every other
command prints one JSON line. This is test code: it is never imported by the app.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acompana.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from acompana import policy  # noqa: E402
from acompana.curriculum.selectors import curriculum_session  # noqa: E402
from acompana.delivery.models import Attendance, SessionLog  # noqa: E402
from acompana.delivery.services import do_import_attendance, do_save_session_log  # noqa: E402
from acompana.domain.session_sheet import SessionSheet, SheetRules  # noqa: E402
from acompana.programs.models import Group, Person, Program  # noqa: E402
from acompana.programs.services import do_load_program  # noqa: E402
from acompana.reports.services import count_days, stored_days  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def pause_after_insert_into(table: str) -> None:
    """Once an INSERT into `table` has run inside the transaction, report it and wait (on
    PostgreSQL a bulk insert is `WITH added AS (INSERT INTO ...)`, with its audit entries)."""
    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    marker = f'INSERT INTO "{table}"'

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if marker in sql and sql.lstrip().upper().startswith(("INSERT", "WITH")):
            seen = model.objects.count()
            print(f"paused {seen}", flush=True)
            time.sleep(600)  # the test kills the process here
        return result

    connection.execute_wrappers.append(wrapper)  # for the rest of the process


COORDINATOR = "contraseña-de-prueba-fallos"


def serve() -> None:
    """Serve the app until killed; the request is handled in this thread, on its connection."""
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from django.core.wsgi import get_wsgi_application

    from acompana.accounts.services import do_create_account

    coordinator = Person.objects.get(code="coord-01")
    if coordinator.user_id is None:
        do_create_account(by=policy.OPERATOR,
                          person=coordinator, username="coord-01", password=COORDINATOR)

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
    print(f"listening {server.server_port}", flush=True)
    server.serve_forever()


def snapshot() -> dict:
    """Row counts of every table, and a digest of the attendance and session logs' contents."""
    counts = {model._meta.db_table: model.objects.count() for model in apps.get_models()}
    attendance = sorted(Attendance.objects.values_list("log__group__code", "log__session_code",
                                                       "log__date", "person__code", "status"))
    logs = sorted(SessionLog.objects.values_list("group__code", "session_code", "date",
                                                 "version", "outcome", "notes"))
    digest = hashlib.sha256(repr((attendance, logs)).encode()).hexdigest()
    return {"counts": counts, "digest": digest,
            "statuses": sorted({status for *_key, status in attendance})}


def save(group_code: str, session_code: str, status: str, version: int | None,
         notes: str = "") -> SessionLog:
    """Save a group's sheet for a session with everyone marked `status`."""
    group = Group.objects.get(code=group_code)
    roster = tuple(group.memberships.filter(left__isnull=True)
                   .values_list("person__code", flat=True))
    activities = tuple(a.name.es for a in curriculum_session(session_code).activities)
    rules = SheetRules(roster=roster, activities=activities, questions=0)
    supervisor = group.supervisions.filter(end__isnull=True).first().supervisor
    sheet = SessionSheet(outcome="held", date=dt.date(2023, 7, 11), facilitator=supervisor.code,
                         duration_minutes=120, attendance=dict.fromkeys(roster, status),
                         fidelity=dict.fromkeys(range(1, len(activities) + 1), "done"),
                         notes=notes)
    return do_save_session_log(group=group, session_code=session_code, sheet=sheet,
                               rules=rules, entered_by=supervisor, planned=None,
                               expected_version=version)


def threads(count: int, saves: int) -> dict:
    """`count` threads each save `saves` sheets at once; every error is kept, not raised."""
    groups = list(Group.objects.order_by("code").values_list("code", flat=True))
    sessions = [f"bienestar-{n:02d}" for n in range(1, saves + 1)]
    errors: list[str] = []
    start = threading.Barrier(count)

    def work(index: int) -> None:
        start.wait()
        try:
            for session in sessions:
                try:
                    save(groups[index % len(groups)], session, "present", None,
                         notes=f"thread {index}")
                except Exception as error:  # the test reports every one
                    errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    program = Program.objects.get()
    return {"errors": errors, "logs": SessionLog.objects.count(),
            "days_match_records": stored_days(program.pk) == count_days(program.pk)}


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("prepare")
    commands.add_parser("snapshot")
    commands.add_parser("pragmas")
    run_import = commands.add_parser("import")
    run_import.add_argument("file")
    run_save = commands.add_parser("save")
    run_save.add_argument("group")
    run_save.add_argument("session")
    run_save.add_argument("status")
    run_save.add_argument("--version", type=int)
    run_server = commands.add_parser("serve")
    for command in (run_import, run_save, run_server):
        command.add_argument("--pause-after")
    run_threads = commands.add_parser("threads")
    run_threads.add_argument("count", type=int)
    run_threads.add_argument("saves", type=int)
    args = parser.parse_args()

    if getattr(args, "pause_after", None):
        pause_after_insert_into(args.pause_after)
    if args.command == "prepare":
        call_command("migrate", interactive=False, verbosity=0)
        do_load_program(by=policy.OPERATOR, location=REPO / "programs" / "ces")
        result = snapshot()
    elif args.command == "snapshot":
        result = snapshot()
    elif args.command == "pragmas":
        with connection.cursor() as cursor:
            result = {pragma: cursor.execute(f"PRAGMA {pragma}").fetchone()[0]
                      for pragma in ("journal_mode", "synchronous", "busy_timeout")}
    elif args.command == "import":
        path = Path(args.file)
        report = do_import_attendance(program=Program.objects.get(), data=path.read_bytes(),
                                      file_name=path.name,
                                      entered_by=Person.objects.get(code="coord-01"))
        result = {"added": report.added}
    elif args.command == "serve":
        serve()
        return
    elif args.command == "save":
        result = {"version": save(args.group, args.session, args.status, args.version).version}
    else:
        result = threads(args.count, args.saves)
    print(json.dumps(result, default=str), flush=True)


if __name__ == "__main__":
    main()
