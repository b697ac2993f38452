"""Every record of the database as one archive, and back into an empty database.

Tables are read and written through Django's models (including the tables Django creates for
many-to-many fields), so the archive moves between SQLite and PostgreSQL. Import writes tables
in dependency order in one transaction, keeps every id and timestamp as it was, and resets
PostgreSQL's sequences so new records do not collide with imported ones.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from acompana import policy
from acompana.domain.archive import ArchiveError, ArchiveIn, TableOut, write_archive

# Rows `migrate` writes into every new database: an import replaces them with the archive's,
# whose ids the other tables refer to.
MIGRATE_FILLED = (Permission, ContentType)
BATCH = 1000


def archived_models() -> list[type[models.Model]]:
    """Every table Django manages, parents before the tables that refer to them."""
    found = [model for model in apps.get_models(include_auto_created=True)
             if model._meta.managed and not model._meta.proxy]
    ordered: list[type[models.Model]] = []
    visiting: set = set()

    def visit(model):
        if model in ordered or model in visiting:
            return
        visiting.add(model)
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if target is not None and target is not model and target in found:
                visit(target)
        ordered.append(model)

    for model in sorted(found, key=lambda m: m._meta.db_table):
        visit(model)
    return ordered


def _columns(model) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _text(field: models.Field, value) -> str | None:
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _value(field: models.Field, text: str | None):
    if text is None:
        return None
    if isinstance(field, models.JSONField):
        return json.loads(text)
    return field.to_python(text)


def _migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def do_export_all(*, out: Path, by: policy.Actor) -> dict:
    """Write every record to `out`; return the manifest."""
    policy.authorize(by, "ops.do_export_all")
    def tables():
        for model in archived_models():
            fields = _columns(model)
            rows = model._base_manager.order_by("pk").values_list(
                *[field.attname for field in fields]).iterator(chunk_size=BATCH)
            yield TableOut(name=model._meta.db_table, columns=[f.column for f in fields],
                           rows=([_text(field, value) for field, value in zip(fields, row,
                                                                              strict=True)]
                                 for row in rows))

    with transaction.atomic():  # one consistent moment, even while people type
        return write_archive(out, tables(), {
            "created": timezone.now().isoformat(), "database": connection.vendor,
            "migrations": _migrations()})


def occupied_tables() -> list[str]:
    """Tables that already hold records (the rows `migrate` writes do not count)."""
    return [model._meta.db_table for model in archived_models()
            if model not in MIGRATE_FILLED and model._base_manager.exists()]


def do_import_all(*, source: Path, by: policy.Actor) -> dict[str, int]:
    """Load an archive into an empty, migrated database; return rows per table."""
    policy.authorize(by, "ops.do_import_all")
    archive = ArchiveIn(source)
    try:
        _check_fits(archive)
        occupied = occupied_tables()
        if occupied:
            raise ArchiveError(f"The database is not empty ({', '.join(occupied[:5])}"
                               f"{' …' if len(occupied) > 5 else ''} hold records); import "
                               "into a new database made with `acompana migrate`.")
        counts = {}
        with transaction.atomic(), _timestamps_kept():
            if connection.vendor == "postgresql":  # the audit trail keeps the archive's ids
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL acompana.audit_keep_ids = 'on'")
            for model in reversed(MIGRATE_FILLED):
                model._base_manager.all().delete()
            for model in archived_models():
                counts[model._meta.db_table] = _load_table(model, archive)
            _reset_sequences()
        ContentType.objects.clear_cache()
        return counts
    finally:
        archive.close()


def _check_fits(archive: ArchiveIn) -> None:
    """The archive was written by this version of the database schema."""
    if archive.manifest.get("migrations") != _migrations():
        raise ArchiveError(f"{archive.path.name} was written by a database at other migrations;"
                           " migrate both to the same version of Acompaña first.")
    for model in archived_models():
        entry = archive.tables.get(model._meta.db_table)
        wanted = [field.column for field in _columns(model)]
        if entry is None or entry["columns"] != wanted:
            raise ArchiveError(f"{archive.path.name}: the table {model._meta.db_table} is "
                               "missing or has other columns than this database.")


# Columns the database sets itself at insert: the audit trail's hash chain is made again, in
# the archive's order (the hashes come out the same on the same kind of database).
SET_BY_THE_DATABASE = {"audit_auditentry": {"prev_hash", "hash"}}


def _load_table(model, archive: ArchiveIn) -> int:
    fields = _columns(model)
    left_out = SET_BY_THE_DATABASE.get(model._meta.db_table, set())
    batch, count = [], 0
    for row in archive.rows(model._meta.db_table):
        batch.append(model(**{field.attname: _value(field, text)
                              for field, text in zip(fields, row, strict=True)
                              if field.attname not in left_out}))
        if len(batch) == BATCH:
            model._base_manager.bulk_create(batch)
            count, batch = count + len(batch), []
    model._base_manager.bulk_create(batch)
    return count + len(batch)


@contextmanager
def _timestamps_kept():
    """auto_now and auto_now_add would stamp imported rows with today: keep theirs."""
    fields = [field for model in archived_models() for field in model._meta.concrete_fields
              if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), archived_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
