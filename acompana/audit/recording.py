"""Every change to a program record, and every login, goes into the audit trail.

Saves and deletes of the audited apps' models are caught by model signals and written in the
same transaction as the change, so a rolled-back change leaves no entry and a committed one
always has its entry. Bulk writes send no signals: services that use them call
`record_bulk_created` / `record_bulk_updated` themselves. Who did it comes from the request being
served (AuditContextMiddleware) or, outside a request, from the command being run.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from acompana.audit.acting import acting
from acompana.audit.models import AuditEntry

# Apps whose records are the program's: their every change is kept with before and after.
# Confidential apps (wellbeing answers and scores) are not listed: their values never go here.
AUDITED_APPS = frozenset({"programs", "planning", "delivery"})

_request: ContextVar = ContextVar("acompana_audit_request", default=None)
_program: ContextVar[int | None] = ContextVar("acompana_audit_program", default=None)

CREATE, UPDATE, DELETE = "record.create", "record.update", "record.delete"
LOGIN, LOGOUT = "login", "logout"
LOGIN_FAILED, LOCKED_OUT = "login.failed", "login.locked-out"
ACCESS_REFUSED = "access.refused"


class AuditContextMiddleware:
    """Makes the request being served known to the recorder, for 'who' and 'from where'."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


@contextmanager
def unattributed(who: str):
    """Changes recorded without the person who made them, under `who` (an anonymous
    suggestion: not even the audit trail may link it to its author)."""
    from acompana.audit.acting import acting_as

    token = _request.set(None)
    try:
        with acting_as(who):
            yield
    finally:
        _request.reset(token)


@contextmanager
def of_program(program_id: int | None):
    """Entries written in the block belong to this program when no person's request says whose
    they are (a command, the worker): written by SQL, they name no record to ask. Without it a
    command's import was recorded with no program, out of its coordinator's and auditor's
    sight."""
    token = _program.set(program_id)
    try:
        yield
    finally:
        _program.reset(token)


def who_and_where(request=None) -> dict:
    """user_id, actor and address for an entry, from the request or the command running."""
    request = request if request is not None else _request.get()
    if request is None:
        return {"user_id": None, "actor": acting()[:200], "address": None,
                "program_id": _program.get()}
    actor = getattr(request, "actor", None)
    person = getattr(actor, "person", None)
    user = getattr(request, "user", None)
    if person is not None:
        name = f"{person.code} ({person.role})"
    elif user is not None and user.is_authenticated:
        name = user.get_username()
    else:
        name = ""
    return {"user_id": user.pk if user is not None and user.is_authenticated else None,
            "actor": name[:200], "address": _address(request),
            "program_id": person.program_id if person is not None else _program.get()}


def _address(request) -> str | None:
    address = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    return address or None


def is_audited(model: type[models.Model]) -> bool:
    return model._meta.app_label in AUDITED_APPS


def creation_is_audited(model: type[models.Model]) -> bool:
    """False for a history row (AUDIT_CREATION = False): it records, with who and when, a change
    that has its own entry already; its creation is not entered twice (a change or deletion of
    one is entered, like any record's)."""
    return is_audited(model) and getattr(model, "AUDIT_CREATION", True)


def record_label(instance: models.Model) -> str:
    return f"{instance._meta.label_lower}#{instance.pk}"


def audited_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields an entry records: every concrete field but those counted from other records
    (AUDIT_DERIVED_FIELDS, e.g. a session log's figures, counted from its rows, which its
    entry holds), which would only repeat what the entry says."""
    derived = getattr(model, "AUDIT_DERIVED_FIELDS", ())
    return [field for field in model._meta.concrete_fields if field.attname not in derived]


def field_values(instance: models.Model, names: Iterable[str] | None = None) -> dict:
    """The stored value of each audited field (foreign keys as ids)."""
    fields = audited_fields(type(instance))
    wanted = set(names) if names is not None else None
    return {field.attname: field.value_from_object(instance) for field in fields
            if wanted is None or field.attname in wanted or field.name in wanted}


REDACTED = "•••"


def _redacted(model: type[models.Model], changes: dict) -> dict:
    """Changes with the values of the model's private fields (a person's phone, e-mail) hidden:
    the trail says that they changed, never what they are."""
    private = getattr(model, "AUDIT_REDACTED_FIELDS", ())
    return {name: [REDACTED if value else value for value in values] if name in private
            else values for name, values in changes.items()}


def _entry(action: str, instance: models.Model, changes: dict, who: dict | None = None
           ) -> AuditEntry:
    who = who or who_and_where()
    if who["program_id"] is None:  # a command's change: the record's own program
        from acompana.policy import program_of

        who = who | {"program_id": program_of(instance)}
    return AuditEntry(action=action, target=record_label(instance)[:200],
                      subject=_subject(instance), changes=_redacted(type(instance), changes),
                      outcome=AuditEntry.Outcome.ALLOWED, **who)


def _subject(instance: models.Model) -> str:
    """Whose record: the person's code for a person, blank for other records."""
    return getattr(instance, "code", "")[:60] if instance._meta.model_name == "person" else ""


