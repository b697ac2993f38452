"""Constants the tests of every app share."""

from pathlib import Path

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
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_no_change")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_delete")
            cursor.execute("DELETE FROM audit_auditentry")
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
