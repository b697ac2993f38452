"""Whole-database backups: SQLite's online backup API, or pg_dump / pg_restore for PostgreSQL.

A SQLite backup is taken through the app's own live connection, so it is consistent while people
keep typing; a restore copies the backup back the same way, after checking it is an intact
Acompaña database. A PostgreSQL restore runs in one transaction: all of it, or nothing.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

from acompana import policy


class BackupError(Exception):
    """A backup or restore that could not be done, in a sentence."""


def do_backup(*, out: Path, by: policy.Actor) -> Path:
    """A copy of the whole database in `out` (the operator's, at the command line)."""
    policy.authorize(by, "ops.do_backup")
    if connection.vendor == "sqlite":
        _sqlite_backup(out)
    elif connection.vendor == "postgresql":
        _pg_run(["pg_dump", "--format=custom", "--file", str(out)])
    else:
        raise BackupError(f"Backups of a {connection.vendor} database are not supported.")
    return out


def do_restore(*, source: Path, by: policy.Actor) -> None:
    """Replace the database with a backup (the operator's, at the command line)."""
    policy.authorize(by, "ops.do_restore")
    if not source.is_file():
        raise BackupError(f"{source}: no such file.")
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    if connection.vendor == "sqlite":
        _sqlite_restore(source)
    elif connection.vendor == "postgresql":
        connection.close()  # pg_restore --clean must be able to drop every table
        _pg_run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 "--exit-on-error", str(source)], database_flag=True)
    else:
        raise BackupError(f"Restoring a {connection.vendor} database is not supported.")


def _sqlite_backup(out: Path) -> None:
    connection.ensure_connection()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    partial.replace(out)  # a backup file is either complete or absent


def _sqlite_restore(source: Path) -> None:
    try:
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        intact = backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {name for (name,) in backup.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not an SQLite database ({error}).") from error
    try:
        if not intact:
            raise BackupError(f"{source} is damaged: SQLite's integrity check fails.")
        if not {"django_migrations", "audit_auditentry"} <= tables:
            raise BackupError(f"{source} is an SQLite database, but not an Acompaña backup.")
        connection.ensure_connection()
        backup.backup(connection.connection)
    finally:
        backup.close()


def _pg_run(command: list[str], *, database_flag: bool = False) -> None:
    settings = connection.settings_dict
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (apt-get install postgresql-client).")
    env = os.environ | {"PGHOST": settings.get("HOST") or "", "PGPORT": str(settings.get("PORT")
                                                                          or ""),
                        "PGUSER": settings.get("USER") or "",
                        "PGPASSWORD": settings.get("PASSWORD") or "",
                        "PGDATABASE": settings["NAME"]}
    if database_flag:
        command = [*command[:-1], "--dbname", settings["NAME"], command[-1]]
    result = subprocess.run(command, env={k: v for k, v in env.items() if v}, text=True,
                            capture_output=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
