"""The chain's trigger looks the chain's head up once per transaction, not once per entry.

A transaction that writes an entry holds the chain's lock to its end (pg_advisory_xact_lock),
so no other writer can extend the chain meanwhile: after its first entry, the head is the last
entry it wrote itself. The trigger keeps that hash in a transaction-local setting, tagged with
the transaction's id (a value left by another transaction, or set by hand, is never taken for
the head), and a savepoint rolled back takes the setting back with its entries. Same chain, same
hashes. Measured on 10,000 session-log entries written by one INSERT ... SELECT (machine
loaded): 414 ms with the trigger before, 215 ms with this one, 104 ms with a trigger doing
nothing.
"""

from importlib import import_module

from django.db import migrations

HASHED = import_module("acompana.audit.migrations.0007_chain_trigger_without_catalog_lookups"
                       ).HASHED
HEAD_SETTING = "acompana.audit_chain_head"

CHAIN_FUNCTION = """CREATE OR REPLACE FUNCTION audit_entry_chain() RETURNS trigger AS $$
  DECLARE
    tag text := txid_current()::text || ':';
    head text := current_setting('{setting}', true);
    previous varchar(64);
  BEGIN
    IF head IS NOT NULL AND starts_with(head, tag) THEN  -- this transaction's own last entry
      previous := substr(head, length(tag) + 1);
    ELSE
      PERFORM pg_advisory_xact_lock(7361002115);  -- the chain's head: one writer at a time
      SELECT hash INTO previous FROM audit_auditentry ORDER BY id DESC LIMIT 1;
    END IF;
    -- Numbered under the lock, so the chain's order is the ids' order; an archive being
    -- loaded (import-all) keeps its own ids, in order, and is chained as it comes.
    IF current_setting('acompana.audit_keep_ids', true) IS DISTINCT FROM 'on' THEN
      NEW.id := nextval('{sequence}'::regclass);
    END IF;
    NEW.prev_hash := coalesce(previous, '');
    NEW.hash := {hashed};
    PERFORM set_config('{setting}', tag || NEW.hash, true);
    RETURN NEW;
  END; $$ LANGUAGE plpgsql SET enable_seqscan = off"""


def _sequence(schema_editor) -> str:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('audit_auditentry', 'id')")
        return cursor.fetchone()[0]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CHAIN_FUNCTION.format(
            setting=HEAD_SETTING, sequence=_sequence(schema_editor),
            hashed=HASHED.format(previous="NEW.prev_hash", p="NEW.")))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        before = import_module(
            "acompana.audit.migrations.0007_chain_trigger_without_catalog_lookups")
        before.forwards(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_chain_trigger_without_catalog_lookups")]
    operations = [migrations.RunPython(forwards, backwards)]