def _diff(before: dict, after: dict) -> dict:
    return {name: [before.get(name), value] for name, value in after.items()
            if before.get(name) != value}


# --- Signal receivers (connected in AuditConfig.ready) ----------------------------------------

def remember_before(sender, instance, raw=False, update_fields=None, **kwargs):
    if not is_audited(sender) or instance.pk is None or instance._state.adding:
        return
    names = [field.attname for field in sender._meta.concrete_fields
             if update_fields is None or field.name in update_fields
             or field.attname in update_fields]
    instance._audit_before = sender._base_manager.filter(pk=instance.pk).values(*names).first()


def record_save(sender, instance, created, update_fields=None, **kwargs):
    if not is_audited(sender):
        return
    if created:
        if not creation_is_audited(sender):
            return
        _entry(CREATE, instance, {name: [None, value] for name, value in
                                  field_values(instance).items()}).save()
        return
    before = getattr(instance, "_audit_before", None) or {}
    changes = _diff(before, field_values(instance, before.keys() or None))
    if changes:
        _entry(UPDATE, instance, changes).save()


def record_delete(sender, instance, **kwargs):
    if is_audited(sender):
        _entry(DELETE, instance, {name: [value, None] for name, value in
                                  field_values(instance).items()}).save()


def record_m2m(sender, instance, action, model, pk_set, reverse, **kwargs):
    """Adding to or removing from a many-to-many relation, e.g. a group's facilitators."""
    if not is_audited(type(instance)) or action not in ("post_add", "post_remove", "post_clear"):
        return
    through = sender._meta.label_lower
    ids = sorted(pk_set or [])
    before, after = (None, ids) if action == "post_add" else (ids or "all", None)
    _entry(UPDATE, instance, {through: [before, after]}).save()


# --- Explicit recording for bulk writes ------------------------------------------------------

def record_bulk_created(instances: Sequence[models.Model]) -> None:
    """Entries for rows written with bulk_create (which sends no signals); none for history
    rows (creation_is_audited)."""
    instances = [instance for instance in instances if creation_is_audited(type(instance))]
    _write_entries(CREATE, ((record_label(instance), _subject(instance), _redacted(
        type(instance), {name: [None, value] for name, value in field_values(instance).items()}))
        for instance in instances))


def record_bulk_updated(instances: Sequence[models.Model], before: dict[int, dict]) -> None:
    """Entries for rows written with bulk_update; `before` maps pk -> old values."""
    _write_entries(UPDATE, ((record_label(instance), _subject(instance), _redacted(
        type(instance), _diff(before[instance.pk],
                              field_values(instance, before[instance.pk].keys()))))
        for instance in instances))


def record_log_with_rows(instance: models.Model, before: dict | None,
                         rows: dict[str, dict]) -> None:
    """One entry for a record written with its detail rows by difference (a session log and
    its attendance, fidelity and feedback): its changed fields, and under each kind of row the
    rows that changed, {row: [before, after]}. `before` is None for a record just created."""
    after = field_values(instance)
    if before is None:
        changes = {name: [None, value] for name, value in after.items()}
    else:
        changes = _diff(before, after)
    changes |= rows
    if changes:
        _entry(CREATE if before is None else UPDATE, instance, changes).save()


def record_rows(model: type[models.Model], action: str,
                entries: Iterable[tuple[object, dict]]) -> None:
    """Entries for records (not people) written by SQL: (pk, changes) each, as plain rows."""
    label = model._meta.label_lower
    _write_entries(action, ((f"{label}#{pk}", "", changes) for pk, changes in entries))


def record_rows_created(rows: models.QuerySet) -> None:
    """Entries for rows added by SQL, read back from the database: what record_bulk_created
    would write, without a model object per row."""
    model = rows.model
    names = [field.attname for field in audited_fields(model)]
    code = names.index("code") if model._meta.model_name == "person" else None
    label = model._meta.label_lower
    _write_entries(CREATE, ((f"{label}#{pk}", values[code][:60] if code is not None else "",
                             _redacted(model, {name: [None, value] for name, value in
                                               zip(names, values, strict=True)}))
                            for pk, *values in rows.values_list("pk", *names).iterator(5000)))


