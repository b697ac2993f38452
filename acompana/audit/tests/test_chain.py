"""The audit trail is chained by hash at insert, by the database, whoever writes; `acompana audit
verify` names the first broken link: an entry deleted, changed or slipped in. Run on SQLite and
on PostgreSQL (DATABASE_URL), as the whole suite is."""

from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection

from acompana.audit import chain
from acompana.audit.models import AuditEntry
from acompana.audit.services import do_record_access

pytestmark = pytest.mark.django_db
COLUMNS = ", ".join(chain.COVERED)


@contextmanager
def triggers_lifted():
    """What the table's owner (or, on SQLite, anyone with the file) can do: write past the
    triggers. The test then puts them back as the migration made them."""
    migration = __import__("acompana.audit.migrations.0005_hash_chain_triggers",
                           fromlist=["SQLITE"])
    append_only = __import__("acompana.audit.migrations.0002_audit_entries_are_append_only",
                             fromlist=["SQLITE"])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            yield cursor
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
            return
        for name in ("audit_entry_no_update", "audit_entry_no_delete",
                     "audit_entry_born_unsealed", "audit_entry_chain"):
            cursor.execute(f"DROP TRIGGER {name}")
        yield cursor
        cursor.execute(append_only.SQLITE[1])
        for statement in migration.SQLITE[1:]:
            cursor.execute(statement)


def _hash_function() -> str:
    return "audit_entry_hash" if connection.vendor == "postgresql" else chain.SQLITE_FUNCTION


@pytest.fixture
def trail(db):
    """Ten entries, as the app writes them."""
    return [do_record_access(actor=None, action="view-results", subject=f"ac-g01-{n:02d}",
                             allowed=n % 2 == 0).pk for n in range(10)]


def _verify_exit(capsys) -> tuple[int, str]:
    try:
        call_command("audit", "verify")
    except SystemExit as leaving:
        return leaving.code, capsys.readouterr().err
    return 0, capsys.readouterr().out


def test_an_untouched_trail_verifies(trail, capsys):
    code, said = _verify_exit(capsys)
    assert code == 0
    assert said.startswith("Audit trail intact: 10 entries chained")
    assert AuditEntry.objects.filter(hash__isnull=True).count() == 0


def test_a_bulk_write_is_chained_too(trail, capsys):
    from acompana.audit.recording import _write_entries

    _write_entries("record.create", ((f"x#{n}", "", {"n": [None, n]}) for n in range(50)))
    code, said = _verify_exit(capsys)
    assert (code, said.split(":")[0]) == (0, "Audit trail intact")
    assert AuditEntry.objects.count() == 60


def test_a_deleted_entry_is_found(trail, capsys):
    with triggers_lifted() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [trail[4]])
    code, said = _verify_exit(capsys)
    assert code == 1
    assert said.strip() == (f"Audit trail broken at entry #{trail[5]}: it does not follow entry "
                            f"#{trail[3]}: an entry between them was deleted, or one of them "
                            "was slipped in.")


def test_a_changed_entry_is_found(trail, capsys):
    with triggers_lifted() as cursor:
        cursor.execute("UPDATE audit_auditentry SET outcome = 'allowed', actor = 'otra' "
                       "WHERE id = %s", [trail[3]])
    code, said = _verify_exit(capsys)
    assert code == 1
    assert said.strip() == (f"Audit trail broken at entry #{trail[3]}: its fields were changed "
                            "after it was written.")


def test_an_entry_slipped_in_is_found_even_with_a_well_made_hash(trail, capsys):
    """A forger who knows the hash function and writes a perfect link before her entry still
    breaks the next one."""
    later = do_record_access(actor=None, action="view-results", subject="ac-g01-99",
                             allowed=True).pk
    if later == trail[-1] + 1:  # SQLite numbers without gaps: leave one, as a rollback would
        with triggers_lifted() as cursor:
            cursor.execute("UPDATE audit_auditentry SET id = id + 5 WHERE id = %s", [later])
        later += 5
    forged_id = trail[-1] + 1
    with triggers_lifted() as cursor:
        cursor.execute(
            f"INSERT INTO audit_auditentry (id, prev_hash, {COLUMNS}) SELECT %s, hash, "
            f"{COLUMNS.replace('actor', quote('coord-01 (coordinator)'))} "
            "FROM audit_auditentry WHERE id = %s", [forged_id, trail[-1]])
        cursor.execute(f"UPDATE audit_auditentry SET hash = {_hash_function()}(prev_hash, "
                       f"{COLUMNS}) WHERE id = %s", [forged_id])
    code, said = _verify_exit(capsys)
    assert code == 1
    assert said.strip().startswith(f"Audit trail broken at entry #{later}: it does not follow "
                                   f"entry #{forged_id}")


def quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def test_the_app_cannot_choose_an_entrys_hash(db):
    """PostgreSQL replaces whatever hash is given with the chain's; SQLite refuses the row."""
    from django.db import IntegrityError, InternalError, OperationalError, transaction

    insert = ("INSERT INTO audit_auditentry (at, actor, action, subject, target, outcome, "
              "prev_hash, hash) VALUES (%s, '', 'x', '', '', 'allowed', '', %s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(insert, ["2020-01-01T00:00:00+00:00", "0" * 64])
        assert AuditEntry.objects.get(action="x").hash != "0" * 64
        assert chain.verify().broken is None
        return
    with pytest.raises((IntegrityError, InternalError, OperationalError)), \
            transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(insert, ["2020-01-01T00:00:00+00:00", "0" * 64])


def test_concurrent_writers_never_fork_the_chain(transactional_db):
    """Writers in transactions of their own, interleaved: one chain, every link holding.
    (PostgreSQL: SQLite writes one transaction at a time, and its test database is in memory.)"""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are PostgreSQL's case")
    import threading
    import time

    from django.db import transaction

    def write(name: str) -> None:
        try:
            for _ in range(5):
                with transaction.atomic():
                    for n in range(4):
                        do_record_access(actor=None, action="view-results",
                                         subject=f"{name}-{n}", allowed=True)
                        time.sleep(0.002)
        finally:
            connection.close()

    writers = [threading.Thread(target=write, args=(f"w{n}",)) for n in range(3)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert AuditEntry.objects.count() == 60
    assert chain.verify().broken is None


def test_the_chain_finds_the_previous_entry_without_scanning_the_trail(db):
    """Planned while the statistics said the trail was empty, the trigger's look-up of the
    previous entry scanned the whole table once per entry: an import's thousands of entries
    took minutes. It goes by the primary key's index whatever the statistics say."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's trigger looks the previous entry up by rowid")
    scans = ("SELECT coalesce(sum(seq_scan), 0) FROM pg_stat_xact_user_tables "
             "WHERE relname = 'audit_auditentry'")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditentry")  # the statistics of a near-empty trail
        cursor.execute("DISCARD PLANS")
        assert _counted_over_200_entries(cursor, scans) < 10
    assert chain.verify().broken is None


def _counted_over_200_entries(cursor, statistic: str) -> int:
    """How much `statistic` (a query of one number) grows while one INSERT writes 200
    entries."""
    cursor.execute(statistic)
    before = cursor.fetchone()[0]
    cursor.execute(
        "INSERT INTO audit_auditentry (at, actor, action, subject, target, outcome) "
        "SELECT now(), 'prueba', 'record.create', '', 'delivery.sessionlog#' || n, "
        "'allowed' FROM generate_series(1, 200) n")
    cursor.execute(statistic)
    return cursor.fetchone()[0] - before


def test_the_chain_looks_its_head_up_once_per_transaction(db):
    """After a transaction's first entry the head is its own last entry (it holds the chain's
    lock): 200 entries look the head up once, not 200 times, and still verify."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's trigger looks the previous entry up by rowid")
    look_ups = ("SELECT coalesce(sum(idx_scan), 0) FROM pg_stat_xact_user_tables "
                "WHERE relname = 'audit_auditentry'")
    do_record_access(actor=None, action="view-results", subject="ac-g01-01", allowed=True)
    with connection.cursor() as cursor:
        assert _counted_over_200_entries(cursor, look_ups) < 10
    assert chain.verify().broken is None


def test_entries_of_a_savepoint_rolled_back_leave_the_chain_whole(trail):
    from django.db import transaction

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        for n in range(3):
            do_record_access(actor=None, action="view-results", subject=f"gone-{n}",
                             allowed=True)
        raise Undone
    after = do_record_access(actor=None, action="view-results", subject="ac-g01-50",
                             allowed=True)
    assert AuditEntry.objects.get(pk=after.pk).prev_hash == AuditEntry.objects.get(
        pk=trail[-1]).hash
    assert chain.verify().broken is None


def test_a_chain_head_left_by_another_transaction_is_not_taken(trail):
    """The head a transaction remembers is tagged with its id: a value from an earlier
    transaction (or set by hand for the whole session) is looked past."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's trigger remembers the head; SQLite's looks it up")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('acompana.audit_chain_head', "
                       "(txid_current() - 1)::text || ':' || repeat('0', 64), false)")
        cursor.execute("SELECT set_config('acompana.audit_chain_head', "
                       "(txid_current() - 1)::text || ':' || repeat('0', 64), true)")
    entry = do_record_access(actor=None, action="view-results", subject="ac-g01-51",
                             allowed=True)
    assert AuditEntry.objects.get(pk=entry.pk).prev_hash == AuditEntry.objects.get(
        pk=trail[-1]).hash
    assert chain.verify().broken is None
