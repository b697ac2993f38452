"""A process killed in the middle of a write leaves the database with all of the change or none.

Each test runs the write in a child process (tests/fault_child.py: the service alone, or the
app's server handling an upload) against a database of its own, on the run's engine: a SQLite
file in the SQLite run, a PostgreSQL database in the PostgreSQL run. The child stops inside the
service's transaction, after some rows are written; the test kills it with SIGKILL, as a power
cut or the OOM killer would, and reads what is left.
"""

from __future__ import annotations

import contextlib
import http.client
import http.cookiejar
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from acompana.domain.program_file import read_program_file
from tests.support import CES, REPO

CHILD = REPO / "tests" / "fault_child.py"
COORDINATOR = "contraseña-de-prueba-fallos"  # as tests/fault_child.py gives coord-01
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


class Database:
    """A database of the run's engine that children reach through DATABASE_URL."""

    def __init__(self, directory: Path, url: str):
        self.directory, self.url = directory, url

    def run(self, *args: str, timeout: float = 180) -> dict:
        """Run the child to the end and return what it printed."""
        done = subprocess.run([sys.executable, str(CHILD), *args], env=self.env(),
                              capture_output=True, text=True, timeout=timeout, check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def kill_inside(self, *args: str, table: str) -> int:
        """Start the child, kill it once it has inserted into `table` inside its transaction;
        return how many rows of `table` it saw there."""
        child = subprocess.Popen([sys.executable, str(CHILD), *args, "--pause-after", table],
                                 env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        try:
            ready, _, _ = select.select([child.stdout], [], [], 180)
            line = child.stdout.readline() if ready else "no answer within 180 s\n"
            assert line.startswith("paused "), line + child.stderr.read()[-3000:]
            child.send_signal(signal.SIGKILL)
            assert child.wait(timeout=30) == -signal.SIGKILL
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            child.stdout.close()
            child.stderr.close()
        return int(line.split()[1])

    def env(self) -> dict[str, str]:
        return {**os.environ, "DATABASE_URL": self.url, "PYTHONPATH": str(REPO),
                "ACOMPANA_DATA_DIR": str(self.directory)}


def _postgres_admin():
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                           user=db["USER"], password=db["PASSWORD"] or None,
                           dbname="postgres", autocommit=True)


def _postgres_url(name: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{name}")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A migrated database with the CES program, copied afresh for each test."""
    directory = tmp_path_factory.mktemp("faults")
    if not ON_POSTGRES:
        database = Database(directory, f"sqlite:///{directory / 'prepared.sqlite3'}")
        database.run("prepare")
        yield database
        return
    name = f"faults_{uuid.uuid4().hex[:12]}"
    with _postgres_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        database = Database(directory, _postgres_url(name))
        database.run("prepare")
        yield database
    finally:
        with _postgres_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database(prepared, tmp_path):
    """A copy of the prepared database, for one test."""
    if not ON_POSTGRES:
        source = Path(prepared.url.removeprefix("sqlite:///"))
        shutil.copyfile(source, tmp_path / "db.sqlite3")
        yield Database(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
        return
    import psycopg

    name = f"faults_{uuid.uuid4().hex[:12]}"
    template = prepared.url.rsplit("/", 1)[1]
    for attempt in range(50):  # the last child's server process may still be closing
        try:
            with _postgres_admin() as admin:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            break
        except psycopg.errors.ObjectInUse:
            if attempt == 49:
                raise
            time.sleep(0.1)
    try:
        yield Database(tmp_path, _postgres_url(name))
    finally:
        with _postgres_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _attendance_file(path: Path, dates: int) -> int:
    """Every CES member present at every wellbeing session on `dates` dates: a large import."""
    program = read_program_file(CES).document
    members = [(m.group, person.id) for person in program.people for m in person.memberships
               if m.left is None]
    sessions = [f"bienestar-{n:02d}" for n in range(1, 13)]
    lines = ["date,group,session,person,status"]
    for day in range(1, dates + 1):
        lines += [f"2023-08-{day:02d},{group},{session},{person},presente"
                  for session in sessions for group, person in members]
    path.write_text("\n".join(lines) + "\n")
    return len(lines) - 1


def test_an_import_killed_halfway_leaves_nothing_and_can_be_run_again(database, tmp_path):
    """Killed once its rows are written (in bulk, so perhaps all of them) but before it commits,
    an import leaves no session log and no row; the same file then imports whole."""
    rows = _attendance_file(tmp_path / "asistencia.csv", dates=12)
    before = database.run("snapshot")

    written = database.kill_inside("import", str(tmp_path / "asistencia.csv"),
                                   table="delivery_attendance")

    assert 0 < written <= rows
    assert database.run("snapshot") == before
    assert database.run("import", str(tmp_path / "asistencia.csv")) == {"added": rows}
    assert database.run("snapshot")["counts"]["delivery_attendance"] == rows


class Server:
    """The app's server process (tests/fault_child.py serve) and a signed-in coordinator."""

    def __init__(self, database: Database, *options: str):
        self.process = subprocess.Popen([sys.executable, str(CHILD), "serve", *options],
                                        env=database.env(), stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        line = self.next_line(timeout=120)
        assert line.startswith("listening "), line + self.process.stderr.read()[-3000:]
        self.address = f"http://127.0.0.1:{line.split()[1]}"
        self.browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.post("/cuenta/entrar/", {"username": "coord-01", "password": COORDINATOR})

    def next_line(self, timeout: float) -> str:
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        return self.process.stdout.readline() if ready else f"no answer within {timeout} s\n"

    def post(self, path: str, fields: dict, timeout: float = 180) -> str:
        """A form posted as a browser posts it: the page first, for its CSRF token."""
        page = self.browser.open(self.address + path, timeout=timeout).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = encode_multipart(BOUNDARY, {"csrfmiddlewaretoken": token, **fields})
        request = urllib.request.Request(self.address + path, data=body, headers={
            "Content-Type": MULTIPART_CONTENT})
        return self.browser.open(request, timeout=timeout).read().decode()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process.stdout.close()
        self.process.stderr.close()


def test_the_server_killed_during_an_upload_stores_nothing_and_takes_it_again(database,
                                                                              tmp_path):
    """The server process itself, killed while it writes an uploaded attendance file, leaves
    the database as it was; served again, the same upload is stored whole."""
    path = tmp_path / "asistencia.csv"
    rows = _attendance_file(path, dates=6)

    server = Server(database, "--pause-after", "delivery_attendance")
    before = database.run("snapshot")  # the coordinator signed in: her session is stored
    try:
        upload = threading.Thread(target=_post_and_lose_the_answer, args=(server, path))
        upload.start()
        paused = server.next_line(timeout=180)
        assert paused.startswith("paused "), paused
    finally:
        server.kill()
    upload.join(timeout=60)
    assert database.run("snapshot") == before

    server = Server(database)
    try:
        with path.open("rb") as file:
            page = server.post("/registro/importar/", {"file": file, "source": ""})
    finally:
        server.kill()
    assert f"{rows:,}".replace(",", "") in page.replace(",", "").replace("\u00a0", "")
    assert database.run("snapshot")["counts"]["delivery_attendance"] == rows


def _post_and_lose_the_answer(server: Server, path: Path) -> None:
    with contextlib.suppress(OSError, http.client.HTTPException), path.open("rb") as file:
        server.post("/registro/importar/", {"file": file, "source": ""})


def test_a_sheet_save_killed_halfway_keeps_the_sheet_as_it_was(database):
    """Re-saving a sheet changes the rows that differ; killed after the changed attendance and
    the log's audit entry are written and before its figures are, the save leaves the earlier
    sheet whole."""
    assert database.run("save", "g01", "bienestar-01", "present") == {"version": 1}
    before = database.run("snapshot")

    written = database.kill_inside("save", "g01", "bienestar-01", "absent", "--version", "1",
                                   table="audit_auditentry")

    assert written > 0
    after = database.run("snapshot")
    assert after == before
    assert after["statuses"] == ["present"]
    assert database.run("save", "g01", "bienestar-01", "absent", "--version", "1") == {
        "version": 2}
    assert database.run("snapshot")["statuses"] == ["absent"]


def test_a_first_save_killed_halfway_leaves_no_session_log(database):
    """A new sheet killed mid-save leaves neither its log nor any of its rows."""
    before = database.run("snapshot")

    database.kill_inside("save", "g02", "bienestar-02", "present", table="delivery_attendance")

    assert database.run("snapshot") == before


def test_several_people_saving_at_once_all_succeed(database):
    """Eight threads save sheets of the same day at the same moment: none waits in vain or
    fails (on SQLite, none gets 'database is locked'), every sheet is stored, and the day's row
    of the dashboard counts every one (each save recounts the day after the others commit)."""
    result = database.run("threads", "8", "6")

    assert result == {"errors": [], "logs": 8 * 6, "days_match_records": True}


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's journal settings; this run is on PostgreSQL")
def test_sqlite_runs_in_wal_with_full_sync_and_a_busy_timeout(database):
    """An acknowledged save survives a power cut, and a writer waits rather than failing."""
    assert database.run("pragmas") == {"journal_mode": "wal", "synchronous": 2,
                                       "busy_timeout": 20000}