def record_rows_updated(model: type[models.Model], changes: Iterable[tuple[object, dict]]
                        ) -> None:
    """Entries for rows (not people) changed by SQL: (pk, {field: [before, after]}) each."""
    label = model._meta.label_lower
    _write_entries(UPDATE, ((f"{label}#{pk}", "", _redacted(model, change))
                            for pk, change in changes))


def _write_entries(action: str, entries: Iterable[tuple[str, str, dict]]) -> None:
    """An entry per (target, subject, changes) with changes, written as plain rows: an import
    makes hundreds of thousands, and model objects would cost more than the writes."""
    who, at = who_and_where(), _now()
    encoder = DjangoJSONEncoder()
    rows = ((at, who["user_id"], who["actor"], action, target[:200], who["address"], subject,
             AuditEntry.Outcome.ALLOWED.value, encoder.encode(changes), who["program_id"])
            for target, subject, changes in entries if changes)
    with connection.cursor() as cursor:  # COPY a batch at a time: `entries` may be read
        for batch in iter(lambda: list(itertools.islice(rows, 1000)), []):  # from the database
            write_rows(cursor, _entry_columns(), batch)


def write_rows(cursor, target: str, rows: Iterable[Sequence]) -> None:
    """Many rows into `target` (a table, with its column list unless the rows fill every
    column): COPY on PostgreSQL, batches of executemany on SQLite."""
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    rows = iter(rows)
    for batch in iter(lambda: list(itertools.islice(rows, 1000)), []):  # memory: not the rows
        cursor.executemany(f"INSERT INTO {target} VALUES ({', '.join(['%s'] * len(batch[0]))})",
                           batch)


def _entry_columns() -> str:
    quote = connection.ops.quote_name
    return (f"{quote(AuditEntry._meta.db_table)} (" + ", ".join(quote(name) for name in (
        "at", "user_id", "actor", "action", "target", "address", "subject", "outcome",
        "changes", "program_id")) + ")")


def _cast(placeholder: str, kind: str) -> str:
    """PostgreSQL needs the type of a parameter that is not a column's value."""
    return f"{placeholder}::{kind}" if connection.vendor == "postgresql" else placeholder


def _placeholders() -> tuple[str, ...]:
    """at, user_id, actor, action, target and address."""
    return tuple(_cast("%s", kind) for kind in ("timestamptz", "integer", "varchar", "varchar",
                                                "varchar", "inet"))


