"""The audit trail's hash chain: each entry's hash covers its fields and the previous entry's.

The database computes it at insert (triggers of migration 0005), whoever writes: the ORM, the
bulk writers' COPY and INSERT ... SELECT, or a hand at the SQL prompt. On PostgreSQL one writer
at a time extends the chain (an advisory lock held to the end of the transaction, and the entry
numbered under it), so concurrent writers never fork it; SQLite writes one at a time anyway.
`verify` walks the chain and names the first broken link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection

# The fields an entry's hash covers, in order (after the previous entry's hash).
COVERED = ("at", "user_id", "actor", "action", "subject", "target", "outcome", "changes",
           "address", "program_id")
SQLITE_FUNCTION = "acompana_audit_hash"


def sqlite_hash(previous, *values) -> str:
    """The hash of an entry on SQLite, from its stored values (registered on each connection)."""
    content = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(((previous or "") + content).encode()).hexdigest()


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """connection_created receiver: SQLite's triggers call the hash function by name."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1 + len(COVERED), sqlite_hash,
                                              deterministic=True)


@dataclass(frozen=True)
class Break:
    """The first broken link: which entry, and what is wrong with it."""

    entry_id: int
    reason: str


@dataclass(frozen=True)
class Verdict:
    entries: int
    last_id: int | None
    last_hash: str
    broken: Break | None


def _expected_sql() -> str:
    """Each entry with the hash its stored fields and stored previous hash give."""
    if connection.vendor == "postgresql":
        columns = ", ".join(COVERED)
        return (f"SELECT id, prev_hash, hash, audit_entry_hash(coalesce(prev_hash, ''), "
                f"{columns}) FROM audit_auditentry ORDER BY id")
    columns = ", ".join(COVERED)
    return (f"SELECT id, prev_hash, hash, {SQLITE_FUNCTION}(coalesce(prev_hash, ''), {columns}) "
            "FROM audit_auditentry ORDER BY id")


def _rows() -> Iterator[tuple]:
    if connection.vendor == "postgresql":  # a server-side cursor: the trail may be millions
        with connection.chunked_cursor() as cursor:
            cursor.execute(_expected_sql())
            yield from cursor
        return
    with connection.cursor() as cursor:
        cursor.execute(_expected_sql())
        while batch := cursor.fetchmany(5000):
            yield from batch


def verify() -> Verdict:
    """Walk the chain from its first entry; stop at the first link that does not hold."""
    count, previous_id, previous_hash = 0, None, ""
    for entry_id, prev_hash, stored, expected in _rows():
        count += 1
        if stored is None:
            return Verdict(count, previous_id, previous_hash, Break(
                entry_id, "it carries no hash: it was written past the database's chain"))
        if (prev_hash or "") != previous_hash:
            after = f"entry #{previous_id}" if previous_id else "the start of the trail"
            return Verdict(count, previous_id, previous_hash, Break(
                entry_id, f"it does not follow {after}: an entry between them was deleted, "
                          "or one of them was slipped in"))
        if stored != expected:
            return Verdict(count, previous_id, previous_hash, Break(
                entry_id, "its fields were changed after it was written"))
        previous_id, previous_hash = entry_id, stored
    return Verdict(count, previous_id, previous_hash, None)
