"""Fixtures shared by every app's tests: the CES program loaded, and users of each role."""

import pytest

from acompana import policy
from tests.support import CES


@pytest.fixture
def ces(db):
    """The CES program loaded from its program file."""
    from acompana.programs.services import do_load_program

    return do_load_program(by=policy.OPERATOR, location=CES).program


@pytest.fixture
def login_as(ces, client):
    """Log the test client in as the CES person with a given id; return that person."""
    from acompana.accounts.services import do_create_account
    from acompana.programs.models import Person

    def _login(code: str):
        person = Person.objects.get(code=code)
        if person.user is None:
            do_create_account(by=policy.OPERATOR,
                              person=person, username=code, password="una-clave-larga-1")
            person.refresh_from_db()
        client.force_login(person.user)
        return person

    return _login


@pytest.fixture(autouse=True, scope="session")
def _flush_waits_for_the_live_server():
    """On SQLite the live server's threads share the tests' in-memory database: a browser
    test's last request, still being answered, locks a table the test's final flush empties.
    The flush waits for it (up to ten seconds) instead of failing the test."""
    from django.db import connection

    from tests.support import while_sqlite_is_locked

    if connection.vendor != "sqlite":
        yield
        return
    operations = type(connection.ops)  # the backend's class: every connection's flush
    original = operations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        return while_sqlite_is_locked(lambda: original(self, sql_list))

    operations.execute_sql_flush = execute_sql_flush
    yield
    operations.execute_sql_flush = original


@pytest.fixture(autouse=True)
def _audit_trail_flushable(request):
    """Transactional tests end with a flush, which the append-only audit table would refuse."""
    if "transactional_db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")  # so this teardown runs before its flush
    yield
    from tests.support import empty_audit_trail_for_flush

    empty_audit_trail_for_flush()


@pytest.fixture(autouse=True)
def _derived_figures_kept(request):
    """After every test that wrote to the database, the figures kept for the dashboard equal a
    recount of what they sum: each session log's (attendance, fidelity, feedback) and each
    program's day rows. A write path that forgets `delivery.services.refresh_figures` or
    `reports.services.refresh_program_days` fails here, whichever test drives it."""
    wanted = [name for name in ("transactional_db", "db") if name in request.fixturenames]
    if not wanted and request.node.get_closest_marker("django_db") is None:
        yield
        return
    request.getfixturevalue(wanted[0] if wanted else "_django_db_helper")
    yield
    from django.db import connection

    if connection.needs_rollback or connection.connection is None:
        return  # the test left the transaction broken on purpose, or never opened one
    from acompana.delivery.models import LOG_FIGURES, SessionLog
    from acompana.delivery.services import counted_figures
    from acompana.programs.models import Program
    from acompana.reports.services import count_days, stored_days

    counted = {f"counted_{name}": expression for name, expression in counted_figures().items()}
    for log in SessionLog.objects.annotate(**counted).values("pk", *LOG_FIGURES, *counted):
        stale = [name for name in LOG_FIGURES if log[name] != log[f"counted_{name}"]]
        assert not stale, (f"Session log {log['pk']}: {', '.join(stale)} differ from its "
                           "details: a service wrote them without refresh_figures.")
    for program in Program.objects.all():
        assert stored_days(program.pk) == count_days(program.pk), (
            f"The day rows of program {program.code} differ from its sessions and logs: a "
            "service wrote sessions or logs without reports.services.refresh_program_days.")