def _now():
    """The time of an entry as a parameter of raw SQL (SQLite stores it as text)."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


# PostgreSQL builds the entries of rows written by SQL itself, in the JSON Python would write;
# SQLite's JSON functions write it differently, so there they are made in Python (see above).

def created_entries_sql(model: type[models.Model], source: str) -> tuple[str, list]:
    """PostgreSQL writing the entry record_bulk_created would write for each row of `source`.

    `source` is a table, CTE or parenthesised query with the model's columns (not people's).
    """
    return _entries_sql(model, CREATE, created_fields_json(model), source)


def rows_entries_sql(model: type[models.Model], action: str, changes: str, source: str
                     ) -> tuple[str, list]:
    """PostgreSQL writing one entry per row of `source` (which has the record's `id`), holding
    the jsonb expression `changes` over source's columns (e.g. a log's rows aggregated)."""
    return _entries_sql(model, action, changes, source)


def created_fields_json(model: type[models.Model], extra: dict[str, str] | None = None,
                        more: str = "") -> str:
    """The jsonb of every field of a row as [null, value], as record_bulk_created writes it,
    and the `extra` keys' json expressions (e.g. a log's rows aggregated) beside them, and
    `more` (see _json_object)."""
    return _json_object({
        field.attname: ["[null, ", _JsonText(_json_value(field)), "]"]
        for field in audited_fields(model)} | {
        key: [_JsonText(value)] for key, value in (extra or {}).items()}, more)


def _entries_sql(model: type[models.Model], action: str, changes: str, source: str
                 ) -> tuple[str, list]:
    who = who_and_where()
    marks = _placeholders()
    sql = (f"INSERT INTO {_entry_columns()} SELECT {', '.join(marks[:4])}, "
           f"{marks[4]} || CAST({connection.ops.quote_name('id')} AS TEXT), {marks[5]}, '', "
           f"'{AuditEntry.Outcome.ALLOWED.value}', {changes}, {_cast('%s', 'bigint')} "
           f"FROM {source}")
    return sql, [_now(), who["user_id"], who["actor"], action,
                 f"{model._meta.label_lower}#", who["address"], who["program_id"]]


def _json_value(field) -> str:
    """A column as DjangoJSONEncoder writes its value: times in UTC to the millisecond, 'Z'."""
    column = connection.ops.quote_name(field.column)
    if field.get_internal_type() != "DateTimeField":
        return column
    utc = f"{column} AT TIME ZONE 'UTC'"
    return (f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN mod(date_part("
            f"'microseconds', {column})::bigint, 1000000) = 0 THEN '' ELSE "
            f"to_char({utc}, '.MS') END || 'Z'")


class _JsonText(str):
    """An SQL expression whose value is written as its JSON text ('null' for NULL)."""


def _json_object(pairs: dict[str, list[str]], more: str = "") -> str:
    """A jsonb object of (key, its value's pieces: texts, and _JsonText expressions) pairs,
    and `more` (an expression of further ', "key": value' text, or ''), written as one JSON
    text, its fixed texts joined, and cast once: about half the cost of json_build_object
    cast to jsonb, a third of jsonb_build_object (100,000 session logs' entries)."""
    pieces: list[str] = ["{"]
    for index, (key, value) in enumerate(pairs.items()):
        pieces += [f"{', ' if index else ''}{json.dumps(key)}: ", *value]
    pieces.append("}")
    sql: list[str] = []
    for text, group in itertools.groupby(pieces, key=lambda piece: isinstance(piece, _JsonText)):
        if text:
            sql += [f"coalesce(to_json({piece})::text, 'null')" for piece in group]
        else:
            fixed = "".join(group).replace("'", "''")
            sql.append(f"'{fixed}'")
    if more:
        sql.insert(-1, more)
    return f"CAST({' || '.join(sql)} AS jsonb)"


# --- Logins ---------------------------------------------------------------------------------

def _program_of_username(username: str) -> int | None:
    """The program of the person whose login this user name is (a login, a failed try)."""
    from acompana.programs.models import Person

    return Person.objects.filter(user__username=username).values_list(
        "program_id", flat=True).first()


def record_login(sender, request, user, **kwargs):
    AuditEntry.objects.create(action=LOGIN, target=user.get_username()[:200],
                              outcome=AuditEntry.Outcome.ALLOWED,
                              **(who_and_where(request) | {
                                  "user_id": user.pk,
                                  "program_id": _program_of_username(user.get_username())}))


def record_logout(sender, request, user, **kwargs):
    if user is not None:
        AuditEntry.objects.create(action=LOGOUT, target=user.get_username()[:200],
                                  outcome=AuditEntry.Outcome.ALLOWED,
                                  **(who_and_where(request) | {
                                      "user_id": user.pk,
                                      "program_id": _program_of_username(user.get_username())}))


def record_login_failed(sender, credentials, request=None, **kwargs):
    """Every failed attempt, including those refused because the user name is locked."""
    username = str(credentials.get("username") or "")
    AuditEntry.objects.create(action=LOGIN_FAILED, target=username[:200],
                              outcome=AuditEntry.Outcome.REFUSED,
                              **_anonymous(request, username))


def record_locked_out(sender, request, username, ip_address=None, **kwargs):
    AuditEntry.objects.create(action=LOCKED_OUT, target=str(username or "")[:200],
                              outcome=AuditEntry.Outcome.REFUSED,
                              **(_anonymous(request, str(username or ""))
                                 | {"address": ip_address or None}))


def _anonymous(request, username: str) -> dict:
    return {"user_id": None, "actor": "", "program_id": _program_of_username(username),
            "address": _address(request) if request is not None else None}


def record_account_change(actor, action: str, person, changes: dict) -> None:
    """A login given, reset, closed or re-roled: by whom, whose. Never a password or a code."""
    who = who_and_where()
    acting_person = getattr(actor, "person", None)
    if acting_person is not None:
        who |= {"user_id": actor.user_id, "actor": f"{acting_person.code} ({acting_person.role})"}
    elif getattr(actor, "operator", False):
        who |= {"user_id": None, "actor": (acting() or "operator")[:200]}
    AuditEntry.objects.create(action=action, subject=person.code[:60],
                              target=record_label(person)[:200], changes=changes or None,
                              outcome=AuditEntry.Outcome.ALLOWED,
                              **(who | {"program_id": person.program_id}))


def record_refusal(request, view_name: str) -> None:
    """A request the policy refused: who asked for which page."""
    AuditEntry.objects.create(action=ACCESS_REFUSED, target=request.path[:200],
                              subject=view_name[:60], outcome=AuditEntry.Outcome.REFUSED,
                              **who_and_where(request))
