"""Load benchmark: people entering attendance sheets and opening the dashboard, all at once.

Serves the app with gunicorn as production does (docs/deployment.md: 3 workers, 4 threads) on
127.0.0.1, against a fresh database prepared as `acompana serve` prepares it (CES program,
year planned, supervisors' logins), and runs Locust users for a bounded time. Each user logs in
as a supervisor and, over and over, opens a sheet of her groups, saves it, and now and then
opens the dashboard; users never share a sheet, so no save meets another's edit. Afterwards
every acknowledged save is looked for in the database: each save raises its log's version by
one, so a log's version must be at least the saves acknowledged for it.

Each user pauses between actions for half to one and a half times `--think` seconds (10 by
default). A supervisor typing a paper sheet in office hours spends a minute or more on it, so
ten seconds between pages is several times the pace of real work, and fifty such users send
the server about nine requests a second. `--think 1` is a stress test rather than a model of
people: it measures capacity (about 25 requests a second on 2 cores, where latency grows
until the offered load falls to it).

One run measures both ways, each on its own fresh database and server: at a 10-second pause
(latency) and at a 1-second pause (capacity), `--think 10,1` by default. It also times the
plan's downloads (PDF, XLSX, ICS, JSON, chart) with the background worker running beside the
server, as `acompana serve` runs it: the first download of a plan version (built by the
worker while the job's page shows its progress, unless the build the stored plan queued is
done already), then the same files served from storage. `--downloads-only` times only those.

Targets (2 cores): no errors, no lost write; at the 10-second pause p95 under 500 ms for every
request type, not only all of them together; at the 1-second pause at least 50 requests a
second (twice the 25 of 2026-11); plan downloads under 300 ms after the first build. Run from
the repository root, with the `bench` extra installed (`pip install -e '.[bench]'`):

    PYTHONPATH=. python benchmarks/load.py [--duration 120] [--users 50] [--think 10,1]
                                           [--database both] [--downloads-only]

The load generator runs on the same two cores as the server and the database, so the figures
are a floor of what the app does on a machine of its own.

Measured 2026-12-07 on PostgreSQL, quiet machine, 120 s each: at the 10-second pause 8.6
requests/s, p95 dashboard 35 ms, sheet page 36 ms, save sheet 58 ms (p99 1.2 s), 0 errors, 0 lost;
at the 1-second pause 51.2 requests/s, p95 650 ms; plan downloads from storage p95 18-30 ms (the
first PDF of a version 5.8 s through the worker, its job page 390 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "carga-de-prueba-2024"
POSTGRES = "postgres://postgres@127.0.0.1:5432"


def django_step(step: str) -> None:
    """In a child process, with Django set up against DATABASE_URL: give the supervisors
    logins and list their sheets ('accounts'), or read each sheet's saved version ('count')."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acompana.settings")
    django.setup()
    from django.db.models import Count

    from acompana import policy  # after django.setup(): it imports models
    from acompana.accounts.services import do_create_account
    from acompana.delivery.models import SessionLog
    from acompana.planning.models import PlannedSession
    from acompana.programs.models import Person, Role

    if step == "accounts":
        for person in Person.objects.filter(role=Role.SUPERVISOR, user__isnull=True):
            do_create_account(by=policy.OPERATOR,
                              person=person, username=person.code, password=PASSWORD)
        sheets = defaultdict(list)
        for planned in PlannedSession.objects.filter(group__isnull=False).order_by("key"):
            supervisor = planned.group.supervisions.filter(end__isnull=True).first().supervisor
            sheets[supervisor.code].append(planned.key)
        print(json.dumps(sheets))
    else:
        logs = SessionLog.objects.filter(planned__isnull=False).annotate(
            rows=Count("attendance"))
        print(json.dumps({log.planned.key: [log.version, log.rows]
                          for log in logs.select_related("planned")}))


def child(step: str, env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, __file__, "--django-step", step], env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare(database: str, directory: Path,
            postgres_name: str) -> tuple[dict[str, str], str | None]:
    """A fresh database prepared as on first start; its environment and, on PostgreSQL, the
    name of the database to drop afterwards."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "ACOMPANA_DATA_DIR": str(directory),
           "ACOMPANA_ADMIN_PASSWORD": PASSWORD, "ACOMPANA_SECRET_KEY": "load-benchmark-" * 4}
    dropped = None
    if database == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{directory / 'acompana.sqlite3'}"
    else:
        import psycopg

        dropped = postgres_name
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{dropped}"')
            admin.execute(f'CREATE DATABASE "{dropped}"')
        env["DATABASE_URL"] = f"{POSTGRES}/{dropped}"
    subprocess.run([sys.executable, "-m", "acompana", "serve", "--prepare-only"], env=env,
                   cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return env, dropped


def serve(env: dict[str, str], port: int, workers: int, threads: int,
          log: Path) -> subprocess.Popen:
    """gunicorn as deployed; the server's errors (tracebacks included) go to `log`."""
    with log.open("w") as stream:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "acompana.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--threads", str(threads), "--timeout", "120"],
            env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=stream)


