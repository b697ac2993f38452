"""Constants the tests of every app share."""

import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

REPO = Path(__file__).resolve().parents[1]
CES = REPO / "programs" / "ces"

# One person of each role in the CES program file, used across the policy tests.
ROLE_PEOPLE = {
    "coordinator": "coord-01",
    "supervisor": "sup-01",
    "facilitator": "fac-01",
    "clinician": "clin-01",
    "acompanante": "ac-g01-02",
}


def while_sqlite_is_locked(action: Callable[[], T]) -> T:
    """`action`, tried again for up to ten seconds while SQLite says a table is locked: a
    browser test's last request may still be answered by the live server's thread, which
    shares the tests' in-memory database."""
    from django.db import OperationalError

    for _attempt in range(49):
        try:
            return action()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.2)
    return action()


def empty_audit_trail_for_flush() -> None:
    """Let a transactional test's flush empty the append-only audit table.

    Only tests need this: the database refuses deletes, so the triggers are lifted for the
    one DELETE and put back at once.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_change")
            cursor.execute("DELETE FROM audit_auditentry")
            # The chain's head this transaction remembers (migration audit 0008) is gone too.
            cursor.execute("SELECT set_config('acompana.audit_chain_head', '', true)")
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_change")
        else:
            def empty() -> None:
                cursor.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
                cursor.execute("DELETE FROM audit_auditentry")

            while_sqlite_is_locked(empty)
            cursor.execute("""CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON
                audit_auditentry BEGIN SELECT RAISE(ABORT, 'audit entries cannot be deleted');
                END""")


def run_worker() -> None:
    """Run the background worker over what is waiting, as `acompana worker` does, then stop.

    Tests that call it use `transactional_db`: the worker, like Django's request handling,
    closes a connection it finds inside a transaction it did not open (PostgreSQL)."""
    from io import StringIO

    from django.core.management import call_command

    call_command("worker", "--batch", stdout=StringIO(), verbosity=0)


def small_plan(*, code: str, supervisors_day: str, date_g01: str, date_g05: str) -> dict:
    """A plan.json of three sessions of CES: one supervisors' meeting, then the wellbeing
    session `code` for g01 (Reforma) and g05 (Laguna del Cofre) on the dates given."""
    def session(key, group, supervisor, facilitator, community, date, track="wellbeing",
                session_code=code):
        return {"id": key, "track": track, "session": session_code, "group": group,
                "supervisor": supervisor, "facilitator": facilitator, "community": community,
                "date": date, "start": "10:00", "end": "12:00", "status": "planned"}

    return {"program": "ces", "period": {"start": "2023-07-01", "end": "2024-06-30"},
            "sessions": [
                session("sup-01:supervisores-01", None, "sup-01", "coord-01", "jaltenango",
                        supervisors_day, track="supervisors", session_code="supervisores-01"),
                session(f"g01:{code}", "g01", "sup-01", "fac-01", "reforma", date_g01),
                session(f"g05:{code}", "g05", "sup-02", "fac-02", "laguna-del-cofre", date_g05),
            ]}
