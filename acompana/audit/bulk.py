"""Writes of many rows by SQL, each row with its audit entry, built by the database.

An import of a million rows cannot afford a Python object per row: the rows go into a temporary
table (COPY on PostgreSQL) and from there into the model's table by INSERT ... SELECT, and the
audit entries are made from the rows added, by the database itself on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, models

from acompana.audit.recording import (
    created_entries_sql,
    creation_is_audited,
    record_rows_created,
    write_rows,
)


def temporary_table(cursor, name: str, columns: str, rows: Iterable[tuple]) -> None:
    """A temporary table of rows, loaded with COPY on PostgreSQL (and analysed: temporary tables
    are not analysed by autovacuum)."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")
    write_rows(cursor, name, rows)
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {name}")


def insert_audited(cursor, model: type[models.Model], columns: list[str], select: str,
                   params: list, returning: str = "") -> tuple[int, list[tuple]]:
    """INSERT ... SELECT into a model's table, with the audit entry of every row added (none
    for a history row, whose change has its own: recording.creation_is_audited).

    Returns how many rows were added and, when `returning` names columns, theirs.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    insert = f"INSERT INTO {table} ({names}) {select}"
    audited = creation_is_audited(model)
    if connection.vendor == "postgresql":  # the entries are made from the rows INSERT returns
        entries, entry_params = created_entries_sql(model, "added") if audited else ("", [])
        cursor.execute(f"WITH added AS ({insert} RETURNING *)"
                       f"{f', entries AS ({entries})' if audited else ''} "
                       f"SELECT {returning or 'COUNT(*)'} FROM added", [*params, *entry_params])
        rows = cursor.fetchall()
        return (len(rows), rows) if returning else (rows[0][0], [])
    # The transaction holds SQLite's write lock: the rows added are those above the largest id.
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    largest = cursor.fetchone()[0]
    cursor.execute(insert, params)
    count = cursor.rowcount
    if audited:
        record_rows_created(model.objects.filter(pk__gt=largest))
    if not returning:
        return count, []
    cursor.execute(f"SELECT {returning} FROM {table} WHERE id > %s", [largest])
    return count, cursor.fetchall()