def server_errors(log: Path) -> str:
    """Each exception and worker timeout the server logged, counted."""
    found = Counter(re.findall(r"^(?:[\w.]+(?:Error|Exception)\b.*|.*WORKER TIMEOUT.*)$",
                               log.read_text(errors="replace"), re.M))
    return "".join(f"\n  server x{count}: {line}" for line, count in found.most_common(5))


def wait_until_up(port: int, workers: int, seconds: float = 180) -> None:
    """Until every worker has loaded the app and answered a page (slowly, on a busy machine)."""
    import requests

    deadline, answered = time.monotonic() + seconds, 0
    while answered < 4 * workers:
        try:
            requests.get(f"http://127.0.0.1:{port}/cuenta/entrar/", timeout=30)
            answered += 1
        except (requests.ConnectionError, requests.Timeout):
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not answer on port {port}") from None
            time.sleep(0.2)


def run_users(host: str, sheets: dict[str, list[str]], users: int, duration: float,
              think: float):
    """Run the Locust users; return the stats and the saves acknowledged per sheet."""
    import gevent
    from locust import HttpUser, between, task
    from locust.env import Environment

    acknowledged: Counter[str] = Counter()
    logged_in: list[str] = []
    assignments = _assign(sheets, users)
    field = re.compile(r'name="((?:attendance|fidelity)-[^"]+)"')

    class Supervisor(HttpUser):
        wait_time = between(think / 2, think * 3 / 2)

        def on_start(self):
            self.code, self.keys = assignments.pop()
            page = self.client.get("/cuenta/entrar/")
            self.client.post("/cuenta/entrar/", data={
                "username": self.code, "password": PASSWORD,
                "csrfmiddlewaretoken": _token(page.text)}, allow_redirects=False)
            logged_in.append(self.code)

        @task(3)
        def enter_a_sheet(self):
            key = random.choice(self.keys)
            page = self.client.get(f"/registro/hoja/{key}/", name="sheet page")
            if page.status_code != 200:
                return  # Locust has counted the error
            data = {"csrfmiddlewaretoken": _token(page.text), "outcome": "held",
                    "date": _value(page.text, "date"), "duration_minutes": "110",
                    "facilitator": _selected(page.text, "facilitator"),
                    "notes": f"Carga {random.random():.6f}"}
            version = _value(page.text, "version")
            if version:
                data["version"] = version
            for name in set(field.findall(page.text)):
                statuses = (("present", "absent", "excused") if name.startswith("attendance")
                            else ("done", "adapted", "skipped"))
                data[name] = random.choice(statuses)
            with self.client.post(f"/registro/hoja/{key}/", data=data, name="save sheet",
                                  allow_redirects=False, catch_response=True) as response:
                if response.status_code == 302 and "guardada" in response.headers["Location"]:
                    acknowledged[key] += 1
                    response.success()
                else:
                    response.failure(f"save answered {response.status_code}")

        @task(1)
        def open_the_dashboard(self):
            self.client.get("/informes/", name="dashboard")

    environment = Environment(user_classes=[Supervisor], host=host)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=users)
    deadline = time.monotonic() + 300
    while len(logged_in) < users and time.monotonic() < deadline:
        gevent.sleep(0.1)
    logins = _figures(environment.stats.get("/cuenta/entrar/", "POST"))
    logins += "".join(f"\n  error x{error.occurrences}: {error.method} {error.name}: "
                      f"{error.error}" for error in environment.stats.errors.values())
    environment.stats.reset_all()  # the timed window starts with everyone logged in
    gevent.spawn_later(duration, runner.quit)
    runner.greenlet.join()
    for exception in runner.exceptions.values():
        print(f"  exception x{exception['count']}: {exception['msg']}")
    return environment.stats, acknowledged, logins


