"""Entries PostgreSQL writes for rows added by SQL (an import's session logs) hold the same
changes as those Python writes for the same rows, whatever characters and values they hold;
Python's entries for rows read back from the database are written while they are read."""

import datetime as dt

import pytest
from django.db import connection

from acompana.audit.models import AuditEntry
from acompana.audit.recording import (
    created_entries_sql,
    record_bulk_created,
    record_rows_created,
)
from acompana.delivery.models import SessionLog
from acompana.programs.models import Group, Person


@pytest.mark.parametrize("microseconds", [0, 123456])
def test_an_entry_built_by_sql_holds_what_python_writes(ces, microseconds):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's entries for rows added by SQL are written by Python")
    person = Person.objects.get(code="coord-01")
    log = SessionLog.objects.create(
        group=Group.objects.get(code="g01"), session_code="bienestar-01",
        date=dt.date(2023, 7, 11), outcome="held", facilitator=person, entered_by=person,
        cancel_reason='dijo "no" \\ luego sí', notes="línea 1\nlínea 2\t😊 \u0007 fin")
    stamp = dt.datetime(2023, 7, 11, 15, 4, 5, microseconds, tzinfo=dt.UTC)
    SessionLog.objects.filter(pk=log.pk).update(updated_at=stamp)
    rows = SessionLog.objects.filter(pk=log.pk)
    table = connection.ops.quote_name(SessionLog._meta.db_table)
    before = AuditEntry.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(*created_entries_sql(
            SessionLog, f"(SELECT * FROM {table} WHERE id = {log.pk}) AS added"))
    record_bulk_created([rows.get()])
    record_rows_created(rows)  # read back by a server-side cursor while the entries are written
    by_sql, by_python, read_back = AuditEntry.objects.order_by("id")[before:]
    assert by_sql.changes == by_python.changes == read_back.changes
    assert by_sql.changes["duration_minutes"] == [None, None]
    assert by_sql.changes["notes"] == [None, "línea 1\nlínea 2\t😊 \u0007 fin"]
