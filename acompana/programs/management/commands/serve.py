"""`acompana serve`: the main job. Prepare the data on first start, then serve the app."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from acompana import policy
from acompana.accounts.services import AccountError, do_create_account
from acompana.domain.program_file import ProgramFileError
from acompana.programs.models import Person, Program, Role
from acompana.programs.selectors import example_numbers
from acompana.programs.services import do_load_program


class Command(BaseCommand):
    help = ("Create and migrate the database, load the default program when the database is "
            "empty, create the first coordinator account, and serve the app.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("ACOMPANA_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("ACOMPANA_PORT", 8000)))
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--program", default=os.environ.get("ACOMPANA_PROGRAM", "programs/ces"),
                            help="program loaded when the database is empty")
        parser.add_argument("--prepare-only", action="store_true",
                            help="prepare the data and exit without serving")
        parser.add_argument("--no-worker", action="store_true",
                            help="serve without the background worker (run `acompana worker` "
                                 "as its own service instead)")

    def handle(self, *args, host, port, workers, program, prepare_only, no_worker, **options):
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"Data: {_where_data_lives()}")
        call_command("migrate", interactive=False, verbosity=0)
        if not Program.objects.exists():
            try:
                report = do_load_program(location=Path(program), by=policy.OPERATOR)
            except ProgramFileError as error:
                raise CommandError(f"Could not load the program {program}:\n{error}") from error
            self.stdout.write(f"Loaded the program {report.program.name} from {program}.")
        for loaded in Program.objects.all():
            for whose, number in example_numbers(loaded):
                self.stdout.write(self.style.WARNING(
                    f"Example phone number on the path to care: {whose} {number} (put the "
                    "real one in the program file before printing handouts)."))
        self._ensure_work_plan()
        self._ensure_first_coordinator()
        if prepare_only:
            return
        worker = None if no_worker else _start_worker()
        self.stdout.write(f"Serving Acompaña at http://{host}:{port}/ (Ctrl+C stops it)")
        try:
            _serve(f"{host}:{port}", workers)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)

    def _ensure_work_plan(self) -> None:
        """Plan the year once, so the calendar is there on the first visit."""
        from acompana.planning.models import PlannedSession
        from acompana.planning.services import do_plan_program

        for program in Program.objects.all():
            if PlannedSession.objects.filter(program=program).exists():
                continue
            result = do_plan_program(program=program, by=policy.OPERATOR)
            if result.stored is None:
                self.stdout.write(f"{program.name}: no work plan yet. {result.explanation}")
            else:
                self.stdout.write(f"{program.name}: work plan of {result.stored.created} "
                                  f"sessions ({result.status}).")

    def _ensure_first_coordinator(self) -> None:
        """Give the program's first coordinator a login, printing the password once."""
        if Person.objects.filter(role=Role.COORDINATOR, user__isnull=False).exists():
            return
        coordinator = Person.objects.filter(role=Role.COORDINATOR).order_by("code").first()
        if coordinator is None:
            self.stdout.write("The program has no coordinator; create accounts with "
                              "`acompana createuser`.")
            return
        username = os.environ.get("ACOMPANA_ADMIN_USERNAME", "coordinacion")
        given = os.environ.get("ACOMPANA_ADMIN_PASSWORD")
        try:
            _, password = do_create_account(person=coordinator, username=username, password=given,
                                             by=policy.OPERATOR)
        except AccountError as error:
            raise CommandError(str(error)) from error
        shown = "(from ACOMPANA_ADMIN_PASSWORD)" if given else password
        self.stdout.write(self.style.SUCCESS(
            f"First coordinator account: user name '{username}', password {shown}. "
            "It is shown only this once."))


def _where_data_lives() -> str:
    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"{database['NAME']} (SQLite), files in {settings.DATA_DIR}"
    return f"{connection.vendor} database '{database['NAME']}' on {database.get('HOST') or 'local'}"


def _start_worker() -> subprocess.Popen:
    """The background worker beside the web server, as a child process of its own (alerts
    must go out even while the web workers are busy); it stops when the server stops."""
    return subprocess.Popen([sys.executable, "-m", "acompana", "worker"])


def _serve(bind: str, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    from acompana.wsgi import application

    class AcompanaServer(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", bind)
            self.cfg.set("workers", workers)
            self.cfg.set("threads", 4)
            self.cfg.set("accesslog", "-")

        def load(self):
            return application

    AcompanaServer().run()