def _figures(entry) -> str:
    return (f"{entry.num_requests} logins, {entry.num_failures} failed, p50 "
            f"{entry.get_response_time_percentile(0.5):.0f} ms, p95 "
            f"{entry.get_response_time_percentile(0.95):.0f} ms")


def _assign(sheets: dict[str, list[str]], users: int) -> list[tuple[str, list[str]]]:
    """Each user a supervisor, round the supervisors, and a share of her sheets that no
    other user has."""
    supervisors = sorted(sheets)
    assignments = []
    for index in range(users):
        supervisor = supervisors[index % len(supervisors)]
        sharing = len(range(index % len(supervisors), users, len(supervisors)))
        keys = sheets[supervisor][index // len(supervisors)::sharing]
        if not keys:
            raise SystemExit(f"{users} users are more than the sheets to share out.")
        assignments.append((supervisor, keys))
    return assignments


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _value(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    return found.group(1) if found else ""


def _selected(html: str, name: str) -> str:
    select = re.search(rf'name="{name}">(.*?)</select>', html, re.S).group(1)
    found = re.search(r'value="([^"]+)" selected', select) or re.search(r'value="([^"]+)"',
                                                                         select)
    return found.group(1)


def plan_downloads(host: str, env: dict[str, str], repeats: int = 20) -> str:
    """The coordinator downloads every plan format, the worker running: the first download of
    the version (a job's page, then the file once the worker built it, or the file at once
    when the build the stored plan queued is done), then `repeats` times from storage. Per
    format: how the first came and how long it took, then p50 and p95 after."""
    import requests

    worker = subprocess.Popen([sys.executable, "-m", "acompana", "worker"], env=env, cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        session = requests.Session()
        page = session.get(f"{host}/cuenta/entrar/")
        session.post(f"{host}/cuenta/entrar/", data={
            "username": "coordinacion", "password": PASSWORD,
            "csrfmiddlewaretoken": _token(page.text)}, allow_redirects=False)
        lines = []
        for kind in ("pdf", "xlsx", "ics", "json", "svg", "png"):
            url = f"{host}/plan/descargar/{kind}/"
            started = time.perf_counter()
            answer = session.get(url, timeout=600, allow_redirects=False)
            answered = time.perf_counter() - started
            if answer.status_code == 302:  # not built yet: the job's page, then its file
                job = f"{host}{answer.headers['Location']}"
                state = session.get(job, params={"format": "json"}, timeout=60).json()
                while not state["finished"]:
                    time.sleep(0.2)
                    state = session.get(job, params={"format": "json"}, timeout=60).json()
                if state["status"] != "done":
                    return f"plan download {kind}: the job failed: {state['error']}"
                session.get(state["download"], timeout=60).raise_for_status()
                first = (f"first via the worker {time.perf_counter() - started:.1f} s "
                         f"(job page {answered * 1000:.0f} ms)")
            elif answer.status_code == 200:
                first = f"first from storage {answered * 1000:.0f} ms"
            else:
                return f"plan download {kind} answered {answer.status_code}"
            seconds = []
            for _ in range(repeats):
                started = time.perf_counter()
                answer = session.get(url, timeout=600, allow_redirects=False)
                seconds.append(time.perf_counter() - started)
                if answer.status_code != 200:
                    return f"plan download {kind} answered {answer.status_code} after the build"
            after = sorted(seconds)
            p50, p95 = (after[min(len(after) - 1, round(share * (len(after) - 1)))]
                        for share in (0.5, 0.95))
            lines.append(f"{kind} {first}, then p50 {p50 * 1000:.0f} ms, "
                         f"p95 {p95 * 1000:.0f} ms")
        return "; ".join(lines)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def report(database: str, stats, acknowledged: Counter, saved: dict, duration: float,
           think: float) -> None:
    total = stats.total
    lost = sum(max(0, count - saved.get(key, [0, 0])[0]) for key, count in acknowledged.items())
    print(f"\n== {database}, pause {think:g} s: {total.num_requests} requests in "
          f"{duration:.0f} s, "
          f"{total.num_requests / duration:.1f} requests/s, {total.num_failures} errors")
    print(f"{'request':<14}{'count':>8}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    entries = sorted((e for e in stats.entries.values() if e.num_requests),
                     key=lambda e: e.name)
    for entry in [*entries, total]:
        print(f"{entry.name:<14}{entry.num_requests:>8}{entry.num_failures:>8}"
              f"{entry.get_response_time_percentile(0.5):>9.0f}"
              f"{entry.get_response_time_percentile(0.95):>9.0f}"
              f"{entry.get_response_time_percentile(0.99):>9.0f}")
    for error in stats.errors.values():
        print(f"  error x{error.occurrences}: {error.method} {error.name}: {error.error}")
    in_database = sum(version for version, _rows in saved.values())
    empty = sum(1 for _version, rows in saved.values() if rows == 0)
    print(f"saves acknowledged (the whole run, logins' ramp included): "
          f"{sum(acknowledged.values())}; in the database (sum of versions, in-flight saves "
          f"included): {in_database}; lost: {lost}; saved sheets without attendance: {empty}")
    safe = total.num_failures == 0 and lost == 0
    if think >= 5:
        slowest = max(entries, key=lambda e: e.get_response_time_percentile(0.95))
        p95 = slowest.get_response_time_percentile(0.95)
        verdict = "met" if safe and p95 < 500 else "NOT met"
        print(f"targets (no errors, no lost write, p95 < 500 ms for every request type; "
              f"slowest: {slowest.name} {p95:.0f} ms): {verdict}")
    else:
        rate = total.num_requests / duration
        verdict = "met" if safe and rate >= 50 else "NOT met"
        print(f"targets (no errors, no lost write, capacity >= 50 requests/s; "
              f"{rate:.1f}): {verdict}")


def downloads_only(database: str, args) -> None:
    """The plan downloads alone, on a fresh database and server."""
    with tempfile.TemporaryDirectory(prefix="acompana-load-") as directory:
        print(f"Preparing a fresh {database} database (program, work plan, logins)...")
        env, dropped = prepare(database, Path(directory), args.postgres_name)
        server = serve(env, args.port, args.workers, args.threads, Path(directory) / "log")
        try:
            wait_until_up(args.port, args.workers)
            downloads = plan_downloads(f"http://127.0.0.1:{args.port}", env)
        finally:
            server.terminate()
            server.wait(timeout=30)
            if dropped:
                import psycopg

                with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{dropped}" WITH (FORCE)')
    print(f"plan downloads (target < 300 ms after the first build): {downloads}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=120, help="seconds of load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--think", default="10,1",
                        help="mean seconds a user waits between actions, one run each "
                             "(default 10,1: latency at 10, capacity at 1)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--postgres-name", default=f"acompana_load_{os.getpid()}",
                        help="the PostgreSQL database to create, use and drop")
    parser.add_argument("--downloads-only", action="store_true",
                        help="time only the plan downloads (no load), on --database")
    parser.add_argument("--django-step", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.django_step:
        django_step(args.django_step)
        return
    if args.downloads_only:
        downloads_only("postgres" if args.database == "postgres" else "sqlite", args)
        return
    from gevent import monkey

    monkey.patch_all()  # Locust's users are greenlets; before anything opens a socket
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    results = []
    for database, think in [(d, float(t)) for d in databases for t in args.think.split(",")]:
        with tempfile.TemporaryDirectory(prefix="acompana-load-") as directory:
            print(f"Preparing a fresh {database} database (program, work plan, logins)...")
            env, dropped = prepare(database, Path(directory), args.postgres_name)
            try:
                sheets = child("accounts", env)
                log = Path(directory) / "server.log"
                server = serve(env, args.port, args.workers, args.threads, log)
                try:
                    wait_until_up(args.port, args.workers)
                    print(f"Running {args.users} users for {args.duration:.0f} s, each "
                          f"pausing {think / 2:g}-{think * 3 / 2:g} s between "
                          f"actions, against gunicorn ({args.workers} workers x "
                          f"{args.threads} threads)...")
                    host = f"http://127.0.0.1:{args.port}"
                    stats, acknowledged, logins = run_users(host, sheets, args.users,
                                                            args.duration, think)
                    downloads = plan_downloads(host, env) if think >= 5 else ""
                finally:
                    server.terminate()
                    server.wait(timeout=30)
                logins += server_errors(log)
                results.append((database, think, stats, acknowledged, logins,
                                child("count", env), downloads))
            finally:
                if dropped:
                    import psycopg

                    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
                        admin.execute(f'DROP DATABASE IF EXISTS "{dropped}" WITH (FORCE)')
    for database, think, stats, acknowledged, logins, saved, downloads in results:
        report(database, stats, acknowledged, saved, args.duration, think)
        print(f"before the timed window, all users logged in: {logins}")
        if downloads:
            print(f"plan downloads (target < 300 ms after the first build): {downloads}")


if __name__ == "__main__":
    main()
